"""Reading the shipped site in headless Chromium: switcher, errors, phones, print, screenshots."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response

from guidegen.fold import fold
from guidegen.project import Project
from guidegen.structure import VERSIONS
from tests.browser.conftest import PageLog, open_page
from tests.conftest import REPO

PHONE = 360
DESKTOP = 1280
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def site_pages(site: Path) -> list[str]:
    """Return every HTML page of a built site as a path below its root."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(("assets", "pagefind"))
    )


def translated_guide(site: Path) -> str:
    """Return a guide written in both languages, preferring one with a chart, myths and FAQ."""
    names = sorted(
        p.name for p in site.glob("*.html") if p.stem not in ("index", "404", "glossary")
    )
    texts = {name: (site / name).read_text("utf-8") for name in names}
    translated = [name for name in names if "og:locale:alternate" in texts[name]]
    assert translated, "the shipped site has no guide in both languages"
    features = ("gg-chart", "gg-myth-pair", "gg-faq")
    return max(translated, key=lambda name: sum(f in texts[name] for f in features))


def page_with(site: Path, marker: str) -> str:
    """Return the first Romanian page whose HTML contains marker, e.g. a class name."""
    for path in (p for p in site_pages(site) if "/" not in p):
        if marker in (site / path).read_text("utf-8"):
            return path
    raise AssertionError(f"no page of the shipped site contains {marker}")


def log_bad_responses(page: Page, log: PageLog) -> None:
    """Also log responses of the site itself with an error status."""

    def check(response: Response) -> None:
        if response.url.startswith(log.base) and response.status >= 400:
            log.errors.append(f"HTTP {response.status} {response.url}")

    page.on("response", check)


@pytest.fixture(scope="module")
def site(served_site: tuple[Project, str]) -> tuple[Path, str]:
    """The shipped site's folder and the base URL it is served at."""
    project, base = served_site
    return project.site_dir, base


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_switcher_round_trip_stays_on_the_guide(
    browser: Browser, site: tuple[Path, str], width: int
) -> None:
    """Going ro → ro-Latn → pl → pl-Latn → ro through the header switcher keeps the guide."""
    folder, base = site
    guide = translated_guide(folder)
    order = [*VERSIONS, VERSIONS[0]]
    with open_page(browser, base, width) as (page, log):
        page.goto(base + guide, wait_until="networkidle")
        titles = {}
        for index, version in enumerate(order):
            if index:
                page.locator(".md-header .md-select > button").click()
                link = page.locator(f'.md-select__link[data-gg-version="{version.locale}"]')
                link.click()
                page.wait_for_url(base + version.prefix + guide, wait_until="networkidle")
            current = page.locator('.md-select__link[aria-current="page"]')
            assert current.get_attribute("data-gg-version") == version.locale
            assert page.evaluate("document.documentElement.lang") == version.lang
            titles[version] = page.locator("article h1").inner_text()
        for version in VERSIONS:
            original = titles[next(v for v in VERSIONS if v.lang == version.lang)]
            assert titles[version] == (fold(original) if version.variant else original)
        assert titles[VERSIONS[0]] != titles[VERSIONS[2]], "ro and pl show the same text"
        assert log.errors == []


def test_no_console_errors_or_failed_requests_on_any_page(
    browser: Browser, site: tuple[Path, str]
) -> None:
    """Every page of the site loads without console errors or failed requests of its own."""
    folder, base = site
    problems = {}
    with open_page(browser, base) as (page, log):
        log_bad_responses(page, log)
        for path in site_pages(folder):
            page.goto(base + path, wait_until="networkidle")
            if log.errors:
                problems[path] = list(log.errors)
                log.errors.clear()
    assert len(site_pages(folder)) > 20
    assert problems == {}


def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, site: tuple[Path, str]) -> None:
    """At 360 px no page is wider than the screen; a wide table scrolls inside its own box."""
    folder, base = site
    too_wide, boxes = {}, 0
    with open_page(browser, base, PHONE) as (page, _):
        for path in site_pages(folder):
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide[path] = width
            for box in page.locator(".gg-table-wrap").all():
                boxes += 1
                assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
                assert box.bounding_box()["width"] <= PHONE
    assert too_wide == {}
    assert boxes > 0, "no table was checked"


def png_size(path: Path) -> tuple[int, int]:
    """Return the width and height of a PNG file from its header."""
    return struct.unpack(">II", path.read_bytes()[16:24])


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("prefix", ["", "pl/"])
def test_screenshots_of_a_guide(
    browser: Browser, site: tuple[Path, str], prefix: str, width: int
) -> None:
    """Save a full-page screenshot of a guide in both languages; the page fits the screen."""
    folder, base = site
    guide = translated_guide(folder)
    target = SCREENSHOTS / f"{prefix.strip('/') or 'ro'}-{Path(guide).stem}-{width}px.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_page(browser, base, width) as (page, log):
        page.goto(base + prefix + guide, wait_until="networkidle")
        page.screenshot(path=str(target), full_page=True)
        assert log.errors == []
    shot_width, shot_height = png_size(target)
    assert shot_width == width
    assert shot_height > 2000, "a guide is longer than a few screens"


def test_kpi_chart_is_an_image_with_the_table_values(
    browser: Browser, site: tuple[Path, str]
) -> None:
    """The percentage chart is announced as one image whose name carries every bar's value."""
    folder, base = site
    charted = 0
    with open_page(browser, base) as (page, _):
        for path in (
            p for p in site_pages(folder) if "gg-chart" in (folder / p).read_text("utf-8")
        ):
            page.goto(base + path)
            for chart in page.locator(".gg-chart > svg").all():
                charted += 1
                name = chart.evaluate(
                    "e => document.getElementById(e.getAttribute('aria-labelledby')).textContent"
                )
                assert chart.get_attribute("role") == "img"
                tables = " ".join(page.locator(".gg-kpi").all_inner_texts())
                for value in chart.locator(".gg-chart-value").all_text_contents():
                    assert value in name
                    assert value in tables
    assert charted > 0


def test_shared_faq_link_opens_its_question(browser: Browser, site: tuple[Path, str]) -> None:
    """Opening a guide at a question's anchor shows that question opened and on screen."""
    folder, base = site
    guide = translated_guide(folder)
    with open_page(browser, base, PHONE) as (page, log):
        page.goto(base + "pl/" + guide, wait_until="networkidle")
        question = page.locator("details.gg-faq").last
        anchor = question.get_attribute("id")
        assert question.locator("a.headerlink").get_attribute("href") == f"#{anchor}"
        assert not question.evaluate("e => e.open")
        page.goto(base + "pl/" + guide + "#" + anchor, wait_until="networkidle")
        page.wait_for_function(f"document.getElementById('{anchor}').open")
        assert page.locator(f"#{anchor} > summary").is_visible()
        assert page.locator(f"#{anchor} > summary").bounding_box()["y"] >= 0
        assert log.errors == []


def test_glossary_term_is_explained_where_it_is_used(
    browser: Browser, site: tuple[Path, str]
) -> None:
    """Tapping a glossary term in a guide shows its explanation in a tooltip."""
    folder, base = site
    guide = translated_guide(folder)
    with open_page(browser, base, PHONE) as (page, _):
        page.goto(base + guide, wait_until="networkidle")
        term = page.locator("article abbr").first
        explanation = term.get_attribute("title") or term.get_attribute("data-title")
        term.scroll_into_view_if_needed()
        term.click()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for()
        assert explanation
        assert tooltip.inner_text().strip() == explanation


def test_steps_are_numbered_and_myths_stand_apart(browser: Browser, site: tuple[Path, str]) -> None:
    """Plan steps show their numbers; a myth and its reality look different side by side."""
    folder, base = site
    with open_page(browser, base, DESKTOP) as (page, _):
        page.goto(base + page_with(folder, "gg-myth-pair"))
        numbers = page.locator("ol.gg-steps > li").evaluate_all(
            "items => items.map(i => getComputedStyle(i, '::before').content)"
        )
        assert len(numbers) >= 3
        assert set(numbers) == {"counter(gg-step)"}
        myth, reality = page.locator(".gg-myth").first, page.locator(".gg-reality").first
        colours = [
            box.evaluate("e => getComputedStyle(e).borderLeftColor") for box in (myth, reality)
        ]
        assert colours[0] != colours[1]
        assert myth.bounding_box()["y"] == reality.bounding_box()["y"], "pair is side by side"


def test_a_guide_prints_without_site_chrome(browser: Browser, site: tuple[Path, str]) -> None:
    """In print, header, navigation and search are gone, tables unclipped, answers shown."""
    folder, base = site
    guide = translated_guide(folder)
    with open_page(browser, base, DESKTOP) as (page, _):
        page.goto(base + guide, wait_until="networkidle")
        page.emulate_media(media="print")
        for chrome in (
            ".md-header",
            ".md-sidebar--primary",
            ".md-sidebar--secondary",
            ".md-footer",
        ):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert (
            page.locator(".gg-table-wrap").first.evaluate("e => getComputedStyle(e).overflowX")
            == "visible"
        )
        answer = page.locator("details.gg-faq > :not(summary)").first
        assert answer.is_visible()
        page.evaluate(
            "document.querySelector('article').insertAdjacentHTML('beforeend',"
            ' \'<p><a id="gg-ext" href="https://example.org/x">x</a></p>\')'
        )
        after = page.locator("#gg-ext").evaluate("e => getComputedStyle(e, '::after').content")
        assert "https://example.org/x" in after
        assert page.pdf().startswith(b"%PDF")
