"""Finding a guide in headless Chromium, on a phone and on a desktop, small site and large."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml
from playwright.sync_api import Browser, Page

from guidegen.project import Project
from tests.browser.conftest import PageLog, open_page

PHONE = 360
DESKTOP = 1280
WINDOW = 15
"""Guides of a long topic that the navigation shows around the current one."""
HREFS = "links => links.map(link => link.getAttribute('href'))"
"""Read the targets of a list of links, as written in the page."""


@pytest.fixture(params=["served_site", "large_site"], ids=["shipped", "large"])
def site(request: pytest.FixtureRequest) -> tuple[Project, str, list[dict]]:
    """The shipped site or the large one: its project, base URL and topics."""
    project, base = request.getfixturevalue(request.param)
    site_yaml = yaml.safe_load((project.root / "data" / "site.yaml").read_text("utf-8"))
    return project, base, site_yaml["topics"]


def starts(topics: list[dict]) -> list[str]:
    """Return a page of every kind a reader may be on: home, topic, guide, glossary, 404."""
    return ["", f"topics/{topics[0]['id']}.html", f"{topics[0]['guides'][-1]}.html",
            "glossary.html", "404.html"]  # fmt: skip


def deepest(topics: list[dict]) -> str:
    """Return the guide hardest to reach: far into the longest topic other than the first."""
    topic = max(topics[1:], key=lambda t: len(t["guides"]))
    return topic["guides"][len(topic["guides"]) * 3 // 4]


def real_errors(log: PageLog) -> list[str]:
    """Return the errors a page logged, less requests that a click away from it aborted."""
    return [error for error in log.errors if not error.endswith("net::ERR_ABORTED")]


def landed_on(page: Page, base: str, path: str) -> bool:
    """Wait for the page to load; tell whether it is the one at path (index.html for a folder)."""
    page.wait_for_load_state()
    return page.url.removesuffix("index.html") == urljoin(base, path)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_any_guide_is_two_clicks_from_any_page(
    browser: Browser, site: tuple[Project, str, list[dict]], width: int
) -> None:
    """The header's logo leads home from every page; home lists every guide under its topic."""
    _, base, topics = site
    target = deepest(topics)
    with open_page(browser, base, width) as (page, log):
        for start in starts(topics):
            page.goto(base + start)
            page.locator("a.md-header__button.md-logo").click()
            assert landed_on(page, base, ""), start
            page.locator(f"article a[href='{target}.html']").first.click()
            assert landed_on(page, base, f"{target}.html"), start
        assert real_errors(log) == []


def test_on_a_desktop_the_sidebar_leads_to_any_topic_and_the_topic_to_its_guides(
    browser: Browser, site: tuple[Project, str, list[dict]]
) -> None:
    """Another path of two clicks: a topic in the sidebar, then the guide on the topic page."""
    _, base, topics = site
    target = deepest(topics)
    topic = next(t for t in topics if target in t["guides"])
    with open_page(browser, base, DESKTOP) as (page, _log):
        for start in starts(topics)[:4]:
            page.goto(base + start)
            sidebar = page.locator(".md-sidebar--primary")
            sidebar.get_by_role("link", name=topic["ro"]["title"], exact=True).first.click()
            assert landed_on(page, base, f"topics/{topic['id']}.html"), start
            page.locator(f"article a[href='../{target}.html']").click()
            assert landed_on(page, base, f"{target}.html"), start


def test_the_phone_drawer_shows_the_topics_the_current_topics_guides_and_the_contents(
    browser: Browser, site: tuple[Project, str, list[dict]]
) -> None:
    """Material's drawer opens on the current topic; its title goes back to the topics."""
    _, base, topics = site
    topic = max(topics, key=lambda t: len(t["guides"]))
    current = topic["guides"][len(topic["guides"]) // 2]
    with open_page(browser, base, PHONE) as (page, log):
        page.goto(f"{base}{current}.html")
        page.locator("label.md-header__button[for='__drawer']").click()
        drawer = page.locator("nav.md-nav--primary")
        level = drawer.locator(".md-nav__item--active > nav[data-md-level='1']")
        guides = level.locator(":scope > ul > li > a.md-nav__link")
        shown = [href.removesuffix(".html") for href in guides.evaluate_all(HREFS)]
        assert current in shown
        assert 0 < len([s for s in shown if s in topic["guides"]]) <= WINDOW
        for item in level.locator(":scope > ul > li").all():
            assert item.is_visible()
        if len(topic["guides"]) > WINDOW:
            assert shown[-1] == f"topics/{topic['id']}"
        level.locator("label.md-nav__link--active[for='__toc']").click()
        contents = drawer.locator(".md-nav--secondary")
        page.wait_for_timeout(300)
        assert contents.locator("a").first.is_visible()
        contents.locator(":scope > label.md-nav__title").click()
        level.locator(":scope > label.md-nav__title").click()
        page.wait_for_timeout(300)
        items = drawer.locator(":scope > ul > li")
        for item in items.all():
            item.scroll_into_view_if_needed()
            assert item.is_visible()
        heads = items.locator(":scope > a, :scope > .md-nav__container > a")
        names = [" ".join(text.split()) for text in heads.all_inner_texts()]
        listed = [t for t in topics if t["ro"]["title"] in names]
        assert topic in listed and len(listed) == min(len(topics), WINDOW)
        if len(topics) > WINDOW:
            more = drawer.locator(":scope > ul > li > a.gg-nav__more")
            assert more.get_attribute("href") == "index.html#topics"
        other = next(t for t in listed if t is not topic)
        drawer.get_by_role("link", name=other["ro"]["title"], exact=True).first.click()
        assert landed_on(page, base, f"topics/{other['id']}.html")
        assert real_errors(log) == []
