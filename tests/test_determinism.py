"""Two builds of the same commit produce byte-identical sites; the only date is git's."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.builds import mini_project, run_guidegen, snapshot

COMMIT_DATE = "2021-03-04T12:00:00+00:00"
"""When the fixture content was 'last changed': the one date the pages may show."""
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json")
ISO_DATE = re.compile(rb"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")


def committed_project(root: Path) -> Path:
    """Create the fixture project as a git repository with one commit of fixed date."""
    mini_project(root)
    dates = {"GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    for command in (
        ["git", "init", "--quiet"],
        ["git", "add", "--all"],
        [
            "git",
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
            "commit",
            "--quiet",
            "--message",
            "Content",
        ],
    ):
        subprocess.run(command, cwd=root, check=True, env=dates | {"PATH": "/usr/bin:/bin"})
    return root


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the same commit twice: other folders, build dates and hash seeds."""
    sites = []
    for name, epoch, seed in (("first", "1000000000", "1"), ("second", "1700000000", "2")):
        root = committed_project(tmp_path_factory.mktemp(name))
        result = run_guidegen(root, "build", SOURCE_DATE_EPOCH=epoch, PYTHONHASHSEED=seed)
        assert result.returncode == 0, result.stderr
        sites.append(root / "site")
    return sites[0], sites[1]


def test_two_builds_are_byte_identical(two_sites: tuple[Path, Path]) -> None:
    first, second = (snapshot(site) for site in two_sites)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []


def test_the_only_date_in_the_pages_is_the_last_commit(two_sites: tuple[Path, Path]) -> None:
    site = two_sites[0]
    this_year = str(datetime.now(UTC).year).encode()
    commit = datetime.fromisoformat(COMMIT_DATE)
    for path, data in snapshot(site).items():
        if path.endswith(TEXT_SUFFIXES):
            assert this_year not in data, f"{path} shows the build date"
            assert set(ISO_DATE.findall(data)) <= {commit.date().isoformat().encode()}, path
    for page in site.rglob("alpha.html"):
        meta = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one(".gg-meta")
        assert str(commit.year) in meta.get_text(), page
