"""Throughput and memory benchmark: the full pipeline (and optionally the bare spaCy pipeline) on a corpus.

Prints figures; never asserts on time. Used by ``conflictlens benchmark`` and ``benchmarks/run.sh``.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from .errors import ConflictLensError
from .timing import StageTimes, peak_rss_mb


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


def run_bare(texts: list[str], *, batch_size: int) -> dict[str, Any]:
    """The bare spaCy pipeline (same model, same components) over ``texts``: the baseline to compare with."""
    from .nlp import annotate, load_nlp

    nlp = load_nlp()
    t0 = time.perf_counter()
    n = sum(1 for _ in annotate(texts, nlp, batch_size=batch_size))
    seconds = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {"docs": n, "words": words, "seconds": seconds, "docs_per_s": n / seconds if seconds else 0.0,
            "words_per_s": words / seconds if seconds else 0.0, "peak_rss_mb": peak_rss_mb()}


def run_full(path: str | Path, *, db_url: str | None, batch_size: int) -> dict[str, Any]:
    """Ingest -> extract -> resolve -> store -> fuse over ``path`` into ``db_url`` (a fresh database)."""
    from .pipeline import Pipeline, run_ingest
    from .store import Store

    times = StageTimes()
    pipeline = Pipeline(times=times, batch_size=batch_size)
    # Load resources before the clock starts: start-up is reported apart from throughput.
    pipeline.nlp
    pipeline.gazetteer
    startup = dict(times.seconds)
    times.seconds.clear()
    with Store.open(db_url) as store:
        t0 = time.perf_counter()
        report = run_ingest(store, [str(path)], pipeline=pipeline)
        seconds = time.perf_counter() - t0
    docs = report.ingested
    return {
        "docs": docs, "words": report.words, "seconds": seconds, "failed": report.failed,
        "docs_per_s": docs / seconds if seconds else 0.0,
        "words_per_s": report.words / seconds if seconds else 0.0,
        "stages": dict(times.seconds), "startup": startup, "peak_rss_mb": peak_rss_mb(),
        "mentions": report.mentions, "events": report.events,
    }


def run_full_dask(
    path: str | Path, *, db_url: str | None, batch_size: int, workers: int, partition_size: int
) -> dict[str, Any]:
    """The full pipeline with the Dask runner on a local cluster of ``workers`` processes.

    Cluster start-up and each worker's model loading happen before the clock starts. Worker stage times are
    summed over workers (so they may exceed the wall time); ``wait`` is the client waiting for results.
    ``peak_rss_mb`` is the largest worker's peak (each worker holds one model); the client's is reported apart.
    """
    from .runners.dask_runner import dask_client, run_ingest_dask, warm_worker, worker_peak_rss_mb
    from .store import Store

    times = StageTimes()
    t0 = time.perf_counter()
    with dask_client(workers=workers) as client:
        startup = {"start_cluster": time.perf_counter() - t0}
        startup["load_resources"] = max(client.run(warm_worker).values())  # in parallel on every worker
        with Store.open(db_url) as store:
            t0 = time.perf_counter()
            report = run_ingest_dask(store, [str(path)], client=client, batch_size=batch_size,
                                     partition_size=partition_size, times=times)
            seconds = time.perf_counter() - t0
        worker_peaks = sorted(client.run(worker_peak_rss_mb).values())
    docs = report.ingested
    return {
        "docs": docs, "words": report.words, "seconds": seconds, "failed": report.failed,
        "docs_per_s": docs / seconds if seconds else 0.0,
        "words_per_s": report.words / seconds if seconds else 0.0,
        "stages": dict(times.seconds), "startup": startup, "workers": workers,
        "peak_rss_mb": max(worker_peaks, default=0.0), "worker_peak_rss_mb": worker_peaks,
        "client_peak_rss_mb": peak_rss_mb(), "mentions": report.mentions, "events": report.events,
    }


def run_benchmark(
    path: str | Path, *, limit: int | None = None, db_url: str | None = None, compare_bare: bool = False,
    batch_size: int = 32, workers: int | None = None, text_field: str = "text", partition_size: int = 64,
) -> dict[str, Any]:
    """Benchmark the corpus at ``path``; the database defaults to a throw-away SQLite file.

    ``workers`` runs the full pipeline on a local Dask cluster of that many processes (the bare baseline
    stays one process). ``text_field`` names the field holding the text when it is not ``text``.
    """
    if not Path(path).is_file():
        raise ConflictLensError("E501", "corpus file not found", path=str(path))
    result: dict[str, Any] = {"corpus": str(path)}
    with tempfile.TemporaryDirectory(prefix="conflictlens-bench-") as tmp:
        copy = limit or text_field != "text"
        corpus = limited_copy(path, limit, Path(tmp), text_field=text_field) if copy else Path(path)
        if compare_bare:
            result["bare"] = run_bare(read_corpus_texts(corpus), batch_size=batch_size)
        db = db_url or f"sqlite:///{tmp}/bench.db"
        if workers:
            result["full"] = run_full_dask(corpus, db_url=db, batch_size=batch_size, workers=workers,
                                           partition_size=partition_size)
        else:
            result["full"] = run_full(corpus, db_url=db, batch_size=batch_size)
    if compare_bare and result["bare"]["docs_per_s"]:
        result["ratio_to_bare"] = result["full"]["docs_per_s"] / result["bare"]["docs_per_s"]
    return result


def format_benchmark(result: dict[str, Any]) -> str:
    """Human-readable figures, ending with one machine-readable summary line."""
    lines = [f"corpus: {result['corpus']}"]
    for name in ("bare", "full"):
        r = result.get(name)
        if not r:
            continue
        lines.append(
            f"{name:>5}: {r['docs']} docs, {r['words']} words in {r['seconds']:.2f} s -> "
            f"{r['docs_per_s']:.1f} docs/s, {r['words_per_s']:.0f} words/s; peak RSS {r['peak_rss_mb']:.0f} MB"
        )
    full = result["full"]
    if full.get("workers"):
        peaks = ", ".join(f"{mb:.0f}" for mb in full["worker_peak_rss_mb"])
        lines.append(f"dask: {full['workers']} worker processes, peak RSS per worker {peaks} MB; "
                     f"client peak RSS {full['client_peak_rss_mb']:.0f} MB")
    if full.get("startup"):
        lines.append("start-up: " + ", ".join(f"{k} {v:.2f} s" for k, v in full["startup"].items()))
    total = sum(full["stages"].values()) or 1.0
    lines.append("time per stage (full pipeline" + (
        "; worker stages summed over workers, wait = client waiting for results):" if full.get("workers") else "):"))
    for stage, seconds in full["stages"].items():
        per_doc = 1000 * seconds / full["docs"] if full["docs"] else 0.0
        lines.append(f"  {stage:<10} {seconds:8.2f} s  {100 * seconds / total:5.1f}%  {per_doc:7.2f} ms/doc")
    lines.append(f"found {full['mentions']} incident mentions, {full['events']} events; {full['failed']} failed")
    ratio = result.get("ratio_to_bare")
    summary = f"docs_per_s={full['docs_per_s']:.2f} peak_rss_mb={full['peak_rss_mb']:.0f}"
    lines.append((f"ratio_to_bare={ratio:.3f} " if ratio is not None else "") + summary)
    return "\n".join(lines)
