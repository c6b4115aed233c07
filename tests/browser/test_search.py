"""Search as a reader uses it: the header search box, in real headless Chromium."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from guidegen.fold import FOLD_PL, FOLD_RO, fold
from guidegen.project import Project
from tests.browser.conftest import open_page

DIACRITICS = set(FOLD_RO) | set(FOLD_PL)
CEDILLA = set("şţŞŢ")
RESULTS_READY = """(query) => {
  const message = document.querySelector(".pagefind-ui__message");
  const results = [...document.querySelectorAll(".pagefind-ui__result")];
  return message && message.textContent.includes(query) && !message.textContent.includes("…")
    && results.every((r) => r.querySelector(".pagefind-ui__result-link"));
}"""


@dataclass(frozen=True)
class Hit:
    """One result as the reader sees it: link (below the site root), title, highlighted words."""

    path: str
    title: str
    excerpt: str
    marks: tuple[str, ...]


def open_search(page: Page, url: str) -> None:
    """Load a page and open its search dialog with the keyboard shortcut `/`."""
    page.goto(url)
    page.keyboard.press("/")
    page.locator(".pagefind-ui__search-input").wait_for()


def search(page: Page, base: str, query: str) -> list[Hit]:
    """Type a query in the open search dialog; return every result shown."""
    page.locator(".pagefind-ui__search-input").fill(query)
    page.wait_for_function(RESULTS_READY, arg=query)
    hits = []
    for result in page.locator(".pagefind-ui__result").all():
        href = result.locator(".pagefind-ui__result-link").get_attribute("href") or ""
        assert href.startswith(base), f"result link {href} leaves the site"
        hits.append(
            Hit(
                path=urlsplit(href).path.removeprefix(urlsplit(base).path),
                title=result.locator(".pagefind-ui__result-title").inner_text(),
                excerpt=result.locator(".pagefind-ui__result-excerpt").inner_text(),
                marks=tuple(result.locator("mark").all_inner_texts()),
            )
        )
    return hits


def words(marks: tuple[str, ...]) -> set[str]:
    """Return the highlighted words, lowercased, without punctuation."""
    return {re.sub(r"\W+", "", mark).lower() for mark in marks}


def language_of(path: str) -> str:
    """Tell the language of a page from its path below the site root."""
    return "pl" if path.split("/", 1)[0] in {"pl", "pl-Latn"} else "ro"


def assert_hits(hits: list[Hit], lang: str, prefix: str, query: str, original: str) -> None:
    """Check results: reader's language and version only, no duplicates, the word highlighted."""
    assert hits, f"no result for {query!r}"
    paths = [hit.path for hit in hits]
    assert len(paths) == len(set(paths)), f"duplicate hits: {paths}"
    assert all(language_of(p) == lang for p in paths), f"foreign-language hits: {paths}"
    assert all(p.startswith(prefix) for p in paths), f"hits outside {prefix!r}: {paths}"
    for hit in hits:
        assert any(fold(w).startswith(fold(query)) for w in words(hit.marks)), (
            f"{hit.path}: no highlighted match for {query!r} in {hit.marks}"
        )
    highlighted = set().union(*(words(hit.marks) for hit in hits))
    assert any(w.startswith(original) for w in highlighted), (
        f"{original!r} is not highlighted for {query!r}: {sorted(highlighted)}"
    )


QUERIES = [
    ("ro", "clienti", "clienți"),
    ("ro", "increderea", "încrederea"),
    ("ro", "încrederea", "încrederea"),
    ("pl", "lojalnosc", "lojalność"),
    ("pl", "wplyw", "wpływ"),
    ("pl", "wpływ", "wpływ"),
]
HOMES = {"ro": "", "pl": "pl/"}


@pytest.mark.parametrize(("lang", "query", "original"), QUERIES)
def test_query_finds_original_words_in_the_readers_language(
    browser: Browser, served_site: tuple[Project, str], lang: str, query: str, original: str
) -> None:
    """On an original page, a query with or without diacritics highlights the original word."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base + HOMES[lang])
        hits = search(page, base, query)
        assert_hits(hits, lang, HOMES[lang], query, original)
        assert any(set(hit.excerpt) & DIACRITICS for hit in hits), "excerpts lost diacritics"
        assert not log.errors


@pytest.mark.parametrize(("lang", "query", "original"), QUERIES)
def test_variant_page_results_lead_to_variant_pages(
    browser: Browser, served_site: tuple[Project, str], lang: str, query: str, original: str
) -> None:
    """On a diacritic-free page, results link to variant pages and show no diacritics."""
    _, base = served_site
    prefix = f"{lang}-Latn/"
    with open_page(browser, base) as (page, log):
        open_search(page, base + prefix)
        hits = search(page, base, query)
        assert_hits(hits, lang, prefix, query, fold(original))
        for hit in hits:
            assert not set(hit.title + hit.excerpt) & DIACRITICS, f"{hit.path} shows diacritics"
            assert page.request.get(base + hit.path).ok, f"{hit.path} does not exist"
        ui_text = page.locator(".gg-search").inner_text().replace(query, "")
        placeholder = page.locator(".pagefind-ui__search-input").get_attribute("placeholder")
        assert not set(ui_text + (placeholder or "")) & DIACRITICS, "UI texts show diacritics"
        assert not log.errors


@pytest.mark.parametrize(
    ("query", "original"), [("lodz", "łodzi"), ("zrodlo", "źródło"), ("łodzi", "łodzi")]
)
def test_letters_unicode_does_not_decompose_are_folded(
    browser: Browser, mini_site: str, query: str, original: str
) -> None:
    """`lodz` finds Łodzi and `zrodlo` finds Źródło (ł has no decomposition), not the fallback."""
    with open_page(browser, mini_site) as (page, log):
        open_search(page, mini_site + "pl/")
        hits = search(page, mini_site, query)
        assert_hits(hits, "pl", "pl/", query, original)
        assert not log.errors


def test_fallback_pages_are_not_indexed_in_the_other_language(
    browser: Browser, mini_site: str
) -> None:
    """A Romanian guide shown on the Polish side (no translation) is indexed only in Romanian."""
    with open_page(browser, mini_site) as (page, _):
        open_search(page, mini_site)
        ro_hits = search(page, mini_site, "traducere")
        open_search(page, mini_site + "pl/")
        pl_hits = search(page, mini_site, "traducere")
    assert "beta.html" in {hit.path for hit in ro_hits}
    assert all(language_of(hit.path) == "pl" for hit in pl_hits)
    assert "pl/beta.html" not in {hit.path for hit in pl_hits}


def test_romanian_ui_texts_use_comma_below_letters(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """The Romanian search UI never shows the cedilla letters ş/ţ."""
    _, base = served_site
    with open_page(browser, base) as (page, _):
        open_search(page, base)
        search(page, base, "clienti")
        text = page.locator(".gg-search").inner_text()
        placeholder = page.locator(".pagefind-ui__search-input").get_attribute("placeholder")
        clear = page.locator(".pagefind-ui__search-clear").inner_text()
    assert "ș" in clear.lower() or "ț" in clear.lower()
    assert not set(text + (placeholder or "") + clear) & CEDILLA


@pytest.mark.parametrize("shortcut", ["/", "Control+k", "click"])
def test_header_button_and_shortcuts_open_the_search_dialog(
    browser: Browser, served_site: tuple[Project, str], shortcut: str
) -> None:
    """The header button, `/` and Ctrl+K open the dialog with the search box focused."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        page.goto(base + "pl/")
        assert not page.locator(".gg-search").is_visible()
        if shortcut == "click":
            page.locator("[data-gg-search-open]").click()
        else:
            page.keyboard.press(shortcut)
        page.locator(".pagefind-ui__search-input").wait_for()
        assert page.locator(".gg-search").is_visible()
        page.wait_for_function("document.activeElement.matches('.pagefind-ui__search-input')")
        page.keyboard.press("Escape")
        assert not page.locator(".gg-search").is_visible()
        assert not log.errors


def test_search_ui_loads_only_when_the_dialog_first_opens(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """A page view downloads no Pagefind file; the first query downloads a small part of it."""
    _, base = served_site
    with open_page(browser, base) as (page, _):
        sizes: dict[str, int] = {}
        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
        page.goto(base + "pl/")
        page.wait_for_load_state("networkidle")
        assert not [url for url in sizes if "/pagefind/" in url]
        page.keyboard.press("/")
        page.locator(".pagefind-ui__search-input").wait_for()
        search(page, base, "lojalnosc")
        page.wait_for_load_state("networkidle")
    search_files = {url: size for url, size in sizes.items() if "/pagefind/" in url}
    assert any(url.endswith("pagefind-ui.js") for url in search_files)
    assert not any(".ro_" in url or "wasm.ro" in url for url in search_files)
    total = sum(search_files.values())
    print(f"\nfirst query downloads {total} bytes in {len(search_files)} search files")
