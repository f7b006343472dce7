"""The ``conflictlens`` command line: a thin skin over the library.

Exit status (documented in README.md): 0 success; 1 some inputs failed (the rest were processed);
2 usage error; 3 an error that stopped the command (database, unknown id, bad filter value).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import ConflictLensError

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


def _fail(error: ConflictLensError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(EXIT_ERROR)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and exit status 3, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConflictLensError as error:
            _fail(error)

    return wrapper


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_url",
        envvar="CONFLICTLENS_DB",
        default=None,
        metavar="URL",
        help="SQLAlchemy database URL or SQLite file path [env CONFLICTLENS_DB; default sqlite:///conflictlens.db].",
    )(fn)


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters shared by ``events`` and ``export``."""
    options = [
        click.option("--since", metavar="DATE", help="Events on or after this ISO date."),
        click.option("--until", metavar="DATE", help="Events on or before this ISO date."),
        click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. PK."),
        click.option("--admin1", metavar="NAME", help="First-level region name."),
        click.option("--actor", metavar="NAME", help="Perpetrator or claimant name (substring) or actor id."),
        click.option("--type", "event_type", metavar="TYPE", help="ACLED event type or sub-event type."),
        click.option("--status", type=click.Choice(["occurred", "attempted", "foiled", "threatened", "planned"])),
        click.option("--min-killed", type=int, metavar="N", help="Only events with at least N killed (best)."),
        click.option("--text", metavar="WORDS", help="Full-text search over the events' source articles."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filter(kwargs: dict[str, Any]) -> Any:
    from .store import EventFilter

    keys = ("since", "until", "country", "admin1", "actor", "event_type", "status", "min_killed", "text")
    return EventFilter(**{k: kwargs.pop(k) for k in keys})


def _open(db_url: str | None) -> Any:
    from .store import Store

    return Store.open(db_url)


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="conflictlens")
def main() -> None:
    """conflictlens: turn news reports of political violence into a sourced database of events.

    Example:

        conflictlens ingest samples/articles/ && conflictlens events
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=32, show_default=True,
              help="Articles annotated per language-model batch.")
@click.option("--max-bytes", type=click.IntRange(1), default=None, metavar="N",
              help="Largest document accepted, in bytes [env CONFLICTLENS_MAX_BYTES; default 2000000].")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
@click.option("--workers", type=click.IntRange(1), default=None, metavar="N",
              help="Process on N local worker processes (a process pool; see --runner).")
@click.option("--runner", type=click.Choice(["pool", "dask"]), default=None,
              help="With --workers: a local process pool (the default) or a local Dask cluster "
                   "(needs dask[distributed]).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Process on the existing Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786.")
@handle_errors
def ingest(paths: tuple[str, ...], db_url: str | None, batch_size: int, max_bytes: int | None, quiet: bool,
           workers: int | None, runner: str | None, scheduler: str | None) -> None:
    """Read articles, extract their incidents and store both.

    PATHS are files (.txt, .html, .htm, .json, .jsonl, .rss, .atom, .xml), folders (read recursively) or
    - for standard input. Articles already stored are skipped; bad inputs are reported one line each and the
    rest of the batch goes on. Exit status 1 when any input failed. With --workers (or --scheduler) worker
    processes annotate and extract, and this process writes: the database ends up the same.

    Example:

        conflictlens ingest samples/ reports.jsonl --db sqlite:///conflicts.db --workers 2
    """
    from . import settings
    from .pipeline import Pipeline, run_ingest

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (local workers) or --scheduler (an existing cluster), not both")
    if runner is not None and workers is None:
        raise click.UsageError("--runner goes with --workers")
    limit = max_bytes if max_bytes is not None else settings.max_bytes()
    store = _open(db_url)
    progress = _progress(disable=quiet)
    with progress:
        task = progress.add_task("ingesting", total=None)
        if scheduler is not None or runner == "dask":
            from .runners.dask_runner import run_ingest_dask

            run: Any = functools.partial(run_ingest_dask, workers=workers, scheduler=scheduler, batch_size=batch_size)
        elif workers is not None:
            from .runners.local_pool import run_ingest_local

            run = functools.partial(run_ingest_local, workers=workers, batch_size=batch_size)
        else:
            run = functools.partial(run_ingest, pipeline=Pipeline(batch_size=batch_size))
        report = run(
            store,
            list(paths),
            max_bytes=limit,
            stdin=click.get_text_stream("stdin") if "-" in paths else None,
            on_error=lambda err: progress.console.print(str(err), markup=False, highlight=False, soft_wrap=True),
            on_progress=lambda n: progress.advance(task, n),
        )
    store.close()
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code)


def _progress(*, disable: bool) -> Any:
    """A progress display on stderr, silent when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=disable or not console.is_terminal,
        transient=True,
    )


@main.command()
@db_option
@filter_options
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="At most N events (0: all).")
@click.option("--sort", "order", type=click.Choice(["date", "-date", "killed"]), default="date", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@handle_errors
def events(db_url: str | None, limit: int, order: str, fmt: str, **kwargs: Any) -> None:
    """List stored events, newest first, with filters.

    Example:

        conflictlens events --country PK --since 2014-01-01 --type "Suicide bomb" --format json
    """
    flt = _filter(kwargs)
    with _open(db_url) as store:
        found = store.query_events(flt, limit=limit or None, order=order)
        total = store.count_events(flt)
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in found], ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for e in found:
            click.echo(json.dumps(e.to_dict(), ensure_ascii=False))
    else:
        from .render import events_table

        _console().print(events_table(found, title=f"{len(found)} of {total} events"))


@main.command()
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--why", is_flag=True, help="Also explain fusion: each report, the evidence it was merged on, "
              "and near-misses kept apart.")
@handle_errors
def show(event_id: str, db_url: str | None, fmt: str, why: bool) -> None:
    """Show one event: every field, why it was filled, and the sentence it came from.

    EVENT_ID may be a unique prefix of at least 6 characters. An id that fusion merged into another event,
    or that a `fuse --rebuild` replaced, shows the event it became, with a note on stderr ("event OLD was
    merged into NEW; showing NEW"); --format json then adds "redirected_from".

    Example:

        conflictlens show ev-3f2a9c --why
    """
    from .render import event_text

    with _open(db_url) as store:
        found = store.lookup_event(event_id)
        if found is None:
            raise ConflictLensError("E301", event_id)
        event, redirect = found.event, found.redirect
        articles = {s.article_id: store.get_article(s.article_id) for s in event.sources}
        explanation = None
        if why:
            from .fusion.explain import explain_event

            explanation = explain_event(store, event)
    if redirect is not None:
        click.echo(f"{redirect.describe()}; showing {event.event_id}", err=True)
    if fmt == "json":
        record = event.to_dict()
        if redirect is not None:
            record["redirected_from"] = {"event_id": redirect.old_id, "reason": redirect.reason,
                                         "created": redirect.created}
        if explanation is not None:
            record["why"] = explanation
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(event_text(event, {k: v for k, v in articles.items() if v is not None}))
        if explanation is not None:
            click.echo("\n" + explanation)


@main.command()
@db_option
@click.option("--name", metavar="TEXT", help="Only actors whose name contains TEXT.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def actors(db_url: str | None, name: str | None, fmt: str) -> None:
    """List the actors found as perpetrators or claimants, with event counts and dates.

    With --format json each actor is an Actor record: actor_id, name, type, country, aliases, relations
    (with the spans of text that state them), event_count, first_event, last_event, killed_total, evidence.

    Example:

        conflictlens actors --format json
    """
    with _open(db_url) as store:
        found = store.list_actors(name=name)
    if fmt == "json":
        click.echo(json.dumps([a.to_dict() for a in found], ensure_ascii=False, indent=2))
    else:
        from .render import actors_table

        _console().print(actors_table(found))


@main.command()
@click.argument("name")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True, help="At most N events listed.")
@handle_errors
def actor(name: str, db_url: str | None, fmt: str, limit: int) -> None:
    """Profile of one actor: who it is, its relations and leaders with evidence, aims, places and events.

    NAME is an actor id (e.g. ttp) or any name or alias (e.g. "Pakistani Taliban", TTP); when several
    actors share a name, the one with most events is shown.

    Example:

        conflictlens actor "Pakistani Taliban" --format json
    """
    with _open(db_url) as store:
        profile = store.actor_profile(name, limit=limit)
    if profile is None:
        raise ConflictLensError("E304", name)
    if fmt == "json":
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
    else:
        from .render import actor_profile_text

        click.echo(actor_profile_text(profile))


@main.command()
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "geojson"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: standard output).")
@handle_errors
def export(db_url: str | None, fmt: str, output: str, **kwargs: Any) -> None:
    """Export events as JSON, JSON Lines, CSV (ACLED/GTD-style columns) or GeoJSON.

    Example:

        conflictlens export --format geojson -o events.geojson --country NG
    """
    from .export import write_events

    flt = _filter(kwargs)
    with _open(db_url) as store, click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as out:
        n = write_events(store.iter_events(flt), out, format=fmt)
    if output != "-":
        click.echo(f"wrote {n} events to {output}", err=True)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def stats(db_url: str | None, fmt: str) -> None:
    """Counts of articles, mentions and events, by type, country and month.

    Example:

        conflictlens stats --format json
    """
    from .render import stats_text

    with _open(db_url) as store:
        data = store.stats()
    click.echo(json.dumps(data, indent=2) if fmt == "json" else stats_text(data))


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@handle_errors
def search(query: str, db_url: str | None, limit: int) -> None:
    """Full-text search over stored article text (ranked).

    Example:

        conflictlens search "school attack"
    """
    with _open(db_url) as store:
        hits = store.search_articles(query, limit=limit)
    for hit in hits:
        click.echo(f"{hit['article_id'][:12]}  {hit.get('title') or '(untitled)'}\n    {hit.get('snippet', '')}")


def register_more() -> None:
    """Attach the commands that live in their own modules (benchmark, eval)."""
    from .cli_fusion import eval_fusion, fuse
    from .cli_serve import serve
    from .cli_tools import benchmark, eval_group, train_group

    main.add_command(benchmark)
    eval_group.add_command(eval_fusion)
    main.add_command(eval_group)
    main.add_command(train_group)
    main.add_command(fuse)
    main.add_command(serve)


register_more()
