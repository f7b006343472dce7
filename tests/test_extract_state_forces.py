"""State forces as perpetrators: possessives, demonyms and country-modified strike nouns resolve to the state's
military through the actor knowledge base (end to end through the notebook API)."""

import pytest

import conflictlens as cl

CASES = [
    ("A U.S. drone strike killed four suspected militants in North Waziristan on Monday, officials said.",
     "military-us", "U.S. drone"),
    ("Pakistani troops clashed with Taliban fighters near Miranshah on Sunday, the army said.",
     "military-pk", "Pakistani troops"),
    ("Pakistan's army launched airstrikes on militant hideouts in the Tirah valley on Tuesday, killing 20 fighters.",
     "military-pk", "Pakistan's army"),
    ("Nigerian soldiers opened fire on a crowd in Lagos on Tuesday, killing three people.",
     "military-ng", "Nigerian soldiers"),
]


@pytest.mark.parametrize("text,actor_id,mention", CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_state_forces_perpetrator(text, actor_id, mention):
    events = cl.extract(text, published="2016-05-10")
    perps = [(p.actor_id, p.mention) for e in events for p in e.perpetrators]
    assert (actor_id, mention) in perps, perps


def test_state_forces_as_victims_are_not_perpetrators():
    events = cl.extract("Gunmen attacked Pakistani soldiers in Quetta on Monday, killing two.", published="2016-05-10")
    assert events
    assert all(p.actor_id != "military-pk" for e in events for p in e.perpetrators)
