"""Ingest on a Dask cluster: workers annotate, extract and resolve; the client reads and writes.

``run_ingest_dask`` streams the inputs, cuts the new articles into partitions and submits each partition as
one task (``process_partition``: ``Pipeline.process`` over the partition, so ``nlp.pipe`` sees a whole batch).
At most ``max_in_flight`` partitions (default 2 x workers) are submitted and not yet written, so memory stays
bounded however large the corpus. Results are written by the client, through the same ``write_results`` as
the single-process runner, in input order: the database ends up exactly as a single-process run leaves it.

Why the task functions live here: a function defined in ``__main__`` is pickled by value together with the
globals it uses, and a loaded spaCy model among them ships with every task (workers fill up and hang). These
functions are pickled by reference, and each worker process loads the language model and the gazetteer once,
through the per-process caches of ``nlp.load_nlp`` and ``Gazetteer.load``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ConflictLensError, ResourceError
from ..model import Article
from ..pipeline import DEFAULT_BATCH_SIZE, IngestReport, Pipeline, Processed, new_article_batches, write_results
from ..timing import StageTimes, peak_rss_mb

if TYPE_CHECKING:
    from distributed import Client, Future

    from ..store import Store

log = logging.getLogger(__name__)

DEFAULT_PARTITION_SIZE = 64
CONNECT_TIMEOUT_S = 30


# --- worker side ------------------------------------------------------------------------------------------


@dataclass
class PartitionResult:
    """What one task sends back: the processed articles in input order and the seconds per stage."""

    results: list[Processed | ConflictLensError]
    seconds: dict[str, float] = field(default_factory=dict)


def worker_resources() -> tuple[Any, Any]:
    """This process's language model and gazetteer: loaded on the first call, cached by their loaders."""
    from ..nlp import load_nlp
    from ..resolve import Gazetteer

    return load_nlp(), Gazetteer.load()


def warm_worker() -> float:
    """Load the worker's resources now (seconds taken), so that start-up is not timed as throughput."""
    t0 = time.perf_counter()
    worker_resources()
    return time.perf_counter() - t0


def worker_peak_rss_mb() -> float:
    """Peak RSS of the worker process this runs in (for ``Client.run``)."""
    return peak_rss_mb()


def process_partition(articles: list[Article], batch_size: int = DEFAULT_BATCH_SIZE) -> PartitionResult:
    """The task: ``Pipeline.process`` over one partition, with the worker's cached model and gazetteer."""
    nlp, gazetteer = worker_resources()
    times = StageTimes()
    results = Pipeline(nlp=nlp, gazetteer=gazetteer, times=times, batch_size=batch_size).process(articles)
    return PartitionResult(results, dict(times.seconds))


# --- client side ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None) -> Iterator["Client"]:
    """A Dask client: to the cluster at ``scheduler`` if given, else to a local cluster of ``workers`` processes
    (one thread each). The local cluster is shut down on exit. Raises ``ResourceError`` E404 if Dask is not
    installed or the cluster cannot be started or reached."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ResourceError("E404", "dask is not installed; install it with: pip install 'dask[distributed]'") from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ResourceError("E404", f"scheduler {scheduler}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    n = max(1, workers or 1)
    try:
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
    except (OSError, TimeoutError, RuntimeError) as exc:
        hint = " (a script that starts a local cluster needs an `if __name__ == \"__main__\":` guard)"
        raise ResourceError("E404", f"local cluster of {n} workers: {exc}{hint}") from exc
    try:
        client = Client(cluster, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def worker_count(client: "Client") -> int:
    """How many tasks the cluster runs at once (its worker threads), at least 1."""
    return max(1, sum(client.nthreads().values()))


def _result(future: "Future") -> PartitionResult:
    """The task's result; a task that raised re-raises here, a lost worker or cluster becomes E404."""
    from distributed import KilledWorker
    from distributed.comm import CommClosedError

    try:
        return future.result()
    except (KilledWorker, CommClosedError, OSError, TimeoutError) as exc:
        raise ResourceError("E404", f"{type(exc).__name__}: {exc}") from exc


def run_ingest_dask(
    store: "Store",
    paths: Iterable[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: "Client | None" = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_in_flight: int | None = None,
    max_bytes: int | None = None,
    stdin: TextIO | None = None,
    times: StageTimes | None = None,
    on_error: Callable[[ConflictLensError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` like ``pipeline.run_ingest``, processing partitions on a Dask cluster.

    The cluster is ``client`` if given, else the one at ``scheduler``, else a local cluster of ``workers``
    processes started for this call (pass ``client`` to keep workers, and their loaded model, across calls).
    ``times`` gathers the client's stages (ingest, wait, store) and the workers' stages summed over tasks;
    ``Client.run(worker_peak_rss_mb)`` gives each worker's peak memory afterwards. Raises ``ResourceError``
    E404 when the cluster cannot be reached or loses its workers.
    """
    if client is None:
        with dask_client(workers=workers, scheduler=scheduler) as own:
            return run_ingest_dask(
                store, paths, client=own, partition_size=partition_size, batch_size=batch_size,
                max_in_flight=max_in_flight, max_bytes=max_bytes, stdin=stdin, times=times,
                on_error=on_error, on_progress=on_progress,
            )
    times = times if times is not None else StageTimes()
    limit_in_flight = max_in_flight or 2 * worker_count(client)
    report = IngestReport()
    # (future or None when nothing in the partition was new, inputs the partition stands for)
    in_flight: deque[tuple[Future | None, int]] = deque()

    def write_next() -> None:
        future, n_inputs = in_flight.popleft()
        if future is not None:
            with times.stage("wait"):
                done = _result(future)
            future.release()
            for stage, seconds in done.seconds.items():
                times.add(stage, seconds)
            write_results(store, done.results, report, times=times, on_error=on_error)
        if on_progress:
            on_progress(n_inputs)

    batches = new_article_batches(
        store, paths, report, size=max(1, partition_size), times=times, max_bytes=max_bytes, stdin=stdin,
        on_error=on_error, on_progress=on_progress,
    )
    for todo, n_inputs in batches:
        future = client.submit(process_partition, todo, batch_size, pure=False) if todo else None
        in_flight.append((future, n_inputs))
        while len(in_flight) >= limit_in_flight:
            write_next()
        while in_flight and (in_flight[0][0] is None or in_flight[0][0].done()):
            write_next()  # write what is ready, in order, without waiting
    while in_flight:
        write_next()
    return report
