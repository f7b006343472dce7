"""``conflictlens serve``: one process serving the REST API, its docs and the web UI (uvicorn).

Registered in ``cli.py`` next to the other commands; kept in its own module so that importing the CLI does
not import the web stack.
"""

from __future__ import annotations

import click

from .errors import ConflictLensError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. The default is reachable from this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port.")
@click.option("--db", "db_url", envvar="CONFLICTLENS_DB", default=None, metavar="URL",
              help="SQLAlchemy database URL or SQLite file path [env CONFLICTLENS_DB; default sqlite:///conflictlens.db].")
@click.option("--token", envvar="CONFLICTLENS_TOKEN", default=None, metavar="TOKEN",
              help="Bearer token that enables review (write) actions [env CONFLICTLENS_TOKEN]. Without it the server is read-only.")
@click.option("--max-body-bytes", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Largest request body accepted.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True)
def serve(host: str, port: int, db_url: str | None, token: str | None, max_body_bytes: int, log_level: str) -> None:
    """Serve the REST API (/api, docs at /docs) and the web UI from one process.

    Open http://127.0.0.1:8000/ for the events table, map, timeline, event and actor pages. Review
    (correcting, merging, splitting events) needs a token: pass --token or set CONFLICTLENS_TOKEN and
    enter the same token in the UI.

    Example:

        conflictlens serve --db sqlite:///conflicts.db --port 8000 --token "$(openssl rand -hex 16)"
    """
    import sys

    import uvicorn

    from .api import create_app

    try:
        app = create_app(db_url, token=token or None, max_body_bytes=max_body_bytes)
    except ConflictLensError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(3)
    mode = "review enabled (token set)" if token else "read-only (no token)"
    from sqlalchemy.engine import make_url

    shown = make_url(app.state.store.url).render_as_string(hide_password=True)
    click.echo(f"conflictlens serving {shown} on http://{host}:{port}/ - {mode}", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)
