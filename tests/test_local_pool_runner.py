"""The local process-pool runner (``ingest --workers N``) gives exactly the database the single-process runner
gives, keeps memory bounded, and stops with a clear E406 when a worker cannot start or dies.

One pool of 2 worker processes (each loads the language model once) serves most of the module; the CLI test
starts its own through ``conflictlens ingest --workers 2``.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess

import pytest
from cli_helpers import SCRIPT
from runner_helpers import assert_same_database, counts, dump, single_process_run, write_corpus

from conflictlens.errors import ConflictLensError, ResourceError
from conflictlens.pipeline import IngestReport
from conflictlens.runners import local_pool
from conflictlens.runners.common import WorkerStats
from conflictlens.runners.local_pool import LocalPool, run_ingest_local
from conflictlens.store import Store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("pool-corpus"))


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory) -> tuple[str, dict, int]:
    return single_process_run(corpus, tmp_path_factory.mktemp("local"))


@pytest.fixture(scope="module")
def pool():
    with LocalPool(2) as started:
        yield started


def test_pool_starts_every_worker_with_its_resources_loaded(pool):
    assert len(pool.load_seconds) == 2 and os.getpid() not in pool.load_seconds
    assert all(seconds > 0 for seconds in pool.load_seconds.values())


def test_pool_run_writes_the_same_database_as_the_local_run(corpus, local_run, pool, tmp_path):
    local_url, local_counts, local_progress = local_run
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    progress: list[int] = []
    stats = WorkerStats()
    with Store.open(url) as store:
        # small partitions, so that several are in flight at once and finish out of order
        report = run_ingest_local(store, corpus, pool=pool, partition_size=3, batch_size=8,
                                  on_progress=progress.append, worker_stats=stats)
    assert counts(report) == local_counts
    assert sum(progress) == local_progress
    assert_same_database(url, local_url)
    assert len(dump(url)["events"]) == local_counts["events"] > 0
    assert set(stats.tasks) <= set(pool.load_seconds) and sum(stats.tasks.values()) == 14  # ceil(40 / 3)
    assert all(mb > 0 for mb in stats.peak_rss_mb.values()) and sum(stats.cpu_seconds.values()) > 0


def test_memory_stays_bounded_and_a_rerun_skips_everything(corpus, local_run, pool, tmp_path, monkeypatch):
    outstanding: list[int] = []
    collected: list[int] = []
    real_submit, real_collect = pool.submit, pool.collect

    def counting_submit(articles, **kwargs):
        outstanding.append(len(outstanding) + 1 - len(collected))  # submitted and not yet collected
        return real_submit(articles, **kwargs)

    def counting_collect(future):
        collected.append(1)
        return real_collect(future)

    monkeypatch.setattr(pool, "submit", counting_submit)
    monkeypatch.setattr(pool, "collect", counting_collect)
    url = f"sqlite:///{tmp_path / 'bounded.db'}"
    with Store.open(url) as store:
        first = run_ingest_local(store, corpus, pool=pool, partition_size=2, max_in_flight=3)
        assert len(outstanding) == 20 and max(outstanding) <= 3
        again = run_ingest_local(store, corpus, pool=pool, partition_size=2, max_in_flight=3)
    assert first.ingested == 40
    assert (again.ingested, again.duplicates, again.failed) == (0, 41, 5)
    assert len(outstanding) == 20  # nothing new: no task was submitted on the re-run
    assert dump(url)["events"] == dump(local_run[0])["events"]


def test_cli_ingest_with_workers_matches_the_local_run(corpus, local_run, tmp_path):
    assert SCRIPT, "the conflictlens console script is not installed"
    db = tmp_path / "cli.db"
    proc = subprocess.run([SCRIPT, "ingest", *corpus, "--db", f"sqlite:///{db}", "--workers", "2",
                           "--batch-size", "8"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # some inputs failed, by design
    assert "ingested 40, duplicate 1, failed 5" in proc.stderr
    assert_same_database(f"sqlite:///{db}", local_run[0])


def test_a_worker_that_cannot_load_the_model_is_e406_naming_the_cause(monkeypatch):
    monkeypatch.setenv("CONFLICTLENS_MODEL", "no_such_model_package")  # the workers inherit the environment
    with pytest.raises(ResourceError) as err:
        LocalPool(1).start()
    assert err.value.code == "E406"
    assert "E401" in str(err.value) and "no_such_model_package" in str(err.value)


def test_a_worker_that_dies_mid_run_is_e406(corpus, tmp_path):
    with LocalPool(1) as doomed:
        (pid,) = doomed.load_seconds
        os.kill(pid, signal.SIGKILL)
        with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store, pytest.raises(ResourceError) as err:
            run_ingest_local(store, corpus, pool=doomed, partition_size=4)
    assert err.value.code == "E406" and "died" in str(err.value)


def test_errors_cross_process_boundaries_whole():
    error = ConflictLensError("E402", "ValueError: bad span", path="wire.jsonl", line=7)
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.code, back.detail, back.path, back.line, str(back)) == (
        ConflictLensError, "E402", "ValueError: bad span", "wire.jsonl", 7, str(error))
    assert type(pickle.loads(pickle.dumps(ResourceError("E406", "x")))) is ResourceError


def test_cli_workers_option_runs_the_pool_runner(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from conflictlens.cli import main

    calls = []

    def fake(store, paths, **kwargs):
        calls.append(kwargs)
        return IngestReport(ingested=1)

    monkeypatch.setattr(local_pool, "run_ingest_local", fake)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = CliRunner().invoke(main, ["ingest", "x.txt", "--db", db, "--workers", "3", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["workers"] == 3 and calls[0]["batch_size"] == 4
    result = CliRunner().invoke(main, ["ingest", "x.txt", "--db", db, "--runner", "pool"])
    assert result.exit_code == 2 and "--runner goes with --workers" in result.output and len(calls) == 1


def test_benchmark_reports_the_pool_run_against_bare_spacy(tmp_path):
    import json

    from runner_helpers import generated_articles

    from conflictlens.benchmark import format_benchmark, run_benchmark

    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in generated_articles(8)), encoding="utf-8")
    result = run_benchmark(corpus, workers=2, compare_bare=True, partition_size=2)
    full = result["full"]
    assert (full["docs"], full["runner"], full["workers"], len(full["worker_peak_rss_mb"])) == (8, "pool", 2, 2)
    assert full["cpu_seconds"] >= full["task_cpu_seconds"] > 0 and result["bare"]["cpu_ms_per_doc"] > 0
    text = format_benchmark(result)
    assert "peak RSS per worker" in text and "CPU ms/doc: this process" in text
    last = text.splitlines()[-1]
    assert last.startswith("ratio_to_bare=") and "docs_per_s=" in last and "cpu_ms_per_doc=" in last
