"""How our place precision maps to ACLED ``geo_precision`` and GTD ``specificity`` (CSV export columns).

| our precision | coordinates       | ACLED geo_precision | GTD specificity |
|---------------|-------------------|---------------------|-----------------|
| point         | yes               | 1                   | 1               |
| city          | yes               | 1                   | 1               |
| city          | no                | 3 (admin1 known) / None | 4 (admin1 known) / 5 |
| district      | yes               | 2                   | 2               |
| district      | no                | 2                   | 4 (admin1 known) / 5 |
| admin1        | yes (centroid)    | 3                   | 3               |
| admin1        | no                | 3                   | 4               |
| country       | -                 | 3                   | 5               |
| unknown       | -                 | None                | 5 if the country is known, else None |

ACLED: 1 = the named town or point, 2 = near a town or in a district (second-order area), 3 = a
larger region (admin1) or only the country. GTD: 1 = city/village coordinates, 2 = second-order area
(district) coordinates, 3 = admin1 centroid, 4 = only the admin1 is known and no coordinates, 5 = nothing
below the country is known.
"""

from __future__ import annotations

from ..model import Place


def _has_point(place: Place) -> bool:
    return place.lat is not None and place.lon is not None


def acled_geo_precision(place: Place | None) -> int | None:
    """ACLED geo_precision (1 point/city, 2 district or near, 3 admin1/region or larger); None if unknown."""
    if place is None:
        return None
    p = place.precision
    if p in ("point", "city"):
        return 1 if _has_point(place) else (3 if place.admin1 or place.country else None)
    if p == "district":
        return 2
    if p in ("admin1", "country"):
        return 3
    return None


def gtd_specificity(place: Place | None) -> int | None:
    """GTD specificity (1 city coordinates, 2 admin2-ish, 3 admin1 centroid, 4 admin1 known without
    coordinates, 5 country/unknown below it); None when not even the country is known."""
    if place is None:
        return None
    p = place.precision
    if p in ("point", "city") and _has_point(place):
        return 1
    if p == "district" and _has_point(place):
        return 2
    if p == "admin1" and _has_point(place):
        return 3
    if p in ("point", "city", "district", "admin1") and (place.admin1 or p == "admin1"):
        return 4
    if place.country:
        return 5
    return None
