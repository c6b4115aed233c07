"""LinkChecker over the served shipped site: no broken internal link."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from guidegen.project import Project

LINKCHECKER = Path(sys.executable).parent / "linkchecker"


def test_no_broken_internal_link(served_site: tuple[Project, str]) -> None:
    _, base = served_site
    result = subprocess.run(
        [str(LINKCHECKER), "--no-status", "--no-warnings", "--verbose", "--output=csv", base],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(x for x in result.stdout.splitlines() if not x.startswith("#"))),
            delimiter=";",
        )
    )
    broken = [
        f"{r['urlname']} (on {r['parentname']}): {r['result']}"
        for r in rows
        if r["valid"] != "True"
    ]
    assert len(rows) > 20, result.stdout + result.stderr
    assert broken == [], "\n".join(broken)
    assert result.returncode == 0, result.stderr
