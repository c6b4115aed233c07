"""Helpers of the build tests: a fixture project in a temp folder, guidegen in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from guidegen.project import Project
from tests.conftest import REPO, copy_project

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def mini_project(target: Path) -> Project:
    """Copy the real templates and mkdocs.yml with the mini fixture's content into target."""
    project = copy_project(REPO, target)
    for part in ("content", "data"):
        shutil.rmtree(target / part, ignore_errors=True)
        shutil.copytree(FIXTURE / part, target / part)
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    """Map every file below folder (relative POSIX path) to its bytes."""
    return {
        f.relative_to(folder).as_posix(): f.read_bytes()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def guidegen_command(root: Path, *args: str) -> list[str]:
    """Return the command line that runs guidegen on a project in a fresh interpreter."""
    return [sys.executable, "-m", "guidegen", "--root", str(root), *args]


def guidegen_env(**extra: str) -> dict[str, str]:
    """Return the environment of a guidegen subprocess, with extra variables."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def run_guidegen(
    root: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run guidegen to completion and return its exit code and output."""
    return subprocess.run(
        guidegen_command(root, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=guidegen_env(**env),
        check=False,
    )


def built_mini_project(target: Path) -> Path:
    """Create the mini fixture project in target and build it; return its root."""
    mini_project(target)
    result = run_guidegen(target, "build")
    assert result.returncode == 0, result.stderr
    return target
