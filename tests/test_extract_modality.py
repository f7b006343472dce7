"""Modality: occurred, attempted, foiled, threatened, planned; negated, hypothetical and generic: no event."""

from __future__ import annotations

import pytest

from test_extract_support import one, run


@pytest.mark.parametrize(
    "text, status",
    [
        ("Militants tried to storm a police station in Quetta on Monday.", "attempted"),
        ("A failed attack on the base in Kandahar left no one hurt.", "attempted"),
        ("Police foiled a plot to bomb a church in Lahore.", "foiled"),
        ("Security forces thwarted an attack on the airport in Karachi.", "foiled"),
        ("Police defused a bomb planted near a mosque in Kabul on Friday.", "foiled"),
        ("The Taliban threatened to attack schools in Kandahar.", "threatened"),
        ("The militants were planning to attack the embassy in Kabul.", "planned"),
        ("Gunmen attacked a bus in Quetta on Monday, killing five passengers.", "occurred"),
    ],
)
def test_status(nlp, text, status):
    assert one(nlp, text).status == status


@pytest.mark.parametrize(
    "text",
    [
        "There was no attack on the base, the army said.",
        "The ministry denied that any strike took place in the village.",
        "The group could attack again if the talks fail.",
        "If the army enters the valley, the rebels would attack.",
        "The group has frequently targeted schools.",
        "Attacks on schools are common in the region.",
        "Armed gangs that raid villages and kidnap people for ransom have killed thousands of people in recent years.",
        "The Pakistani Taliban often attack police in the province.",
        "Blair attacked the Tories' plans for the economy.",
        "Officials warned of more attacks on police.",
    ],
)
def test_not_an_event(nlp, text):
    assert run(nlp, text) == []


def test_no_one_hurt_is_not_negation(nlp):
    m = one(nlp, "A bomb exploded in a market in Kabul on Sunday, but no one was hurt.")
    assert m.status == "occurred"
    assert m.wounded.best == 0
