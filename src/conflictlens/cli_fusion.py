"""CLI for cross-article fusion: the ``fuse`` command and the ``show --why`` explanation. Thin over
``conflictlens.fusion``; registered by cli.py (``main.add_command(fuse)``)."""

from __future__ import annotations

import json
import time

import click

from .cli import EXIT_USAGE, _open, db_option, handle_errors

__all__ = ["eval_fusion", "fuse"]


@click.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Recompute every event from the stored reports.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def fuse(db_url: str | None, rebuild: bool, fmt: str) -> None:
    """Fuse the stored reports of each incident into one event.

    Ingest fuses as it goes; --rebuild recomputes all events from the stored reports, in the order they
    were first fused, and replaces the events in one transaction. With unchanged fusion rules it gives the
    same events (and event ids) as the ingests did; after an upgrade it applies the new rules to everything
    (run it after upgrading: events stored by an older version are not indexed for undated reports).
    "merged" counts events that a report matching two events folded into the other; "redirected" counts
    event ids that existed before and not after: each now leads to the event holding its first report
    (`conflictlens show OLD_ID` and the API follow it).

    Example:

        conflictlens fuse --rebuild --db sqlite:///conflicts.db
    """
    if not rebuild:
        click.echo("nothing to do: pass --rebuild to recompute every event (see --help)", err=True)
        raise SystemExit(EXIT_USAGE)
    from .fusion import Fuser

    started = time.perf_counter()
    with _open(db_url) as store:
        stats = Fuser().rebuild(store)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2))
    else:
        click.echo(f"rebuilt {stats['events']} events from {stats['mentions']} reports"
                   f" ({stats['multi_report_events']} with several reports, {stats['merged']} merged into another,"
                   f" {stats['redirected']} old ids redirected)"
                   f" in {stats['seconds']:.1f} s")


@click.command("fusion")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@handle_errors
def eval_fusion(path: str, as_json: bool) -> None:
    """Score fusion on MUC-4 full templates: pairwise and B-cubed precision/recall/F1 against gold incidents.

    Each gold template becomes one report built from its slots (no extraction), so only fusion is measured.

    Example:

        conflictlens eval fusion ../shared/data/muc4/full_templates/dev.jsonl
    """
    from .eval.fusion import format_fusion_scores, run_fusion_eval

    result = run_fusion_eval(path)
    click.echo(json.dumps(result, indent=2) if as_json else format_fusion_scores(result))
