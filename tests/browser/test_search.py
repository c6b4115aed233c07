"""Search as a reader uses it: the header search box, in real headless Chromium."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Locator, Page, Response

from guidegen.fold import FOLD_PL, FOLD_RO, fold
from guidegen.project import Project
from guidegen.structure import site_file
from tests.browser.conftest import open_page
from tests.browser.test_a11y import AXE, BLOCKING
from tests.conftest import REPO

DIACRITICS = set(FOLD_RO) | set(FOLD_PL)
CEDILLA = set("şţŞŢ")
Downloads = dict[str, tuple[int, int]]
"""Files fetched, by URL: (bytes, gzipped bytes)."""
FIRST_QUERY_BUDGET = 220_000
"""Bytes a reader may download for a first query (bench/RESULTS.md has it at 1000 guides)."""
RESULTS_READY = """(query) => {
  const message = document.querySelector(".gg-search [role=status]");
  const results = [...document.querySelectorAll(".gg-search__result")];
  return message && message.textContent.includes(query) && !message.textContent.includes("…")
    && !message.hasAttribute("aria-busy")
    && results.every((r) => r.querySelector(".gg-search__result-link"));
}"""


@dataclass(frozen=True)
class Link:
    """One link of a result: target (below the site root), section title, highlighted excerpt."""

    path: str
    section: str
    excerpt: str
    marks: tuple[str, ...]
    section_marks: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One page found: its title, its main link (best section) and every section link shown."""

    title: str
    title_marks: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def path(self) -> str:
        """The main link's target without its fragment: the page found."""
        return self.links[0].path.split("#", 1)[0]

    @property
    def excerpt(self) -> str:
        """The main link's excerpt."""
        return self.links[0].excerpt

    @property
    def marks(self) -> tuple[str, ...]:
        """Every highlighted word of the result: in titles and excerpts."""
        return self.title_marks + tuple(
            m for link in self.links for m in link.section_marks + link.marks
        )


def open_search(page: Page, url: str) -> None:
    """Load a page and open its search dialog with the keyboard shortcut `/`."""
    page.goto(url)
    page.keyboard.press("/")
    page.locator(".gg-search__input").wait_for()


def read_link(link: Locator, base: str) -> Link:
    """Read one result link as the reader sees it."""
    href = link.get_attribute("href") or ""
    assert href.startswith(base), f"result link {href} leaves the site"
    section = link.locator(".gg-search__result-section")
    target = urlsplit(href)
    return Link(
        path=target.path.removeprefix(urlsplit(base).path)
        + (f"#{target.fragment}" * bool(target.fragment)),
        section=section.inner_text() if section.is_visible() else "",
        excerpt=link.locator(".gg-search__result-excerpt").inner_text(),
        marks=tuple(link.locator(".gg-search__result-excerpt mark").all_inner_texts()),
        section_marks=tuple(section.locator("mark").all_inner_texts()),
    )


def search(page: Page, base: str, query: str) -> list[Hit]:
    """Type a query in the open search dialog; return every result shown."""
    page.locator(".gg-search__input").fill(query)
    page.wait_for_function(RESULTS_READY, arg=query)
    return [
        Hit(
            title=result.locator(".gg-search__result-title").inner_text(),
            title_marks=tuple(result.locator(".gg-search__result-title mark").all_inner_texts()),
            links=tuple(read_link(link, base) for link in result.locator("a").all()),
        )
        for result in page.locator(".gg-search__result").all()
    ]


def words(marks: tuple[str, ...]) -> set[str]:
    """Return the highlighted words, lowercased, without punctuation."""
    return {re.sub(r"\W+", "", mark).lower() for mark in marks}


def language_of(path: str) -> str:
    """Tell the language of a page from its path below the site root."""
    return "pl" if path.split("/", 1)[0] in {"pl", "pl-Latn"} else "ro"


STEM = 5
"""Letters a highlighted word shares with the query at least: Romanian words are stemmed, so
`increderea` also finds and highlights încredere."""


def assert_hits(hits: list[Hit], lang: str, prefix: str, query: str, original: str) -> None:
    """Check results: reader's language and version only, no duplicates, the word highlighted."""
    assert hits, f"no result for {query!r}"
    paths = [hit.path for hit in hits]
    assert len(paths) == len(set(paths)), f"duplicate hits: {paths}"
    assert all(language_of(p) == lang for p in paths), f"foreign-language hits: {paths}"
    assert all(p.startswith(prefix) for p in paths), f"hits outside {prefix!r}: {paths}"
    for hit in hits:
        assert any(fold(w).startswith(fold(query)[:STEM]) for w in words(hit.marks)), (
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
        placeholder = page.locator(".gg-search__input").get_attribute("placeholder")
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
        placeholder = page.locator(".gg-search__input").get_attribute("placeholder")
        clear = page.locator(".gg-search__clear").inner_text()
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
        page.locator(".gg-search__input").wait_for()
        assert page.locator(".gg-search").is_visible()
        page.wait_for_function("document.activeElement.matches('.gg-search__input')")
        page.keyboard.press("Escape")
        assert not page.locator(".gg-search").is_visible()
        assert not log.errors


def first_query_download(page: Page, base: str, home: str, query: str) -> Downloads:
    """Open home, then search; return every file the page fetched from opening the dialog on.

    Each file maps to (bytes, gzipped bytes): what a server sending it as is, and one that
    gzips it when that makes it smaller, transfer. Pagefind's index files come compressed.
    The browser's own requests (the favicon, fetched whenever Chromium gets to it) are left out.
    """
    sizes: Downloads = {}

    def record(response: Response) -> None:
        """Keep the sizes of a file the page fetched."""
        if response.request.resource_type != "other":
            body = response.body()
            sizes[response.url] = (len(body), min(len(body), len(gzip.compress(body, mtime=0))))

    page.goto(base + home)
    page.wait_for_load_state("networkidle")
    page.on("response", record)
    page.keyboard.press("/")
    page.locator(".gg-search__input").wait_for()
    search(page, base, query)
    page.wait_for_load_state("networkidle")
    return sizes


def test_search_loads_when_the_dialog_first_opens_and_first_query_stays_small(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """A page view downloads no search file; the first query downloads no UI library."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        page_view: list[str] = []
        page.on("request", lambda r: page_view.append(r.url))
        page.goto(base + "pl/")
        page.wait_for_load_state("networkidle")
        assert page_view and not [url for url in page_view if "/pagefind/" in url]
        files = first_query_download(page, base, "pl/", "lojalnosc")
        assert not log.errors
    names = [urlsplit(url).path.rsplit("/", 1)[-1] for url in files]
    assert "pagefind.js" in names
    assert not [n for n in names if n.startswith(("pagefind-ui", "pagefind-worker"))], names
    assert not [n for n in names if n.startswith(("pagefind.ro_", "wasm.ro", "ro_"))], names
    raw = sum(size for size, _ in files.values())
    gzipped = sum(size for _, size in files.values())
    print(f"\nfirst query downloads {raw} bytes ({gzipped} gzipped) in {len(files)} files")
    assert raw < FIRST_QUERY_BUDGET


def status_count(page: Page) -> int:
    """Return the result count the live region announces."""
    status = page.get_by_role("status").inner_text()
    count = re.search(r"\d+", status)
    assert count, f"no count in {status!r}"
    return int(count.group())


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("home", "query"), [("", "clienti"), ("pl/", "wplyw")])
def test_search_dialog_is_accessible_and_readable_in_both_palettes(
    browser: Browser, served_site: tuple[Project, str], scheme: str, home: str, query: str
) -> None:
    """Labelled search box, results as a list of links, count announced; axe finds nothing."""
    _, base = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        open_search(page, base + home)
        hits = search(page, base, query)
        dialog = page.get_by_role("dialog")
        assert dialog.get_by_role("searchbox", name=re.compile(r"\w")).is_visible()
        results = dialog.get_by_role("list", name=re.compile(r"\w"))
        assert results.locator(":scope > li").count() == len(hits)
        assert results.get_by_role("link").count() == sum(len(hit.links) for hit in hits)
        assert query in page.get_by_role("status").inner_text()
        assert status_count(page) >= len(hits)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document.querySelector(".gg-search"),
                                          {resultTypes: ["violations"]})).violations
                .map(v => ({id: v.id, impact: v.impact,
                            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
        )
    finally:
        context.close()
    assert [v for v in violations if v["impact"] in BLOCKING] == []


def polish_results_word(count: int) -> str:
    """Return the Polish plural of `wynik` for a count (1 wynik, 2-4 wyniki, 5+ wyników)."""
    if count == 1:
        return "wynik"
    few = count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
    return "wyniki" if few else "wyników"


@pytest.mark.parametrize("query", ["adekwatna", "analitycy", "klient"])
def test_polish_count_uses_the_polish_plural(
    browser: Browser, served_site: tuple[Project, str], query: str
) -> None:
    """The announced count agrees with its noun the Polish way (Intl plural categories)."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base + "pl/")
        search(page, base, query)
        count = status_count(page)
        words = page.get_by_role("status").inner_text().split()
        assert not log.errors
    assert words[words.index(str(count)) + 1] == polish_results_word(count), words


def test_arrow_keys_and_enter_move_through_results(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """Enter or ↓ leaves the search box for the results, ↑/↓ move, Enter on a result opens it."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base)
        hits = search(page, base, "clienti")
        links = [link.path for hit in hits for link in hit.links]
        assert len(links) >= 3
        focused = "() => document.activeElement.getAttribute('href')"
        page.keyboard.press("Enter")
        assert page.evaluate(focused) == base + links[0]
        page.keyboard.press("ArrowDown")
        assert page.evaluate(focused) == base + links[1]
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.matches('.gg-search__input')")
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert page.evaluate(focused) == base + links[2]
        page.keyboard.press("Enter")
        page.wait_for_url(base + links[2])
        assert not log.errors


def test_more_results_load_on_request_without_duplicates(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """A query with many hits shows a first page; the more button adds the next ones."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base)
        first = search(page, base, "client")
        total = status_count(page)
        assert total > len(first) > 0, f"{total} hits, {len(first)} shown"
        page.locator(".gg-search__more").click()
        page.wait_for_function(
            "(n) => document.querySelectorAll('.gg-search__result').length > n", arg=len(first)
        )
        links = page.locator(".gg-search__result-link").evaluate_all("(a) => a.map(l => l.href)")
        assert len(links) == len(set(links)) == min(total, 2 * len(first))
        assert page.evaluate("document.activeElement.href") == links[len(first)]
        assert page.locator(".gg-search__more").is_hidden() == (len(links) == total)
        assert not log.errors


def test_escape_closes_the_dialog_and_reopening_keeps_the_results(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """Esc closes the dialog even with a query typed; reopening shows the same query and hits."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base + "pl/")
        hits = search(page, base, "wplyw")
        page.keyboard.press("Escape")
        assert not page.locator(".gg-search").is_visible()
        page.keyboard.press("Control+k")
        page.wait_for_function("document.activeElement.matches('.gg-search__input')")
        assert page.locator(".gg-search__input").input_value() == "wplyw"
        assert page.locator(".gg-search__result").count() == len(hits)
        assert not log.errors


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
READING_LINE = re.compile(r"\d+ min|Actualizat la|Zaktualizowano")
"""The reading time and date line under a guide's title, in either language."""
SECTIONS = [
    ("ro", "retentie"),
    ("ro", "loialitate"),
    ("ro", "increderea"),
    ("pl", "lojalnosc"),
    ("pl", "wplyw"),
    ("pl", "zaufanie"),
]
"""Six queries typed without diacritics, three per language (the closing note's table)."""


def folded_words(text: str) -> set[str]:
    """Return the words of a text, folded and lowercased, without punctuation."""
    return {fold(w).lower() for w in re.findall(r"\w+", text)}


def section_text(html: str, fragment: str) -> str:
    """Return the text of a page's section: a heading to the next one, or one FAQ entry."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    assert article is not None
    start = article.find(id=fragment) if fragment else article.find("h1")
    assert start is not None, f"#{fragment} is not on the page"
    assert start.name in {*HEADINGS, "details"}, start.name
    if start.name == "details":
        return start.get_text(" ")
    texts = []
    for element in start.next_elements:
        name = getattr(element, "name", None)
        boundary = name in HEADINGS or (name == "details" and element.get("id"))
        if boundary and element is not start:
            break
        if isinstance(element, str):
            texts.append(element)
    return " ".join(texts)


@pytest.mark.parametrize(("lang", "query"), SECTIONS)
def test_results_land_on_the_section_where_the_words_are(
    browser: Browser, served_site: tuple[Project, str], lang: str, query: str
) -> None:
    """Each link goes to a heading (or the page top) whose section holds its excerpt and hits.

    The excerpt is body text: never the page title again, nor the reading time and date.
    """
    project, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base + HOMES[lang])
        hits = search(page, base, query)
        assert not log.errors
    assert hits, f"no result for {query!r}"
    assert any("#" in link.path for hit in hits for link in hit.links), "no section links"
    for hit in hits:
        for link in hit.links:
            path, _, fragment = link.path.partition("#")
            html = (project.site_dir / site_file(path)).read_text("utf-8")
            section = folded_words(section_text(html, fragment))
            assert not link.excerpt.startswith(hit.title), f"{link.path}: title repeated"
            assert not READING_LINE.search(link.excerpt), f"{link.path}: {link.excerpt!r}"
            if fragment:
                assert link.section, f"{link.path}: no section title"
                heading = f"{link.section}."  # as Pagefind's text has it
                assert not link.excerpt.startswith(heading), f"{link.path}: heading repeated"
            missing = folded_words(link.excerpt) - section
            assert not missing, f"{link.path}: excerpt words {missing} are not in the section"
            assert folded_words(" ".join(link.marks)) <= section


def test_faq_result_opens_its_question(browser: Browser, served_site: tuple[Project, str]) -> None:
    """A FAQ entry found by its words is a result that opens the entry when followed."""
    project, base = served_site
    html = (project.site_dir / "pl" / "program-launch.html").read_text("utf-8")
    entry = BeautifulSoup(html, "html.parser").select("details.gg-faq")[-1]
    question = entry.find("summary").get_text()
    query = " ".join(sorted(re.findall(r"\w{6,}", fold(question)), key=len)[-2:])
    with open_page(browser, base) as (page, log):
        open_search(page, base + "pl/")
        search(page, base, query)
        link = page.locator(f".gg-search__results a[href$='#{entry['id']}']").first
        assert link.locator(".gg-search__result-section").inner_text() == question
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/pl/program-launch.html#{entry['id']}")
        assert page.evaluate(f"document.getElementById('{entry['id']}').open")
        assert not log.errors


def title_class(title: str, query: str) -> int:
    """Rank a result's title: 0 has the query's word, 1 a longer word starting so, 2 neither."""
    words = folded_words(title)
    return 0 if query in words else 1 if any(w.startswith(query) for w in words) else 2


@pytest.mark.parametrize(("home", "query"), [("pl/", "lojalnosc"), ("pl/", "klient")])
def test_exact_words_in_titles_rank_first(
    browser: Browser, served_site: tuple[Project, str], home: str, query: str
) -> None:
    """Titles with the word itself, then titles with longer words, then the rest."""
    _, base = served_site
    with open_page(browser, base) as (page, _):
        open_search(page, base + home)
        hits = search(page, base, query)
    classes = [title_class(hit.title, query) for hit in hits]
    assert classes == sorted(classes), [
        (c, hit.title) for c, hit in zip(classes, hits, strict=True)
    ]
    assert classes[0] < 2


@pytest.mark.parametrize(("query", "prefix"), [("retentie", "retent"), ("loialitate", "loial")])
def test_pages_with_the_word_in_their_title_rank_first(
    browser: Browser, served_site: tuple[Project, str], query: str, prefix: str
) -> None:
    """Romanian words are stemmed (retenție, retenția): titles with the stem come first."""
    _, base = served_site
    with open_page(browser, base) as (page, _):
        open_search(page, base)
        hits = search(page, base, query)
    in_title = [any(w.startswith(prefix) for w in folded_words(hit.title)) for hit in hits]
    assert in_title[0] and in_title == sorted(in_title, reverse=True), in_title


def test_failed_load_says_so_and_can_be_retried(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """Before anything loads the close button has its name; a failed load offers a retry."""
    _, base = served_site
    texts = yaml.safe_load((REPO / "templates" / "search" / "strings.yaml").read_text("utf-8"))
    with open_page(browser, base) as (page, log):
        page.route("**/pagefind/**", lambda route: route.abort())
        open_search(page, base + "pl/")
        dialog = page.get_by_role("dialog")
        assert dialog.get_by_role("button", name=texts["pl"]["close"]).is_visible()
        page.wait_for_function("!document.querySelector('[data-gg-search-retry]').hidden")
        assert page.get_by_role("status").inner_text() == texts["pl"]["load_failed"]
        assert page.get_by_role("status").get_attribute("aria-busy") is None
        page.unroute("**/pagefind/**")
        dialog.get_by_role("button", name=texts["pl"]["retry"]).click()
        assert search(page, base, "wplyw")
        assert page.locator("[data-gg-search-retry]").is_hidden()
        blocked = [e for e in log.errors if "/pagefind/" in e or e.startswith("Failed to load")]
        assert log.errors == blocked, log.errors


def test_emptying_the_box_ends_the_busy_state(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """Clearing the box while a search runs leaves no result and no busy status behind."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        open_search(page, base)
        search(page, base, "clienti")
        page.locator(".gg-search__input").fill("fidelizare")
        page.locator(".gg-search__input").fill("")
        page.wait_for_function("!document.querySelector('.gg-search [role=status]').ariaBusy")
        page.wait_for_timeout(1000)
        assert page.get_by_role("status").get_attribute("aria-busy") is None
        assert page.locator(".gg-search__result").count() == 0
        assert not log.errors


MALFORMED = """
import * as real from "./pagefind.js?unwrapped";
export const options = real.options;
export const debouncedSearch = async (...args) => {
  const found = await real.debouncedSearch(...args);
  const paths = ["http://[", "//elsewhere.example/x.html", undefined, 42, "/%E0%A4%A"];
  /* every other result, so that each batch the dialog loads keeps good results too */
  found?.results.filter((_, i) => i % 2 === 0).slice(0, paths.length).forEach((result, i) => {
    const data = result.data;
    result.data = async () => ({ ...(await data()), url: paths[i], raw_url: paths[i] });
  });
  return found;
};
"""
"""Pagefind's module wrapped so that its first results carry malformed or foreign paths."""


def test_malformed_result_paths_are_left_out_without_errors(
    browser: Browser, served_site: tuple[Project, str]
) -> None:
    """Results whose path is malformed or leads off the site are skipped; the rest still show."""
    _, base = served_site
    with open_page(browser, base) as (page, log):
        page.route(
            lambda url: url.endswith("/pagefind/pagefind.js"),
            lambda route: route.fulfill(body=MALFORMED, content_type="text/javascript"),
        )
        open_search(page, base)
        hits = search(page, base, "clienti")
        assert not log.errors
    shown = [hit.path for hit in hits]
    assert shown and not [path for path in shown if "elsewhere" in path or "42" in path], shown
