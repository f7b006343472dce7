"""Checking the value an analyst gives for a field: it must be that field's JSON form in the Event record."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..errors import QueryError
from ..model import DATE_PRECISIONS, EVENT_TYPES, PLACE_PRECISIONS, STATUSES, Incident, field_types, value_from_plain
from ..model import value_to_plain as to_plain

REVIEWABLE_FIELDS = tuple(f.name for f in dataclasses.fields(Incident) if f.name not in ("evidence", "reasons"))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")


def _bad(detail: str) -> QueryError:
    return QueryError("E307", detail)


def check_value(field: str, value: Any) -> Any:
    """The plain JSON form of ``value`` for ``field``; QueryError E307 if it cannot be that field's value."""
    if field not in REVIEWABLE_FIELDS:
        raise _bad(f"field {field!r} cannot be corrected; choose one of {', '.join(REVIEWABLE_FIELDS)}")
    hint = field_types(Incident)[field]
    default = getattr(Incident(), field)
    if isinstance(default, list) and not isinstance(value, list):
        raise _bad(f"{field}: expected a list")
    if dataclasses.is_dataclass(default) and not isinstance(value, dict):
        raise _bad(f"{field}: expected an object")
    try:
        converted = value_from_plain(hint, value)
        if converted is None and field not in ("event_type", "sub_event_type", "summary"):
            raise TypeError("a value is required")
        plain = to_plain(converted)
        _check_types(field, plain)
    except (TypeError, ValueError, AttributeError) as exc:
        raise _bad(f"{field}: {exc}") from exc
    return plain


def _check_types(field: str, v: Any) -> None:  # noqa: C901 - one branch per field kind
    def opt_str(x: Any, what: str) -> None:
        if x is not None and not isinstance(x, str):
            raise TypeError(f"{what} must be a string or null")

    def count(x: Any, what: str) -> None:
        if x is not None and (isinstance(x, bool) or not isinstance(x, int) or x < 0):
            raise ValueError(f"{what} must be a non-negative integer or null")

    if field in ("sub_event_type", "summary"):
        opt_str(v, field)
    elif field == "event_type":
        if v is not None and v not in EVENT_TYPES:
            raise ValueError(f"expected one of {', '.join(EVENT_TYPES)}")
    elif field == "status":
        if v not in STATUSES:
            raise ValueError(f"expected one of {', '.join(STATUSES)}")
    elif field == "attack_types":
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise TypeError("expected a list of strings")
    elif field == "confidence":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ValueError("expected a number in [0, 1]")
    elif field in ("killed", "wounded", "perpetrators_killed"):
        for part in ("best", "low", "high"):
            count(v.get(part), f"{field}.{part}")
    elif field == "date":
        for part in ("start", "end"):
            if v.get(part) is not None and not (isinstance(v[part], str) and _ISO_DATE.match(v[part])):
                raise ValueError(f"date.{part} must be YYYY-MM-DD or null")
        if v.get("precision") not in DATE_PRECISIONS:
            raise ValueError(f"date.precision must be one of {', '.join(DATE_PRECISIONS)}")
        opt_str(v.get("text"), "date.text")
    elif field == "location":
        for part in ("name", "admin1"):
            opt_str(v.get(part), f"location.{part}")
        if v.get("country") is not None:
            if not isinstance(v["country"], str) or not _ISO2.match(v["country"].upper()):
                raise ValueError("location.country must be an ISO 3166-1 alpha-2 code or null")
            v["country"] = v["country"].upper()
        for part, limit in (("lat", 90), ("lon", 180)):
            x = v.get(part)
            if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float)) or abs(x) > limit):
                raise ValueError(f"location.{part} must be a number within +-{limit} or null")
        if v.get("precision") not in PLACE_PRECISIONS:
            raise ValueError(f"location.precision must be one of {', '.join(PLACE_PRECISIONS)}")
    else:  # lists of records: from_dict built them, so required keys were present; check the strings
        if not isinstance(v, list):
            raise TypeError("expected a list")
        for item in v:
            for key, x in item.items():
                if key != "uncertain" and key != "denial":
                    opt_str(x, f"{field}[].{key}")
