"""The pipeline: ingest -> annotate -> extract -> resolve -> store -> fuse.

``Pipeline.process`` turns a batch of Articles into (article, mentions, events) triples and is pure: it touches
no database, so the single-process runner here and a distributed runner call the same code. ``run_ingest``
reads inputs, skips articles already stored, processes the rest in batches and writes each article with all
its results in one transaction, so a killed run can simply be started again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from .errors import ConflictLensError
from .fuse import events_for_article
from .model import Article, Event, EventMention
from .timing import StageTimes

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32


@dataclass
class Processed:
    """One article after extraction and resolution: what fusion and the store take, in one transaction.

    ``relations`` (``resolve.relations.RelationMention``), ``aims`` (``resolve.actor_stage.AimMention``) and
    ``actors`` (``resolve.actor_stage.SeenActor``) are what the actor stage found in the article.
    """

    article: Article
    mentions: list[EventMention]
    relations: list[Any] = field(default_factory=list)
    aims: list[Any] = field(default_factory=list)
    actors: list[Any] = field(default_factory=list)


@dataclass
class IngestReport:
    """What an ingest run did. ``exit_code`` is 0 when every input was ingested or a duplicate, else 1."""

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    warnings: int = 0
    mentions: int = 0
    events: int = 0
    words: int = 0
    errors: list[ConflictLensError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        return (
            f"ingested {self.ingested}, duplicate {self.duplicates}, failed {self.failed}"
            f" ({self.warnings} warnings); {self.mentions} incident mentions, {self.events} events"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "warnings": self.warnings,
            "mentions": self.mentions,
            "events": self.events,
            "errors": [str(e) for e in self.errors],
        }


class Pipeline:
    """Annotate, extract, resolve and fuse batches of articles.

    The language model, the gazetteer and the actor KB are passed in or loaded on first use (never at
    import), and stage times accumulate in ``times`` so the benchmark can report them. ``registry`` (an
    ``AliasRegistry``) keeps the actor names articles define, so that a name defined in one article
    resolves in the later ones this pipeline processes; one is made on first use. (The Dask runner makes a
    pipeline per partition, so there such a name is known within its partition; KB names resolve everywhere.)
    """

    def __init__(
        self,
        *,
        nlp: Any = None,
        gazetteer: Any = None,
        kb: Any = None,
        registry: Any = None,
        times: StageTimes | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._nlp = nlp
        self._gazetteer = gazetteer
        self._kb = kb
        self._registry = registry
        self.times = times if times is not None else StageTimes()
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from .nlp import load_nlp

            with self.times.stage("load_model"):
                self._nlp = load_nlp()
        return self._nlp

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from .resolve import Gazetteer

            with self.times.stage("load_gazetteer"):
                self._gazetteer = Gazetteer.load()
        return self._gazetteer

    @property
    def kb(self) -> Any:
        """The actor knowledge base: shipped, plus the user's file named by ``CONFLICTLENS_ACTORS_FILE``."""
        if self._kb is None:
            from .resolve.actor_stage import load_kb

            with self.times.stage("load_actors"):
                self._kb = load_kb()
        return self._kb

    @property
    def registry(self) -> Any:
        if self._registry is None:
            from .resolve.aliases import AliasRegistry

            self._registry = AliasRegistry(self.kb)
        return self._registry

    def process(self, articles: Sequence[Article]) -> list[Processed | ConflictLensError]:
        """Run every stage after ingest on ``articles``; an article whose extraction fails becomes an E402."""
        from .extraction import extract_mentions
        from .nlp import annotate
        from .resolve import resolve_mentions
        from .resolve.actor_stage import resolve_article_actors

        nlp, gazetteer, kb, registry = self.nlp, self.gazetteer, self.kb, self.registry
        with self.times.stage("annotate"):
            docs = list(annotate([a.text for a in articles], nlp, batch_size=self.batch_size))
        results: list[Processed | ConflictLensError] = []
        for article, doc in zip(articles, docs):
            try:
                with self.times.stage("extract"):
                    mentions = extract_mentions(article, doc)
                with self.times.stage("resolve"):
                    resolve_mentions(mentions, article, doc, gazetteer=gazetteer, actors=kb)
                    found = resolve_article_actors(mentions, article, doc, kb=kb, registry=registry)
            except Exception as exc:  # one bad article must not stop the batch; the error names it
                log.debug("extraction failed on %s", article.origin, exc_info=True)
                results.append(
                    ConflictLensError("E402", f"{type(exc).__name__}: {exc}", path=article.origin)
                )
                continue
            results.append(Processed(article, mentions, relations=found.relations, aims=found.aims,
                                     actors=found.actors))
        return results


def record_error(
    report: IngestReport, error: ConflictLensError, *, on_error: Callable[[ConflictLensError], None] | None = None
) -> None:
    """Count ``error`` in ``report`` (as a warning or a failed input) and pass it to ``on_error``."""
    report.errors.append(error)
    if error.is_warning:
        report.warnings += 1
    else:
        report.failed += 1
    if on_error:
        on_error(error)


def write_results(
    store: "Store",
    results: Iterable[Processed | ConflictLensError],
    report: IngestReport,
    *,
    times: StageTimes,
    on_error: Callable[[ConflictLensError], None] | None = None,
) -> None:
    """Write processed articles to ``store`` in the order given, one transaction each, counting in ``report``.

    The one write step of every runner (the local one below, the Dask one in ``runners``), so what an ingest
    stores does not depend on where the articles were processed.
    """
    from .fusion import Fuser

    fuser = Fuser()  # cross-article fusion needs the store, so it runs here, next to the write
    for result in results:
        if isinstance(result, ConflictLensError):
            record_error(report, result, on_error=on_error)
            continue
        # On PostgreSQL an advisory lock per blocking key spans the candidate read and the write, so two
        # ingesting processes cannot both create an event for the same incident (a no-op on SQLite).
        with fuser.locked(store, result.article, result.mentions):
            with times.stage("fuse"):
                events = fuser.fuse_article(store, result.article, result.mentions)
            with times.stage("store"):
                written = store.write_article(result.article, result.mentions, events, retired=fuser.retired,
                                              relations=result.relations, aims=result.aims, actors=result.actors)
            if written:
                fuser.retired.clear()  # deleted in the article's own transaction
        if written:
            report.ingested += 1
            report.mentions += len(result.mentions)
            new_ids = {m.mention_id for m in result.mentions}
            report.events += sum(1 for e in events if e.mention_ids and e.mention_ids[0] in new_ids)
            report.words += result.article.n_words
        else:
            report.duplicates += 1


def new_article_batches(
    store: "Store",
    paths: Iterable[str],
    report: IngestReport,
    *,
    size: int,
    times: StageTimes,
    max_bytes: int | None = None,
    stdin: TextIO | None = None,
    on_error: Callable[[ConflictLensError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[list[Article], int]]:
    """Read ``paths`` and yield ``(articles not stored yet, inputs they stand for)`` in batches of ``size``.

    The one input loop of every runner: errors and warnings are counted in ``report`` as they come, an
    article seen earlier in the run or already in the store counts as a duplicate, and input is streamed.
    """
    from .ingest import DEFAULT_MAX_BYTES, read_inputs

    seen: set[str] = set()
    batch: list[Article] = []

    def take() -> tuple[list[Article], int]:
        stored = store.existing_article_ids([a.article_id for a in batch])
        todo = [a for a in batch if a.article_id not in stored]
        report.duplicates += len(batch) - len(todo)
        n = len(batch)
        batch.clear()
        return todo, n

    with times.stage("ingest"):
        items = iter(read_inputs(paths, max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes, stdin=stdin))
    while True:
        with times.stage("ingest"):
            item = next(items, None)
        if item is None:
            break
        if isinstance(item, ConflictLensError):
            record_error(report, item, on_error=on_error)
            if on_progress and not item.is_warning:
                on_progress(1)
            continue
        if item.article_id in seen:
            report.duplicates += 1
            continue
        seen.add(item.article_id)
        batch.append(item)
        if len(batch) >= size:
            yield take()
    if batch:
        yield take()


def run_ingest(
    store: "Store",
    paths: Iterable[str],
    *,
    pipeline: Pipeline | None = None,
    max_bytes: int | None = None,
    stdin: TextIO | None = None,
    on_error: Callable[[ConflictLensError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store``: read, skip what is stored, process in batches, write per article.

    ``on_error`` is called with each error or warning as it happens; ``on_progress`` with the number of
    inputs just handled. Bad inputs never stop the run; they are counted in the report.
    """
    pipeline = pipeline or Pipeline()
    report = IngestReport()
    batches = new_article_batches(
        store, paths, report, size=pipeline.batch_size, times=pipeline.times, max_bytes=max_bytes, stdin=stdin,
        on_error=on_error, on_progress=on_progress,
    )
    for todo, n_inputs in batches:
        write_results(store, pipeline.process(todo) if todo else [], report, times=pipeline.times, on_error=on_error)
        if on_progress:
            on_progress(n_inputs)
    return report


def extract_text(
    text: str,
    *,
    published: str | None = None,
    title: str | None = None,
    pipeline: Pipeline | None = None,
) -> list[Event]:
    """Extract the events one text reports, with no database: the notebook entry point."""
    from .ingest import article_id_for, normalise_text

    body = normalise_text(text)
    article = Article(article_id=article_id_for(body), text=body, title=title, published=published)
    (result,) = (pipeline or Pipeline()).process([article])
    if isinstance(result, ConflictLensError):
        raise result
    return events_for_article(result.article, result.mentions)
