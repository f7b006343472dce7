"""Find temporal expressions in running text with a few regular expressions (any case, no NLP needed).

spaCy's DATE entities are the first choice when a Doc exists; this finder covers text where they are weak
(ALL-CAPS wire copy, lower-cased benchmark text) and the evaluation, which runs without the extractor.
Each hit is (start, end, text) in character offsets; ``resolve_date`` turns the text into a range.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|a few)"
_TOD = r"(?:\s+(?:morning|afternoon|evening|night))?"
_PATTERNS = [
    rf"\b(?:the\s+night\s+of\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:\d{{4}}|\d{{2}})\b)?",
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?",
    rf"\b(?:between|from)\s+{_MONTH}\s+(?:and|to)\s+{_MONTH}(?:\s+\d{{4}})?",
    rf"\b(?:in|during|since|early|late|mid-?|last|this|next)\s+{_MONTH}"
    r"(?:\s+\d{4}\b|\s+of\s+(?:this|last)\s+year)?",
    rf"\b{_MONTH}\s+\d{{4}}\b",
    rf"\b(?:(?:early|late|last|this|next|on)\s+)?{_DAY}{_TOD}\b",
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night"
    r"|this\s+(?:morning|afternoon|evening))\b",
    rf"\b{_NUM}\s+(?:days?|weeks?|months?|years?)\s+ago\b",
    r"\b(?:earlier\s+|later\s+)?(?:last|this|next)\s+(?:week(?:end)?|month|year)\b",
    r"\bin\s+(?:19|20)\d\d\b",
    r"\b\d{4}-\d\d-\d\d\b",
]
_FINDER = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I)
_FALSE = re.compile(r"^(?:may|mar|sat|sun|wed|dec|jan)$", re.I)


def find_date_expressions(text: str) -> list[tuple[int, int, str]]:
    """Every temporal expression in ``text``, left to right, longest match at each position."""
    hits = []
    for m in _FINDER.finditer(text):
        phrase = m.group(0).strip()
        if _FALSE.match(phrase):
            continue
        hits.append((m.start(), m.end(), m.group(0)))
    return hits
