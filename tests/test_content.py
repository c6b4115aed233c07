"""The shipped guide: complete in both languages, and its built pages say what data/ says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import REPO

LANGS = ("ro", "pl")
PREFIX = {"ro": "", "pl": "pl/"}
SLUGS = sorted({f.stem for lang in LANGS for f in (REPO / "content" / lang).glob("*.yaml")})
KPI = {
    t["id"]: t for t in yaml.safe_load((REPO / "data" / "kpi_tables.yaml").read_text())["tables"]
}


def guide(lang: str, slug: str) -> dict:
    """Read one shipped guide as plain data."""
    return yaml.safe_load((REPO / "content" / lang / f"{slug}.yaml").read_text("utf-8"))


def number_in(text: str) -> float:
    """Read the number back from a formatted cell: '1.420 EUR' (ro), '14 200 EUR' (pl), '12,5 %'."""
    first = re.search(r"-?\d[\d.\s\xa0\u202f]*(,\d+)?", text).group(0)
    digits = re.sub(r"[.\s\xa0\u202f]", "", first).replace(",", ".")
    return float(digits)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_guide_exists_in_both_languages(slug: str) -> None:
    for lang in LANGS:
        assert (REPO / "content" / lang / f"{slug}.yaml").is_file(), f"{lang}/{slug} missing"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_faq_has_an_answer_and_every_myth_a_reality(slug: str) -> None:
    for lang in LANGS:
        data = guide(lang, slug)
        assert all(str(item.get("answer") or "").strip() for item in data.get("faq", []))
        assert all(str(item.get("reality") or "").strip() for item in data.get("myths", []))


@pytest.mark.parametrize("slug", SLUGS)
def test_translations_have_the_same_structure(slug: str) -> None:
    ro, pl = guide("ro", slug), guide("pl", slug)
    for field in ("sections", "takeaways", "myths", "tips", "faq", "kpi_tables"):
        assert len(ro.get(field, [])) == len(pl.get(field, [])), field
    for field, inner in (("proof", "examples"), ("plan", "steps")):
        assert len((ro.get(field) or {}).get(inner, [])) == len(
            (pl.get(field) or {}).get(inner, [])
        )


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", LANGS)
def test_built_kpi_values_equal_data(shipped_site: Path, slug: str, lang: str) -> None:
    soup = BeautifulSoup(
        (shipped_site / PREFIX[lang] / f"{slug}.html").read_text("utf-8"), "html.parser"
    )
    for table_id in guide(lang, slug).get("kpi_tables", []):
        table = soup.find("table", id=f"kpi-{table_id}")
        rows = table.tbody.find_all("tr")
        assert len(rows) == len(KPI[table_id]["rows"])
        for row, data in zip(rows, KPI[table_id]["rows"], strict=True):
            assert row.th.get_text(strip=True) == data["label"][lang]
            assert number_in(row.td.get_text()) == pytest.approx(data["value"])


def test_every_kpi_table_is_used(shipped_site: Path) -> None:
    used = {t for slug in SLUGS for lang in LANGS for t in guide(lang, slug).get("kpi_tables", [])}
    assert used == set(KPI)
