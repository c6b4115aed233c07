"""A site built for one address and served from another host and path, as a preview is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, Route

from guidegen.build import build
from guidegen.structure import VERSIONS
from tests.browser.conftest import open_page, serve
from tests.builds import mini_project

SITE_URL = "https://guides.example/repo/"
"""The address the site is built for: a host that does not resolve, at another path."""


@dataclass
class Traffic:
    """Every request a page made, and every console error, whatever its origin."""

    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Addresses answered with an error status."""

    def watch(self, page: Page) -> None:
        """Record the page's requests and errors; requests to other hosts never leave."""
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(r.url))
        page.route("**/*", self.keep_local)

    def keep_local(self, route: Route) -> None:
        """Let requests to the served site through; abort the rest."""
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            route.abort("namenotresolved")

    def elsewhere(self) -> list[str]:
        """Return the requests that left the served site."""
        return [url for url in self.requests if not url.startswith(self.base)]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the mini project for SITE_URL and serve it twice from one host, as GitHub Pages
    would (its 404.html for every missing file): at /repo/, SITE_URL's path, and at /site/."""
    root = tmp_path_factory.mktemp("elsewhere")
    project = mini_project(root)
    build(project, site_url=SITE_URL)
    (root / "repo").symlink_to(project.site_dir)
    with serve(root, not_found=project.site_dir / "404.html") as base:
        yield base


@pytest.fixture(scope="module")
def preview(host: str) -> str:
    """The site served at another path than the one it was built for."""
    return f"{host}site/"


@pytest.fixture
def visit(browser: Browser, host: str) -> Iterator[tuple[Page, Traffic]]:
    """Open a fresh page whose traffic and errors are recorded; only the host answers."""
    with open_page(browser, host) as (page, _):
        traffic = Traffic(host)
        traffic.watch(page)
        yield page, traffic


@pytest.mark.parametrize("path", ["alpha.html", "pl/alpha.html", "ro-Latn/", "pl-Latn/beta.html"])
def test_a_page_served_elsewhere_stays_on_its_host_and_downloads_no_sitemap(
    visit: tuple[Page, Traffic], preview: str, path: str
) -> None:
    page, traffic = visit
    page.goto(preview + path, wait_until="networkidle")
    assert traffic.elsewhere() == []
    assert [url for url in traffic.requests if "sitemap" in url] == []
    assert traffic.errors == []


def test_the_switcher_of_a_page_served_elsewhere_reaches_every_version(
    visit: tuple[Page, Traffic], preview: str
) -> None:
    page, traffic = visit
    page.goto(preview + "alpha.html", wait_until="networkidle")
    for version in [*VERSIONS[1:], VERSIONS[0]]:
        page.locator(".md-header .md-select > button").click()
        page.locator(f'.md-select__link[data-gg-version="{version.locale}"]').click()
        page.wait_for_url(preview + version.prefix + "alpha.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.lang") == version.lang
    assert traffic.elsewhere() == []
    assert traffic.errors == []


@pytest.mark.parametrize("prefix", [v.prefix for v in VERSIONS])
def test_an_old_address_served_elsewhere_opens_the_guide_at_the_same_section(
    visit: tuple[Page, Traffic], preview: str, prefix: str
) -> None:
    page, traffic = visit
    page.goto(f"{preview}{prefix}alpha-old.html#zrodlo-problemow", wait_until="commit")
    page.wait_for_url(f"{preview}{prefix}alpha.html#zrodlo-problemow")
    page.wait_for_load_state("networkidle")
    assert page.locator("#zrodlo-problemow").is_visible()
    assert traffic.elsewhere() == []
    assert traffic.errors == []


@pytest.mark.parametrize(
    ("missing", "landing", "heading"),
    [
        ("repo/a/b/c/gone.html", "repo/404.html", "Pagina nu a fost găsită"),
        ("repo/pl/x/y/gone.html", "repo/pl/404.html", "Nie znaleziono strony"),
        ("repo/ro-Latn/gone.html", "repo/ro-Latn/404.html", "Pagina nu a fost gasita"),
        ("site/pl-Latn/a/gone.html", "site/pl-Latn/404.html", "Nie znaleziono strony"),
    ],
)
def test_a_missing_address_at_any_depth_shows_the_not_found_page_of_its_version(
    visit: tuple[Page, Traffic], host: str, missing: str, landing: str, heading: str
) -> None:
    """GitHub Pages answers any missing address with the root 404.html, at that address."""
    page, traffic = visit
    page.goto(host + missing, wait_until="commit")
    page.wait_for_url(host + landing)
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").inner_text().startswith(heading)
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    home = page.locator("article p a").last.get_attribute("href")
    assert (
        page.evaluate("h => new URL(h, location).href", home) == host + landing[:-8] + "index.html"
    )
    # Only the missing address failed, and what its page began to load from there.
    folder = (host + missing).rsplit("/", 1)[0] + "/"
    assert [url for url in traffic.failed if not url.startswith(folder)] == []
    assert [e for e in traffic.errors if not e.startswith("Failed to load resource")] == []
