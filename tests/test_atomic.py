"""A build that fails, is interrupted or is killed leaves the previous site/ byte for byte."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from guidegen.project import Project
from tests.builds import guidegen_command, guidegen_env, mini_project, run_guidegen, snapshot

STAGING = ".site-staging"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixture project with a finished site/, to copy for each test."""
    root = tmp_path_factory.mktemp("built")
    mini_project(root)
    result = run_guidegen(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Project:
    """A private copy of the built project, previous site/ included."""
    shutil.copytree(built, tmp_path / "project")
    return Project(tmp_path / "project")


def edit(file: Path, old: str, new: str) -> None:
    """Replace text in a file, failing when the text is not there."""
    text = file.read_text("utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), "utf-8")


def assert_failed_cleanly(result: subprocess.CompletedProcess[str], code: int = 1) -> None:
    """The run exited with code, printed a message and no traceback."""
    assert result.returncode == code, result.stderr
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def start_and_signal(project: Project, sig: signal.Signals) -> tuple[int, str]:
    """Start a build, send sig once MkDocs has begun writing the staging folder; return the
    exit code and the error output."""
    process = subprocess.Popen(
        guidegen_command(project.root, "build"),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=guidegen_env(),
    )
    deadline = time.monotonic() + 60
    while not (project.root / STAGING).exists():
        assert process.poll() is None, "the build ended before MkDocs started writing"
        assert time.monotonic() < deadline, "MkDocs did not start within a minute"
        time.sleep(0.002)
    process.send_signal(sig)
    _, errors = process.communicate(timeout=60)
    return process.returncode, errors


def test_broken_content_keeps_the_previous_site(project: Project) -> None:
    before = snapshot(project.site_dir)
    edit(
        project.content_dir / "ro" / "alpha.yaml",
        "kpi_tables: [mini-kpis]",
        "kpi_tables: [no-such-table]",
    )
    result = run_guidegen(project.root, "build")
    assert_failed_cleanly(result)
    assert "content/ro/alpha.yaml:" in result.stderr
    assert snapshot(project.site_dir) == before
    assert not (project.root / STAGING).exists()


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        ("pages/guide.md.j2", "{{ reading_time | attr }}", "{{ no_such_value }}"),
        ("pages/guide.md.j2", "{{ reading_time | attr }}", "{% if %}"),
        ("overrides/main.html", "{% block extrahead %}", "{% block extrahead %}{% if %}"),
    ],
    ids=["undefined-in-page", "syntax-in-page", "syntax-in-theme"],
)
def test_a_template_error_keeps_the_previous_site(
    project: Project, template: str, old: str, new: str
) -> None:
    before = snapshot(project.site_dir)
    edit(project.templates_dir / template, old, new)
    result = run_guidegen(project.root, "build")
    assert_failed_cleanly(result)
    assert "template" in result.stderr.lower()
    if "{% if %}" in new:
        assert f"templates/{template}:" in result.stderr
    assert snapshot(project.site_dir) == before
    assert not (project.root / STAGING).exists()


def test_ctrl_c_during_mkdocs_keeps_the_previous_site(project: Project) -> None:
    before = snapshot(project.site_dir)
    edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", "Text nou.")
    code, errors = start_and_signal(project, signal.SIGINT)
    assert code == 130, errors
    assert "interrupted" in errors
    assert "Traceback" not in errors
    assert snapshot(project.site_dir) == before
    assert not (project.root / STAGING).exists()


def test_a_killed_build_keeps_the_previous_site_and_the_next_build_recovers(
    project: Project,
) -> None:
    before = snapshot(project.site_dir)
    edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", "Text nou.")
    code, _ = start_and_signal(project, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert snapshot(project.site_dir) == before
    result = run_guidegen(project.root, "build")
    assert result.returncode == 0, result.stderr
    after = snapshot(project.site_dir)
    changed = [path for path, data in before.items() if "Vei ști ce să măsori.".encode() in data]
    assert changed and all(b"Text nou." in after[path] for path in changed)
    assert not (project.root / STAGING).exists()


def test_a_swap_killed_halfway_is_undone_by_the_next_run(project: Project) -> None:
    before = snapshot(project.site_dir)
    project.site_dir.rename(project.root / ".site-old")
    edit(
        project.content_dir / "ro" / "alpha.yaml",
        "kpi_tables: [mini-kpis]",
        "kpi_tables: [no-such-table]",
    )
    assert_failed_cleanly(run_guidegen(project.root, "build"))
    assert snapshot(project.site_dir) == before
    assert not (project.root / ".site-old").exists()
