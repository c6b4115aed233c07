"""When each content file last changed, from the project's git history."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path


def last_changed(root: Path, folder: str = "content") -> dict[str, date]:
    """Map each file below folder (path relative to root) to the date of its last commit."""
    try:
        out = subprocess.run(
            ["git", "log", "--relative", "--format=@%ct", "--name-only", "--", folder],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, date] = {}
    current: date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = datetime.fromtimestamp(int(line[1:]), UTC).date()
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates
