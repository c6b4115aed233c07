"""A build that fails, is interrupted or is killed leaves the previous site/ byte for byte."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.run import make_project
from guidegen.project import Project
from guidegen.workers import MANY
from guidegen.write import replace_dir
from tests.builds import (
    built_mini_project,
    guidegen_command,
    guidegen_env,
    run_guidegen,
    snapshot,
)
from tests.conftest import REPO

STAGING = ".site-staging-*"
"""The work folders of builds (one per running build), next to site/."""


def leftovers(project: Project) -> list[Path]:
    """Return the work folders builds left next to site/."""
    return sorted(project.root.glob(STAGING))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixture project with a finished site/, to copy for each test."""
    return built_mini_project(tmp_path_factory.mktemp("built"))


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


def _as_from_a_shell() -> None:
    """Give the build the signal state a terminal gives it: Ctrl-C and SIGTERM neither ignored
    nor blocked, whatever the test process inherited or changed."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def start_and_signal(project: Project, sig: signal.Signals) -> tuple[int, str]:
    """Start a build, send sig once MkDocs has begun writing the staging folder; return the
    exit code and the error output."""
    process = subprocess.Popen(
        guidegen_command(project.root, "build"),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=guidegen_env(),
        preexec_fn=_as_from_a_shell,
    )
    deadline = time.monotonic() + 60
    while not leftovers(project):
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
    assert not leftovers(project)


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        ("pages/guide.md.j2", "{{ reading_time | attr }}", "{{ no_such_value }}"),
        ("pages/guide.md.j2", "{{ reading_time | attr }}", "{% if %}"),
        ("overrides/main.html", "{% block extrahead %}", "{% block extrahead %}{% if %}"),
        ("overrides/main.html", "{% block extrahead %}", "{% block extrahead %}{{ nothing.x }}"),
    ],
    ids=["undefined-in-page", "syntax-in-page", "syntax-in-theme", "undefined-in-theme"],
)
def test_a_template_error_keeps_the_previous_site(
    project: Project, template: str, old: str, new: str
) -> None:
    before = snapshot(project.site_dir)
    original = (project.templates_dir / template).read_text("utf-8")
    edit(project.templates_dir / template, old, new)
    result = run_guidegen(project.root, "build")
    assert_failed_cleanly(result)
    assert "template" in result.stderr.lower()
    line = next(n for n, text in enumerate(original.splitlines(), 1) if old in text)
    assert f"templates/{template}:{line}: template error" in result.stderr
    assert snapshot(project.site_dir) == before
    assert not leftovers(project)


def test_a_template_error_in_pages_rendered_by_worker_processes_keeps_its_place(
    tmp_path: Path,
) -> None:
    """With many guides the guide pages render in worker processes, and an error comes back
    from one without its traceback: the template's file and line must come back with it."""
    project = make_project(REPO, tmp_path / "many", MANY)  # a page per guide and language
    template = project.templates_dir / "pages" / "guide.md.j2"
    lines = template.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "{{ reading_time | attr }}" in text)
    edit(template, "{{ reading_time | attr }}", "{{ no_such_value }}")
    result = run_guidegen(project.root, "build")
    assert_failed_cleanly(result)
    assert f"templates/pages/guide.md.j2:{line}: template error: 'no_such_value' is undefined" in (
        result.stderr
    )


def test_ctrl_c_during_mkdocs_keeps_the_previous_site(project: Project) -> None:
    before = snapshot(project.site_dir)
    edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", "Text nou.")
    code, errors = start_and_signal(project, signal.SIGINT)
    assert code == 130, errors
    assert "interrupted" in errors
    assert "Traceback" not in errors
    assert snapshot(project.site_dir) == before
    assert not leftovers(project)


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
    assert not leftovers(project)


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


def test_a_second_build_waits_for_the_running_one_and_says_so(project: Project) -> None:
    edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", "Text nou.")
    project.build_dir.mkdir(exist_ok=True)
    with (project.build_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = subprocess.Popen(
            guidegen_command(project.root, "build"),
            text=True,
            stderr=subprocess.PIPE,
            env=guidegen_env(),
        )
        assert process.stderr is not None
        lines = iter(process.stderr.readline, "")
        assert any("another guidegen build is running" in line for line in lines)
        time.sleep(1)
        assert process.poll() is None, "the second build did not wait"
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    assert "Text nou." in (project.site_dir / "alpha.html").read_text("utf-8")


def test_two_builds_at_once_both_finish_with_the_whole_site(project: Project) -> None:
    shutil.rmtree(project.site_dir)
    shutil.rmtree(project.build_dir)
    command = guidegen_command(project.root, "build")
    processes = [
        subprocess.Popen(command, text=True, stderr=subprocess.PIPE, env=guidegen_env())
        for _ in range(2)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=240)
        assert process.returncode == 0, errors
    both = snapshot(project.site_dir)
    shutil.rmtree(project.site_dir)
    shutil.rmtree(project.build_dir)
    assert run_guidegen(project.root, "build").returncode == 0
    assert both == snapshot(project.site_dir)
    assert not leftovers(project)


WATCHER = """
import os, sys
page, stop = sys.argv[1:]
print("watching", flush=True)
misses = 0
while not os.path.exists(stop):
    misses += not os.path.exists(page)
print(misses)
"""
"""Count, in another process, the moments a page of the site is missing until stop exists."""


def test_the_swap_never_leaves_a_moment_without_a_site(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("0")
    stop = tmp_path / "stop"
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(target / "index.html"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert watcher.stdout is not None
    assert watcher.stdout.readline().strip() == "watching"
    for number in range(1, 300):
        new = tmp_path / f"new-{number}"
        new.mkdir()
        (new / "index.html").write_text(str(number))
        replace_dir(new, target)
    stop.touch()
    misses, _ = watcher.communicate(timeout=30)
    assert (target / "index.html").read_text() == "299"
    assert misses.strip() == "0", "site/ was missing for a moment during a swap"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "stop"]


def pagefind_processes(project: Project) -> list[int]:
    """Return the ids of running Pagefind processes that index this project."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"pagefind" in command and str(project.build_dir).encode() in command:
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_stopped_build_leaves_no_pagefind_or_work_folder(
    project: Project, sig: signal.Signals
) -> None:
    before = snapshot(project.site_dir)
    edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", "Text nou.")
    process = subprocess.Popen(
        guidegen_command(project.root, "build"), stderr=subprocess.PIPE, env=guidegen_env()
    )
    deadline = time.monotonic() + 120
    while not pagefind_processes(project):
        assert process.poll() is None, "the build ended before Pagefind started"
        assert time.monotonic() < deadline, "Pagefind did not start within two minutes"
        time.sleep(0.001)
    process.send_signal(sig)
    process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while pagefind_processes(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pagefind_processes(project), "Pagefind kept running after the build stopped"
    assert snapshot(project.site_dir) == before
    if sig == signal.SIGTERM:
        assert not leftovers(project)
    assert run_guidegen(project.root, "build").returncode == 0
    assert not leftovers(project)


def undeletable(folder: Path, on: bool) -> None:
    """Make the entries of folder impossible (or possible again) to delete, root or not."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if on else "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555 if on else 0o755)


def test_an_old_site_that_cannot_be_removed_is_named_not_a_traceback(project: Project) -> None:
    stuck = project.site_dir / "stuck"
    stuck.mkdir()
    (stuck / "file.txt").write_text("old")
    undeletable(stuck, True)
    try:
        for text in ("Text nou.", "Alt text."):
            edit(project.content_dir / "ro" / "alpha.yaml", "Vei ști ce să măsori.", text)
            result = run_guidegen(project.root, "build")
            assert result.returncode == 0, result.stderr
            assert "could not remove" in result.stderr
            assert "Traceback" not in result.stderr
            assert text in (project.site_dir / "alpha.html").read_text("utf-8")
            edit(project.content_dir / "ro" / "alpha.yaml", text, "Vei ști ce să măsori.")
    finally:
        for folder in project.root.glob(".site-staging-*/stuck"):
            undeletable(folder, False)
