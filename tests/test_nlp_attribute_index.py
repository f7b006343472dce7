"""The indexed attribute-ruler match step finds exactly what spaCy's Matcher finds, so annotation is unchanged.

``load_nlp`` gives the model's attribute ruler ``IndexedRulerMatch`` (it is ~14% of annotation time otherwise).
These tests compare it with spaCy's own match step on texts that reach the ruler's one- and two-token
patterns (contractions, "gonna", expletive "there", pronoun objects, runs of spaces), and check that patterns
the index cannot reproduce leave spaCy's Matcher in place.
"""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from conflictlens.nlp import IndexedRulerMatch, annotate, index_attribute_ruler

TEXTS = [
    "There is a reason why gunmen attacked the post. There were 12 people killed, police said.",
    "I gave it to you and you gave it to me. We're gonna go, y'all. Nothin' ain't easy; let's do it.",
    "He doesn't have it, she didn't do it and they've got to go. Gotta run. C'mon, it's late.",
    "Hundreds  of   traders protested in Kano on Monday.\n\nPolice fired tear gas.  \n  That was all.",
    "GUNMEN KILLED 7 PEOPLE IN PESHAWAR ON TUESDAY, OFFICIALS SAID.",
    "Whether or not the army gets there, the rebels got away; that which remains is theirs.",
]
COMPARED = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def ruler_of(nlp) -> AttributeRuler:
    return next(c for _, c in nlp.pipeline if isinstance(c, AttributeRuler))


def test_load_nlp_indexes_the_models_attribute_ruler(nlp):
    assert isinstance(vars(ruler_of(nlp)).get("match"), IndexedRulerMatch)


def test_indexed_matches_equal_spacys_matches(nlp):
    ruler = ruler_of(nlp)
    indexed = IndexedRulerMatch(ruler)
    before_ruler = nlp.pipe_names[: nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before_ruler):
        docs = list(annotate(TEXTS, nlp))
    total = 0
    for doc in docs:
        expected = AttributeRuler.match(ruler, doc)  # spaCy's own match step
        assert indexed(doc) == expected
        total += len(expected)
    assert total > sum(len(d) for d in docs)  # most tokens get a tag-map rule, some more than one


def test_annotation_is_the_same_with_and_without_the_index(nlp):
    ruler = ruler_of(nlp)
    fast = list(annotate(TEXTS, nlp))
    indexed = vars(ruler).pop("match")
    try:
        plain = list(annotate(TEXTS, nlp))
    finally:
        ruler.match = indexed
    for a, b in zip(fast, plain):
        assert np.array_equal(a.to_array(COMPARED), b.to_array(COMPARED))
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]


def blank_with_ruler(patterns: list[dict]) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


def test_patterns_the_index_cannot_reproduce_keep_spacys_matcher():
    nlp = blank_with_ruler([{"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]],
                             "attrs": {"LEMMA": "large"}, "index": -1}])
    assert index_attribute_ruler(nlp) is False
    assert "match" not in vars(nlp.get_pipe("attribute_ruler"))
    assert [t.lemma_ for t in nlp("a very very big dog")][3] == "large"


@pytest.mark.parametrize("text", ["The Gun went off", "gun GUN gun", "x y z"])
def test_a_blank_pipeline_gives_the_same_annotation_and_rules_added_later_still_apply(text):
    patterns = [
        {"patterns": [[{"LOWER": "gun"}]], "attrs": {"LEMMA": "weapon"}},
        {"patterns": [[{"ORTH": {"IN": ["went", "GUN"]}}, {"IS_SPACE": False}]], "attrs": {"NORM": "w"}},
        {"patterns": [[{"LOWER": {"REGEX": "^[xz]$"}}]], "attrs": {"LEMMA": "letter"}, "index": 0},
    ]
    plain, fast = blank_with_ruler(patterns), blank_with_ruler(patterns)
    assert index_attribute_ruler(fast) is True
    for extra in ([], [{"patterns": [[{"LOWER": "off"}]], "attrs": {"LEMMA": "away"}}]):
        for nlp in (plain, fast):
            nlp.get_pipe("attribute_ruler").add_patterns(extra)
        a, b = plain(text), fast(text)
        assert [(t.lemma_, t.norm_) for t in a] == [(t.lemma_, t.norm_) for t in b]


def test_mixed_case_initials_match_only_as_written(nlp):
    """"LeT" is Lashkar-e-Taiba; "let" and "LET" are a word ("Police let the crowd pass", all-caps copy)."""
    from conflictlens.nlp import annotate

    def orgs(text: str) -> list[str]:
        return [e.ent_id_ for e in next(annotate([text], nlp)).ents if e.label_ == "ORG"]

    assert orgs("LeT militants attacked a hotel in Mumbai.") == ["Lashkar-e-Taiba"]
    assert orgs("Police let the crowd pass in Lahore.") == []
    assert orgs("LET US NOT FORGET THE VICTIMS OF THE BOMBING IN LIMA.") == []
    assert orgs("FMLN GUERRILLAS ATTACKED A POST IN USULUTAN.") == ["Farabundo Marti National Liberation Front"]
