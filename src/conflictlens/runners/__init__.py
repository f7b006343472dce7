"""Runners other than the single-process one in ``pipeline.py``.

Every runner reads inputs with ``ingest.read_inputs``, processes articles with ``Pipeline.process`` and writes
them with ``pipeline.write_results`` in input order (``common.run_partitions``); they differ only in where
``Pipeline.process`` runs: ``local_pool`` in local worker processes (``ingest --workers N``), ``dask_runner`` on a
Dask cluster (``--runner dask``, ``--scheduler ADDRESS``). Both are imported on use, so that ``dask`` stays an
optional dependency (``from conflictlens.runners.dask_runner import run_ingest_dask``).
"""
