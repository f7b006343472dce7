"""The learned role classifier: candidates and features, the numpy model, the train command, the shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from conflictlens.learn.model import HashedLogReg


def test_candidates_and_features_on_a_sentence(nlp):
    from conflictlens.learn.features import candidates
    from conflictlens.nlp import annotate

    text = "urban guerrillas of the fmln exploded a powerful bomb at the telephone exchange in usulutan yesterday."
    doc = next(annotate([text], nlp))
    cands = candidates(doc)
    texts = {c.text for c in cands}
    assert {"urban guerrillas", "guerrillas", "bomb", "powerful bomb", "telephone exchange"} <= texts
    assert all(text[c.start:c.end].lower() == c.text for c in cands)
    bomb = next(c for c in cands if c.text == "bomb")
    assert "hw=bomb" in bomb.features and "cls=weapon" in bomb.features
    assert any(f.startswith("trig=") for f in bomb.features)
    assert not any(c.text.startswith("the ") for c in cands)  # keys carry no determiners


def _toy():
    rows, labels = [], []
    for k in range(60):
        rows.append(["bias", "hw=bomb", f"noise={k % 7}"])
        labels.append("Weapon")
        rows.append(["bias", "hw=guerrillas", f"noise={k % 5}"])
        labels.append("PerpInd")
        rows.append(["bias", "hw=day", f"noise={k % 3}"])
        labels.append("none")
    return rows, labels


def test_training_separates_classes_and_is_deterministic():
    rows, labels = _toy()
    classes = ["none", "PerpInd", "Weapon"]
    a = HashedLogReg(classes, bits=10).fit(rows, labels, epochs=5, seed=1)
    b = HashedLogReg(classes, bits=10).fit(rows, labels, epochs=5, seed=1)
    p = a.predict_proba([["bias", "hw=bomb"], ["bias", "hw=guerrillas"], ["bias", "hw=day"]])
    assert [classes[i] for i in p.argmax(axis=1)] == ["Weapon", "PerpInd", "none"]
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(a.weights, b.weights)


def test_model_file_round_trips(tmp_path):
    rows, labels = _toy()
    m = HashedLogReg(["none", "PerpInd", "Weapon"], bits=10, meta={"thresholds": {"Weapon": 0.4}})
    m.fit(rows, labels, epochs=2)
    m.save(tmp_path / "m.npz")
    back = HashedLogReg.load(tmp_path / "m.npz")
    assert back.classes == m.classes and back.meta["thresholds"] == {"Weapon": 0.4}
    q = [["bias", "hw=bomb"], ["hw=day"]]
    assert np.allclose(back.predict_proba(q), m.predict_proba(q), atol=1e-2)  # float16 storage


def test_broken_model_file_is_a_resource_error(tmp_path):
    from conflictlens.errors import ResourceError

    with pytest.raises(ResourceError):
        HashedLogReg.load(tmp_path / "missing.npz")


def test_train_command_writes_a_loadable_model(tmp_path, nlp):
    from conflictlens.cli import main

    docs = [
        {"docid": "T-1", "doctext": "terrorists exploded a bomb at the bank in lima. the police said nobody was hurt.",
         "extracts": {"PerpInd": [[["terrorists", 0]]], "PerpOrg": [], "Target": [[["bank", 38]]], "Victim": [],
                      "Weapon": [[["bomb", 24]]]}},
        {"docid": "T-2", "doctext": "the minister met the ambassador in quito to discuss trade.",
         "extracts": {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []}},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train", "muc4", "--train", str(path), "--dev", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    model = HashedLogReg.load(out / "role_np.npz")
    assert set(model.meta["thresholds"]) == {"PerpInd", "PerpOrg", "Target", "Victim", "Weapon"}
    assert model.meta["combine"]


def test_shipped_model_loads_and_fills_roles(nlp):
    from conflictlens.learn.roles import CLASSES, load_role_model, predict_roles
    from conflictlens.nlp import annotate

    model = load_role_model()
    if model is None:
        pytest.skip("no role model shipped")
    assert model.classes == list(CLASSES)
    text = "urban guerrillas exploded a powerful bomb at the telephone exchange in usulutan yesterday."
    fills = predict_roles(next(annotate([text], nlp)), model=model)
    assert all(text[f.start:f.end] == f.text.lower() and 0.0 <= f.p <= 1.0 for f in fills)  # Doc text is truecased


def test_model_fills_carry_reasons_and_no_incident_stays_empty(nlp):
    from conflictlens.extraction import extract_mentions
    from conflictlens.model import Article
    from conflictlens.nlp import annotate

    calm = Article(article_id="a1", text="The minister met the ambassador in Quito on Monday to discuss trade.")
    assert extract_mentions(calm, next(annotate([calm.text], nlp))) == []
    text = "URBAN GUERRILLAS EXPLODED A POWERFUL BOMB AT THE TELEPHONE EXCHANGE IN USULUTAN YESTERDAY."
    art = Article(article_id="a2", text=text)
    (m,) = extract_mentions(art, next(annotate([text], nlp)))
    for field in ("perpetrator_individuals", "targets", "weapons", "victims", "perpetrators"):
        for span in m.evidence.get(field, []):
            assert span.text == text[span.start:span.end]
        if m.evidence.get(field):
            assert m.reasons[field].startswith(("rule:", "model:role-np p="))


def test_candidates_include_the_bare_name_and_drop_a_possessive(nlp):
    from conflictlens.learn.features import candidates
    from conflictlens.nlp import annotate

    text = "gunmen killed presidential candidate bernardo jaramillo ossa in bogota. jaramillo ossa's party mourned."
    texts = {c.text for c in candidates(next(annotate([text], nlp)))}
    assert "bernardo jaramillo ossa" in texts  # the name without its title: how the keys write a victim
    assert not any(t.endswith("'s") for t in texts)


def test_stacked_features_say_what_the_rules_filled(nlp):
    from conflictlens.extraction import extract_mentions
    from conflictlens.learn.features import candidates
    from conflictlens.learn.roles import rule_roles
    from conflictlens.model import Article
    from conflictlens.nlp import annotate

    text = "Gunmen shot dead the journalist Ahmed Khan and two guards at a bank in Peshawar on Monday."
    doc = next(annotate([text], nlp))
    mentions = extract_mentions(Article(article_id="a3", text=text), doc, learned=False)
    roles = rule_roles(mentions)
    by_text = {text[s:e]: r for (s, e), r in roles.items()}
    assert by_text["journalist Ahmed Khan"] == {"Victim"}  # a named victim: the MUC-4 Victim role
    assert by_text["guards"] == {"VictimDesc"}  # unnamed: kept apart
    cands = {c.text: c.features for c in candidates(doc, rule_roles=roles)}
    assert "rulein=Victim" in cands["ahmed khan"]  # inside the rules' span "journalist Ahmed Khan"
    assert "rule=VictimDesc" in cands["guards"]
    assert "norule" in cands["monday"]
    assert not any(f.startswith("rule") for f in candidates(doc)[0].features)  # unstacked: no such features


def test_implied_weapon_is_kept_but_is_no_muc_weapon_string(nlp):
    from conflictlens.eval.muc4 import mention_to_muc_roles
    from conflictlens.extraction import extract_mentions
    from conflictlens.model import Article
    from conflictlens.nlp import annotate

    text = "Gunmen shot dead two traders in Karachi on Tuesday."
    (m,) = extract_mentions(Article(article_id="a4", text=text), next(annotate([text], nlp)))
    assert [(w.type, w.implied) for w in m.weapons] == [("Firearms", True)]  # the model may not veto it
    assert mention_to_muc_roles([m], text=text)["Weapon"] == []  # "shot" names no weapon


def test_one_person_named_twice_is_one_victim(nlp):
    from conflictlens.extraction.learned import _merge_names
    from conflictlens.extraction.spans import Context
    from conflictlens.model import Article, EventMention, Victim
    from conflictlens.nlp import annotate

    text = ("GUNMEN KILLED BERNARDO JARAMILLO OSSA IN BOGOTA. JARAMILLO OSSA HAD RECEIVED THREATS. "
            "THE MURDERED DIPLOMAT JORGE VARGAS WAS BURIED; VARGAS HAD SERVED IN LIMA.")
    article = Article(article_id="a5", text=text)
    ctx = Context(article, next(annotate([text], nlp)))
    m = EventMention(mention_id="m", article_id="a5")
    for name in ("Jaramillo Ossa", "Bernardo Jaramillo Ossa", "murdered diplomat Jorge Vargas", "Jorge Vargas"):
        start = text.lower().index(name.lower())
        m.victims.append(Victim(mention=text[start:start + len(name)], name=text[start:start + len(name)]))
        m.add_evidence("victims", ctx.span(start, start + len(name)))
    _merge_names(ctx, m, "victims")
    names = [v.name.lower() for v in m.victims]
    assert names == ["bernardo jaramillo ossa", "murdered diplomat jorge vargas", "jorge vargas"]
    assert len(m.evidence["victims"]) == 4  # every place the person is named stays as evidence


def test_two_person_entities_side_by_side_are_one_person(nlp):
    from spacy.tokens import Span

    from conflictlens.nlp import join_person_runs

    doc = nlp.make_doc("They buried Jorge Adolfo Vargas Gonzalez in Managua.")
    doc.ents = [Span(doc, 2, 4, label="PERSON"), Span(doc, 4, 6, label="PERSON"), Span(doc, 7, 8, label="GPE")]
    assert [(e.text, e.label_) for e in join_person_runs(doc).ents] == [
        ("Jorge Adolfo Vargas Gonzalez", "PERSON"), ("Managua", "GPE")]
    doc = nlp.make_doc("Carlos, Maria and Jose.")  # separated by punctuation: three people
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 2, 3, label="PERSON"), Span(doc, 4, 5, label="PERSON")]
    assert len(join_person_runs(doc).ents) == 3


def test_a_title_or_nationality_is_not_part_of_a_victims_name(nlp):
    from conflictlens.extraction import extract_mentions
    from conflictlens.learn.features import candidates
    from conflictlens.model import Article
    from conflictlens.nlp import annotate

    text = "Guerrillas kidnapped Spaniard Francisco Puja and Father Ignacio Ellacuria in Medellin on Monday."
    doc = next(annotate([text], nlp))
    (m,) = extract_mentions(Article(article_id="a6", text=text), doc, learned=False)
    names = {v.name for v in m.victims}
    assert "Francisco Puja" in names and not any(n.startswith(("Spaniard", "Father")) for n in names)
    by_variant = {(c.variant, c.text) for c in candidates(doc)}
    assert ("name", "ignacio ellacuria") in by_variant and ("name", "father ignacio ellacuria") not in by_variant


def test_a_candidate_starts_after_a_bracket(nlp):
    from conflictlens.learn.features import candidates
    from conflictlens.nlp import annotate

    text = "AT 0115 THIS MORNING (0415 GMT) INCENDIARY BOMBS WERE HURLED AT A MORMON TEMPLE IN SANTIAGO."
    texts = {c.text for c in candidates(next(annotate([text], nlp)))}
    assert "incendiary bombs" in texts
    assert not any(")" in t or "(" in t for t in texts)


def test_a_bare_head_beside_a_fuller_value_is_one_value():
    from conflictlens.extraction.learned import _merge_heads
    from conflictlens.model import EventMention, Target, Weapon

    m = EventMention(mention_id="m", article_id="a7")
    m.targets = [Target(mention="bus"), Target(mention="the route 302 bus"), Target(mention="bridge")]
    m.weapons = [Weapon(mention="dynamite"), Weapon(mention="dynamite charge")]
    _merge_heads(m, "targets")
    _merge_heads(m, "weapons")
    assert [t.mention for t in m.targets] == ["the route 302 bus", "bridge"]
    assert [w.mention for w in m.weapons] == ["dynamite charge"]


def test_veto_levels_per_role():
    from conflictlens.extraction.learned import veto_levels

    assert set(veto_levels(0.05).values()) == {0.05}
    levels = veto_levels({"Weapon": 0.25, "Target": 0.05})
    assert levels["Weapon"] == 0.25 and levels["Target"] == 0.05 and levels["PerpInd"] == 0.02
