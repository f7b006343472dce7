"""Throughput, CPU and memory benchmark: the full pipeline (and optionally the bare spaCy pipeline) on a corpus.

The full pipeline runs in this process, or with ``workers`` on a local process pool (``runner="pool"``, what
``ingest --workers`` uses) or a local Dask cluster (``runner="dask"``). Besides wall-clock docs/s it reports CPU
seconds per document over this process and every worker process (with ``psutil``; else this process plus the
CPU the workers' tasks used), which stays comparable when other jobs share the machine and wall-clock figures
do not. Start-up (starting workers, loading the model) is reported apart from throughput.

Prints figures; never asserts on time. Used by ``conflictlens benchmark`` and ``benchmarks/run.sh``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from .errors import ConflictLensError
from .timing import StageTimes, cpu_seconds, peak_rss_mb, process_tree_cpu

RUNNERS = ("pool", "dask")


def read_corpus_texts(path: str | Path, *, limit: int | None = None, text_field: str = "text") -> list[str]:
    """The ``text_field`` fields of a JSON Lines corpus (for the bare-pipeline baseline)."""
    texts: list[str] = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and len(texts) >= limit:
                    break
                line = line.strip()
                if line:
                    record = json.loads(line)
                    if isinstance(record, dict) and isinstance(record.get(text_field), str):
                        texts.append(record[text_field])
    except OSError as exc:
        raise ConflictLensError("E501", str(exc), path=str(path)) from exc
    return texts


def limited_copy(path: str | Path, limit: int | None, workdir: Path, *, text_field: str = "text") -> Path:
    """The first ``limit`` lines of a JSONL file (all if None), copied so ingest reads exactly the benchmarked
    docs; with another ``text_field`` (MUC-4's ``doctext``), each record's text is moved to ``text``."""
    out = workdir / "corpus.jsonl"
    try:
        with open(path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if limit is not None and i >= limit:
                    break
                if text_field != "text" and line.strip():
                    record = json.loads(line)
                    if isinstance(record, dict) and text_field in record:
                        record["text"] = record.pop(text_field)
                    line = json.dumps(record, ensure_ascii=False) + "\n"
                dst.write(line)
    except (OSError, ValueError) as exc:
        raise ConflictLensError("E501", str(exc), path=str(path)) from exc
    return out


def _rates(docs: int, words: int, seconds: float, cpu: float) -> dict[str, Any]:
    return {"docs": docs, "words": words, "seconds": seconds, "docs_per_s": docs / seconds if seconds else 0.0,
            "words_per_s": words / seconds if seconds else 0.0, "cpu_seconds": cpu,
            "cpu_ms_per_doc": 1000 * cpu / docs if docs else 0.0}


def run_bare(texts: list[str], *, batch_size: int) -> dict[str, Any]:
    """The bare spaCy pipeline (same model, same components) over ``texts``: the baseline to compare with.

    Run it in a fresh process (``run_bare_apart``) when the full pipeline is timed after it: annotating a
    corpus warms per-process caches (spaCy's vocabulary of lexemes, the lemmatizer's cache) that would make a
    later single-process run over the same texts ~10 % cheaper than a cold one, and than fresh workers.
    """
    from .nlp import annotate, load_nlp

    nlp = load_nlp()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    n = sum(1 for _ in annotate(texts, nlp, batch_size=batch_size))
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    return {**_rates(n, sum(len(t.split()) for t in texts), seconds, cpu), "peak_rss_mb": peak_rss_mb()}


def run_bare_apart(texts: list[str], *, batch_size: int) -> dict[str, Any]:
    """``run_bare`` in a fresh process of its own, so that it neither warms nor is warmed by other runs."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as apart:
        return apart.submit(run_bare, texts, batch_size=batch_size).result()


def run_full(path: str | Path, *, db_url: str | None, batch_size: int) -> dict[str, Any]:
    """Ingest -> extract -> resolve -> store -> fuse over ``path`` into ``db_url`` (a fresh database)."""
    from .pipeline import Pipeline, run_ingest
    from .store import Store

    times = StageTimes()
    pipeline = Pipeline(times=times, batch_size=batch_size)
    # Load resources before the clock starts: start-up is reported apart from throughput.
    pipeline.nlp
    pipeline.gazetteer
    pipeline.kb
    startup = dict(times.seconds)
    times.seconds.clear()
    with Store.open(db_url) as store:
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        report = run_ingest(store, [str(path)], pipeline=pipeline)
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    return {
        **_rates(report.ingested, report.words, seconds, cpu), "failed": report.failed,
        "stages": dict(times.seconds), "startup": startup, "peak_rss_mb": peak_rss_mb(),
        "mentions": report.mentions, "events": report.events,
    }


def run_full_workers(
    path: str | Path, *, db_url: str | None, batch_size: int, workers: int, runner: str = "pool",
    partition_size: int | None = None,
) -> dict[str, Any]:
    """The full pipeline on ``workers`` local worker processes: a process pool or (``runner="dask"``) a Dask
    cluster. Starting the workers and loading their resources happen before the clock starts.

    Worker stage times are summed over workers (so they may exceed the wall time); ``wait`` is this process
    waiting for results. ``cpu_seconds`` is this process plus every worker process over the timed run;
    ``task_cpu_seconds`` the part the workers spent inside tasks (the rest is the runner's own overhead).
    ``peak_rss_mb`` is the largest worker's peak (each holds one model); this process's is reported apart.
    """
    from .runners.common import WorkerStats
    from .store import Store

    if runner not in RUNNERS:
        raise ValueError(f"runner must be one of {RUNNERS}, not {runner!r}")
    times, stats = StageTimes(), WorkerStats()
    with contextlib.ExitStack() as stack:
        t0 = time.perf_counter()
        if runner == "dask":
            from .runners.dask_runner import DEFAULT_PARTITION_SIZE, dask_client, run_ingest_dask, warm_worker

            client = stack.enter_context(dask_client(workers=workers))
            startup = {"start_workers": time.perf_counter() - t0}
            startup["load_resources"] = max(client.run(warm_worker).values())  # in parallel on every worker
            run: Any = functools.partial(run_ingest_dask, client=client)
        else:
            from .runners.local_pool import DEFAULT_PARTITION_SIZE, LocalPool, run_ingest_local

            pool = stack.enter_context(LocalPool(workers))
            startup = {"start_workers": time.perf_counter() - t0,
                       "load_resources": max(pool.load_seconds.values(), default=0.0)}
            run = functools.partial(run_ingest_local, pool=pool)
        with Store.open(db_url) as store:
            tree0, cpu0, t0 = process_tree_cpu(), cpu_seconds(), time.perf_counter()
            report = run(store, [str(path)], batch_size=batch_size, times=times, worker_stats=stats,
                         partition_size=partition_size or DEFAULT_PARTITION_SIZE)
            seconds, tree1, cpu1 = time.perf_counter() - t0, process_tree_cpu(), cpu_seconds()
    task_cpu = sum(stats.cpu_seconds.values())
    if tree0 is not None and tree1 is not None:
        used = {pid: cpu - tree0.get(pid, 0.0) for pid, cpu in tree1.items()}
        own = used.pop(os.getpid(), cpu1 - cpu0)
        workers_cpu = sum(used.values())
    else:  # without psutil: the workers' time outside tasks is not seen
        own, workers_cpu = cpu1 - cpu0, task_cpu
    peaks = sorted(stats.peak_rss_mb.values())
    return {
        **_rates(report.ingested, report.words, seconds, own + workers_cpu), "failed": report.failed,
        "client_cpu_seconds": own, "workers_cpu_seconds": workers_cpu, "task_cpu_seconds": task_cpu,
        "cpu_per_process": tree0 is not None and tree1 is not None,
        "stages": dict(times.seconds), "startup": startup, "workers": workers, "runner": runner,
        "partition_size": partition_size or DEFAULT_PARTITION_SIZE,
        "peak_rss_mb": max(peaks, default=0.0), "worker_peak_rss_mb": peaks,
        "client_peak_rss_mb": peak_rss_mb(), "mentions": report.mentions, "events": report.events,
    }


def run_benchmark(
    path: str | Path, *, limit: int | None = None, db_url: str | None = None, compare_bare: bool = False,
    batch_size: int = 32, workers: int | None = None, runner: str = "pool", text_field: str = "text",
    partition_size: int | None = None,
) -> dict[str, Any]:
    """Benchmark the corpus at ``path``; the database defaults to a throw-away SQLite file.

    ``workers`` runs the full pipeline on that many local worker processes, with ``runner`` "pool" (a process
    pool, as ``ingest --workers``) or "dask" (a local Dask cluster); the bare baseline runs in one fresh process
    (every run starts cold, as a real ingest does).
    ``text_field`` names the field holding the text when it is not ``text``.
    """
    if not Path(path).is_file():
        raise ConflictLensError("E501", "corpus file not found", path=str(path))
    result: dict[str, Any] = {"corpus": str(path)}
    with tempfile.TemporaryDirectory(prefix="conflictlens-bench-") as tmp:
        copy = limit or text_field != "text"
        corpus = limited_copy(path, limit, Path(tmp), text_field=text_field) if copy else Path(path)
        if compare_bare:
            result["bare"] = run_bare_apart(read_corpus_texts(corpus), batch_size=batch_size)
        db = db_url or f"sqlite:///{tmp}/bench.db"
        if workers:
            result["full"] = run_full_workers(corpus, db_url=db, batch_size=batch_size, workers=workers,
                                              runner=runner, partition_size=partition_size)
        else:
            result["full"] = run_full(corpus, db_url=db, batch_size=batch_size)
    bare, full = result.get("bare"), result["full"]
    if bare and bare["docs_per_s"]:
        result["ratio_to_bare"] = full["docs_per_s"] / bare["docs_per_s"]
    if bare and bare["cpu_ms_per_doc"]:
        result["cpu_vs_bare"] = full["cpu_ms_per_doc"] / bare["cpu_ms_per_doc"]
    result["load_average"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    result["cpus"] = os.cpu_count()
    return result


def format_benchmark(result: dict[str, Any]) -> str:
    """Human-readable figures, ending with one machine-readable summary line."""
    lines = [f"corpus: {result['corpus']}"]
    full = result["full"]
    for name in ("bare", "full"):
        r = result.get(name)
        if not r:
            continue
        lines.append(
            f"{name:>5}: {r['docs']} docs, {r['words']} words in {r['seconds']:.2f} s -> "
            f"{r['docs_per_s']:.1f} docs/s, {r['words_per_s']:.0f} words/s; peak RSS {r['peak_rss_mb']:.0f} MB; "
            f"CPU {r['cpu_ms_per_doc']:.1f} ms/doc"
        )
    if full.get("workers"):
        n = full["docs"] or 1
        kind = "process pool" if full["runner"] == "pool" else "Dask cluster"
        peaks = ", ".join(f"{mb:.0f}" for mb in full["worker_peak_rss_mb"])
        lines.append(f"workers: {full['workers']} ({kind}, partitions of {full['partition_size']}); peak RSS per "
                     f"worker {peaks} MB; this process's peak RSS {full['client_peak_rss_mb']:.0f} MB")
        outside = (f", of which in tasks {1000 * full['task_cpu_seconds'] / n:.1f}" if full["cpu_per_process"]
                   else " (in tasks only: install psutil to see the rest)")
        lines.append(f"CPU ms/doc: this process {1000 * full['client_cpu_seconds'] / n:.1f}; "
                     f"workers {1000 * full['workers_cpu_seconds'] / n:.1f}{outside}")
    if full.get("startup"):
        lines.append("start-up: " + ", ".join(f"{k} {v:.2f} s" for k, v in full["startup"].items()))
    total = sum(full["stages"].values()) or 1.0
    lines.append("time per stage (full pipeline" + (
        "; worker stages summed over workers, wait = this process waiting for results):"
        if full.get("workers") else "):"))
    for stage, seconds in full["stages"].items():
        per_doc = 1000 * seconds / full["docs"] if full["docs"] else 0.0
        lines.append(f"  {stage:<10} {seconds:8.2f} s  {100 * seconds / total:5.1f}%  {per_doc:7.2f} ms/doc")
    lines.append(f"found {full['mentions']} incident mentions, {full['events']} events; {full['failed']} failed")
    if result.get("load_average"):
        lines.append(f"machine: {result['cpus']} CPUs; load average "
                     + " ".join(f"{x:.2f}" for x in result["load_average"]) + " (at the end)")
    ratio, cpu_ratio = result.get("ratio_to_bare"), result.get("cpu_vs_bare")
    summary = (f"docs_per_s={full['docs_per_s']:.2f} peak_rss_mb={full['peak_rss_mb']:.0f} "
               f"cpu_ms_per_doc={full['cpu_ms_per_doc']:.1f}")
    prefix = (f"ratio_to_bare={ratio:.3f} " if ratio is not None else "") + (
        f"cpu_vs_bare={cpu_ratio:.3f} " if cpu_ratio is not None else "")
    lines.append(prefix + summary)
    return "\n".join(lines)
