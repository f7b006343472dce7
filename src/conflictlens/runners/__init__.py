"""Runners other than the single-process one in ``pipeline.py``.

Every runner reads inputs with ``ingest.read_inputs``, processes articles with ``Pipeline.process`` and writes
them with ``pipeline.write_results``; they differ only in where ``Pipeline.process`` runs. The Dask runner is
imported on use (``from conflictlens.runners.dask_runner import run_ingest_dask``) so that ``dask`` stays an
optional dependency.
"""
