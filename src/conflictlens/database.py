"""``conflictlens.open(url)``: the library's front door for notebooks and scripts.

A thin facade over the store and the pipeline, in the spirit of sqlite-utils: everything the CLI and the
API do, a researcher can do in three lines of Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .model import Actor, Event
from .pipeline import IngestReport, Pipeline, run_ingest
from .store import EventFilter, Store


class EventList(list[Event]):
    """A list of Events with conversions for analysis."""

    def to_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self]

    def to_pandas(self) -> Any:
        """A pandas DataFrame with the flat CSV columns (pandas must be installed)."""
        import pandas as pd  # optional dependency, imported only when asked for

        from .export import csv_row

        return pd.DataFrame([csv_row(e) for e in self])


class Database:
    """An opened conflictlens database (SQLite file or PostgreSQL server)."""

    def __init__(self, url: str | None = None, *, pipeline: Pipeline | None = None) -> None:
        self.store = Store.open(url)
        self._pipeline = pipeline

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline()
        return self._pipeline

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(self, paths: Iterable[str], **options: Any) -> IngestReport:
        """Read, extract and store ``paths`` (files, folders, ``-``); see ``pipeline.run_ingest``."""
        return run_ingest(self.store, paths, pipeline=self.pipeline, **options)

    def events(self, *, limit: int | None = None, order: str = "date", **filters: Any) -> EventList:
        """Events matching ``filters`` (the fields of ``EventFilter``: since, until, country, actor, ...)."""
        return EventList(self.store.query_events(EventFilter(**filters), limit=limit, order=order))

    def iter_events(self, **filters: Any) -> Iterator[Event]:
        return self.store.iter_events(EventFilter(**filters))

    def event(self, event_id: str, *, follow_redirects: bool = False) -> Event | None:
        """The event with this id (or unique prefix). ``follow_redirects=True``: an id that fusion merged away
        or a rebuild replaced gives the event it became (``Store.lookup_event`` says which it followed)."""
        if follow_redirects:
            found = self.store.lookup_event(event_id)
            return found.event if found is not None else None
        return self.store.get_event(event_id)

    def actors(self, *, name: str | None = None) -> list[Actor]:
        return self.store.list_actors(name=name)

    def actor(self, actor_id_or_name: str) -> dict[str, Any] | None:
        """One actor's profile (``Store.actor_profile``): record, relations, leaders, aims, places, events."""
        return self.store.actor_profile(actor_id_or_name)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def export(self, out: TextIO, *, format: str = "json", **filters: Any) -> int:  # noqa: A002
        """Write the matching events to ``out`` in ``format`` (json, jsonl, csv, geojson)."""
        from .export import write_events

        return write_events(self.iter_events(**filters), out, format=format)
