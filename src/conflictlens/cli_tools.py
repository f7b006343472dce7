"""CLI commands for measuring: ``benchmark`` and the ``eval`` group. Thin over benchmark.py and eval/."""

from __future__ import annotations

import json
from typing import Any

import click

from .cli import db_option, handle_errors


@click.command()
@click.argument("corpus", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N documents.")
@db_option
@click.option("--compare-bare", is_flag=True, help="Also time the bare spaCy pipeline on the same corpus.")
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=None, metavar="N",
              help="Run the full pipeline on N local worker processes, as `ingest --workers N` does.")
@click.option("--runner", type=click.Choice(["pool", "dask"]), default="pool", show_default=True,
              help="With --workers: a local process pool or a local Dask cluster.")
@click.option("--partition-size", type=click.IntRange(1), default=None, metavar="N",
              help="With --workers: articles per task [default: 32 for pool, 64 for dask].")
@click.option("--text-field", default="text", show_default=True, metavar="NAME",
              help="The JSON field that holds the text (MUC-4's ree_grit files use doctext).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@handle_errors
def benchmark(corpus: str, limit: int | None, db_url: str | None, compare_bare: bool, batch_size: int,
              workers: int | None, runner: str, partition_size: int | None, text_field: str, as_json: bool) -> None:
    """Time the full pipeline on a JSON Lines corpus: docs/s, words/s, CPU per doc, peak memory, time per stage.

    The database is a throw-away SQLite file unless --db is given. CPU ms/doc counts this process and every
    worker process, so it stays comparable when other jobs share the machine. The last line is
    machine-readable: ratio_to_bare=<x> cpu_vs_bare=<c> docs_per_s=<y> peak_rss_mb=<z> cpu_ms_per_doc=<m>
    (with --workers, peak_rss_mb is the largest worker's).

    Example:

        conflictlens benchmark ../shared/data/bbc_news/bbc_fulltext.jsonl --compare-bare --workers 2
    """
    from .benchmark import format_benchmark, run_benchmark

    result = run_benchmark(corpus, limit=limit, db_url=db_url, compare_bare=compare_bare, batch_size=batch_size,
                           workers=workers, runner=runner, partition_size=partition_size, text_field=text_field)
    click.echo(json.dumps(result, indent=2) if as_json else format_benchmark(result))


@click.group("eval")
def eval_group() -> None:
    """Score the extractor on labelled data and print the figures.

    Example:

        conflictlens eval muc4 ../shared/data/muc4/ree_grit/dev.jsonl
    """


def _extract_fn() -> Any:
    """The real extractor as ``(docid, text) -> mentions``, for the evaluation runners."""
    from .ingest import article_id_for, normalise_text
    from .model import Article
    from .pipeline import Pipeline

    pipeline = Pipeline()

    def extract(docid: str, text: str) -> list[Any]:
        body = normalise_text(text)
        article = Article(article_id=article_id_for(body), text=body, source_id=docid)
        (result,) = pipeline.process([article])
        return [] if isinstance(result, Exception) else result.mentions

    return extract


@eval_group.command("muc4")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write one JSON line of predicted role fillers per document here.")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N documents.")
@handle_errors
def eval_muc4(path: str, predictions: str | None, limit: int | None) -> None:
    """CEAF-REE precision/recall/F1 per role on a MUC-4 file in the ree_grit JSONL format.

    Example:

        conflictlens eval muc4 ../shared/data/muc4/ree_grit/dev.jsonl --predictions preds.jsonl
    """
    from .eval.muc4 import format_scores, run_muc4_eval

    scores = run_muc4_eval(path, extract_fn=_extract_fn(), predictions_out=predictions, limit=limit)
    click.echo(format_scores(scores))


@eval_group.command("wikievents")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N documents.")
@handle_errors
def eval_wikievents(path: str, limit: int | None) -> None:
    """Entity-level scores on WikiEvents attack/die/injure events (coreference-aware).

    Example:

        conflictlens eval wikievents ../shared/data/wikievents/dev.jsonl
    """
    from .eval.ceaf import format_scores
    from .eval.wikievents import run_wikievents_eval

    scores = run_wikievents_eval(path, extract_fn=_extract_fn(), limit=limit)
    click.echo(format_scores(scores))


def _print_figures(result: dict[str, Any], *, show_errors: int = 10) -> None:
    """Figures one per line, then a few of the recorded errors to read."""
    for key, value in result.items():
        if key == "errors":
            continue
        click.echo(f"{key:>28}: {value:.3f}" if isinstance(value, float) else f"{key:>28}: {value}")
    for err in (result.get("errors") or [])[:show_errors]:
        click.echo(f"  miss: {json.dumps(err, ensure_ascii=False)}")


@eval_group.command("places")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N documents.")
@handle_errors
def eval_places(path: str, limit: int | None) -> None:
    """Country- and city-level accuracy of geocoded MUC-4 incident locations.

    Example:

        conflictlens eval places ../shared/data/muc4/full_templates/dev.jsonl
    """
    from .eval.places import run_places_eval
    from .nlp import load_nlp

    _print_figures(run_places_eval(path, nlp=load_nlp(), limit=limit))


@eval_group.command("dates")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N documents.")
@handle_errors
def eval_dates(path: str, limit: int | None) -> None:
    """Exact and within-precision accuracy of MUC-4 incident dates resolved against each dateline.

    Example:

        conflictlens eval dates ../shared/data/muc4/full_templates/dev.jsonl
    """
    from .eval.dates import run_dates_eval

    _print_figures(run_dates_eval(path, limit=limit))


@eval_group.command("actors")
@click.argument("path", type=click.Path(dir_okay=False))
@handle_errors
def eval_actors(path: str) -> None:
    """Pairwise precision/recall of actor alias merging on MUC-4 PerpOrg names.

    Example:

        conflictlens eval actors ../shared/data/muc4/full_templates/dev.jsonl
    """
    from .eval.actors import format_alias_scores, run_alias_eval

    click.echo(format_alias_scores(run_alias_eval(path)))


@click.group("train")
def train_group() -> None:
    """Rebuild the learned models that ship with conflictlens, from data in ../shared.

    Example:

        conflictlens train muc4 --train ../shared/data/muc4/ree_grit/train.jsonl --out src/conflictlens/data
    """


@train_group.command("muc4")
@click.option("--train", "train_path", type=click.Path(dir_okay=False, exists=True),
              default="../shared/data/muc4/ree_grit/train.jsonl", show_default=True,
              help="The MUC-4 train split (ree_grit JSONL) to learn from.")
@click.option("--dev", "dev_path", type=click.Path(dir_okay=False), default="../shared/data/muc4/ree_grit/dev.jsonl",
              show_default=True, help="The dev split the per-role thresholds are tuned on ('' for none).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="src/conflictlens/data",
              show_default=True, help="Folder the model (role_np.npz + role_np.json) is written to.")
@click.option("--seed", type=int, default=13, show_default=True, help="Random seed (the result is deterministic).")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the first N train documents.")
@handle_errors
def train_muc4_cmd(train_path: str, dev_path: str, out_dir: str, seed: int, limit: int | None) -> None:
    """Train the role classifier (candidate noun phrase -> MUC-4 role) on the MUC-4 train split.

    Thresholds are tuned on --dev (never on a test split). Takes a few minutes on one core.

    Example:

        conflictlens train muc4 --train ../shared/data/muc4/ree_grit/train.jsonl --out src/conflictlens/data
    """
    from .learn.muc4 import train_muc4

    summary = train_muc4(train_path, out_dir, dev_path=dev_path or None, seed=seed, limit=limit,
                         progress=lambda msg: click.echo(msg, err=True))
    click.echo(json.dumps(summary, indent=2))
