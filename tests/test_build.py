"""A real MkDocs build of fixture content: languages, versions, alternates, numbers, switcher."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from guidegen.build import build
from guidegen.fold import FOLD_PL, FOLD_RO
from guidegen.pages import FirstTermOnly
from tests.conftest import REPO, copy_project

BASE = "https://guides.example/"
FIXTURE = Path(__file__).parent / "fixtures" / "mini"
DIACRITICS = set(FOLD_RO) | set(FOLD_PL)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
VERSIONS = {"": "ro", "ro-Latn/": "ro", "pl/": "pl", "pl-Latn/": "pl"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the mini fixture project with the real templates and mkdocs.yml."""
    root = tmp_path_factory.mktemp("mini")
    project = copy_project(REPO, root)
    for part in ("content", "data"):
        shutil.rmtree(root / part)
        shutil.copytree(FIXTURE / part, root / part)
    return build(project, site_url=BASE)


def page(site: Path, path: str) -> BeautifulSoup:
    """Parse one built page."""
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def links(soup: BeautifulSoup, rel: str) -> dict[str, str]:
    """Map hreflang (or rel) to href of the head's link tags with that rel."""
    return {tag.get("hreflang", rel): tag["href"] for tag in soup.find_all("link", rel=rel)}


def sitemap_alternates(site: Path) -> dict[str, dict[str, str]]:
    """Map each sitemap entry of both languages to its hreflang cluster (hreflang -> href)."""
    clusters = {}
    for sitemap in ("sitemap.xml", "pl/sitemap.xml"):
        for entry in ElementTree.parse(site / sitemap).getroot().iter(f"{{{SITEMAP}}}url"):
            links = entry.iter(f"{{{XHTML}}}link")
            clusters[entry.findtext(f"{{{SITEMAP}}}loc")] = {
                a.get("hreflang"): a.get("href") for a in links
            }
    return clusters


def visible_text(soup: BeautifulSoup) -> str:
    """Text a reader sees: body text plus title and attribute texts shown as tooltips."""
    for tag in soup(["script", "style", "svg"]):
        tag.decompose()
    attrs = [t.get(a, "") for t in soup.find_all(True) for a in ("title", "aria-label", "alt")]
    return " ".join([soup.title.get_text(), soup.body.get_text(" "), *attrs])


@pytest.mark.parametrize("prefix", VERSIONS)
def test_every_version_has_every_page_in_its_language(site: Path, prefix: str) -> None:
    for name in ("index.html", "alpha.html", "beta.html", "glossary.html"):
        soup = page(site, prefix + name)
        assert soup.html["lang"] == VERSIONS[prefix]


def test_sitemaps_carry_absolute_reciprocal_hreflang(site: Path) -> None:
    expected = {
        "ro": f"{BASE}alpha.html",
        "pl": f"{BASE}pl/alpha.html",
        "x-default": f"{BASE}alpha.html",
    }
    clusters = sitemap_alternates(site)
    assert clusters[f"{BASE}alpha.html"] == expected
    assert clusters[f"{BASE}pl/alpha.html"] == expected
    assert clusters[f"{BASE}pl/"]["pl"] == f"{BASE}pl/"


def test_no_page_head_links_to_alternates(site: Path) -> None:
    """Material's code fetches sitemap.xml from the host of every link rel=alternate."""
    for file in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        assert soup.find_all("link", rel="alternate") == [], file


@pytest.mark.parametrize("prefix", ["ro-Latn/", "pl-Latn/"])
def test_variants_point_canonical_to_their_original_and_leave_hreflang(
    site: Path, prefix: str
) -> None:
    soup = page(site, f"{prefix}alpha.html")
    original = prefix.replace("-Latn", "").replace("ro/", "")
    assert links(soup, "canonical") == {"canonical": f"{BASE}{original}alpha.html"}
    assert links(soup, "alternate") == {}


@pytest.mark.parametrize("prefix", ["ro-Latn/", "pl-Latn/"])
def test_variants_show_no_diacritics_anywhere(site: Path, prefix: str) -> None:
    for file in sorted((site / prefix).rglob("*.html")):
        text = visible_text(BeautifulSoup(file.read_text("utf-8"), "html.parser"))
        assert not DIACRITICS & set(text), file


def test_variant_links_stay_in_the_variant(site: Path) -> None:
    soup = page(site, "pl-Latn/alpha.html")
    content_links = [a["href"] for a in soup.select("article a[href$='.html']")]
    assert "beta.html" in content_links
    nav = [a["href"] for a in soup.select(".md-nav a[href$='.html']")]
    assert nav and all(not href.startswith(("/", "http")) for href in nav)


def test_originals_keep_their_diacritics(site: Path) -> None:
    assert "Łódź" in page(site, "alpha.html").h1.get_text()
    assert "Lojalność" in page(site, "pl/alpha.html").h1.get_text()
    assert page(site, "pl-Latn/alpha.html").h1.get_text().startswith("Lojalnosc")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("alpha.html", ["1.420 EUR", "14.200 EUR", "12,5 %", "88/100", "2 ore"]),
        ("pl/alpha.html", ["1420 EUR", "14 200 EUR", "12,5%", "88/100", "2 godziny"]),
    ],
)
def test_kpi_values_are_formatted_for_the_locale(site: Path, path: str, expected: list) -> None:
    table = page(site, path).select_one("table.gg-kpi")
    assert table.caption.get_text(strip=True)
    assert all(th["scope"] in ("col", "row") for th in table.find_all("th"))
    values = [td.get_text().replace("\xa0", " ") for td in table.select("td.gg-num")]
    assert values == expected


def test_switcher_lists_the_four_versions_of_the_same_guide(site: Path) -> None:
    for prefix in VERSIONS:
        soup = page(site, f"{prefix}alpha.html")
        hrefs = [a["href"] for a in soup.select(".md-select__link")]
        resolved = {(site / prefix / href).resolve() for href in hrefs}
        expected = {(site / p / "alpha.html").resolve() for p in VERSIONS}
        assert resolved == expected


def test_missing_translation_falls_back_with_a_notice(site: Path) -> None:
    soup = page(site, "pl/beta.html")
    notice = soup.select_one(".admonition.warning")
    assert "nie został jeszcze przetłumaczony" in notice.get_text()
    assert soup.select_one(".gg-guide")["lang"] == "ro"
    assert links(soup, "canonical") == {"canonical": f"{BASE}beta.html"}
    assert f"{BASE}pl/beta.html" not in sitemap_alternates(site)
    assert sitemap_alternates(site)[f"{BASE}beta.html"] == {
        "ro": f"{BASE}beta.html",
        "x-default": f"{BASE}beta.html",
    }


def test_sitemaps_list_originals_with_alternates_and_no_variants(site: Path) -> None:
    ro = (site / "sitemap.xml").read_text("utf-8")
    pl = (site / "pl" / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{BASE}alpha.html</loc>" in ro
    assert f'hreflang="pl" href="{BASE}pl/alpha.html"' in ro
    assert f"<loc>{BASE}pl/alpha.html</loc>" in pl
    assert f"<loc>{BASE}pl/beta.html</loc>" not in pl
    assert "-Latn" not in ro + pl
    assert not list(site.rglob("sitemap.xml.gz"))
    assert not (site / "ro-Latn" / "sitemap.xml").exists()


def test_heading_anchors_are_folded_and_equal_across_versions(site: Path) -> None:
    for prefix in VERSIONS:
        assert page(site, f"{prefix}alpha.html").find(id="zrodlo-problemow")


def test_faq_entries_have_shareable_anchors(site: Path) -> None:
    faq = page(site, "alpha.html").select_one("details.gg-faq")
    assert faq["id"] == "ce-inseamna-nps"
    assert faq.select_one(f"a[href='#{faq['id']}']")


def test_glossary_terms_are_explained_in_place_at_their_first_use(site: Path) -> None:
    article = page(site, "pl/alpha.html").article
    uses = [text for text in article.find_all(string=True) if "NPS" in text]
    first, *later = [text.parent for text in uses]
    assert later
    assert first.name == "abbr"
    assert "polecają" in first["title"]
    assert [tag.name for tag in later if tag.name == "abbr"] == []


def test_a_heading_keeps_its_explanation_and_the_text_still_gets_one() -> None:
    text = "# NPS today\n\nMeasure NPS.\n\nThen NPS again.\n\n*[NPS]: Net Promoter Score"
    html = markdown.markdown(text, extensions=["abbr", FirstTermOnly()])
    soup = BeautifulSoup(html, "html.parser")
    assert [a.parent.name for a in soup.find_all("abbr")] == ["h1", "p"]
    assert soup.find_all("p")[1].get_text() == "Then NPS again."


def test_heading_links_carry_no_english_title(site: Path) -> None:
    for path in ("alpha.html", "pl/alpha.html"):
        links = page(site, path).select("article a.headerlink")
        assert links
        assert all("Permanent link" not in str(link) for link in links)


def test_strict_build_fails_on_a_broken_link_and_keeps_the_old_site(
    site: Path, tmp_path: Path
) -> None:
    project = copy_project(site.parent, tmp_path)
    project.site_dir.mkdir()
    (project.site_dir / "marker").write_text("old", "utf-8")
    guide = project.content_dir / "ro" / "alpha.yaml"
    guide.write_text(guide.read_text("utf-8").replace("beta.md", "gamma.md"), "utf-8")
    with pytest.raises(Exception):  # noqa: B017 - our error or MkDocs' Abort
        build(project, site_url=BASE)
    assert (project.site_dir / "marker").read_text("utf-8") == "old"


def _icu_long_date(locale: str, iso: str) -> str:
    """Format a date the way ICU (Node's Intl) writes it in the long style."""
    script = f"process.stdout.write(new Intl.DateTimeFormat('{locale}', "
    script += f"{{dateStyle: 'long', timeZone: 'UTC'}}).format(new Date('{iso}T12:00:00Z')))"
    return subprocess.run(["node", "-e", script], capture_output=True, text=True).stdout


def test_last_updated_comes_from_git_history_in_the_page_locale(site: Path, tmp_path: Path) -> None:
    project = copy_project(site.parent, tmp_path)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2025-03-02T10:00:00Z",
        "GIT_COMMITTER_DATE": "2025-03-02T10:00:00Z",
    }
    for command in (
        ["init", "-q"],
        ["add", "content"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "c"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, env=env, check=True)
    build(project, site_url=BASE)
    for prefix, locale in (("", "ro"), ("pl/", "pl")):
        meta = page(project.site_dir, f"{prefix}alpha.html").select_one(".gg-meta").get_text()
        assert _icu_long_date(locale, "2025-03-02") in meta


@pytest.mark.parametrize(
    ("prefix", "title"),
    [("", "găsită"), ("pl/", "Nie znaleziono"), ("ro-Latn/", "gasita"), ("pl-Latn/", "Nie zna")],
)
def test_each_version_has_its_own_not_found_page(site: Path, prefix: str, title: str) -> None:
    soup = page(site, f"{prefix}404.html")
    assert title in soup.h1.get_text()
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"})


@pytest.mark.parametrize("prefix", VERSIONS)
def test_not_found_pages_link_relatively_within_their_version(site: Path, prefix: str) -> None:
    """No absolute address: a copy served at another address or depth still finds everything."""
    soup = page(site, f"{prefix}404.html")
    targets = [t.get("href") or t.get("src") for t in soup.select("a[href], script[src], img")]
    targets += [t["href"] for t in soup.select("link[rel=stylesheet], link[rel=icon]")]
    assert [t for t in targets if t.startswith("/") or "://" in t and "squidfunk" not in t] == []
    home = soup.select("article p a")[-1]["href"]
    assert (site / prefix / home).resolve() == (site / prefix / "index.html").resolve()


def test_not_found_pages_stay_out_of_sitemaps(site: Path) -> None:
    for sitemap in ("sitemap.xml", "pl/sitemap.xml"):
        assert "404" not in (site / sitemap).read_text("utf-8")


ICU_CURRENCY = """
const [locale, value, currency] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(new Intl.NumberFormat(locale, {style: 'currency', currency,
  currencyDisplay: 'code', maximumFractionDigits: 0}).format(value));
"""


@pytest.mark.parametrize(
    ("path", "lang", "currency"), [("alpha.html", "ro", "RON"), ("pl/alpha.html", "pl", "PLN")]
)
def test_computed_values_show_as_icu_writes_them(
    site: Path, path: str, lang: str, currency: str
) -> None:
    data = yaml.safe_load((FIXTURE / "data" / "calculations.yaml").read_text("utf-8"))["values"]
    yearly = data["average_order"][lang] * data["orders"][lang]
    icu = subprocess.run(
        ["node", "-e", ICU_CURRENCY],
        input=json.dumps([lang, yearly, currency]),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = page(site, path).find("article").get_text(" ")
    assert icu in text
    assert "{yearly}" not in text
    assert ("({exemplu})" if lang == "ro" else "({przykład})") in text


def test_kpi_tables_name_their_source(site: Path) -> None:
    for path, source in (("alpha.html", "Date de probă"), ("pl/alpha.html", "Dane testowe")):
        table = page(site, path).find("table", class_="gg-kpi")
        assert table.find_next("p", class_="gg-kpi-source").get_text(" ", strip=True) == source


def test_a_slug_ending_in_index_keeps_its_full_canonical_and_og_url(
    site: Path, tmp_path: Path
) -> None:
    slug = "customer-satisfaction-index"
    project = copy_project(site.parent, tmp_path)
    for file in [*project.content_dir.rglob("alpha.yaml"), project.data_dir / "site.yaml"]:
        file.write_text(file.read_text("utf-8").replace("beta", slug), "utf-8")
    (project.content_dir / "ro" / "beta.yaml").rename(project.content_dir / "ro" / f"{slug}.yaml")
    build(project, site_url=BASE)
    for prefix in VERSIONS:
        soup = page(project.site_dir, f"{prefix}{slug}.html")
        assert links(soup, "canonical") == {"canonical": f"{BASE}{slug}.html"}, prefix
        assert soup.find("meta", property="og:url")["content"] == f"{BASE}{slug}.html", prefix


@pytest.mark.parametrize("prefix", VERSIONS)
@pytest.mark.parametrize(("old", "new"), [("alpha-old", "alpha"), ("beta-first", "beta")])
def test_an_old_address_leads_to_its_guide_in_every_version(
    site: Path, prefix: str, old: str, new: str
) -> None:
    soup = page(site, f"{prefix}{old}.html")
    guide = page(site, f"{prefix}{new}.html")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == f"0; url={new}.html"
    assert soup.find("a")["href"] == f"{new}.html"
    assert f'location.replace("{new}.html" + location.hash)' in soup.script.get_text()
    assert links(soup, "canonical") == links(guide, "canonical")
    assert soup.title.get_text() == guide.find("meta", property="og:title")["content"]
    assert soup.html["lang"] == guide.html["lang"]
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"})


def test_old_addresses_stay_out_of_sitemaps(site: Path) -> None:
    assert not [loc for loc in sitemap_alternates(site) if "-old" in loc or "-first" in loc]
