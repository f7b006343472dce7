"""Every `conflictlens eval` command runs end to end (on two documents of the shared data; skipped without it)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictlens.cli import main

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CASES = [
    (["eval", "muc4", str(DATA / "muc4/ree_grit/dev.jsonl"), "--limit", "2"], "micro"),
    (["eval", "wikievents", str(DATA / "wikievents/dev.jsonl"), "--limit", "2"], "micro"),
    (["eval", "places", str(DATA / "muc4/full_templates/dev.jsonl"), "--limit", "5"], "country_accuracy"),
    (["eval", "dates", str(DATA / "muc4/full_templates/dev.jsonl"), "--limit", "5"], "within_precision_accuracy"),
    (["eval", "actors", str(DATA / "muc4/full_templates/dev.jsonl")], "pairwise"),
    (["eval", "fusion", str(DATA / "muc4/full_templates/dev.jsonl")], "B-cubed"),
]


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
@pytest.mark.parametrize("args,expected", CASES, ids=[c[0][1] for c in CASES])
def test_eval_command_prints_figures(args, expected):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_eval_missing_file_is_a_coded_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", "muc4", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 3
    assert "[E501]" in result.output
