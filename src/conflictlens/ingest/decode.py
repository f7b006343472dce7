"""Bytes to text: binary detection and encoding detection for legacy news archives.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then the Western single-byte
encodings (Windows-1252, falling back to Latin-1), and only when those give implausible text the guess of
charset-normalizer. Its guesses on short texts are unreliable (a 6-byte "Bogot\\xe1" comes back as UTF-16 or
Big5), which is why it is not asked first.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from ..errors import InputError

SNIFF_BYTES = 8192
# Share of control bytes (other than tab, newlines, form feed, escape) above which a file is binary.
BINARY_CONTROL_SHARE = 0.10

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F}
_LETTER = re.compile(r"[^\W\d_]")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a leading byte-order mark declares, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte or many control bytes in the first 8 KB.

    Call only when there is no UTF-16/32 byte-order mark (those encodings are full of NUL bytes).
    """
    head = data[:SNIFF_BYTES]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls / len(head) > BINARY_CONTROL_SHARE


def _plausible_western(text: str) -> bool:
    """Western text decoded as cp1252 is mostly ASCII letters; Cyrillic or Greek bytes give runs of Ã-ÿ."""
    letters = _LETTER.findall(text)
    if not letters:
        return True
    non_ascii = sum(1 for ch in letters if ord(ch) > 0x7F)
    return non_ascii / len(letters) <= 0.25


def decode_bytes(data: bytes, *, path: str, line: int | None = None) -> tuple[str, str] | InputError:
    """Decode ``data`` to ``(text, encoding)``, or return the InputError (E103 binary, E104 undecodable)."""
    bom = bom_encoding(data)
    if bom is not None:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            return InputError("E104", f"byte-order mark says {bom}: {exc.reason}", path=path, line=line)
    if looks_binary(data):
        return InputError("E103", "NUL or control bytes in the first 8 KB", path=path, line=line)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western: tuple[str, str] | None = None
    for encoding in ("cp1252", "latin-1"):
        try:
            western = data.decode(encoding), encoding
            break
        except UnicodeDecodeError:
            continue
    if western is not None and _plausible_western(western[0]):
        return western
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return InputError("E104", "not UTF-8 and no single-byte encoding fits", path=path, line=line)
