"""Actor knowledge base, resolution, alias learning, relations and aims (issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

from conflictlens.errors import InputError
from conflictlens.eval.actors import format_alias_scores, run_alias_eval
from conflictlens.resolve.actor_data import LINK_TYPES, NON_STATE_TYPES, alias_key
from conflictlens.resolve.actors import ActorContext, ActorKB
from conflictlens.resolve.aliases import AliasRegistry, learn_aliases
from conflictlens.resolve.relations import aim_sentences, extract_relations

DEV = Path(__file__).resolve().parents[2] / "shared/data/muc4/full_templates/dev.jsonl"


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def _id(kb: ActorKB, mention: str, **kw) -> str | None:
    found = kb.resolve(mention, **kw)
    return found.actor_id if found else None


# ------------------------------------------------------------------ the knowledge base
def test_kb_has_enough_groups_and_every_country(kb: ActorKB) -> None:
    groups = [e for e in kb.all() if e.type in NON_STATE_TYPES]
    assert len(groups) >= 150
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        assert kb.get(f"military-{code}").type == "State forces"
        assert kb.get(f"police-{code}").name.startswith("Police Forces of")
    assert kb.get("military-us").name == "Military Forces of the United States"
    assert kb.get("military-pk").name == "Military Forces of Pakistan"


def test_kb_links_point_to_actors_and_names_are_not_claimed_twice(kb: ActorKB) -> None:
    for entry in kb.all():
        for link, targets in entry.links.items():
            assert link in LINK_TYPES
            for target in targets:
                assert kb.get(target) is not None, (entry.actor_id, link, target)
    assert kb.ambiguous_names() == {}  # names two actors share must be listed as shared_aliases
    assert kb.get("jamaat-ul-ahrar").links["offshoot_of"] == ("ttp",)
    assert kb.get("iswap").links["pledged_allegiance_to"] == ("islamic-state",)
    assert kb.get("fpl").links["faction_of"] == ("fmln",)
    actor = kb.actor("jamaat-ul-ahrar")
    assert actor is not None and {r.type for r in actor.relations} >= {"offshoot_of"}
    assert "JuA" in actor.aliases


def test_default_kb_is_loaded_once(kb: ActorKB) -> None:
    assert ActorKB.load() is kb


# ------------------------------------------------------------------ resolution
@pytest.mark.parametrize("mention", [
    "TTP", "Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan", "Tehreek-e-Taliban", "Pakistani Taliban",
    "tehrik i taliban pakistan", "TEHRIK-I-TALIBAN PAKISTAN", "the TTP's", "TTP militants", "Members of the TTP",
])
def test_ttp_aliases_resolve_to_one_actor(kb: ActorKB, mention: str) -> None:
    assert _id(kb, mention) == "ttp"


def test_accents_hyphens_and_spacing_do_not_matter(kb: ActorKB) -> None:
    assert _id(kb, "al Qaeda") == _id(kb, "Al-Qaida") == _id(kb, "alQaeda") == "al-qaeda"
    assert _id(kb, "Frente Farabundo Martí para la Liberación Nacional") == "fmln"
    assert _id(kb, "farabundo marti national liberation front") == "fmln"
    assert _id(kb, "Hay'at Tahrir al-Sham") == _id(kb, "Hayat Tahrir al Sham") == "hayat-tahrir-al-sham"


def test_acronyms_that_are_words_need_their_case(kb: ActorKB) -> None:
    assert _id(kb, "IS") == "islamic-state"
    assert kb.resolve("is") is None
    assert _id(kb, "SHINING PATH") == "shining-path"


def test_the_two_taliban_stay_apart(kb: ActorKB) -> None:
    assert _id(kb, "Afghan Taliban") == "taliban-afghanistan"
    assert _id(kb, "Islamic Emirate of Afghanistan") == "taliban-afghanistan"
    assert _id(kb, "Pakistani Taliban") == "ttp"
    bare = kb.resolve("Taliban")
    assert bare is not None and bare.uncertain and set(bare.candidates) == {"taliban-afghanistan", "ttp"}


def test_bare_taliban_resolved_by_context(kb: ActorKB) -> None:
    pk = kb.resolve("Taliban", context=ActorContext(countries=("PK",), date="2014-12-16"))
    assert pk.actor_id == "ttp" and not pk.uncertain
    af = kb.resolve("the Taliban", context=ActorContext(countries=("AF",)))
    assert af.actor_id == "taliban-afghanistan" and not af.uncertain
    # the TTP was founded in 2007: a 2001 mention cannot be it
    assert _id(kb, "Taliban", context=ActorContext(countries=("PK",), date="2001-10-08")) == "taliban-afghanistan"
    # co-mentioned actors and places
    assert _id(kb, "Taliban", context=ActorContext(actor_ids=("jamaat-ul-ahrar",))) == "ttp"
    assert _id(kb, "Taliban", context=ActorContext(places=("Kandahar", "Helmand"))) == "taliban-afghanistan"


def test_context_read_from_an_article(kb: ActorKB) -> None:
    text = ("PESHAWAR, Pakistan -- Gunmen stormed a school in Peshawar on Tuesday. The Taliban said the attack "
            "was revenge for a Pakistani army offensive in North Waziristan.")
    context = ActorContext.from_text(text, kb, date="2014-12-16")
    assert context.countries[0] == "PK"
    assert "military-pk" in context.actor_ids
    assert _id(kb, "Taliban", context=context) == "ttp"


@pytest.mark.parametrize("mention,expected", [
    ("Pakistan's army", "military-pk"),
    ("Pakistani troops", "military-pk"),
    ("Pakistani soldiers", "military-pk"),
    ("Pakistani security forces", "military-pk"),
    ("Pakistan Army", "military-pk"),
    ("U.S. drone strikes", "military-us"),
    ("US forces", "military-us"),
    ("Turkish drone strikes", "military-tr"),
    ("troops of Mali", "military-ml"),
    ("Nigerian government forces", "military-ng"),
    ("Pakistani police", "police-pk"),
    ("Kenyan riot police", "police-ke"),
    ("Salvadoran army", "military-sv"),
    ("Norwegian troops", "military-no"),  # YAML reads a bare NO as false: the table must not lose Norway
])
def test_possessive_and_demonym_state_forces(kb: ActorKB, mention: str, expected: str) -> None:
    assert _id(kb, mention) == expected


def test_state_force_names_and_bare_force_nouns(kb: ActorKB) -> None:
    assert kb.resolve("U.S. drone strikes").name == "Military Forces of the United States"
    assert kb.resolve("security forces") is None  # no country: no guess
    found = kb.resolve("security forces", context=ActorContext(countries=("PK",)))
    assert found.actor_id == "military-pk" and "country focus" in found.reason
    assert kb.resolve("Gunmen") is None


def test_find_mentions_in_running_text(kb: ActorKB) -> None:
    text = "Tehrik-i-Taliban Pakistan (TTP) and U.S. forces; Pakistan's army said."
    found = {(m.text, m.candidates) for m in kb.find_mentions(text)}
    assert ("Tehrik-i-Taliban Pakistan", ("ttp",)) in found
    assert ("TTP", ("ttp",)) in found
    assert ("U.S. forces", ("military-us",)) in found
    assert ("Pakistan's army", ("military-pk",)) in found


def test_patterns_tag_names_in_any_case(kb: ActorKB) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    patterns = kb.patterns()
    assert all(p["label"] == "ORG" for p in patterns[:50])
    ruler.add_patterns(patterns)
    doc = nlp("Tehrik-i-Taliban Pakistan (TTP) fought Pakistan's army; JAMAAT-UL-AHRAR and the Taliban too. It is late.")
    ents = {(e.text, e.ent_id_) for e in doc.ents}
    assert ("Tehrik-i-Taliban Pakistan", "ttp") in ents
    assert ("TTP", "ttp") in ents
    assert ("Pakistan's army", "military-pk") in ents
    assert ("JAMAAT-UL-AHRAR", "jamaat-ul-ahrar") in ents
    assert ("Taliban", "") in ents  # shared name: tagged, but left to the resolver
    assert not any(e.text == "is" for e in doc.ents)


# ------------------------------------------------------------------ the user's file
def test_user_file_renames_and_adds_aliases(tmp_path: Path, kb: ActorKB) -> None:
    user = tmp_path / "my_actors.yaml"
    user.write_text(
        "actors:\n"
        "- id: ttp\n"
        "  name: Pakistani Taliban Movement\n"
        "  aliases: [Tehreek-e-Taliban-e-Pakistan, Tehrik-e-Taliban]\n"
        "- id: my-local-militia\n"
        "  name: Valley Defence Committee\n"
        "  aliases: [VDC]\n"
        "  type: Identity militia\n"
        "  country: PK\n"
        "  links: {allied_with: [military-pk]}\n", encoding="utf-8")
    mine = ActorKB.load(user_file=user)
    found = mine.resolve("Tehreek-e-Taliban-e-Pakistan")
    assert found.actor_id == "ttp" and found.name == "Pakistani Taliban Movement"
    assert mine.resolve("Tehrik-i-Taliban Pakistan").name == "Pakistani Taliban Movement"  # old name kept
    assert _id(mine, "VDC") == "my-local-militia"
    assert mine.get("my-local-militia").type == "Identity militia"
    assert kb.resolve("TTP").name == "Tehrik-i-Taliban Pakistan"  # the shipped KB is untouched


def test_user_file_wins_a_contested_name(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("actors:\n- id: ttp\n  aliases: [Taliban]\n", encoding="utf-8")
    mine = ActorKB.load(user_file=user)
    found = mine.resolve("Taliban")
    assert found.actor_id == "ttp" and not found.uncertain


def test_bad_user_files_raise_coded_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        ActorKB.load(user_file=tmp_path / "nope.yaml")
    assert missing.value.code == "E101"
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n- name: no id here\n", encoding="utf-8")
    with pytest.raises(InputError) as no_id:
        ActorKB.load(user_file=bad)
    assert no_id.value.code == "E113"
    bad.write_text("actors:\n- id: x\n  name: X\n  type: Space pirates\n", encoding="utf-8")
    with pytest.raises(InputError):
        ActorKB.load(user_file=bad)


# ------------------------------------------------------------------ alias learning
ARTICLE_1 = (
    "ISLAMABAD -- A new militant group calling itself Jamaat-ul-Furqan (JuF) said on Monday it had attacked a "
    "police post in Bannu. The Pakistani Taliban, or Tehrik-i-Taliban Pakistan, denied any role. "
    "Officials said JuF fighters fled towards the mountains. A second outfit, known as Lashkar-e-Zil, "
    "also claimed the raid."
)
ARTICLE_2 = "PESHAWAR -- JuF claimed a bombing in Lakki Marwat on Friday, a week after its first attack."


def test_learn_aliases_finds_definitions(kb: ActorKB) -> None:
    found = {(a.long_name, a.short_name) for a in learn_aliases(ARTICLE_1, kb=kb, article_id="a1")}
    assert ("Jamaat-ul-Furqan", "JuF") in found
    assert ("Tehrik-i-Taliban Pakistan", "Pakistani Taliban") in found
    text = "A group known as Lashkar-e-Zil, also called the Shadow Army, fought. Harkat-e-Noor (HeN) too."
    found = {(a.long_name, a.short_name) for a in learn_aliases(text, kb=kb)}
    assert ("Lashkar-e-Zil", "Shadow Army") in found
    assert ("Harkat-e-Noor", "HeN") in found
    item = learn_aliases("Tehrik-i-Taliban Pakistan (TTP) struck.", kb=kb, article_id="x")[0]
    assert item.span.text == "Tehrik-i-Taliban Pakistan (TTP)" and item.span.start == 0


def test_learn_aliases_in_caseless_text(kb: ActorKB) -> None:
    upper = learn_aliases("THE FARABUNDO MARTI NATIONAL LIBERATION FRONT (FMLN) ATTACKED.", kb=kb)
    assert [(a.long_name, a.short_name) for a in upper] == [("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN")]
    lower = learn_aliases("members of the army of national liberation (eln) fled to the hills (near san jose).",
                          kb=kb)
    assert [(a.long_name, a.short_name) for a in lower] == [("army of national liberation", "eln")]


def test_registry_merges_within_and_across_articles(kb: ActorKB) -> None:
    registry = AliasRegistry(kb)
    merged = dict((a.short_name, actor_id) for a, actor_id in registry.learn(ARTICLE_1, article_id="a1"))
    new_id = merged["JuF"]
    assert new_id == "learned-jamaat-ul-furqan"
    assert merged["Pakistani Taliban"] == "ttp"
    assert registry.resolve("Jamaat-ul-Furqan", article_id="a1").actor_id == new_id
    # across articles: the second report only says "JuF"
    registry.learn(ARTICLE_2, article_id="a2")
    found = registry.resolve("JuF", article_id="a2")
    assert found.actor_id == new_id and "earlier article" in found.reason
    actors = {a.actor_id: a for a in registry.actors()}
    assert "JuF" in actors[new_id].aliases
    assert actors[new_id].evidence and actors[new_id].evidence[0].article_id == "a1"
    assert registry.kb.resolve("JuF") is None  # the KB itself is not modified
    extended = kb.with_entries(registry.entries())
    assert _id(extended, "JuF") == new_id


def test_registry_binds_a_shared_name_only_in_its_article(kb: ActorKB) -> None:
    registry = AliasRegistry(kb)
    registry.learn("The Taliban, or Tehrik-i-Taliban Pakistan, claimed the attack.", article_id="p1")
    assert registry.resolve("Taliban", article_id="p1").actor_id == "ttp"
    elsewhere = registry.resolve("Taliban", article_id="other")
    assert elsewhere.uncertain  # still decided by each article's context


def test_registry_never_takes_a_name_from_the_users_file(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("actors:\n- id: my-group\n  name: Valley Front\n  aliases: [VF]\n  type: Rebel group\n",
                    encoding="utf-8")
    registry = AliasRegistry(ActorKB.load(user_file=user))
    registry.learn("The Jamaat-ul-Furqan, also known as VF, struck.", article_id="z")
    assert registry.resolve("VF", article_id="z").actor_id == "my-group"
    assert registry.resolve("VF").actor_id == "my-group"
    assert any(c.existing_id == "my-group" for c in registry.conflicts)  # recorded, not silently applied
    assert registry.resolve("Jamaat-ul-Furqan", article_id="z") is None


def test_registry_records_conflicts_instead_of_merging(kb: ActorKB) -> None:
    registry = AliasRegistry(kb)
    registry.learn("Hamas, also known as Hezbollah, said so.", article_id="c1")
    assert registry.conflicts and registry.resolve("Hamas").actor_id == "hamas"
    assert registry.resolve("Hezbollah").actor_id == "hezbollah"


# ------------------------------------------------------------------ relations
@pytest.mark.parametrize("sentence,subject,rel,obj", [
    ("Jamaat-ul-Ahrar, a breakaway faction of the Pakistani Taliban, said it carried out the attack.",
     "jamaat-ul-ahrar", "splinter_of", "ttp"),
    ("Hizbul Ahrar, an offshoot of Jamaat-ul-Ahrar, emerged last year.", "hizbul-ahrar", "offshoot_of",
     "jamaat-ul-ahrar"),
    ("The Lashkar-e-Zil split from the Haqqani Network in 2016.", None, "splinter_of", "haqqani-network"),
    ("The Qassam Brigades, the armed wing of Hamas, fired rockets.", "qassam-brigades", "faction_of", "hamas"),
    ("The Houthis, allied with Iran's Revolutionary Guards, attacked ships.", "houthis", "allied_with", "irgc"),
    ("The Tigray Defense Forces fought in alliance with the Oromo Liberation Army.", "tigray-defense-forces",
     "allied_with", "ola"),
    ("Hamas, a rival of Fatah, controls the strip.", "hamas", "rival_of", "fatah"),
    ("The rival groups ISWAP and Boko Haram clashed near the lake.", "iswap", "rival_of", "boko-haram"),
    ("Boko Haram, which operates in Borno, pledged allegiance to the Islamic State in March 2015.",
     "boko-haram", "pledged_allegiance_to", "islamic-state"),
    ("Abu Sayyaf swore allegiance to the Islamic State.", "abu-sayyaf", "pledged_allegiance_to", "islamic-state"),
    ("Jamaat-ul-Ahrar merged with the TTP in August 2020.", "jamaat-ul-ahrar", "merged_into", "ttp"),
])
def test_relation_types(kb: ActorKB, sentence: str, subject: str | None, rel: str, obj: str) -> None:
    found = extract_relations(sentence, kb=kb, article_id="r")
    hits = [r for r in found if r.type == rel and r.object.actor_id == obj]
    assert hits, found
    assert hits[0].subject.actor_id == subject
    span = hits[0].span
    assert sentence[span.start:span.end] == span.text and span.article_id == "r"
    relation = hits[0].to_relation()
    assert relation.type == rel and relation.actor_id == obj and relation.evidence == [span]


def test_merged_to_form_gives_every_member(kb: ActorKB) -> None:
    found = extract_relations("Ansar Dine, Al-Mourabitoun and Katiba Macina merged to form JNIM in 2017.",
                              kb=kb, article_id="m")
    members = {r.subject.actor_id for r in found if r.type == "merged_into" and r.object.actor_id == "jnim"}
    assert members == {"ansar-dine", "al-mourabitoun", "katiba-macina"}


@pytest.mark.parametrize("sentence,person,date", [
    ("Hakimullah Mehsud, the leader of the TTP, was killed in a drone strike in November 2013.",
     "Hakimullah Mehsud", "2013-11"),
    ("TTP chief Mullah Fazlullah was killed in June 2018.", "Mullah Fazlullah", "2018-06"),
    ("The TTP's leader Noor Wali Mehsud appeared in a video.", "Noor Wali Mehsud", None),
    ("Mullah Fazlullah became leader of the TTP in November 2013.", "Mullah Fazlullah", "2013-11"),
])
def test_leader_of_person_to_group(kb: ActorKB, sentence: str, person: str, date: str | None) -> None:
    found = [r for r in extract_relations(sentence, kb=kb, article_id="l") if r.type == "leader_of"]
    assert len(found) == 1
    assert found[0].subject.name == person and found[0].subject.actor_id is None
    assert found[0].object.actor_id == "ttp" and found[0].date == date


def test_relations_use_names_the_article_defined(kb: ActorKB) -> None:
    registry = AliasRegistry(kb)
    text = "Jamaat-ul-Furqan (JuF) emerged this year. JuF, an offshoot of the TTP, is small."
    registry.learn(text, article_id="d")
    found = extract_relations(text, kb=kb, article_id="d", registry=registry)
    assert any(r.subject.actor_id == "learned-jamaat-ul-furqan" and r.type == "offshoot_of" for r in found)


def test_no_relation_without_a_cue(kb: ActorKB) -> None:
    assert extract_relations("Hamas and Fatah met in Cairo on Monday.", kb=kb, article_id="n") == []


# ------------------------------------------------------------------ aims
def test_aim_sentences(kb: ActorKB) -> None:
    text = ("The TTP seeks to overthrow the government in Islamabad. It is hot in Peshawar. "
            "Tehrik-i-Taliban Pakistan was formed in 2007. The group wants to establish its own rule. "
            "Hamas aims to end the blockade. Police arrested two men.")
    names = kb.get("ttp").names()
    found = [s.text for s in aim_sentences(text, names, article_id="t")]
    assert found == ["The TTP seeks to overthrow the government in Islamabad.",
                     "The group wants to establish its own rule."]
    span = aim_sentences(text, names, article_id="t")[0]
    assert text[span.start:span.end] == span.text


# ------------------------------------------------------------------ evaluation
def test_alias_eval_on_a_small_file(tmp_path: Path) -> None:
    def doc(docid: str, *entities: list[str]) -> dict:
        fillers = [{"strings": names} for names in entities]
        return {"docid": docid, "text": "", "templates": [{"slots": {"perp_organization_id": fillers}}]}

    path = tmp_path / "dev.jsonl"
    rows = [doc("D1", ["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]),
            doc("D2", ["FMLN"], ["SHINING PATH"], ["\"SOME UNKNOWN GROUP\""])]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    scores = run_alias_eval(path)
    assert scores["strings"] == 4 and scores["gold_clusters"] == 3
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0
    assert "pairwise" in format_alias_scores(scores)


@pytest.mark.shared
@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/data/muc4")
def test_alias_eval_on_muc4_dev_runs() -> None:
    scores = run_alias_eval(DEV)
    assert scores["strings"] > 0 and 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["recall"] <= 1.0
    assert alias_key("FMLN") == "fmln"
