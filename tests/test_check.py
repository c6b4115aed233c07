"""`guidegen check`: one failing fixture per rule, formats, exit codes, speed-independent."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from guidegen.cli import main
from guidegen.memo import Memo
from guidegen.project import Project
from guidegen.validate import load_content

BROKEN = Path(__file__).parent / "fixtures" / "broken"
BASE = BROKEN / "_base"
RULES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and p.name != "_base")
STABLE_IDS = {
    "encoding",
    "tab",
    "yaml-syntax",
    "yaml-alias",
    "yaml-tag",
    "duplicate-key",
    "schema",
    "bad-slug",
    "duplicate-slug",
    "missing-file",
    "unknown-kpi",
    "unknown-guide",
    "topic",
    "redirect",
    "bad-link",
    "missing-translation",
    "stale-translation",
    "cedilla",
    "mixed-script",
    "no-diacritics",
    "doubled-word",
    "unbalanced",
    "placeholder",
    "faq-without-answer",
    "myth-without-reality",
    "step-without-text",
    "value-placeholder",
    "calculation",
    "terminology",
    "invisible-character",
    "number",
    "unexpected-file",
    "unreadable",
}
"""The rule ids the README documents; each has a fixture."""


def broken_project(tmp_path: Path, rule: str) -> Path:
    """Copy the clean base project and lay one rule's fixture over it."""
    root = tmp_path / rule
    shutil.copytree(BASE, root)
    shutil.copytree(BROKEN / rule, root, dirs_exist_ok=True)
    removals = root / "remove.txt"
    if removals.exists():
        for name in removals.read_text("utf-8").split():
            (root / name).unlink()
        removals.unlink()
    (root / "expected.txt").unlink()
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the command line in-process; return the exit code and stdout."""
    code = main(list(args))
    return code, capsys.readouterr().out


def test_every_documented_rule_has_a_fixture() -> None:
    assert set(RULES) == STABLE_IDS


def test_base_project_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(BASE), "check", "--strict") == (0, "")


@pytest.mark.parametrize("rule", RULES)
def test_rule_reports_exact_message_and_position(
    rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (BROKEN / rule / "expected.txt").read_text("utf-8").splitlines()
    code, out = run(capsys, "--root", str(broken_project(tmp_path, rule)), "check")
    lines = out.splitlines()
    assert lines[:-1] == expected
    assert all(f": [{rule}] " in line for line in expected)
    errors = sum(": error: " in line for line in expected)
    assert lines[-1] == f"{errors} error(s), {len(expected) - errors} warning(s)"
    assert code == (1 if errors else 0)


@pytest.mark.parametrize("rule", ["unknown-kpi", "bad-link", "stale-translation"])
def test_a_problem_across_files_keeps_its_place_when_the_file_was_checked_before(
    rule: str, tmp_path: Path
) -> None:
    # Builds keep each file's own checks (memo.py) with only part of its parsed document;
    # a problem found across files must still point at the same line and column.
    project = Project(broken_project(tmp_path, rule))
    memo = Memo()
    first = load_content(project, memo)[1]
    saved = pickle.loads(pickle.dumps(memo))  # as the next build reads it from build/
    memo.changed = saved.changed = False
    assert load_content(project, memo)[1] == first
    assert load_content(project, saved)[1] == first
    assert not memo.changed and not saved.changed  # no file was checked again
    expected = (BROKEN / rule / "expected.txt").read_text("utf-8").splitlines()
    assert [str(problem) for problem in first if problem.rule == rule] == expected


def test_strict_makes_warnings_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(broken_project(tmp_path, "placeholder"))
    assert run(capsys, "--root", root, "check")[0] == 0
    assert run(capsys, "--root", root, "check", "--strict")[0] == 1


def test_json_format_carries_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(broken_project(tmp_path, "schema"))
    _, text = run(capsys, "--root", root, "check")
    code, out = run(capsys, "--root", root, "check", "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["errors"] == 5 and document["warnings"] == 0
    rebuilt = [
        f"{p['path']}:{p['line']}:{p['col']}: {p['severity']}: [{p['rule']}] {p['message']}"
        for p in document["problems"]
    ]
    assert rebuilt == text.splitlines()[:-1]


def test_github_format_emits_workflow_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(broken_project(tmp_path, "unknown-kpi"))
    code, out = run(capsys, "--root", root, "check", "--format", "github")
    assert code == 1
    assert out == (
        "::error file=content/pl/base.yaml,line=10,col=25,title=guidegen unknown-kpi::"
        "[unknown-kpi] kpi_tables[1]: unknown KPI table 'mini-kpi': did you mean 'mini-kpis'?\n"
    )


def test_github_format_escapes_newlines_and_separators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = broken_project(tmp_path, "missing-translation")
    (root / "content" / "ro" / "solo.yaml").rename(root / "content" / "ro" / "a,b%c.yaml")
    _, out = run(capsys, "--root", str(root), "check", "--format", "github")
    assert "file=content/ro/a%2Cb%25c.yaml," in out
    assert "no guide 'solo'" in out
    assert out.count("\n") == 3


def test_a_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = broken_project(tmp_path, "missing-translation")
    file = root / "content" / "ro" / "base.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    code, out = run(capsys, "--root", str(root), "check")
    assert code == 0
    assert "base.yaml" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "xml"],
        ["check", "--bogus"],
        ["--root", "/nonexistent/guidegen", "check"],
        ["status", "--mark", "de/base"],
        ["status", "--mark", "pl"],
        ["new", "Not A Slug"],
        ["serve", "--dev-addr", "localhost"],
        ["serve", "--poll", "0"],
        ["serve", "--poll", "nan"],
        ["serve", "--poll", "soon"],
        [],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--root", str(BASE), *args] if args[:1] != ["--root"] else args)
    assert exit_info.value.code == 2
    assert "usage: guidegen" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["index", "glossary", "404"])
def test_slugs_of_the_sites_own_pages_are_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "reserved"
    shutil.copytree(BASE, root)
    for lang in ("ro", "pl"):
        (root / "content" / lang / "base.yaml").rename(root / "content" / lang / f"{name}.yaml")
    code, out = run(capsys, "--root", str(root), "check")
    assert code == 1
    assert f"content/pl/{name}.yaml:1:1: error: [bad-slug] file name '{name}' is taken" in out
