"""CEAF-REE scorer, MUC-4 (GRIT) reader and mapping, WikiEvents reader: small hand-made cases."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval.ceaf import (
    align_role,
    ceaf_ree_score,
    entity_matches,
    format_scores,
    max_weight_matching,
    merge_alternatives,
    normalise,
)
from conflictlens.eval.muc4 import mention_to_muc_roles, muc4_relevant, read_ree_grit, run_muc4_eval, target_id
from conflictlens.eval.wikievents import mention_to_wikievents_roles, read_wikievents, run_wikievents_eval
from conflictlens.model import ActorRef, EventMention, Individual, Span, Target, Victim, Weapon

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MUC_DEV = SHARED / "muc4" / "ree_grit" / "dev.jsonl"
WIKI_DEV = SHARED / "wikievents" / "dev.jsonl"


def _doc(**roles):
    return {"d1": roles}


# --- normalisation and entity matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("The Extraditables", "extraditables"),
        ('"the extraditables"', "extraditables"),
        ("  a   car  bomb ", "car bomb"),
        ("President's  home.", "presidents home"),
        ("An Army Patrol", "army patrol"),
        ("theatre", "theatre"),  # "the" only as a whole word
    ],
)
def test_normalise_drops_case_articles_punctuation_and_spaces(raw, expected):
    assert normalise(raw) == expected


def test_entity_matches_needs_every_predicted_string_in_gold():
    gold = ["farabundo marti national liberation front", "fmln"]
    assert entity_matches(["FMLN"], gold)
    assert entity_matches(["the FMLN", "Farabundo Marti National Liberation Front"], gold)
    assert not entity_matches(["fmln", "rebels"], gold)
    assert not entity_matches([], gold)


# --- the matching --------------------------------------------------------------------------------------


def _brute_force(weights):
    rows, cols = len(weights), len(weights[0]) if weights else 0
    best = 0.0
    if rows <= cols:
        for perm in itertools.permutations(range(cols), rows):
            best = max(best, sum(weights[i][j] for i, j in enumerate(perm)))
    else:
        for perm in itertools.permutations(range(rows), cols):
            best = max(best, sum(weights[i][j] for j, i in enumerate(perm)))
    return best


def test_matching_is_optimal_where_greedy_would_fail():
    # Row 0 matches both columns; greedy row-by-row pairing 0-0 leaves row 1 unmatched.
    weights = [[1, 1], [1, 0]]
    assert max_weight_matching(weights) == [(0, 1), (1, 0)]


def test_matching_equals_brute_force_on_small_random_matrices():
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        weights = [[rng.choice([0, 0, 1, 1, 2.5]) for _ in range(cols)] for _ in range(rows)]
        pairs = max_weight_matching(weights)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert sum(weights[i][j] for i, j in pairs) == pytest.approx(_brute_force(weights))


def test_matching_handles_empty_sides():
    assert max_weight_matching([]) == []
    assert max_weight_matching([[], []]) == []


def test_align_role_is_one_to_one():
    gold = [["guerrillas", "guerrilla column"]]
    assert len(align_role([["guerrillas"], ["guerrilla column"]], gold)) == 1


# --- scores ---------------------------------------------------------------------------------------------


def test_perfect_prediction_scores_one():
    gold = _doc(PerpOrg=[["fmln"]], Weapon=[["rifle"], ["mortar"]])
    scores = ceaf_ree_score(gold, gold)
    assert scores["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "pred": 3, "gold": 3, "match": 3}
    assert scores["per_role"]["Victim"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "pred": 0, "gold": 0, "match": 0}
    assert scores["docs"] == 1


def test_partial_prediction():
    gold = _doc(Target=[["las canas bridge"], ["power substation"]], Weapon=[["rifle"]])
    pred = _doc(Target=[["the Las Canas bridge"], ["school"]], Weapon=[["rifle"]], Victim=[["cerezo"]])
    scores = ceaf_ree_score(pred, gold)
    target = scores["per_role"]["Target"]
    assert (target["match"], target["pred"], target["gold"]) == (1, 2, 2)
    assert target["p"] == target["r"] == target["f1"] == 0.5
    assert scores["per_role"]["Victim"]["p"] == 0.0
    micro = scores["micro"]
    assert (micro["match"], micro["pred"], micro["gold"]) == (2, 4, 3)
    assert micro["p"] == pytest.approx(0.5)
    assert micro["r"] == pytest.approx(2 / 3)
    assert micro["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_alternative_strings_any_one_is_enough():
    gold = _doc(PerpOrg=[["farabundo marti national liberation front", "fmln"]])
    assert ceaf_ree_score(_doc(PerpOrg=[["FMLN"]]), gold)["micro"]["f1"] == 1.0
    assert ceaf_ree_score(_doc(PerpOrg=[["fmln", "urng"]]), gold)["micro"]["match"] == 0


def test_duplicate_predictions_earn_one_point():
    gold = _doc(PerpInd=[["guerrillas", "guerrilla column"]])
    pred = _doc(PerpInd=[["guerrillas"], ["guerrilla column"]])
    s = ceaf_ree_score(pred, gold)["per_role"]["PerpInd"]
    assert (s["match"], s["pred"], s["gold"], s["p"], s["r"]) == (1, 2, 1, 0.5, 1.0)


def test_documents_are_pooled_and_missing_predictions_count_as_misses():
    gold = {"d1": {"Weapon": [["bomb"]]}, "d2": {"Weapon": [["rifle"]]}}
    pred = {"d1": {"Weapon": [["a bomb"]]}, "d3": {"Weapon": [["grenade"]]}}
    scores = ceaf_ree_score(pred, gold)
    assert scores["docs"] == 3
    weapon = scores["per_role"]["Weapon"]
    assert (weapon["match"], weapon["pred"], weapon["gold"]) == (1, 2, 2)


def test_strings_matching_only_across_documents_do_not_count():
    gold = {"d1": {"Weapon": [["bomb"]]}, "d2": {"Weapon": []}}
    pred = {"d1": {"Weapon": []}, "d2": {"Weapon": [["bomb"]]}}
    assert ceaf_ree_score(pred, gold)["micro"]["match"] == 0


def test_empty_entities_are_ignored():
    gold = _doc(Weapon=[["rifle"], []])
    pred = _doc(Weapon=[["rifle"], ["", "the"]])
    weapon = ceaf_ree_score(pred, gold)["per_role"]["Weapon"]
    assert (weapon["match"], weapon["pred"], weapon["gold"]) == (1, 1, 1)


def test_format_scores_is_a_table():
    scores = ceaf_ree_score(_doc(Weapon=[["rifle"]]), _doc(Weapon=[["rifle"]]))
    scores["timing"] = {"seconds": 2.0, "docs_per_s": 0.5}
    table = format_scores(scores)
    for word in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon", "micro", "documents: 1", "docs/s"):
        assert word in table
    assert "100.00" in table


def test_merge_alternatives_joins_groups_sharing_a_string():
    merged = merge_alternatives([["FMLN"], ["the fmln", "Farabundo Marti National Liberation Front"], ["urng"], [""]])
    assert merged == [["FMLN", "Farabundo Marti National Liberation Front"], ["urng"]]
    # A later group that bridges two entities merges them.
    assert merge_alternatives([["x"], ["y"], ["x", "y"]]) == [["x", "y"]]


# --- MUC-4 reader, mapping and runner -------------------------------------------------------------------

_TEXT_1 = (
    "urban guerrillas of the farabundo marti national liberation front (fmln) blew up a bridge near usulutan "
    "with dynamite and killed mayor jose ortega."
)
_TEXT_2 = "the president spoke about the economy today."


def _write_ree(tmp_path: Path) -> Path:
    rows = [
        {
            "docid": "DEV-X-0001",
            "doctext": _TEXT_1,
            "extracts": {
                "PerpInd": [[["urban guerrillas", 0]]],
                "PerpOrg": [[["farabundo marti national liberation front", 24], ["fmln", 67]]],
                "Target": [[["bridge", 84]]],
                "Victim": [[["jose ortega", 133]]],
                "Weapon": [[["dynamite", 111]]],
            },
        },
        {
            "docid": "DEV-X-0002",
            "doctext": _TEXT_2,
            "extracts": {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []},
        },
    ]
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_read_ree_grit_gives_string_entities(tmp_path):
    docs = read_ree_grit(_write_ree(tmp_path))
    assert [d["docid"] for d in docs] == ["DEV-X-0001", "DEV-X-0002"]
    assert docs[0]["doctext"] == _TEXT_1
    assert docs[0]["gold"]["PerpOrg"] == [["farabundo marti national liberation front", "fmln"]]
    assert docs[0]["gold"]["Weapon"] == [["dynamite"]]
    assert docs[1]["gold"] == {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []}


def test_read_ree_grit_errors(tmp_path):
    with pytest.raises(ConflictLensError) as missing:
        read_ree_grit(tmp_path / "nope.jsonl")
    assert missing.value.code == "E501"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"docid": "a", "doctext": "x", "extracts": {}}\n{"docid": \n', encoding="utf-8")
    with pytest.raises(ConflictLensError) as malformed:
        read_ree_grit(bad)
    assert malformed.value.code == "E501" and malformed.value.line == 2


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(article_id="a", start=start, end=start + len(needle), text=needle)


def _mention(**fields) -> EventMention:
    return EventMention(mention_id="m", article_id="a", **fields)


def test_mention_to_muc_roles_maps_and_deduplicates():
    events = [
        _mention(
            perpetrators=[ActorRef(name="Farabundo Marti National Liberation Front", mention="fmln")],
            perpetrator_individuals=[Individual(mention="urban guerrillas")],
            targets=[Target(mention="bridge")],
            victims=[Victim(mention="mayor jose ortega", name="Jose Ortega"), Victim(mention="peasants")],
            weapons=[Weapon(mention="dynamite")],
        ),
        _mention(
            perpetrators=[
                ActorRef(name="Farabundo Marti National Liberation Front", mention="the fmln"),
                ActorRef(name="Shining Path", mention="guerrillas of the shining path"),
            ],
            weapons=[Weapon(mention="Dynamite")],
        ),
    ]
    roles = mention_to_muc_roles(events, text=_TEXT_1)
    assert roles["PerpOrg"] == [
        ["fmln", "farabundo marti national liberation front"],  # canonical name, as written in the text
        ["guerrillas of the shining path"],  # "Shining Path" is not in the text: left out
    ]
    assert roles["PerpInd"] == [["urban guerrillas"]]
    assert roles["Target"] == [["bridge"]]
    # a named victim is keyed by the name as written, without the description around it; unnamed "peasants"
    # are no victims here
    assert roles["Victim"] == [["jose ortega"]]
    assert roles["Weapon"] == [["dynamite"]]
    # Without a text to check against, the canonical name is kept as given.
    assert mention_to_muc_roles(events)["PerpOrg"][1] == ["guerrillas of the shining path", "Shining Path"]


def test_muc4_mapping_leaves_out_clashes_that_hit_only_state_forces():
    # MUC-4 keys terrorism: a guerrilla-army clash with no civilian hit is not one of its incidents
    clash = _mention(event_type="Battles", perpetrators=[ActorRef(name="FMLN", mention="fmln")],
                     targets=[Target(mention="national police post", type="Police")],
                     victims=[Victim(mention="soldiers", type="Military")])
    quiet_clash = _mention(event_type="Battles", perpetrators=[ActorRef(name="FMLN", mention="fmln")])
    assert not muc4_relevant(clash) and not muc4_relevant(quiet_clash)
    assert mention_to_muc_roles([clash, quiet_clash])["PerpOrg"] == []
    # a clash that hits civilians is one, and keeps its civilian target; a police post is no MUC-4 target
    crossfire = _mention(event_type="Battles", perpetrators=[ActorRef(name="FMLN", mention="fmln")],
                         targets=[Target(mention="national police post", type="Police"),
                                  Target(mention="bus", type="Transportation")])
    bombing = _mention(event_type="Explosions/Remote violence", targets=[Target(mention="army barracks")])
    assert muc4_relevant(crossfire) and muc4_relevant(bombing)
    assert mention_to_muc_roles([crossfire])["Target"] == [["bus"]]
    assert mention_to_muc_roles([bombing])["Target"] == []
    # a named victim makes the clash relevant whatever else it hit
    assert muc4_relevant(_mention(event_type="Battles", victims=[Victim(mention="jose ortega", name="Jose Ortega")]))


@pytest.mark.parametrize(
    "mention, expected",
    [
        ("two transformers", "transformers"),
        ("approximately 50 neighboring residences", "neighboring residences"),
        ("several public buses", "public buses"),
        ("at least 30 stores", "stores"),
        ("route 302 bus", "route 302 bus"),
        ("embassy", "embassy"),
    ],
)
def test_a_targets_count_is_not_part_of_its_muc4_id(mention, expected):
    assert target_id(mention) == expected
    assert mention_to_muc_roles([_mention(event_type="Violence against civilians",
                                          targets=[Target(mention=mention)])])["Target"] == [[expected]]


def test_muc4_victims_are_one_string_per_person():
    events = [
        _mention(victims=[Victim(mention="hector delgado parker", name="Hector Delgado Parker"),
                          Victim(mention="heyndal and teneda", name="Heyndal and Teneda")]),
        _mention(victims=[Victim(mention="delgado parker", name="Delgado Parker"),
                          Victim(mention="dr guerrero", name="Dr Guerrero"),
                          Victim(mention="francisco jose guerrero", name="Francisco Jose Guerrero")]),
    ]
    assert mention_to_muc_roles(events)["Victim"] == [["Hector Delgado Parker"], ["Francisco Jose Guerrero"]]


def test_run_muc4_eval_with_a_stub_extractor(tmp_path):
    path = _write_ree(tmp_path)

    def extract(docid: str, text: str) -> list[EventMention]:
        if "bridge" not in text:
            return []
        return [
            _mention(
                perpetrators=[ActorRef(name="FMLN", mention="fmln")],
                targets=[Target(mention="bridge")],
                weapons=[Weapon(mention="dynamite")],
                victims=[Victim(mention="mayor jose ortega", name="jose ortega")],
                evidence={"targets": [_span(text, "bridge")]},
            )
        ]

    out = tmp_path / "pred.jsonl"
    scores = run_muc4_eval(path, extract_fn=extract, predictions_out=out)
    assert scores["docs"] == 2
    assert scores["per_role"]["PerpOrg"]["match"] == 1
    assert scores["per_role"]["Victim"]["match"] == 1  # keyed by the name, not "mayor jose ortega"
    assert scores["per_role"]["PerpInd"]["r"] == 0.0
    micro = scores["micro"]
    assert (micro["match"], micro["pred"], micro["gold"]) == (4, 4, 5)
    assert set(scores["timing"]) == {"seconds", "docs_per_s"}
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["docid"] for x in lines] == ["DEV-X-0001", "DEV-X-0002"]
    assert lines[0]["roles"]["Target"] == [["bridge"]]
    assert run_muc4_eval(path, extract_fn=extract, limit=1)["docs"] == 1


# --- WikiEvents -----------------------------------------------------------------------------------------


def _write_wikievents(tmp_path: Path) -> Path:
    text = "Gunmen from al-Shabaab attacked a hotel in Mogadishu. The militants killed a guard with rifles."
    mentions = [
        ("T1", "Gunmen"), ("T2", "al-Shabaab"), ("T3", "hotel"), ("T4", "Mogadishu"),
        ("T5", "militants"), ("T6", "guard"), ("T7", "rifles"),
    ]
    row = {
        "doc_id": "w1",
        "text": text,
        "entity_mentions": [{"id": f"w1-{i}", "text": t} for i, t in mentions],
        "event_mentions": [
            {
                "id": "w1-E1",
                "event_type": "Conflict.Attack.Unspecified",
                "arguments": [
                    {"entity_id": "w1-T1", "role": "Attacker", "text": "Gunmen"},
                    {"entity_id": "w1-T3", "role": "Target", "text": "hotel"},
                    {"entity_id": "w1-T4", "role": "Place", "text": "Mogadishu"},
                ],
            },
            {
                "id": "w1-E2",
                "event_type": "Life.Die.Unspecified",
                "arguments": [
                    {"entity_id": "w1-T5", "role": "Killer", "text": "militants"},
                    {"entity_id": "w1-T6", "role": "Victim", "text": "guard"},
                    {"entity_id": "w1-T7", "role": "Instrument", "text": "rifles"},
                ],
            },
            {
                "id": "w1-E3",
                "event_type": "Contact.Contact.Broadcast",
                "arguments": [{"entity_id": "w1-T2", "role": "Communicator", "text": "al-Shabaab"}],
            },
        ],
    }
    (tmp_path / "coref").mkdir()
    (tmp_path / "coref" / "dev.jsonlines").write_text(
        json.dumps({"doc_key": "w1", "clusters": [["w1-T1", "w1-T5"]]}) + "\n", encoding="utf-8"
    )
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_read_wikievents_widens_arguments_to_clusters(tmp_path):
    (doc,) = read_wikievents(_write_wikievents(tmp_path))
    gold = doc["gold"]
    assert gold["Perpetrator"] == [["Gunmen", "militants"]]  # Attacker and Killer: one cluster, one entity
    assert gold["Target"] == [["hotel"]]
    assert gold["Victim"] == [["guard"]]
    assert gold["Weapon"] == [["rifles"]]
    assert gold["Place"] == [["Mogadishu"]]


def test_run_wikievents_eval_with_a_stub_extractor(tmp_path):
    path = _write_wikievents(tmp_path)

    def extract(docid: str, text: str) -> list[EventMention]:
        return [
            _mention(
                perpetrator_individuals=[Individual(mention="the militants")],
                perpetrators=[ActorRef(name="al-Shabaab", mention="al-Shabaab")],
                victims=[Victim(mention="a guard")],
                evidence={"location": [_span(text, "Mogadishu")]},
            )
        ]

    predicted = mention_to_wikievents_roles(extract("w1", "Mogadishu"))
    assert predicted["Perpetrator"] == [["al-Shabaab"], ["the militants"]]
    scores = run_wikievents_eval(path, extract_fn=extract)
    per_role = scores["per_role"]
    assert (per_role["Perpetrator"]["match"], per_role["Perpetrator"]["pred"]) == (1, 2)
    assert per_role["Victim"]["f1"] == 1.0 and per_role["Place"]["f1"] == 1.0
    assert per_role["Target"]["r"] == 0.0


# --- the real files (skipped without ../shared/data) ----------------------------------------------------


@pytest.mark.shared
@pytest.mark.skipif(not MUC_DEV.exists(), reason="../shared/data/muc4 is absent")
def test_real_muc4_dev_reads_and_scores_itself_perfectly():
    docs = read_ree_grit(MUC_DEV)
    assert len(docs) == 200
    counts = {role: sum(len(d["gold"][role]) for d in docs) for role in docs[0]["gold"]}
    assert counts == {"PerpInd": 148, "PerpOrg": 82, "Target": 109, "Victim": 85, "Weapon": 51}  # README
    gold = {d["docid"]: d["gold"] for d in docs}
    first_string_only = {k: {r: [e[:1] for e in v] for r, v in roles.items()} for k, roles in gold.items()}
    assert ceaf_ree_score(first_string_only, gold)["micro"]["f1"] == 1.0


@pytest.mark.shared
@pytest.mark.skipif(not WIKI_DEV.exists(), reason="../shared/data/wikievents is absent")
def test_real_wikievents_dev_reads():
    docs = read_wikievents(WIKI_DEV)
    assert len(docs) == 20
    assert sum(len(d["gold"]["Victim"]) for d in docs) > 0
