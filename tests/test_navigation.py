"""Topics as a reader meets them: the navigation, the topic pages and the home page."""

from __future__ import annotations

import posixpath
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup

from guidegen.fold import fold
from guidegen.project import Project
from guidegen.site import NAV_WINDOW, window
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
    ("at", "shown"), [(0, range(0, 15)), (8, range(1, 16)), (15, range(1, 16))]
)
def test_a_long_topic_shows_the_guides_around_the_current_one_and_a_link_to_its_page(
    large_site: tuple[Project, str], at: int, shown: range
) -> None:
    project, _ = large_site
    topic = next(t for t in topics_of(project) if len(t["guides"]) == 16)
    guides = topic["guides"]
    nav = soup_of(project.site_dir, f"{guides[at]}.html").select_one("nav.md-nav--primary")
    listed = [a["href"] for a in nav.select("a[href$='.html']")]
    assert [h for h in listed if h.removesuffix(".html") in guides] == [
        f"{guides[i]}.html" for i in shown
    ]
    last = nav.select_one("nav[data-md-level='1'] > ul > li:last-child > a")
    assert last["href"] == f"topics/{topic['id']}.html"
    label = SITE["languages"]["ro"]["labels"]["topic_guides"]
    assert words(last.get_text()) == f"{label} (16)"


def test_many_topics_show_those_around_the_current_one_and_a_link_to_all_of_them(
    large_site: tuple[Project, str],
) -> None:
    project, _ = large_site
    topics = topics_of(project)
    assert len(topics) > WINDOW
    for at, shown in [(0, range(0, 15)), (len(topics) - 1, range(len(topics) - 15, len(topics)))]:
        soup = soup_of(project.site_dir, f"topics/{topics[at]['id']}.html")
        nav = soup.select_one("nav.md-nav--primary")
        listed = [a["href"] for a in nav.select(":scope > ul > li > a, .md-nav__container > a")]
        ids = [h.removesuffix(".html") for h in listed]
        assert [i for i in ids if i in {t["id"] for t in topics}] == [
            topics[i]["id"] for i in shown
        ]
        more = nav.select_one(":scope > ul > li > a.gg-nav__more")
        assert more["href"] == "../index.html#topics"
        label = SITE["languages"]["ro"]["labels"]["all_topics"]
        assert words(more.get_text()) == f"{label} ({len(topics)})"
        home = soup_of(project.site_dir, "index.html")
        assert home.select_one("article h2#topics")


def test_no_page_carries_more_navigation_than_one_window_of_topics_and_one_of_guides(
    large_site: tuple[Project, str],
) -> None:
    project, _ = large_site
    topics = topics_of(project)
    slugs = {slug for topic in topics for slug in topic["guides"]}
    pages = ["index.html", "glossary.html", *(f"topics/{t['id']}.html" for t in topics)]
    own = ("logo", "home", "glossary", "all guides of the topic", "all topics")
    for name in [*pages, *(f"{slug}.html" for slug in sorted(slugs))]:
        text = (project.site_dir / name).read_text("utf-8")
        start = text.index('<nav class="md-nav md-nav--primary"')
        primary = text[start : text.index("md-sidebar--secondary", start)]
        links = nav_links(BeautifulSoup(primary, "html.parser"))
        targets = [posixpath.normpath(posixpath.join(posixpath.dirname(name), h)) for h in links]
        assert len([t for t in targets if t.removesuffix(".html") in slugs]) <= WINDOW, name
        assert len(links) <= 2 * WINDOW + len(own), name


@pytest.mark.parametrize(
    ("active", "expected"),
    [(None, range(0, 15)), (3, range(0, 15)), (20, range(13, 28)), (39, range(25, 40))],
)
def test_the_window_centres_on_the_active_item(active: int | None, expected: range) -> None:
    items = [SimpleNamespace(active=index == active) for index in range(40)]
    assert window(items, NAV_WINDOW) == [items[index] for index in expected]
