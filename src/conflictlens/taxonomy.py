"""Controlled vocabularies (ACLED event types, GTD attack/target/weapon types) and how incident kinds map to them.

The extractor first decides an incident *kind* from its trigger words ("bombing", "armed", "kidnap", ...);
``classify`` turns a kind plus a little context (suicide, aimed at soldiers, protest met by force) into the
ACLED event/sub-event type and GTD attack types of the export contract in DESIGN.md.
"""

from __future__ import annotations

ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
        "Looting/property destruction", "Non-violent transfer of territory", "Other",
    ),
}

GTD_ATTACK_TYPES = (
    "Assassination", "Armed Assault", "Bombing/Explosion", "Hijacking", "Hostage Taking (Barricade Incident)",
    "Hostage Taking (Kidnapping)", "Facility/Infrastructure Attack", "Unarmed Assault", "Unknown",
)

GTD_TARGET_TYPES = (
    "Business", "Government (General)", "Police", "Military", "Abortion Related", "Airports & Aircraft",
    "Government (Diplomatic)", "Educational Institution", "Food or Water Supply", "Journalists & Media",
    "Maritime", "NGO", "Other", "Private Citizens & Property", "Religious Figures/Institutions", "Telecommunication",
    "Terrorists/Non-State Militia", "Tourists", "Transportation", "Unknown", "Utilities", "Violent Political Party",
)

GTD_WEAPON_TYPES = (
    "Biological", "Chemical", "Radiological", "Nuclear", "Firearms", "Explosives", "Fake Weapons", "Incendiary",
    "Melee", "Vehicle", "Sabotage Equipment", "Other", "Unknown",
)

# kind -> (ACLED event type, ACLED sub-event type, GTD attack types); refined by ``classify``.
KIND_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "attack": ("Violence against civilians", "Attack", ("Armed Assault",)),
    "armed": ("Violence against civilians", "Attack", ("Armed Assault",)),
    "killing": ("Violence against civilians", "Attack", ("Armed Assault",)),
    "assassination": ("Violence against civilians", "Attack", ("Assassination",)),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED", ("Bombing/Explosion",)),
    "suicide": ("Explosions/Remote violence", "Suicide bomb", ("Bombing/Explosion",)),
    "grenade": ("Explosions/Remote violence", "Grenade", ("Bombing/Explosion",)),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike", ("Bombing/Explosion",)),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack", ("Bombing/Explosion",)),
    "clash": ("Battles", "Armed clash", ("Armed Assault",)),
    "kidnap": ("Violence against civilians", "Abduction/forced disappearance", ("Hostage Taking (Kidnapping)",)),
    "siege": ("Violence against civilians", "Attack", ("Armed Assault",)),
    "hijack": ("Violence against civilians", "Attack", ("Hijacking",)),
    "arson": ("Strategic developments", "Looting/property destruction", ("Facility/Infrastructure Attack",)),
    "protest": ("Protests", "Peaceful protest", ()),
    "riot": ("Riots", "Violent demonstration", ()),
    "arrest": ("Strategic developments", "Arrests", ()),
}

# Which kinds describe political violence that can share one incident (a storming that ends in a blast).
VIOLENT_KINDS = frozenset(KIND_TYPES) - {"protest", "riot", "arrest"}

# Target types that make an armed attack a battle (armed forces on the receiving end) in ACLED's terms.
ARMED_TARGET_TYPES = frozenset({"Military", "Police", "Terrorists/Non-State Militia"})


def classify(
    kind: str,
    *,
    target_types: set[str] | frozenset[str] = frozenset(),
    intervention: bool = False,
    status: str = "occurred",
    also: tuple[str, ...] = (),
) -> tuple[str, str, list[str]]:
    """ACLED event type, sub-event type and GTD attack types for an incident of ``kind`` in its context.

    An armed attack on soldiers or police is an ACLED "Battles / Armed clash" (two armed sides); protests met
    by police or soldiers are "Protest with intervention"; a bomb plot that was foiled is "Strategic
    developments / Disrupted weapons use". ``also`` lists other kinds seen in the same incident (a car bomb
    followed by a gun battle), whose GTD attack types are added.
    """
    event_type, sub_type, attack = KIND_TYPES.get(kind, KIND_TYPES["attack"])
    attack_types = list(attack)
    if kind in {"attack", "armed"} and target_types and target_types <= ARMED_TARGET_TYPES:
        event_type, sub_type = "Battles", "Armed clash"
    if kind == "protest" and intervention:
        sub_type = "Protest with intervention"
    if status == "foiled" and event_type == "Explosions/Remote violence":
        event_type, sub_type = "Strategic developments", "Disrupted weapons use"
    if kind in VIOLENT_KINDS:
        for other in also:
            if other in VIOLENT_KINDS and other not in {"arson", "killing", "attack"}:
                for extra in KIND_TYPES[other][2]:
                    if extra not in attack_types:
                        attack_types.append(extra)
    return event_type, sub_type, attack_types


def family(kind: str) -> str:
    """Which incidents a kind may share: violent kinds together; protests, riots and arrests each apart."""
    return kind if kind in {"protest", "riot", "arrest"} else "violent"


# Most telling first: the kind an incident gets when its triggers disagree within one family.
KIND_RANK: dict[str, int] = {
    "suicide": 9, "airstrike": 8, "kidnap": 8, "hijack": 8, "assassination": 7, "shelling": 7, "grenade": 6,
    "bombing": 5, "siege": 4, "armed": 4, "arson": 3, "clash": 3, "riot": 3, "protest": 3, "arrest": 3,
    "attack": 1, "killing": 0,
}
