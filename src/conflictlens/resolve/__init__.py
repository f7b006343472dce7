"""Resolve when and where: dates against the publication date, places against an offline gazetteer.

``resolve_mentions`` is the pipeline stage; ``resolve_date`` and ``Gazetteer`` are usable alone. Nothing is
loaded at import time: the gazetteer index is built (once per package versions) or opened on first use.
"""

from __future__ import annotations

from .dates import resolve_date
from .gazetteer import Gazetteer
from .mentions import resolve_mentions
from .precision import acled_geo_precision, gtd_specificity

__all__ = ["Gazetteer", "acled_geo_precision", "gtd_specificity", "resolve_date", "resolve_mentions"]
