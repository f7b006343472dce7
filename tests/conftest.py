"""Shared fixtures: the spaCy pipeline, loaded once per test session (it takes about a second)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from conflictlens.nlp import load_nlp

    return load_nlp()


# --- databases: SQLite always, PostgreSQL when CONFLICTLENS_TEST_PG_URL names a server -----------------------
# scripts/with-postgres.sh starts a throw-away server and sets the variable (.ci/run uses it). Each test (or
# module, for the *_module fixture) gets a database of its own, created under a unique name and dropped after.

import contextlib  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402

PG_URL_ENV = "CONFLICTLENS_TEST_PG_URL"
PG_SKIP_REASON = f"PostgreSQL tests need {PG_URL_ENV} (run them under scripts/with-postgres.sh)"


@contextlib.contextmanager
def fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``admin_url``; its URL is yielded, and it is dropped after."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(admin_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"cl_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test; skips when no server is configured."""
    admin = os.environ.get(PG_URL_ENV)
    if not admin:
        pytest.skip(PG_SKIP_REASON)
    with fresh_pg_database(admin) as url:
        yield url


@pytest.fixture(scope="module")
def pg_url_module() -> Iterator[str]:
    """A fresh PostgreSQL database shared by the tests of one module; skips when no server is configured."""
    admin = os.environ.get(PG_URL_ENV)
    if not admin:
        pytest.skip(PG_SKIP_REASON)
    with fresh_pg_database(admin) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh database URL, once per backend: a SQLite file under tmp_path, then a PostgreSQL database
    (skipped without a server). A SQLite-only test narrows it with
    ``@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)``."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")
