"""What every multi-process runner shares: the worker-side task and the client's in-order write loop.

Worker side: ``process_partition`` is the one task, ``Pipeline.process`` over a partition of articles with the
worker's cached language model, gazetteer and actor KB (each loaded once per process by its own loader). It
sends back the processed articles (plain records of a few KB each, never spaCy Docs), the seconds per stage,
the CPU seconds the task took and the worker's peak memory.

Client side: ``run_partitions`` reads the inputs (``pipeline.new_article_batches``), hands each partition of
new articles to ``submit``, keeps at most ``max_in_flight`` partitions submitted and not yet written, and
writes the results through ``pipeline.write_results`` in input order, so the database ends up exactly as a
single-process run leaves it. The Dask runner and the local process-pool runner differ only in ``submit``
and ``collect``.

These functions live in an importable module so that they are pickled by reference: a task function defined
in ``__main__`` would be pickled by value together with its globals (a loaded spaCy model among them).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ConflictLensError
from ..model import Article
from ..pipeline import DEFAULT_BATCH_SIZE, IngestReport, Pipeline, Processed, new_article_batches, write_results
from ..timing import StageTimes, peak_rss_mb

if TYPE_CHECKING:
    from ..store import Store


# --- worker side ------------------------------------------------------------------------------------------


@dataclass
class PartitionResult:
    """What one task sends back: the processed articles in input order, the seconds per stage, the CPU
    seconds the task used, and the worker process (``pid``) with its peak RSS so far."""

    results: list[Processed | ConflictLensError]
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    pid: int = 0
    peak_rss_mb: float = 0.0


def worker_resources() -> tuple[Any, Any, Any]:
    """This process's language model, gazetteer and actor KB: loaded on the first call, cached by their
    loaders (``nlp.load_nlp``, ``Gazetteer.load``, ``actor_stage.load_kb``)."""
    from ..nlp import load_nlp
    from ..resolve import Gazetteer
    from ..resolve.actor_stage import load_kb

    return load_nlp(), Gazetteer.load(), load_kb()


def warm_worker() -> float:
    """Load the worker's resources now (seconds taken), so that start-up is not timed as throughput."""
    t0 = time.perf_counter()
    worker_resources()
    return time.perf_counter() - t0


def worker_peak_rss_mb() -> float:
    """Peak RSS of the worker process this runs in."""
    return peak_rss_mb()


def process_partition(articles: list[Article], batch_size: int = DEFAULT_BATCH_SIZE) -> PartitionResult:
    """The task: ``Pipeline.process`` over one partition, with the worker's cached resources.

    A fresh pipeline per partition, so that what a partition yields does not depend on which worker ran the
    partitions before it (an actor name an article defines is known within its partition).
    """
    cpu0 = time.process_time()
    nlp, gazetteer, kb = worker_resources()
    times = StageTimes()
    results = Pipeline(nlp=nlp, gazetteer=gazetteer, kb=kb, times=times, batch_size=batch_size).process(articles)
    return PartitionResult(results, dict(times.seconds), cpu_seconds=time.process_time() - cpu0,
                           pid=os.getpid(), peak_rss_mb=peak_rss_mb())


# --- client side ------------------------------------------------------------------------------------------


@dataclass
class WorkerStats:
    """Per worker process (by pid): tasks run, CPU seconds in tasks, peak RSS in MiB. Filled by the runners."""

    tasks: dict[int, int] = field(default_factory=dict)
    cpu_seconds: dict[int, float] = field(default_factory=dict)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)

    def add(self, done: PartitionResult) -> None:
        self.tasks[done.pid] = self.tasks.get(done.pid, 0) + 1
        self.cpu_seconds[done.pid] = self.cpu_seconds.get(done.pid, 0.0) + done.cpu_seconds
        self.peak_rss_mb[done.pid] = max(self.peak_rss_mb.get(done.pid, 0.0), done.peak_rss_mb)


def run_partitions(
    store: "Store",
    paths: Iterable[str],
    *,
    submit: Callable[[list[Article]], Any],
    collect: Callable[[Any], PartitionResult],
    is_done: Callable[[Any], bool],
    max_in_flight: int,
    partition_size: int,
    max_bytes: int | None = None,
    stdin: TextIO | None = None,
    times: StageTimes | None = None,
    worker_stats: WorkerStats | None = None,
    on_error: Callable[[ConflictLensError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` with partitions processed elsewhere, written here in input order.

    ``submit(articles)`` starts one partition and returns a handle; ``collect(handle)`` waits for its
    ``PartitionResult`` (raising the runner's error when the task or its worker failed); ``is_done(handle)``
    says whether that would not wait. ``times`` gets the client's stages (ingest, wait, fuse, store) and the
    workers' stages summed over tasks; ``worker_stats`` gets each worker's CPU seconds and peak memory.
    """
    times = times if times is not None else StageTimes()
    report = IngestReport()
    in_flight: deque[tuple[Any, int]] = deque()  # (handle or None when nothing was new, inputs it stands for)

    def write_next() -> None:
        handle, n_inputs = in_flight.popleft()
        if handle is not None:
            with times.stage("wait"):
                done = collect(handle)
            for stage, seconds in done.seconds.items():
                times.add(stage, seconds)
            if worker_stats is not None:
                worker_stats.add(done)
            write_results(store, done.results, report, times=times, on_error=on_error)
        if on_progress:
            on_progress(n_inputs)

    batches = new_article_batches(
        store, paths, report, size=max(1, partition_size), times=times, max_bytes=max_bytes, stdin=stdin,
        on_error=on_error, on_progress=on_progress,
    )
    for todo, n_inputs in batches:
        in_flight.append((submit(todo) if todo else None, n_inputs))
        while len(in_flight) >= max(1, max_in_flight):
            write_next()
        while in_flight and (in_flight[0][0] is None or is_done(in_flight[0][0])):
            write_next()  # write what is ready, in order, without waiting
    while in_flight:
        write_next()
    return report
