"""Variant pages are derived by parsing: only link targets and the text a reader sees change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guidegen.fold import fold
from tests.builds import mini_project, run_guidegen, snapshot

LOOKALIKE = 'Scrie src="assets/x.png", apoi "base": "x" și aria-current="page" în text.'
"""Text that merely looks like what the derivation changes in markup."""
SWITCHER = Path("templates") / "overrides" / "partials" / "alternate.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with the look-alike text in a guide's promise, built."""
    root = tmp_path_factory.mktemp("variants")
    mini_project(root)
    guide = root / "content" / "ro" / "alpha.yaml"
    text = re.sub(r"^promise: .*$", f"promise: '{LOOKALIKE}'", guide.read_text("utf-8"), flags=re.M)
    guide.write_text(text, "utf-8")
    result = run_guidegen(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def paragraph(page: Path, start: str) -> str:
    """Return the text of the page's paragraph that starts with start."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    found = [p.get_text() for p in soup.find_all("p") if p.get_text().startswith(start)]
    assert len(found) == 1, found
    return found[0]


def test_text_that_looks_like_markup_is_only_folded(built: Path) -> None:
    original = paragraph(built / "site" / "alpha.html", "Scrie")
    variant = paragraph(built / "site" / "ro-Latn" / "alpha.html", "Scrie")
    assert LOOKALIKE in original
    assert variant == fold(original)


def test_only_the_variants_switcher_link_is_current(built: Path) -> None:
    page = built / "site" / "ro-Latn" / "alpha.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    current = [a["data-gg-version"] for a in soup.select('a[aria-current="page"][data-gg-version]')]
    assert current == ["ro-Latn"]
    switcher = {a["data-gg-version"]: a["href"] for a in soup.select("a[data-gg-version]")}
    assert switcher == {
        "ro": "../alpha.html",
        "ro-Latn": "alpha.html",
        "pl": "../pl/alpha.html",
        "pl-Latn": "../pl-Latn/alpha.html",
    }


def test_a_missing_switcher_marker_fails_the_build_loudly(built: Path) -> None:
    before = snapshot(built / "site")
    switcher = built / SWITCHER
    text = switcher.read_text("utf-8")
    switcher.write_text(text.replace('data-gg-version="{{ version.locale }}" ', ""), "utf-8")
    try:
        result = run_guidegen(built, "build")
    finally:
        switcher.write_text(text, "utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data-gg-version" in result.stderr and "partials/alternate.html" in result.stderr
    assert snapshot(built / "site") == before
