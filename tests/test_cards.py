"""Share cards: every page's og:image is a 1200x630 PNG of its title, cached between builds."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw, ImageFont

from guidegen import cards
from guidegen.build import build
from guidegen.errors import GuidegenError
from guidegen.project import Project
from guidegen.structure import site_file
from tests.builds import mini_project
from tests.conftest import REPO

LETTERS = "ăâîșțĂÂÎȘȚąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
"""Every Romanian and Polish letter beyond ASCII (comma-below ș ț, not the cedilla forms)."""


def head(site: Path, path: str) -> dict[str, str]:
    """Return a built page's Open Graph, Twitter and robots metadata by property or name."""
    soup = BeautifulSoup((site / path).read_text("utf-8"), "html.parser")
    return {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in soup.find_all("meta")
        if (tag.get("property") or tag.get("name") or "").startswith(("og:", "twitter:", "robots"))
    }


def card_file(site: Path, base: str, meta: dict[str, str]) -> Path:
    """Return the site file an og:image URL names."""
    assert meta["og:image"].startswith(base), meta["og:image"]
    return site / meta["og:image"].removeprefix(base)


def shared_pages(site: Path) -> list[str]:
    """Return every built page that carries Open Graph metadata, except the 404 pages."""
    pages = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))]
    metas = {p: head(site, p) for p in pages}
    return [p for p, m in metas.items() if "og:url" in m and "noindex" not in m.get("robots", "")]


def test_every_page_shares_a_large_card_of_its_original(
    served_site: tuple[Project, str],
) -> None:
    """Each page's og:image exists as a 1200x630 PNG recording its original's title."""
    project, base = served_site
    pages = shared_pages(project.site_dir)
    assert len(pages) > 40
    for path in pages:
        meta = head(project.site_dir, path)
        assert meta["twitter:card"] == "summary_large_image", path
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        original = head(project.site_dir, site_file(meta["og:url"].removeprefix(base)))
        assert meta["og:image"] == original["og:image"], f"{path} is not its original's card"
        with Image.open(card_file(project.site_dir, base, meta)) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), path
            assert image.text["Title"] == original["og:title"], path


def test_romanian_and_polish_cards_differ(served_site: tuple[Project, str]) -> None:
    """The same guide has one card per language, each showing its own title."""
    project, base = served_site
    guide = next(p.name for p in sorted(project.site_dir.glob("*.html")) if "-" in p.stem)
    ro, pl = head(project.site_dir, guide), head(project.site_dir, f"pl/{guide}")
    with (
        Image.open(card_file(project.site_dir, base, ro)) as ro_card,
        Image.open(card_file(project.site_dir, base, pl)) as pl_card,
    ):
        assert ro_card.text["Title"] == ro["og:title"] != pl_card.text["Title"] == pl["og:title"]
        difference = ImageChops.difference(ro_card.convert("RGB"), pl_card.convert("RGB"))
        assert difference.getbbox() is not None


@pytest.mark.parametrize("name", [cards.STYLE.title_font, cards.STYLE.name_font])
def test_bundled_fonts_have_every_romanian_and_polish_letter(name: str) -> None:
    """No letter of either language falls back to the font's empty 'missing glyph' box."""
    font = ImageFont.truetype(str(REPO / "templates" / "cards" / name), 40)

    def drawn(text: str) -> Image.Image:
        image = Image.new("L", (60, 60))
        ImageDraw.Draw(image).text((10, 5), text, font=font, fill=255)
        return image

    missing = drawn("\U0010ffff").tobytes()
    for letter in LETTERS:
        glyph = drawn(letter)
        assert glyph.getbbox() and glyph.tobytes() != missing, f"{name} has no {letter!r}"


@pytest.mark.parametrize(
    "title",
    ["Ș" * 300, "Żółć " * 80, "Bardzo" + "długie" * 30 + "słowo", "Ziua 1 · „Ce?” — (test) …"],
)
def test_any_title_gives_a_card(title: str) -> None:
    """Very long titles and words, and punctuation, still give a card with the whole title."""
    fonts = cards.Fonts(REPO / "templates" / "cards", cards.STYLE)
    with Image.open(io.BytesIO(cards.draw(title, "Ghidul", "ro", fonts))) as image:
        assert image.size == (1200, 630)
        assert image.text["Title"] == title


def test_unchanged_guides_never_redraw_their_cards(tmp_path: Path) -> None:
    """A second build reuses every card; a changed title redraws that one card only."""
    project = mini_project(tmp_path)
    build(project)
    cache = project.build_dir / "cards"
    first = {f.name: f.stat().st_mtime_ns for f in cache.iterdir()}
    build(project)
    assert {f.name: f.stat().st_mtime_ns for f in cache.iterdir()} == first
    guide = sorted((project.content_dir / "pl").glob("*.yaml"))[0]
    text = guide.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(title, f"{title} nowy", 1), "utf-8")
    build(project)
    second = {f.name: f.stat().st_mtime_ns for f in cache.iterdir()}
    assert len(second) == len(first)
    assert len(set(second) - set(first)) == 1
    assert all(second[name] == first[name] for name in set(second) & set(first))
    changed = project.site_dir / "assets" / "cards" / "pl" / f"{guide.stem}.png"
    with Image.open(changed) as image:
        assert image.text["Title"].endswith(" nowy")


def test_a_guide_shown_in_the_other_language_shares_its_sources_card(tmp_path: Path) -> None:
    """The Polish page of a Romanian-only guide shows, and shares, the Romanian card."""
    project = mini_project(tmp_path)
    base = "https://guides.example/"
    site = build(project, site_url=base)
    polish = head(site, "pl/beta.html")
    assert (
        polish["og:image"] == head(site, "beta.html")["og:image"] == f"{base}assets/cards/beta.png"
    )
    with Image.open(card_file(site, base, polish)) as image:
        assert image.text["Title"] == head(site, "beta.html")["og:title"]
    assert not (site / "assets" / "cards" / "pl" / "beta.png").exists()


def test_a_missing_font_is_named_without_a_traceback(tmp_path: Path) -> None:
    """A checkout without the card fonts gets a message that says what to restore."""
    with pytest.raises(GuidegenError, match=r"cards: cannot read the font .*Roboto-Bold\.ttf"):
        cards.Fonts(tmp_path, cards.STYLE)
