"""A build that reuses the previous build's pages gives exactly the site a clean build gives."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guidegen.build import build as build_in_process
from guidegen.errors import Problem
from guidegen.memo import Memos
from guidegen.project import Project
from guidegen.search import refresh_index
from guidegen.serve import PreviewProject
from tests.builds import built_mini_project, run_guidegen, snapshot

ALPHA_RO = Path("content") / "ro" / "alpha.yaml"
ALPHA_PL = Path("content") / "pl" / "alpha.yaml"
SITE_YAML = Path("data") / "site.yaml"
GLOSSARY = Path("data") / "glossary.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once (site/ and build/ with its cache)."""
    return built_mini_project(tmp_path_factory.mktemp("built"))


def replace(root: Path, path: Path, old: str, new: str) -> None:
    """Replace text in a project file, failing when the text is not there."""
    text = (root / path).read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    (root / path).write_text(text.replace(old, new, 1), "utf-8")


def edit_text(root: Path) -> None:
    """Change a sentence of one guide."""
    replace(root, ALPHA_RO, "Vei ști ce să măsori.", "Vei ști ce să măsori mâine.")


def change_title(root: Path) -> None:
    """Change the title of one guide, which the navigation of other pages shows."""
    replace(root, ALPHA_RO, "title: Loialitatea în Łódź", "title: Fidelitatea în Łódź")


def add_guide(root: Path) -> None:
    """Add a guide in both languages to the topic."""
    for source in (ALPHA_RO, ALPHA_PL):
        text = (root / source).read_text("utf-8")
        text = re.sub(r"^title: (.*)$", r"title: \1 (gamma)", text, count=1, flags=re.M)
        (root / source.with_name("gamma.yaml")).write_text(text, "utf-8")
    replace(root, SITE_YAML, "guides: [alpha, beta]", "guides: [alpha, beta, gamma]")


def delete_guide(root: Path) -> None:
    """Delete the guide add_guide added (the previous build had it)."""
    for source in (ALPHA_RO, ALPHA_PL):
        (root / source.with_name("gamma.yaml")).unlink()
    replace(root, SITE_YAML, "guides: [alpha, beta, gamma]", "guides: [alpha, beta]")


def change_theme(root: Path) -> None:
    """Change a theme override every page uses."""
    replace(
        root,
        Path("templates/overrides/main.html"),
        "{% block extrahead %}",
        "{% block extrahead %}<!-- x -->",
    )


def change_stylesheet(root: Path) -> None:
    """Change the theme's stylesheet, a static file that builds otherwise hard-link."""
    replace(root, Path("templates/overrides/assets/guidegen.css"), ":root {", ":root { --gg-x: 0;")


def undo_edit_text(root: Path) -> None:
    """Put back the sentence edit_text changed: the file has its earlier bytes again."""
    replace(root, ALPHA_RO, "Vei ști ce să măsori mâine.", "Vei ști ce să măsori.")


def avoid_a_word(root: Path) -> None:
    """Make the glossary advise against a word one guide uses (a warning in that guide)."""
    replace(root, GLOSSARY, "  - term: NPS\n", "  - term: NPS\n    avoid: {ro: [măsori]}\n")


def change_page_template(root: Path) -> None:
    """Change the template of every guide page."""
    replace(
        root,
        Path("templates/pages/guide.md.j2"),
        "# {{ guide.title | inline }}\n",
        "# {{ guide.title | inline }} ·\n",
    )


def nothing(root: Path) -> None:
    """Change nothing."""


def build(root: Path) -> str:
    """Build the project (with -v, so the reused pages are reported); return its messages."""
    result = run_guidegen(root, "-v", "build")
    assert result.returncode == 0, result.stderr
    return result.stderr


def reused(messages: str) -> tuple[int, int]:
    """Return how many pages the build reused, of how many."""
    found = re.search(r"reused (\d+) of (\d+) pages", messages)
    assert found, messages
    return int(found[1]), int(found[2])


@pytest.mark.parametrize(
    ("prepare", "change", "some_reused"),
    [
        (nothing, edit_text, True),
        (nothing, change_title, True),
        (nothing, add_guide, False),
        (add_guide, delete_guide, False),
        (nothing, change_theme, False),
        (nothing, change_stylesheet, False),
        (nothing, nothing, True),
    ],
    ids=["edit", "title", "new-guide", "deleted-guide", "theme", "stylesheet", "no-change"],
)
def test_an_incremental_build_equals_a_clean_build(
    built: Path,
    tmp_path: Path,
    prepare: Callable[[Path], None],
    change: Callable[[Path], None],
    some_reused: bool,
) -> None:
    root = tmp_path / "incremental"
    shutil.copytree(built, root)
    if prepare is not nothing:
        prepare(root)
        build(root)
    before = snapshot(Project(root).site_dir)
    change(root)
    count, total = reused(build(root))
    assert (count > 0) == some_reused, (count, total)
    if change is nothing:
        assert count == total
    incremental = snapshot(Project(root).site_dir)
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", "build", ".site-*"))
    build(clean)
    assert incremental == snapshot(Project(clean).site_dir)
    assert (incremental == before) == (change is nothing)


def test_a_language_that_an_edit_left_alone_is_not_built_again(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "edited"
    shutil.copytree(built, root)
    assert "ro: nothing changed" in build(root)
    edit_text(root)
    messages = build(root)
    assert "pl: nothing changed" in messages
    assert "ro: nothing changed" not in messages


def test_a_preview_that_keeps_its_memos_builds_what_a_clean_build_builds(
    built: Path, tmp_path: Path
) -> None:
    """`guidegen serve` passes the same memos to every build: each edit, then, must still
    give the site and the problems that a fresh process gives for the same files."""
    root = tmp_path / "served"
    shutil.copytree(built, root)
    memos = Memos()
    changes = [
        nothing, edit_text, change_title, add_guide, avoid_a_word, undo_edit_text,
        delete_guide, change_page_template, edit_text, nothing,
    ]  # fmt: skip
    for change in changes:
        change(root)
        reported: list[Problem] = []
        build_in_process(Project(root), memos=memos, on_problems=reported.extend)
        clean = tmp_path / f"clean-{change.__name__}"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", "build", ".site-*"))
        fresh: list[Problem] = []
        build_in_process(Project(clean), on_problems=fresh.extend)
        assert reported == fresh, change.__name__
        assert snapshot(Project(root).site_dir) == snapshot(Project(clean).site_dir), (
            change.__name__
        )
        shutil.rmtree(clean)
    assert any(p.rule == "terminology" for p in reported), "the glossary change was not seen"


def test_a_preview_whose_search_caught_up_equals_a_clean_build(built: Path, tmp_path: Path) -> None:
    """`guidegen serve` builds without search, then re-indexes a snapshot of the search
    documents, only the languages whose documents changed: once caught up, its site (search
    bundle included) is the one a clean build gives."""
    root = tmp_path / "served"
    shutil.copytree(built, root)
    preview = PreviewProject(root)
    cache = preview.build_dir / "cache" / "pagefind"
    memos = Memos()
    build_in_process(preview, memos=memos, defer_search=True, in_place=True)
    for change in (edit_text, change_title, add_guide, delete_guide):
        indexed = set(cache.iterdir())
        change(root)
        build_in_process(preview, memos=memos, defer_search=True, in_place=True)
        refresh_index(preview, preview.site_dir)
        clean = tmp_path / f"clean-{change.__name__}"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", "build", ".site-*"))
        build_in_process(Project(clean))
        assert snapshot(preview.site_dir) == snapshot(Project(clean).site_dir), change.__name__
        if change is edit_text:
            # Only the Romanian documents changed: the Polish bundle came from the cache.
            assert len(indexed & set(cache.iterdir())) == 1
        shutil.rmtree(clean)


def test_a_preview_updated_in_place_replaces_only_the_files_a_save_changes(
    built: Path, tmp_path: Path
) -> None:
    """`guidegen serve` updates its preview where it is: a file the save leaves alone stays
    the same file (nothing copied or linked anew), a changed one is replaced whole (a new
    file, never written through), and what the site no longer holds is deleted."""
    root = tmp_path / "served"
    shutil.copytree(built, root)
    preview = PreviewProject(root)
    memos = Memos()
    add_guide(root)
    build_in_process(preview, memos=memos, defer_search=True, in_place=True)
    site = preview.site_dir
    files = {p: p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    edit_text(root)
    build_in_process(preview, memos=memos, defer_search=True, in_place=True)
    now = {p: p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    assert now.keys() == files.keys()
    changed = {p for p in now if now[p] != files[p]}
    assert site / "alpha.html" in changed
    assert site / "ro-Latn" / "alpha.html" in changed
    assert not [p for p in changed if p.is_relative_to(site / "pl")]
    assert len(changed) < len(now) / 4, sorted(changed)
    delete_guide(root)
    build_in_process(preview, memos=memos, defer_search=True, in_place=True)
    assert site / "gamma.html" in files
    assert not [p for p in site.rglob("*") if "gamma" in p.name]
    assert not [p for p in site.rglob("*") if p.is_dir() and not any(p.iterdir())]


def test_a_damaged_memo_file_costs_time_not_correctness(built: Path, tmp_path: Path) -> None:
    """build/cache/memos.pickle is only a cache: cut short or overwritten, the build ignores it."""
    root = tmp_path / "damaged"
    shutil.copytree(built, root)
    memos = root / "build" / "cache" / "memos.pickle"
    assert memos.is_file(), "the build keeps no memos"
    memos.write_bytes(memos.read_bytes()[: memos.stat().st_size // 2])
    edit_text(root)
    build(root)
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", "build", ".site-*"))
    build(clean)
    assert snapshot(Project(root).site_dir) == snapshot(Project(clean).site_dir)


def test_the_memo_file_is_written_again_only_when_a_memo_changed(
    built: Path, tmp_path: Path
) -> None:
    """A build with nothing changed leaves build/cache/memos.pickle as it is (writing it is
    a fifth of such a build); a build after an edit replaces it, with all the next one needs."""
    root = tmp_path / "kept"
    shutil.copytree(built, root)
    memos = root / "build" / "cache" / "memos.pickle"
    first = memos.stat()
    build(root)
    unchanged = memos.stat()
    assert (unchanged.st_ino, unchanged.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    edit_text(root)
    build(root)
    edited = memos.stat()
    assert edited.st_ino != first.st_ino, "the edit's memos were not kept"
    build(root)
    assert memos.stat().st_ino == edited.st_ino, "the memos kept after the edit were incomplete"
