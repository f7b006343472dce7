"""Actors wired into the product (issue 5): the pipeline's actor stage, the actors tables, profiles, CLI.

Short reports written for these tests go through the real pipeline (``run_ingest``) into a SQLite file;
the assertions are about what the actor layer makes of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from conflictlens.cli import main
from conflictlens.model import ActorRef, Article, EventMention
from conflictlens.pipeline import Pipeline, run_ingest
from conflictlens.resolve.actor_stage import load_kb, resolve_actors
from conflictlens.store import Store, schema

REPORTS = [
    {"id": "jua-peshawar", "published": "2016-03-28", "title": "Market bombing in Peshawar",
     "text": "PESHAWAR, Pakistan - Jamaat-ul-Ahrar, a breakaway faction of Tehrik-i-Taliban Pakistan (TTP), claimed "
             "responsibility for a suicide bombing that killed 12 people at a market in Peshawar on Sunday. The group "
             "seeks to impose its version of Islamic law across Pakistan. TTP chief Hakimullah Mehsud said in 2013 "
             "that talks with the government were over."},
    {"id": "ttp-bannu", "published": "2016-04-10", "title": "Checkpoint attack in Bannu",
     "text": "BANNU, Pakistan - Militants of the Pakistani Taliban attacked a police checkpoint in Bannu on Saturday, "
             "killing five policemen, officials said. The TTP said it carried out the attack."},
    {"id": "ttp-waziristan", "published": "2016-05-02", "title": "Soldiers attacked in North Waziristan",
     "text": "MIRANSHAH, Pakistan - Taliban militants attacked Pakistan's army in North Waziristan on Monday, killing "
             "six soldiers, officials said."},
    {"id": "taliban-helmand", "published": "2016-06-01", "title": "Checkpoint attack in Helmand",
     "text": "KABUL, Afghanistan - Taliban fighters attacked a checkpoint in Helmand province on Tuesday, killing "
             "seven Afghan soldiers, officials in Kabul said."},
    {"id": "len-defined", "published": "2016-07-08", "title": "A new group",
     "text": "QUETTA, Pakistan - Lashkar-e-Noor (LeN) claimed responsibility for a bomb attack on a bus in Quetta on "
             "Friday that killed four passengers. LeN is a splinter group of Lashkar-e-Jhangvi."},
    {"id": "len-quetta", "published": "2016-07-20", "title": "Police station attacked in Quetta",
     "text": "QUETTA, Pakistan - LeN militants attacked a police station in Quetta on Tuesday, killing two "
             "policemen, officials said."},
]


def _write_jsonl(path: Path, reports: list[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ingested(request, tmp_path_factory) -> tuple[str, str]:
    """(database URL, input file): the reports above, ingested once with the shipped KB, into SQLite and
    (when a server is configured) PostgreSQL."""
    root = tmp_path_factory.mktemp("actors")
    url = f"sqlite:///{root / 'actors.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url_module")
    path = _write_jsonl(root / "reports.jsonl", REPORTS)
    with Store.open(url) as store:
        report = run_ingest(store, [path], pipeline=Pipeline(kb=load_kb(None)))
    assert report.ingested == len(REPORTS) and report.failed == 0
    return url, path


@pytest.fixture()
def store(ingested):
    with Store.open(ingested[0]) as s:
        yield s


def _perpetrators(store: Store, source_id: str) -> list[ActorRef]:
    (article_id,) = [a for a in _article_ids(store) if store.get_article(a).source_id == source_id]
    return [p for m in store.mentions_for_article(article_id) for p in m.perpetrators]


def _article_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(schema.articles.c.article_id)).scalars())


# ------------------------------------------------------------------ resolution through the pipeline
def test_one_actor_across_articles_and_its_names_merge(store):
    bannu = _perpetrators(store, "ttp-bannu")
    waziristan = _perpetrators(store, "ttp-waziristan")
    assert [(p.actor_id, p.mention) for p in bannu] == [("ttp", "Pakistani Taliban")]
    assert [(p.actor_id, p.mention) for p in waziristan] == [("ttp", "Taliban")]  # bare name, Pakistani context
    assert {p.name for p in bannu + waziristan} == {"Tehrik-i-Taliban Pakistan"}
    (bannu_mention,) = store.mentions_for_article(next(a for a in _article_ids(store)
                                                       if store.get_article(a).source_id == "ttp-bannu"))
    assert [(c.actor_id, c.mention) for c in bannu_mention.claims] == [("ttp", "TTP")]
    why = bannu_mention.reasons["perpetrators"]
    assert why.startswith("rule:") and "; actor: 'Pakistani Taliban' -> Tehrik-i-Taliban Pakistan" in why
    (ttp,) = store.list_actors(name="Tehrik-i-Taliban")
    assert ttp.actor_id == "ttp" and ttp.type == "Rebel group" and ttp.country == "PK"
    assert {"TTP", "Pakistani Taliban", "Tehreek-e-Taliban Pakistan"} <= set(ttp.aliases)


def test_a_name_defined_in_one_article_resolves_in_a_later_one(store):
    (later,) = _perpetrators(store, "len-quetta")
    assert later.actor_id == "learned-lashkar-e-noor" and later.name == "Lashkar-e-Noor" and later.mention == "LeN"
    profile = store.actor_profile("LeN")
    assert profile is not None and profile["actor_id"] == "learned-lashkar-e-noor"
    assert "LeN" in profile["aliases"]
    (definition,) = profile["evidence"]
    assert definition["text"] == "Lashkar-e-Noor (LeN)"
    (splinter,) = [r for r in profile["relations"] if r["type"] == "splinter_of"]
    assert splinter["actor_id"] == "lashkar-e-jhangvi"


def test_afghan_and_pakistani_taliban_stay_apart(store):
    (helmand,) = _perpetrators(store, "taliban-helmand")
    assert (helmand.actor_id, helmand.mention, helmand.name) == ("taliban-afghanistan", "Taliban", "Afghan Taliban")
    ids = {a.actor_id: a for a in store.list_actors()}
    assert ids["taliban-afghanistan"].event_count == 1 and ids["ttp"].event_count == 2
    assert ids["taliban-afghanistan"].country == "AF"


def test_possessive_state_forces_resolve(store):
    (article_id,) = [a for a in _article_ids(store) if store.get_article(a).source_id == "ttp-waziristan"]
    (mention,) = store.mentions_for_article(article_id)
    assert [(t.mention, t.actor_id, t.name) for t in mention.targets] == [
        ("Pakistan's army", "military-pk", "Military Forces of Pakistan")]
    assert "actor: 'Pakistan's army' -> Military Forces of Pakistan" in mention.reasons["targets"]


def test_actor_stage_on_a_mention_keeps_the_extractors_reason():
    kb = load_kb(None)
    text = "Pakistani troops and U.S. drone strikes hit militants in North Waziristan, Pakistan."
    article = Article(article_id="a-state", text=text, published="2015-01-02")
    mention = EventMention(mention_id="m1", article_id="a-state", perpetrators=[
        ActorRef(name="Pakistan's army", mention="Pakistan's army"),
        ActorRef(name="Pakistani troops", mention="Pakistani troops"),
        ActorRef(name="U.S. drone strikes", mention="U.S. drone strikes"),
    ], reasons={"perpetrators": "rule:perp:subject"})
    (out,) = resolve_actors([mention], article, None, kb=kb)
    assert [(p.actor_id, p.name) for p in out.perpetrators] == [
        ("military-pk", "Military Forces of Pakistan"), ("military-us", "Military Forces of the United States")]
    assert out.reasons["perpetrators"].startswith("rule:perp:subject; actor: 'Pakistan's army' -> ")
    assert "'Pakistani troops' -> Military Forces of Pakistan again (merged)" in out.reasons["perpetrators"]


# ------------------------------------------------------------------ relations, aims and the profile
def test_relation_evidence_is_a_slice_of_the_article(store):
    profile = store.actor_profile("jamaat-ul-ahrar")
    (stated,) = [r for r in profile["relations"] if r["evidence"]]
    assert (stated["type"], stated["actor_id"]) == ("splinter_of", "ttp")
    (span,) = stated["evidence"]
    article = store.get_article(span["article_id"])
    assert span["text"] == article.text[span["start"]:span["end"]]
    assert span["text"] == "Jamaat-ul-Ahrar, a breakaway faction of Tehrik-i-Taliban Pakistan"
    # the KB's own links come too (without evidence)
    assert ("offshoot_of", "ttp") in {(r["type"], r["actor_id"]) for r in profile["relations"]}
    assert any("seeks to impose its version of Islamic law" in a["text"] for a in profile["aims"])


def test_profile_of_an_actor_with_several_events(store):
    profile = store.actor_profile("Pakistani Taliban")  # an alias finds the actor
    assert profile["actor_id"] == "ttp" and profile["name"] == "Tehrik-i-Taliban Pakistan"
    assert profile["event_count"] == 2
    assert (profile["first_event"], profile["last_event"]) == ("2016-04-09", "2016-05-02")
    assert profile["killed_total"] == {"best": 11, "low": 11, "high": 11}
    assert [e["date"] for e in profile["events"]] == ["2016-04-09", "2016-05-02"]
    assert sum(profile["event_types"].values()) == 2
    assert {p["name"] for p in profile["places"]} >= {"Bannu"}
    (leader,) = profile["leaders"]
    assert leader["name"] == "Hakimullah Mehsud" and leader["dates"] == ["2013"]
    assert leader["evidence"][0]["text"] == "TTP chief Hakimullah Mehsud"
    assert ("splinter_of", "jamaat-ul-ahrar") in {(r["type"], r["actor_id"]) for r in profile["related"]}
    assert store.actor_profile("no such group anywhere") is None


def test_reingest_adds_nothing(ingested):
    url, path = ingested
    tables = (schema.actors, schema.actor_aliases, schema.actor_relations, schema.actor_aims)

    def counts(store: Store) -> list[int]:
        with store.engine.connect() as conn:
            return [conn.execute(select(func.count()).select_from(t)).scalar() for t in tables]

    with Store.open(url) as store:
        before = counts(store)
        report = run_ingest(store, [path], pipeline=Pipeline(kb=load_kb(None)))
        assert report.ingested == 0 and report.duplicates == len(REPORTS)
        assert counts(store) == before and min(before) > 0


def test_a_user_file_renames_an_actor(tmp_path, monkeypatch):
    user = tmp_path / "my-actors.yaml"
    user.write_text("actors:\n  - id: ttp\n    name: Pakistani Taliban Movement\n    aliases: [TTP Central]\n",
                    encoding="utf-8")
    monkeypatch.setenv("CONFLICTLENS_ACTORS_FILE", str(user))
    url = f"sqlite:///{tmp_path / 'user.db'}"
    with Store.open(url) as store:
        run_ingest(store, [_write_jsonl(tmp_path / "r.jsonl", REPORTS[1:2])], pipeline=Pipeline())
        (perp,) = [p for a in _article_ids(store) for m in store.mentions_for_article(a) for p in m.perpetrators]
        assert (perp.actor_id, perp.name) == ("ttp", "Pakistani Taliban Movement")
        profile = store.actor_profile("ttp")
    assert profile["name"] == "Pakistani Taliban Movement"
    assert {"Tehrik-i-Taliban Pakistan", "TTP Central"} <= set(profile["aliases"])
    with Store.open(url) as store, store.engine.connect() as conn:
        al = schema.actor_aliases.c
        source = conn.execute(select(al.source).where(al.actor_id == "ttp", al.alias == "TTP Central")).scalar()
    assert source == "user"


# ------------------------------------------------------------------ the command line
def test_cli_actor_and_actors_json(ingested):
    url = ingested[0]
    runner = CliRunner()
    shown = runner.invoke(main, ["actor", "TTP", "--db", url])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("Tehrik-i-Taliban Pakistan  (ttp)")
    assert "Hakimullah Mehsud (2013)" in shown.output and "2 events" in shown.output
    as_json = runner.invoke(main, ["actor", "ttp", "--db", url, "--format", "json"])
    assert json.loads(as_json.output)["event_count"] == 2
    missing = runner.invoke(main, ["actor", "nobody at all", "--db", url])
    assert missing.exit_code == 3 and "E304" in missing.output
    listed = runner.invoke(main, ["actors", "--format", "json", "--db", url])
    assert listed.exit_code == 0, listed.output
    records = {a["actor_id"]: a for a in json.loads(listed.output)}
    ttp = records["ttp"]
    assert {"actor_id", "name", "type", "country", "aliases", "relations", "event_count", "first_event",
            "last_event", "killed_total", "evidence"} <= set(ttp)
    jua = records["jamaat-ul-ahrar"]
    stated = [r for r in jua["relations"] if r["evidence"]]
    assert stated and set(stated[0]) == {"type", "actor_id", "name", "evidence"}


def test_actor_rows_are_written_in_the_articles_transaction(tmp_path, monkeypatch):
    from conflictlens.resolve.actor_stage import resolve_article_actors
    from conflictlens.store import events as store_events

    text = REPORTS[0]["text"]
    article = Article(article_id="a-tx", text=text, published="2016-03-28")
    found = resolve_article_actors([], article, None, kb=load_kb(None))
    assert found.relations and found.aims and found.actors
    tables = (schema.actors, schema.actor_aliases, schema.actor_relations, schema.actor_aims)
    with Store.open(f"sqlite:///{tmp_path / 'tx.db'}") as store:
        def counts() -> list[int]:
            with store.engine.connect() as conn:
                return [conn.execute(select(func.count()).select_from(t)).scalar() for t in tables]

        def fail(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(store_events, "upsert_events", fail)  # runs after the actor rows
        with pytest.raises(RuntimeError):
            store.write_article(article, [], [], relations=found.relations, aims=found.aims, actors=found.actors)
        assert counts() == [0, 0, 0, 0]
        monkeypatch.undo()
        assert store.write_article(article, [], [], relations=found.relations, aims=found.aims, actors=found.actors)
        assert min(counts()) > 0
        with store.engine.connect() as conn:
            r = schema.actor_relations.c
            rows = conn.execute(select(r.start, r.end, r.text)).all()
        assert all(text[s:e] == t for s, e, t in rows)
