"""Topics as a reader meets them: the navigation, the topic pages and the home page."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from guidegen.fold import fold
from guidegen.project import Project
from tests.conftest import REPO

SITE = yaml.safe_load((REPO / "data" / "site.yaml").read_text("utf-8"))
TOPICS = SITE["topics"]
VERSIONS = {"": "ro", "ro-Latn/": "ro", "pl/": "pl", "pl-Latn/": "pl"}


def soup_of(site: Path, path: str) -> BeautifulSoup:
    """Parse one built page."""
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def nav_links(soup: BeautifulSoup) -> list[str]:
    """Return the targets of the primary navigation's links, anchors left out."""
    nav = soup.select_one("nav.md-nav--primary")
    return [a["href"] for a in nav.select("a[href]") if not a["href"].startswith("#")]


def folded(texts: dict[str, str]) -> dict[str, str]:
    """Return texts as a version without diacritics shows them."""
    return {key: fold(value) for key, value in texts.items()}


def words(text: str) -> str:
    """Collapse whitespace, as a reader sees it."""
    return " ".join(text.split())


@pytest.mark.parametrize("topic", TOPICS, ids=[t["id"] for t in TOPICS])
def test_a_guide_page_shows_every_topic_its_own_topics_guides_and_its_contents(
    shipped_site: Path, topic: dict
) -> None:
    guide = topic["guides"][0]
    soup = soup_of(shipped_site, f"{guide}.html")
    links = nav_links(soup)
    for other in TOPICS:
        assert f"topics/{other['id']}.html" in links
        for slug in other["guides"]:
            assert (f"{slug}.html" in links) == (other is topic), slug
    nav = soup.select_one("nav.md-nav--primary")
    contents = [a["href"] for a in nav.select(".md-nav--secondary a")]
    assert contents and all(href.startswith("#") for href in contents)
    path = [words(a.get_text()) for a in soup.select(".md-path a")]
    assert path == [SITE["languages"]["ro"]["home"]["title"], topic["ro"]["title"]]


@pytest.mark.parametrize("prefix", VERSIONS)
def test_each_topic_has_a_page_with_all_its_guides_and_their_descriptions(
    shipped_site: Path, prefix: str
) -> None:
    lang = VERSIONS[prefix]
    for topic in TOPICS:
        soup = soup_of(shipped_site, f"{prefix}topics/{topic['id']}.html")
        article = soup.select_one("article")
        text = topic[lang] if not prefix.endswith("-Latn/") else folded(topic[lang])
        assert words(article.h1.get_text()).removesuffix("¶") == text["title"]
        assert text["description"] in words(article.get_text())
        listed = [a["href"] for a in article.select("li a[href]")]
        assert listed == [f"../{slug}.html" for slug in topic["guides"]]
        for item in article.select("li"):
            assert " — " in item.get_text()


def test_the_home_page_shows_the_topics_their_guides_and_the_reading_paths(
    shipped_site: Path,
) -> None:
    article = soup_of(shipped_site, "index.html").select_one("article")
    links = [a["href"] for a in article.select("a[href]") if not a["href"].startswith("#")]
    for topic in TOPICS:
        start = links.index(f"topics/{topic['id']}.html")
        following = links[start + 1 : start + 1 + len(topic["guides"])]
        assert following == [f"{slug}.html" for slug in topic["guides"]]
    text = words(article.get_text())
    for reading_path in SITE["languages"]["ro"]["home"]["reading_paths"]:
        assert reading_path["title"] in text


WINDOW = 15
"""Guides of a long topic that the navigation shows around the current one."""


def topics_of(project: Project) -> list[dict]:
    """Return a project's topics as data/site.yaml declares them."""
    return yaml.safe_load((project.root / "data" / "site.yaml").read_text("utf-8"))["topics"]


@pytest.mark.parametrize(
    ("at", "shown"), [(0, range(0, 15)), (12, range(5, 20)), (24, range(10, 25))]
)
def test_a_long_topic_shows_the_guides_around_the_current_one_and_a_link_to_its_page(
    large_site: tuple[Project, str], at: int, shown: range
) -> None:
    project, _ = large_site
    topic = next(t for t in topics_of(project) if len(t["guides"]) == 25)
    guides = topic["guides"]
    nav = soup_of(project.site_dir, f"{guides[at]}.html").select_one("nav.md-nav--primary")
    listed = [a["href"] for a in nav.select("a[href$='.html']")]
    assert [h for h in listed if h.removesuffix(".html") in guides] == [
        f"{guides[i]}.html" for i in shown
    ]
    last = nav.select_one("nav[data-md-level='1'] > ul > li:last-child > a")
    assert last["href"] == f"topics/{topic['id']}.html"
    label = SITE["languages"]["ro"]["labels"]["topic_guides"]
    assert words(last.get_text()) == f"{label} (25)"


def test_no_page_carries_more_navigation_than_the_topics_and_one_window(
    large_site: tuple[Project, str],
) -> None:
    project, _ = large_site
    topics = topics_of(project)
    slugs = {slug for topic in topics for slug in topic["guides"]}
    pages = ["index.html", "glossary.html", *(f"topics/{t['id']}.html" for t in topics)]
    for name in [*pages, *(f"{slug}.html" for slug in sorted(slugs))]:
        links = nav_links(soup_of(project.site_dir, name))
        targets = [posixpath.normpath(posixpath.join(posixpath.dirname(name), h)) for h in links]
        guide_links = [t for t in targets if t.removesuffix(".html") in slugs]
        assert len(guide_links) <= WINDOW, name
        own = ("index.html", "index.html", "glossary.html", "topics/…: all guides")
        assert len(links) <= len(topics) + WINDOW + len(own), name
