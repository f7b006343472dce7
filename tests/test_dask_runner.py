"""The Dask runner gives exactly the database the single-process runner gives, on a small generated corpus.

One local Dask cluster of 2 worker processes, started the way ``--workers 2 --runner dask`` starts it, serves the
module (each worker loads the language model once); the CLI test reaches it with ``--scheduler ADDRESS``. The
corpus and the database dump are shared with the local process-pool runner's tests (``runner_helpers``).
"""

from __future__ import annotations

import subprocess

import pytest

pytest.importorskip("distributed", reason="the Dask runner needs dask[distributed]")

from cli_helpers import SCRIPT  # noqa: E402
from runner_helpers import assert_same_database, counts, dump, single_process_run, write_corpus  # noqa: E402

from conflictlens.pipeline import IngestReport  # noqa: E402
from conflictlens.runners import common, dask_runner  # noqa: E402
from conflictlens.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """40 reports in a JSONL file and text files, a repeated text, and a few inputs that must fail."""
    return write_corpus(tmp_path_factory.mktemp("dask-corpus"))


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory) -> tuple[str, dict, int]:
    return single_process_run(corpus, tmp_path_factory.mktemp("local"))


@pytest.fixture(scope="module")
def client():
    with dask_runner.dask_client(workers=2) as dask_client:
        yield dask_client


def test_dask_run_writes_the_same_database_as_the_local_run(corpus, local_run, client, tmp_path):
    local_url, local_counts, local_progress = local_run
    url = f"sqlite:///{tmp_path / 'dask.db'}"
    progress: list[int] = []
    with Store.open(url) as store:
        # small partitions, so that several are in flight at once and finish out of order
        report = dask_runner.run_ingest_dask(store, corpus, client=client, partition_size=3, batch_size=8,
                                             on_progress=progress.append)
    assert counts(report) == local_counts
    assert sum(progress) == local_progress
    assert_same_database(url, local_url)
    assert len(dump(url)["events"]) == local_counts["events"] > 0


def test_memory_stays_bounded_and_a_rerun_skips_everything(corpus, local_run, client, tmp_path, monkeypatch):
    written: list[int] = []
    outstanding: list[int] = []
    real_write = common.write_results

    def counting_write(*args, **kwargs):
        written.append(1)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(common, "write_results", counting_write)
    url = f"sqlite:///{tmp_path / 'bounded.db'}"
    with Store.open(url) as store:
        real_submit = client.submit

        def counting_submit(*args, **kwargs):
            outstanding.append(len(outstanding) + 1 - len(written))  # submitted and not yet written
            return real_submit(*args, **kwargs)

        monkeypatch.setattr(client, "submit", counting_submit)
        first = dask_runner.run_ingest_dask(store, corpus, client=client, partition_size=2, max_in_flight=3)
        assert len(outstanding) == 20 and max(outstanding) <= 3
        again = dask_runner.run_ingest_dask(store, corpus, client=client, partition_size=2, max_in_flight=3)
    assert first.ingested == 40
    assert (again.ingested, again.duplicates, again.failed) == (0, 41, 5)
    assert len(outstanding) == 20  # nothing new: no task was submitted on the re-run
    assert dump(url)["events"] == dump(local_run[0])["events"]


def test_cli_ingest_on_a_dask_cluster_matches_the_local_run(corpus, local_run, client, tmp_path):
    assert SCRIPT, "the conflictlens console script is not installed"
    db = tmp_path / "cli.db"
    address = client.scheduler.address
    proc = subprocess.run([SCRIPT, "ingest", *corpus, "--db", f"sqlite:///{db}", "--scheduler", address,
                           "--batch-size", "8"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # some inputs failed, by design
    assert "ingested 40, duplicate 1, failed 5" in proc.stderr
    assert dump(f"sqlite:///{db}") == dump(local_run[0])


def test_unreachable_scheduler_is_e404(tmp_path, monkeypatch):
    from conflictlens.errors import ResourceError

    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT_S", 1)
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store, pytest.raises(ResourceError) as err:
        dask_runner.run_ingest_dask(store, [], scheduler="tcp://127.0.0.1:9")
    assert err.value.code == "E404"


def test_cli_runner_dask_option_runs_the_dask_runner(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from conflictlens.cli import main

    calls = []

    def fake(store, paths, **kwargs):
        calls.append(kwargs)
        return IngestReport(ingested=1)

    monkeypatch.setattr(dask_runner, "run_ingest_dask", fake)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = CliRunner().invoke(main, ["ingest", "x.txt", "--db", db, "--workers", "3", "--runner", "dask",
                                       "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["workers"] == 3 and calls[0]["scheduler"] is None and calls[0]["batch_size"] == 4
    result = CliRunner().invoke(main, ["ingest", "x.txt", "--db", db, "--workers", "2", "--scheduler", "tcp://h:1"])
    assert result.exit_code == 2 and len(calls) == 1
