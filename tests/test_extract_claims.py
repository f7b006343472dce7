"""Claims of responsibility and denials, with their quotes."""

from __future__ import annotations

from test_extract_support import one


def test_claimed_responsibility(nlp):
    m = one(nlp, "Gunmen stormed a hotel in Kabul on Tuesday, killing 20 people. "
                 "The Taliban claimed responsibility for the attack.")
    assert [(c.name, c.denial) for c in m.claims] == [("Taliban", False)]
    assert "claimed responsibility" in m.claims[0].quote
    assert "Taliban" in [p.name for p in m.perpetrators]


def test_said_it_carried_out(nlp):
    m = one(nlp, "In a statement, the Islamic State said its fighters carried out the attack on the hotel in Kabul.")
    assert [c.name for c in m.claims] == ["Islamic State"]


def test_said_they_were_responsible(nlp):
    m = one(nlp, "A bomb exploded on a plane over Bogota on Monday, killing 107 people. In a call to a radio station, "
                 "the Extraditables said they were responsible for the action.")
    assert [c.name for c in m.claims if not c.denial] == ["The Extraditables"]


def test_said_it_with_quote(nlp):
    m = one(nlp, 'A bomb exploded at a police station in Quetta on Friday. Lashkar-e-Jhangvi said it carried out '
                 'the bombing. "We will continue," the group said.')
    assert m.claims and m.claims[0].name == "Lashkar-e-Jhangvi"


def test_denial(nlp):
    m = one(nlp, "A bomb tore through a bus in Kabul on Monday, killing six. The Taliban denied involvement.")
    assert [(c.name, c.denial) for c in m.claims] == [("Taliban", True)]
    assert m.perpetrators == []


def test_no_group_claimed(nlp):
    m = one(nlp, "A roadside bomb hit a convoy in Helmand on Monday, killing three soldiers. "
                 "No group has claimed responsibility.")
    assert m.claims == []
