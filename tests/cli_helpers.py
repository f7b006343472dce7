"""Running the installed ``conflictlens`` console script from tests (the real entry point, in a subprocess)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = shutil.which("conflictlens", path=str(Path(sys.executable).parent)) or shutil.which("conflictlens")


def run_cli(*args: str, db_url: str, stdin: str | None = None, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    """``conflictlens ARGS --db DB_URL``; asserts the exit status when ``check_rc`` is not None."""
    assert SCRIPT, "the conflictlens console script is not installed"
    proc = subprocess.run([SCRIPT, *args, "--db", db_url], input=stdin, capture_output=True, text=True, timeout=300)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stdout + proc.stderr
    return proc
