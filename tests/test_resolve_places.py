"""Place resolution: the gazetteer, the article's country focus, and the precision mappings.

The gazetteer index is built once per machine into the default cache (``$CONFLICTLENS_CACHE`` or
``~/.cache/conflictlens``; about 20 s the first time) and shared by every test here.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

from conflictlens.model import Article, DateRange, EventMention, Place
from conflictlens.resolve import Gazetteer, acled_geo_precision, gtd_specificity, resolve_mentions
from conflictlens.resolve.places import PlaceContext, resolve_place


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@dataclass
class _Ent:
    text: str
    label_: str


@dataclass
class _Doc:
    """The part of a spaCy Doc the resolver reads: its entities."""

    ents: list[_Ent]


def _doc(*gpes: str) -> _Doc:
    return _Doc([_Ent(g, "GPE") for g in gpes])


def _resolve(gaz, text: str, phrase: str | None, *others: str) -> Place:
    article = Article(article_id="a", text=text, published="2014-12-16")
    m = EventMention(mention_id="m", article_id="a", date=DateRange(), location=Place(name=phrase))
    resolve_mentions([m], article, _doc(*others), gazetteer=gaz)
    assert "location" in m.reasons
    return m.location


PESHAWAR = (
    "PESHAWAR, Pakistan - Taliban gunmen stormed a school in Peshawar on Tuesday, killing 145 people. "
    "The attack in the northwestern Pakistani city was the deadliest in Khyber Pakhtunkhwa province."
)


def test_cities(gaz):
    p = _resolve(gaz, PESHAWAR, "Peshawar", "Peshawar", "Khyber Pakhtunkhwa")
    assert (p.name, p.country, p.admin1, p.precision) == ("Peshawar", "PK", "Khyber Pakhtunkhwa", "city")
    assert p.geonameid == 1168197 and p.lat == pytest.approx(34.0, abs=0.1)
    k = _resolve(gaz, "Militants attacked Pakistan's largest airport in Karachi.", "Karachi")
    assert (k.name, k.country, k.admin1, k.precision) == ("Karachi", "PK", "Sindh", "city")


def test_exact_name_beats_alternate_name(gaz):
    assert gaz.lookup("Islamabad").country == "PK"  # not Chattogram, whose old name it is
    p = _resolve(gaz, "A blast in Islamabad killed two.", "Islamabad")
    assert (p.name, p.country) == ("Islamabad", "PK")


def test_alternate_name_with_focus(gaz):
    assert gaz.lookup("Bombay", countries=["IN"]).name == "Mumbai"


def test_hyderabad_by_country_focus(gaz):
    pk = _resolve(gaz, "Pakistani police said a bomb exploded in Hyderabad, Pakistan's sixth city.", "Hyderabad")
    assert (pk.country, pk.admin1) == ("PK", "Sindh")
    india = _resolve(gaz, "Indian police said a bomb exploded in Hyderabad near the old city.", "Hyderabad")
    assert india.country == "IN" and india.admin1.startswith("Telang")
    assert gaz.lookup("Hyderabad", countries=["PK"]).admin1 == "Sindh"


def test_washington(gaz):
    text = "Senators in Washington said the American government would respond."
    dc = _resolve(gaz, text, "Washington", "Washington")
    assert (dc.country, dc.admin1, dc.precision) == ("US", "District of Columbia", "city")
    state = _resolve(gaz, "Wildfires spread in Washington state on Tuesday.", "Washington state")
    assert (state.country, state.precision, state.lat) == ("US", "admin1", None)


def test_georgia_country_or_state_by_co_mentions(gaz):
    country = _resolve(gaz, "Shelling was reported near Tbilisi, Georgia.", "Georgia", "Tbilisi", "Georgia")
    assert (country.country, country.precision) == ("GE", "country")
    state = _resolve(gaz, "Police in Atlanta, Georgia, arrested two men.", "Georgia", "Atlanta", "Georgia")
    assert (state.country, state.precision, state.name) == ("US", "admin1", "Georgia")


def test_places_in_two_countries(gaz):
    text = (
        "KABUL - A suicide bomber struck a market in Kabul on Monday, Afghan officials said, "
        "a day after a blast in Quetta, Pakistan, killed 12."
    )
    article = Article(article_id="a", text=text, published="2014-12-16")
    kabul = EventMention(mention_id="m1", article_id="a", location=Place(name="Kabul"))
    quetta = EventMention(mention_id="m2", article_id="a", location=Place(name="Quetta"))
    resolve_mentions([kabul, quetta], article, _doc("KABUL", "Kabul", "Quetta", "Pakistan"), gazetteer=gaz)
    assert (kabul.location.name, kabul.location.country) == ("Kabul", "AF")
    assert (quetta.location.name, quetta.location.country) == ("Quetta", "PK")


def test_no_place_is_unknown(gaz):
    p = _resolve(gaz, "Gunmen opened fire on a bus, killing three.", None)
    assert p == Place(precision="unknown")
    assert acled_geo_precision(p) is None and gtd_specificity(p) is None


def test_admin1_fallback_has_no_invented_point(gaz):
    p = _resolve(gaz, PESHAWAR, "Pakistan's Khyber Pakhtunkhwa province")
    assert (p.name, p.country, p.precision, p.lat, p.lon) == ("Khyber Pakhtunkhwa", "PK", "admin1", None, None)
    assert acled_geo_precision(p) == 3 and gtd_specificity(p) == 4


def test_district(gaz):
    text = "A drone strike in North Waziristan killed four, Pakistani officials said."
    p = _resolve(gaz, text, "North Waziristan")
    assert (p.country, p.admin1, p.precision, p.lat) == ("PK", "Khyber Pakhtunkhwa", "district", None)
    assert acled_geo_precision(p) == 2


def test_country_fallback(gaz):
    p = _resolve(gaz, "Clashes in northwestern Pakistan left five dead.", "northwestern Pakistan")
    assert (p.name, p.country, p.precision, p.lat, p.lon) == ("Pakistan", "PK", "country", None, None)
    assert acled_geo_precision(p) == 3 and gtd_specificity(p) == 5


def test_unnamed_city_uses_the_articles_city(gaz):
    article = Article(article_id="a", text=PESHAWAR, published="2014-12-16")
    m = EventMention(mention_id="m", article_id="a", location=Place(name="the northwestern Pakistani city"))
    resolve_mentions([m], article, _doc("PESHAWAR", "Peshawar", "Khyber Pakhtunkhwa"), gazetteer=gaz)
    assert (m.location.name, m.location.country) == ("Peshawar", "PK")
    assert "low confidence" in m.reasons["location"]


def test_unknown_name_keeps_phrase_without_point(gaz):
    p = _resolve(gaz, "An attack in Xqzzyville was reported.", "Xqzzyville")
    assert (p.name, p.precision, p.lat, p.country) == ("Xqzzyville", "unknown", None, None)


def test_all_caps_text(gaz):
    text = "SAN SALVADOR, 3 JAN 90 -- SALVADORAN GUERRILLAS ATTACKED A POST IN SAN MIGUEL."
    ctx = PlaceContext.build(text, gaz)
    place, _ = resolve_place("SAN MIGUEL", ctx, gaz)
    assert (place.name, place.country, place.precision) == ("San Miguel", "SV", "city")


def test_country_of(gaz):
    assert gaz.country_of("Pakistan") == gaz.country_of("Pakistani") == gaz.country_of("PK") == "PK"
    assert gaz.country_of("Afghans") == "AF" and gaz.country_of("U.S.") == "US"
    assert gaz.country_of("Peshawar") is None


def test_gazetteer_pickles_by_path(gaz):
    clone = pickle.loads(pickle.dumps(gaz))
    assert clone.lookup("Quetta").country == "PK"


def test_precision_mapping():
    city = Place(name="X", country="PK", lat=1.0, lon=2.0, precision="city")
    assert (acled_geo_precision(city), gtd_specificity(city)) == (1, 1)
    admin1 = Place(name="Y", admin1="Y", country="PK", precision="admin1")
    assert (acled_geo_precision(admin1), gtd_specificity(admin1)) == (3, 4)
    country = Place(name="Pakistan", country="PK", precision="country")
    assert (acled_geo_precision(country), gtd_specificity(country)) == (3, 5)


# --- the MUC-4 place evaluation --------------------------------------------------------------------------


def test_muc4_location_values():
    from conflictlens.eval.places import dateline_date, parse_location

    assert parse_location("EL SALVADOR: MORAZAN (DEPARTMENT): PERQUIN (CITY / JURISDICTION)") == [
        [("EL SALVADOR", set()), ("MORAZAN", {"DEPARTMENT"}), ("PERQUIN", {"CITY", "JURISDICTION"})]
    ]
    alts = parse_location("(COLOMBIA: BOGOTA (CITY)) / (COLOMBIA: PEREIRA (CITY) - BELEN DE UMBRIA (TOWN))")
    assert alts[0] == [("COLOMBIA", set()), ("BOGOTA", {"CITY"})]
    assert alts[1][-1] == ("BELEN DE UMBRIA", {"TOWN"})
    assert dateline_date("SAN SALVADOR, 3 JAN 90 (DPA) --") == "1990-01-03"
    assert dateline_date("CLANDESTINE, NO DATE --") is None


@pytest.mark.shared
def test_run_places_eval_on_muc4_dev(gaz):
    from pathlib import Path

    from conflictlens.eval.places import run_places_eval

    path = Path(__file__).resolve().parents[2] / "shared/data/muc4/full_templates/dev.jsonl"
    if not path.exists():
        pytest.skip("MUC-4 data not present")
    result = run_places_eval(path, gazetteer=gaz, limit=20)
    assert result["templates"] > 0 and 0.0 <= result["country_accuracy"] <= 1.0


def test_unknown_neighbourhood_falls_back_to_the_articles_main_city(gaz):
    """A place the gazetteer lacks resolves to the article's most mentioned city of its main country, marked
    low confidence, rather than to the bare country."""
    from conflictlens.resolve.places import PlaceContext, resolve_place

    text = ("PESHAWAR, Pakistan - A bomb went off in Qissa Khwani Bazaarwala Mohalla on Friday. Police in "
            "Peshawar said the blast in the old city of Peshawar wounded six people.")
    ctx = PlaceContext.build(text, gaz, extra=["Peshawar", "Peshawar"])
    place, reason = resolve_place("Qissa Khwani Bazaarwala Mohalla", ctx, gaz)
    assert (place.name, place.country, place.precision) == ("Peshawar", "PK", "city")
    assert "low confidence" in reason
    nothing, why = resolve_place(None, PlaceContext.build("The talks went on.", gaz), gaz)
    assert nothing.precision == "unknown" and why == "no place tied to the incident"


# --- country focus: reports filed abroad, armed groups, name clashes across countries ----------------------

MADRID_REPORT = (
    "MADRID (SPAIN), 19 NOV 89 (EFE) -- Six Jesuit priests were murdered in El Salvador on Thursday. "
    "Salvadoran soldiers were seen near the university, witnesses in San Salvador said. "
    "The Spanish government asked for an inquiry."
)


def test_report_filed_abroad_is_about_the_country_of_its_body(gaz):
    """The dateline says where a report was filed; a body about a Salvadoran incident outweighs it, and
    "MADRID (SPAIN)" is one vote for Spain, not a city vote plus a country vote."""
    p = _resolve(gaz, MADRID_REPORT, None, "San Salvador")
    assert (p.country, p.precision) == ("SV", "city")  # the article's Salvadoran city, low confidence
    ctx = PlaceContext.build(MADRID_REPORT, gaz)
    assert ctx.dateline == "ES" and set(ctx.votes["ES"]) == {"dateline:madrid", "spanish"}


def test_place_after_in_weighs_more_than_the_dateline(gaz):
    text = ("CARACAS (VENEZUELA), 15 JUL 89 (DPA) -- A Venezuelan businessman was kidnapped in Colombia's "
            "Norte de Santander department, family sources said. Colombian police are searching the area.")
    p = _resolve(gaz, text, None)
    assert (p.country, p.precision) == ("CO", "country")


def test_tie_goes_to_the_dateline():
    ctx = PlaceContext()
    ctx.vote("GT", "dateline:guatemala city", 1.5)
    ctx.vote("NO", "norway", 1.5)
    assert ctx.main_country() is None
    ctx.dateline = "GT"
    assert ctx.main_country() == "GT"


def test_armed_group_names_its_country(gaz):
    """A communique that names only the FMLN and a university is Salvadoran; "Central American" is a
    region, not a vote for the United States."""
    text = ("CLANDESTINE, 22 JUL 89 (RADIO VENCEREMOS) -- [COMMUNIQUE] THE FMLN CONDEMNS THE BOMB ATTACK ON "
            "THE CENTRAL AMERICAN UNIVERSITY AT DAYBREAK TODAY.")
    p = _resolve(gaz, text, "CENTRAL AMERICAN UNIVERSITY")
    assert (p.country, p.precision) == ("SV", "country")
    assert "US" not in PlaceContext.build(text, gaz).votes


def test_group_acronyms_that_are_words_do_not_vote(gaz):
    """"IS", "FAR" (case-sensitive acronyms) and a lower-case "let" in mixed-case text name no group; with a
    spaCy Doc, a capitalised "Let's" is skipped too (tagged as a verb)."""
    from conflictlens.resolve.actors import ActorKB

    kb = ActorKB.load()
    ctx = PlaceContext.build("IT IS OVER, THE ARMY IS FAR AWAY. Now let them go.", gaz, actors=kb)
    assert ctx.votes == {}
    assert set(PlaceContext.build("The FMLN attacked a post.", gaz, actors=kb).votes) == {"SV"}

    @dataclass
    class _Tok:
        pos_: str

    @dataclass
    class _PosDoc:
        """Tags every one-word span with ``pos``: what the resolver asks of a spaCy Doc's tagger."""

        pos: str
        ents: tuple = ()

        def char_span(self, start, end, alignment_mode="strict"):
            return [_Tok(self.pos)]

    text = "THE FMLN SAID: LET'S BE CLEAR."
    assert set(PlaceContext.build(text, gaz, actors=kb, doc=_PosDoc("PROPN")).votes) == {"PK", "SV"}  # LeT
    assert set(PlaceContext.build(text, gaz, actors=kb, doc=_PosDoc("VERB")).votes) == set()


def test_region_words_are_not_the_united_states(gaz):
    from conflictlens.resolve.countries import scan_countries

    text = "Latin American leaders met in South America; the U.S. envoy and North Americans stayed home."
    hits = [(h.key, h.code) for h in scan_countries(text, gaz.country_keys())]
    assert hits == [("u s", "US"), ("americans", "US")]
    assert [h.key for h in scan_countries("in Colombia's northern Santander", gaz.country_keys())] == ["colombia"]


COLOMBIA_REPORT = (
    "BOGOTA, 23 MAR 90 (EFE) -- Guerrillas attacked a police post in La Fonda, a hamlet in the south of the "
    "country, Colombian police said. The army said the rebels fled toward the mountains. A U.S. embassy "
    "spokesman condemned the attack."
)


def test_small_namesake_abroad_loses_to_the_articles_country(gaz):
    """"La Fonda" is only in the gazetteer as Fonda, New York (a village): in a Colombian report the
    incident falls back to Colombia, at country precision, rather than to the village abroad."""
    assert gaz.lookup("La Fonda") is None and gaz.lookup("Fonda").country == "US"
    p = _resolve(gaz, COLOMBIA_REPORT, "La Fonda")
    assert (p.name, p.country, p.precision) == ("Colombia", "CO", "country")
    sv = "SAN SALVADOR, 19 MAR 89 -- Salvadoran police said a bomb went off in Carolina."
    assert gaz.lookup("Carolina").country == "PR"  # a city of 170,000 the article never points to
    assert _resolve(gaz, sv, "Carolina").country == "SV"


def test_phrase_names_share_one_country(gaz):
    """"Escalon, San Salvador": the country that explains the names wins (not Escalon, California); a
    neighbourhood the gazetteer lacks yields its city."""
    sv = "SAN SALVADOR, 8 FEB 89 -- A bomb exploded in the Escalon neighborhood, Salvadoran police said."
    p = _resolve(gaz, sv, "Escalon, San Salvador")
    assert (p.name, p.country, p.precision) == ("San Salvador", "SV", "city")
    assert _resolve(gaz, COLOMBIA_REPORT, "Sajandi, La Fonda").country == "CO"
    pk = _resolve(gaz, "A bomb exploded in Hyderabad, police said.", "Hyderabad, Sindh")
    assert (pk.name, pk.admin1, pk.country) == ("Hyderabad", "Sindh", "PK")  # not India's larger Hyderabad
    us = _resolve(gaz, "Police arrested two men on Friday.", "Atlanta, Georgia")
    assert (us.name, us.admin1, us.country) == ("Atlanta", "Georgia", "US")


def test_named_country_is_kept(gaz):
    """A country in the phrase bounds the search ("La Rochela, Colombia" is not La Rochelle, France), unless
    the rest is a well-known place elsewhere ("America, Medellin": a neighbourhood named like a country)."""
    p = _resolve(gaz, COLOMBIA_REPORT, "La Rochela, Colombia")
    assert (p.country, p.precision) == ("CO", "country")
    m = _resolve(gaz, COLOMBIA_REPORT, "America, Medellin")
    assert (m.name, m.country, m.precision) == ("Medellín", "CO", "city")
