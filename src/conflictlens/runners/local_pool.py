"""Ingest with a pool of local worker processes: the default for ``conflictlens ingest --workers N``.

``LocalPool`` starts N worker processes (``concurrent.futures.ProcessPoolExecutor``, 'spawn' start method, so
no lock or thread of the parent is inherited), and each loads the language model, gazetteer and actor KB once,
before any work is handed out. ``run_ingest_local`` then streams the inputs, cuts the new articles into
partitions, runs ``common.process_partition`` on each in a worker and writes the results in this process, in
input order, through the same ``write_results`` as the single-process runner (``common.run_partitions``): the
database ends up exactly as a single-process run leaves it. At most ``max_in_flight`` partitions (default 2 x
workers) are submitted and not yet written, so memory stays bounded however large the corpus.

Against the Dask runner on one machine: no scheduler, nanny, heartbeats or profiler sharing the cores with
the workers, and small partitions (32 articles) so that the workers finish together at the end of a run.
Workers return plain records (a few KB per article), never spaCy Docs.

A worker that cannot load its resources, or dies, stops the run with ``ResourceError`` E406 naming the cause.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ConflictLensError, ResourceError
from ..model import Article
from ..pipeline import DEFAULT_BATCH_SIZE, IngestReport
from ..timing import StageTimes
from .common import PartitionResult, WorkerStats, process_partition, run_partitions, warm_worker

if TYPE_CHECKING:
    from ..store import Store

DEFAULT_PARTITION_SIZE = 32
START_TIMEOUT_S = 600.0  # loading the model takes seconds; a slow disk or a busy machine may take longer

# This worker process's start-up: the barrier all workers meet at, the seconds loading took, the error if any.
_worker_state: dict[str, Any] = {}


# --- worker side ------------------------------------------------------------------------------------------


def _start_worker(barrier: Any, timeout: float) -> None:
    """Pool initializer: load this worker's resources once; remember a failure to report it, not raise it
    (an initializer that raises breaks the pool with no word of why)."""
    _worker_state["barrier"], _worker_state["timeout"] = barrier, timeout
    try:
        _worker_state["seconds"] = warm_worker()
    except Exception as exc:  # reported by _ready and by every task
        _worker_state["error"] = exc


def _ready() -> tuple[int, float, str | None]:
    """Wait until every worker has loaded (each runs exactly one of these), then say how it went."""
    _worker_state["barrier"].wait(_worker_state["timeout"])
    error = _worker_state.get("error")
    return os.getpid(), _worker_state.get("seconds", 0.0), None if error is None else f"{error}"


def _process(articles: list[Article], batch_size: int) -> PartitionResult:
    """``process_partition`` in a pool worker, raising the worker's start-up error if it had one."""
    error = _worker_state.get("error")
    if error is not None:
        raise error
    return process_partition(articles, batch_size)


# --- client side ------------------------------------------------------------------------------------------


def _failed(exc: BaseException) -> ResourceError:
    return ResourceError("E406", f"a worker process died ({type(exc).__name__}: {exc})")


class LocalPool:
    """``workers`` local worker processes, each with the language model loaded once; a context manager.

    ``start`` (or entering the ``with`` block) starts them and waits until all have loaded their resources;
    ``load_seconds`` maps each worker's pid to the seconds that took. Raises ``ResourceError`` E406 when a
    worker cannot load them (the message says why) or dies.
    """

    def __init__(self, workers: int, *, start_method: str = "spawn", start_timeout: float = START_TIMEOUT_S):
        self.workers = max(1, workers)
        self.start_method = start_method
        self.start_timeout = start_timeout
        self.load_seconds: dict[int, float] = {}
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalPool":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        if self._executor is not None:
            return
        ctx = multiprocessing.get_context(self.start_method)
        barrier = ctx.Barrier(self.workers)
        self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_start_worker,
                                             initargs=(barrier, self.start_timeout))
        # One _ready per worker: each blocks at the barrier until all have loaded, so no worker runs two and
        # the pool starts all of its processes.
        pending = [self._executor.submit(_ready) for _ in range(self.workers)]
        try:
            reports = [future.result(timeout=self.start_timeout + 30) for future in pending]
        except (BrokenProcessPool, OSError, TimeoutError, RuntimeError) as exc:
            self.close()
            raise ResourceError("E406", f"the {self.workers} worker processes did not start: "
                                        f"{type(exc).__name__}: {exc}") from exc
        errors = sorted({error for _, _, error in reports if error})
        if errors:
            self.close()
            raise ResourceError("E406", "a worker process could not load its resources: " + "; ".join(errors))
        self.load_seconds = {pid: seconds for pid, seconds, _ in reports}

    def submit(self, articles: list[Article], *, batch_size: int = DEFAULT_BATCH_SIZE) -> "Future[PartitionResult]":
        """Process one partition in a worker; ``collect`` the returned future for its result."""
        if self._executor is None:
            raise RuntimeError("LocalPool.submit before start")
        try:
            return self._executor.submit(_process, articles, batch_size)
        except BrokenProcessPool as exc:
            raise _failed(exc) from exc

    @staticmethod
    def collect(future: "Future[PartitionResult]") -> PartitionResult:
        """The partition's result; an exception the task raised is raised here, a dead worker is E406."""
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise _failed(exc) from exc

    def close(self) -> None:
        """Stop the workers (work not yet started is cancelled)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def run_ingest_local(
    store: "Store",
    paths: Iterable[str],
    *,
    workers: int | None = None,
    pool: LocalPool | None = None,
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
    """Ingest ``paths`` into ``store`` like ``pipeline.run_ingest``, processing partitions in local workers.

    The workers are ``pool`` if given (it is started if needed and left running, so its loaded models serve
    later calls), else a pool of ``workers`` processes (default: the CPUs) started and stopped for this call.
    ``times`` gathers this process's stages (ingest, wait, fuse, store) and the workers' stages summed over
    tasks; ``worker_stats`` each worker's CPU seconds in tasks and peak memory. Raises ``ResourceError`` E406
    when a worker cannot start or dies.
    """
    if pool is None:
        with LocalPool(workers or os.cpu_count() or 1) as own:
            return run_ingest_local(
                store, paths, pool=own, partition_size=partition_size, batch_size=batch_size,
                max_in_flight=max_in_flight, max_bytes=max_bytes, stdin=stdin, times=times,
                worker_stats=worker_stats, on_error=on_error, on_progress=on_progress,
            )
    pool.start()
    return run_partitions(
        store, paths, submit=lambda articles: pool.submit(articles, batch_size=batch_size), collect=pool.collect,
        is_done=lambda future: future.done(), max_in_flight=max_in_flight or 2 * pool.workers,
        partition_size=partition_size, max_bytes=max_bytes, stdin=stdin, times=times, worker_stats=worker_stats,
        on_error=on_error, on_progress=on_progress,
    )


__all__ = ["DEFAULT_PARTITION_SIZE", "LocalPool", "run_ingest_local"]
