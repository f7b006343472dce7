"""Ingest on a Dask cluster: workers annotate, extract and resolve; the client reads and writes.

``run_ingest_dask`` streams the inputs, cuts the new articles into partitions and submits each partition as
one task (``common.process_partition``: ``Pipeline.process`` over the partition, so ``nlp.pipe`` sees a whole
batch). At most ``max_in_flight`` partitions (default 2 x workers) are submitted and not yet written, so memory
stays bounded however large the corpus. Results are written by the client, through the same ``write_results``
as the single-process runner, in input order (``common.run_partitions``): the database ends up exactly as a
single-process run leaves it.

The task functions live in ``runners.common`` (re-exported here), an importable module, so they are pickled by
reference: a function defined in ``__main__`` would be pickled by value together with the globals it uses, a
loaded spaCy model among them, and ship with every task (workers fill up and hang). Each worker process loads
the language model, gazetteer and actor KB once, through their per-process caches.

On one machine the local process pool of ``runners.local_pool`` does the same work with less overhead; this
runner is for ``--scheduler ADDRESS`` (an existing cluster) or when asked for with ``--runner dask``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from ..errors import ConflictLensError, ResourceError
from ..pipeline import DEFAULT_BATCH_SIZE, IngestReport
from ..timing import StageTimes
from .common import (  # noqa: F401  (the task functions, importable from here as before)
    PartitionResult,
    WorkerStats,
    process_partition,
    run_partitions,
    warm_worker,
    worker_peak_rss_mb,
    worker_resources,
)

if TYPE_CHECKING:
    from distributed import Client, Future

    from ..store import Store

log = logging.getLogger(__name__)

DEFAULT_PARTITION_SIZE = 64
CONNECT_TIMEOUT_S = 30


# --- client side ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None) -> Iterator["Client"]:
    """A Dask client: to the cluster at ``scheduler`` if given, else to a local cluster of ``workers`` processes
    (one thread each, Dask's worker profiler off). The local cluster is shut down on exit. Raises
    ``ResourceError`` E404 if Dask is not installed or the cluster cannot be started or reached."""
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
    import dask

    n = max(1, workers or 1)
    try:
        # Dask's statistical profiler samples each worker's stack every 10 ms: ~15 % more CPU per article here,
        # for a dashboard a local cluster does not serve. Workers take the config when they start.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
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
    worker_stats: WorkerStats | None = None,
    on_error: Callable[[ConflictLensError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` like ``pipeline.run_ingest``, processing partitions on a Dask cluster.

    The cluster is ``client`` if given, else the one at ``scheduler``, else a local cluster of ``workers``
    processes started for this call (pass ``client`` to keep workers, and their loaded model, across calls).
    ``times`` gathers the client's stages (ingest, wait, fuse, store) and the workers' stages summed over
    tasks; ``worker_stats`` each worker's CPU seconds in tasks and peak memory. Raises ``ResourceError`` E404
    when the cluster cannot be reached or loses its workers.
    """
    if client is None:
        with dask_client(workers=workers, scheduler=scheduler) as own:
            return run_ingest_dask(
                store, paths, client=own, partition_size=partition_size, batch_size=batch_size,
                max_in_flight=max_in_flight, max_bytes=max_bytes, stdin=stdin, times=times,
                worker_stats=worker_stats, on_error=on_error, on_progress=on_progress,
            )
    future_of = functools.partial(client.submit, process_partition, batch_size=batch_size, pure=False)

    def collect(future: "Future") -> PartitionResult:
        done = _result(future)
        future.release()
        return done

    return run_partitions(
        store, paths, submit=future_of, collect=collect, is_done=lambda future: future.done(),
        max_in_flight=max_in_flight or 2 * worker_count(client), partition_size=partition_size,
        max_bytes=max_bytes, stdin=stdin, times=times, worker_stats=worker_stats, on_error=on_error,
        on_progress=on_progress,
    )
