"""One catalogue of errors with stable codes.

Users search for a code ("[E104]"), so codes are never reused or renumbered. Library code raises
``ConflictLensError`` (or a subclass); the CLI prints ``str(error)`` as one line and the API returns
``error.to_dict()`` as its one JSON error shape.

Ranges: E1xx input and ingest, E2xx storage, E3xx queries and the CLI, E4xx language resources and
extraction, E5xx evaluation and benchmarks, E6xx the API server, W1xx warnings (the record is still used).
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, str] = {
    # input / ingest
    "E101": "path does not exist",
    "E102": "empty file or record (no text after normalisation)",
    "E103": "binary file (not text)",
    "E104": "text could not be decoded in any known encoding",
    "E105": "malformed JSON",
    "E106": "record has no 'text' field",
    "E107": "document larger than the size limit",
    "E108": "unknown file extension",
    "E109": "feed could not be parsed",
    "E110": "HTML page has no main text",
    "E111": "file could not be read",
    "E112": "record is not a JSON object",
    "E113": "field has the wrong type",
    "W101": "unparseable 'published' date: the article is stored without a publication date",
    # storage
    "E201": "database URL is not valid or the database cannot be opened",
    "E202": "database schema is newer than this version of conflictlens",
    "E203": "database write failed",
    # queries / CLI
    "E301": "event not found",
    "E302": "invalid filter value",
    "E303": "unknown export format",
    "E304": "actor not found",
    "E305": "article not found",
    "E306": "id prefix matches more than one record",
    "E307": "invalid review correction",
    # language resources / extraction
    "E401": "language model is not installed",
    "E402": "extraction failed on an article",
    "E405": "learned role model file is missing, unreadable or of an unknown format",
    "E403": "gazetteer index could not be built or opened",
    "E404": "Dask cluster could not be started or reached, or its workers failed",
    "E406": "local worker processes could not be started or one of them failed",
    # evaluation / benchmarks
    "E501": "evaluation data file not found or unreadable",
    # API server
    "E601": "no such API route",
    "E602": "method not allowed on this route",
    "E603": "request body larger than the limit",
    "E604": "missing or invalid bearer token",
    "E605": "server is read-only (started without a token)",
    "E606": "malformed request",
    "E607": "internal server error",
}


class ConflictLensError(Exception):
    """An error with a stable code, optionally tied to a file (and line) of input."""

    def __init__(
        self,
        code: str,
        detail: str | None = None,
        *,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.detail = detail
        self.path = path
        self.line = line
        super().__init__(str(self))

    @property
    def title(self) -> str:
        return CATALOGUE[self.code]

    @property
    def is_warning(self) -> bool:
        return self.code.startswith("W")

    @property
    def where(self) -> str | None:
        if self.path is None:
            return None
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        parts = [f"[{self.code}]"]
        if self.where:
            parts.append(f"{self.where}:")
        parts.append(self.title)
        if self.detail:
            parts[-1] += f" ({self.detail})"
        return " ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by fields, so an error made in a worker process arrives whole (``args`` holds the message)."""
        return _rebuild, (type(self), self.code, self.detail, self.path, self.line)

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape: ``{"error": {"code", "message", "detail", "path", "line"}}``."""
        return {
            "error": {
                "code": self.code,
                "message": self.title,
                "detail": self.detail,
                "path": self.path,
                "line": self.line,
            }
        }


def _rebuild(
    cls: type[ConflictLensError], code: str, detail: str | None, path: str | None, line: int | None
) -> ConflictLensError:
    return cls(code, detail, path=path, line=line)


class InputError(ConflictLensError):
    """Bad input: one file or record could not be ingested; the rest of the batch goes on."""


class StorageError(ConflictLensError):
    """The database could not be opened, migrated or written."""


class QueryError(ConflictLensError):
    """A lookup or filter that cannot be answered (unknown id, bad filter value)."""


class ResourceError(ConflictLensError):
    """A language model or other resource that must be installed is missing."""
