"""``Store``: the repository the pipeline, the CLI and the API use to read and write a database.

One ``write_article`` call is one transaction (article row, FTS row, mentions, the actors, aliases, relations
and aims sentences the article gave, events and their link rows),
so a crash or ``kill -9`` mid-write leaves either the whole article or nothing. Writing an article that is
already stored is a no-op returning False, including when two processes race to write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..errors import StorageError
from ..model import Actor, Article, Event, EventMention
from . import actor_profiles as _profiles
from . import actor_records as _actor_records
from . import actors as _actors
from . import articles as _articles
from . import events as _events
from . import fusion_queries as _fusion_queries
from . import redirects as _redirects
from . import review as _review
from . import stats as _stats
from .engine import make_engine, resolve_db_url, write_options
from .filters import EventFilter
from .migrations import current_version, migrate


class Store:
    """A conflictlens database. Open with ``Store.open(url)``; use as a context manager to close it."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self._engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        """Open the database at ``url`` (see ``resolve_db_url``), creating it and applying migrations.

        Raises ``StorageError`` E201 if it cannot be opened, E202 if it was written by a newer version.
        """
        resolved = resolve_db_url(url)
        engine = make_engine(resolved)
        try:
            migrate(engine)
        except StorageError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            raise StorageError("E201", f"{resolved}: {exc.orig or exc}") from exc
        return cls(engine, url=resolved)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def schema_version(self) -> int:
        with self._engine.connect() as conn:
            return current_version(conn)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    # --- writing ---------------------------------------------------------------------------------

    def write_article(
        self,
        article: Article,
        mentions: list[EventMention],
        events: list[Event],
        *,
        relations: Sequence[Any] = (),
        aims: Sequence[Any] = (),
        actors: Sequence[Any] = (),
        retired: Mapping[str, str] | None = None,
    ) -> bool:
        """Store an article with its mentions and events in one transaction.

        Returns False, writing nothing, if the article_id is already stored. Events are upserted by
        event_id: an event already stored (from another article) is replaced by the new record.
        ``relations``, ``aims`` and ``actors`` are what the actor stage found (``pipeline.Processed``):
        written in the same transaction, and so is the deletion of the events its reports merged into
        others (``retired``: ``Fuser.retired``, {merged-away id: surviving id}) with their redirects to the
        survivor (``store.redirects``), so a crash can leave neither a lost report nor a duplicate event nor a
        retired id that leads nowhere; an event written under an id that was redirected is live again and
        loses its redirect. Raises ``StorageError`` E203 if the write fails; nothing of the
        article is kept then.
        """
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**write_options(self.dialect))
                with conn.begin() as tx:
                    if not _articles.insert_article(conn, article):
                        tx.rollback()
                        return False
                    _articles.insert_mentions(conn, article.article_id, mentions)
                    _actor_records.write_article_actors(conn, article.article_id, actors=actors,
                                                        relations=relations, aims=aims)
                    _events.upsert_events(conn, events, article_id=article.article_id)
                    # Reviewed events: the new record becomes their base and their corrections apply again.
                    _review.reapply(conn, [e.event_id for e in events])
                    _redirects.forget(conn, [e.event_id for e in events])  # a live event always wins
                    if retired:
                        _fusion_queries.retire_events_in(conn, retired)
            return True
        except IntegrityError as exc:
            # Another writer stored the same article between our check and our insert: a duplicate.
            if self.existing_article_ids([article.article_id]):
                return False
            raise StorageError("E203", f"article {article.article_id}: {exc.orig or exc}") from exc
        except DBAPIError as exc:
            raise StorageError("E203", f"article {article.article_id}: {exc.orig or exc}") from exc

    # --- reading ---------------------------------------------------------------------------------

    def existing_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are already stored (to skip re-processing them)."""
        with self._engine.connect() as conn:
            return _articles.existing_ids(conn, ids)

    def get_article(self, article_id: str) -> Article | None:
        with self._engine.connect() as conn:
            return _articles.get_article(conn, article_id)

    def get_event(self, event_id: str) -> Event | None:
        """The event with this id or unique id prefix (>= 6 characters); QueryError E306 if ambiguous."""
        with self._engine.connect() as conn:
            return _events.get_event(conn, event_id)

    def lookup_event(self, event_id: str) -> _redirects.EventLookup | None:
        """Like ``get_event``, but an id that fusion retired (merged into another event, or gone in a
        ``fuse --rebuild``) leads to the event it became: ``EventLookup(event, redirect)``, ``redirect`` set
        (old id, new id, reason "merged" | "rebuilt") only when it was followed. A live event always wins.
        None for an id never seen; QueryError E306 if a prefix is ambiguous."""
        with self._engine.connect() as conn:
            return _redirects.find_event(conn, event_id)

    def resolve_event_id(self, event_id: str) -> str | None:
        """The id of the live event ``event_id`` names (itself, a unique prefix, or a retired id that leads
        to it: ``lookup_event``); None if there is none."""
        found = self.lookup_event(event_id)
        return found.event.event_id if found is not None else None

    def get_redirect(self, event_id: str) -> _redirects.Redirect | None:
        """Where a retired event id (or a unique prefix of one) leads, whatever that event's state; None if the
        id was never retired. Does not look at live events: callers try ``get_event`` first."""
        with self._engine.connect() as conn:
            return _redirects.lookup(conn, event_id)

    def mentions_for_article(self, article_id: str) -> list[EventMention]:
        with self._engine.connect() as conn:
            return _articles.mentions_for_article(conn, article_id)

    def iter_mentions(self) -> Iterator[EventMention]:
        """All stored mentions, ordered by article_id and position within the article."""
        return _articles.iter_mentions(self._engine)

    def query_events(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int | None = 100,
        offset: int = 0,
        order: str = "date",
    ) -> list[Event]:
        """Matching events; ``order`` is "date" (newest first), "-date" (oldest first) or "killed"."""
        with self._engine.connect() as conn:
            return _events.query_events(conn, flt, limit=limit, offset=offset, order=order)

    def iter_events(self, flt: EventFilter | None = None, *, batch_size: int = 500) -> Iterator[Event]:
        """Every matching event, by event_id, fetched ``batch_size`` at a time (for exports)."""
        return _events.iter_events(self._engine, flt, batch_size=batch_size)

    def count_events(self, flt: EventFilter | None = None) -> int:
        with self._engine.connect() as conn:
            return _events.count_events(conn, flt)

    def search_articles(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search: ``[{article_id, title, snippet, score}]``, best first (higher score)."""
        with self._engine.connect() as conn:
            return _articles.search(conn, query, limit=limit)

    def list_actors(self, *, name: str | None = None) -> list[Actor]:
        """Actors named as perpetrators or claimants, most events first, as Actor records (DESIGN.md)."""
        with self._engine.connect() as conn:
            return _actors.list_actors(conn, name=name)

    def actor_profile(self, actor_id_or_name: str, *, limit: int = 1000) -> dict[str, Any] | None:
        """One actor's profile (``store.actor_profiles.actor_profile``): the Actor record plus leaders,
        places, event types, aims sentences and its events; None if no actor has that id or name."""
        with self._engine.connect() as conn:
            return _profiles.actor_profile(conn, actor_id_or_name, limit=limit)

    def stats(self) -> dict[str, Any]:
        with self._engine.connect() as conn:
            return _stats.stats(conn)

    def counts(self) -> dict[str, int]:
        with self._engine.connect() as conn:
            return _stats.counts(conn)
