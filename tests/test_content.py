"""The shipped guide: complete in both languages, and its built pages say what data/ says."""

from __future__ import annotations

import json
import re
import subprocess
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


CALCULATIONS = yaml.safe_load((REPO / "data" / "calculations.yaml").read_text("utf-8"))
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)\}")
"""A value's placeholder (group 1), or a doubled brace (a literal one, no group)."""

ICU_VALUES = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(([locale, kind, value, extra]) => {
  const whole = Number.isInteger(value);
  if (kind === 'percent')
    return new Intl.NumberFormat(locale, {style: 'percent', maximumFractionDigits: 4})
      .format(value / 100);
  if (kind === 'currency')
    return new Intl.NumberFormat(locale, {style: 'currency', currency: extra,
      currencyDisplay: 'code', minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2}).format(value);
  if (kind === 'duration')
    return new Intl.NumberFormat(locale, {style: 'unit', unit: extra, unitDisplay: 'long'})
      .format(value);
  return new Intl.NumberFormat(locale, {maximumFractionDigits: 4}).format(value);
})));
"""


def recomputed(lang: str) -> dict[str, tuple[str, float, str | None]]:
    """Compute every value of data/calculations.yaml anew: name -> (kind, shown number, extra).

    Independent of guidegen: Python arithmetic over the inputs (a percent as a fraction),
    rounded half-even to the value's digits like the shown figure.
    """
    values = CALCULATIONS["values"]
    numbers: dict[str, float] = {}
    while len(numbers) < len(values):
        for name, spec in values.items():
            if name in numbers:
                continue
            if "formula" not in spec:
                numbers[name] = spec[lang] / 100 if spec["kind"] == "percent" else spec[lang]
            elif all(used in numbers for used in re.findall(r"[a-z_]\w*", spec["formula"])):
                numbers[name] = eval(spec["formula"], {"__builtins__": {}}, dict(numbers))  # noqa: S307
    shown = {}
    for name, spec in values.items():
        number = numbers[name] * (100 if spec["kind"] == "percent" else 1)
        number = round(number, spec.get("digits", 0))
        extra = CALCULATIONS["currency"][lang] if spec["kind"] == "currency" else spec.get("unit")
        shown[name] = (spec["kind"], number, extra)
    return shown


def strings(data: object) -> list[str]:
    """Return every text of parsed YAML data."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in strings(value)]
    return [data] if isinstance(data, str) else []


def quoted(lang: str) -> dict[str, set[str]]:
    """Map each shipped guide of a language to the value names its texts quote."""
    return {
        slug: {name for text in strings(guide(lang, slug)) for name in PLACEHOLDER.findall(text)}
        - {""}
        for slug in SLUGS
        if (REPO / "content" / lang / f"{slug}.yaml").is_file()
    }


@pytest.mark.parametrize("lang", LANGS)
def test_worked_examples_show_the_recomputed_results(shipped_site: Path, lang: str) -> None:
    values = recomputed(lang)
    uses = {slug: names for slug, names in quoted(lang).items() if names}
    assert uses, "no shipped guide quotes a computed value"
    cases = [(lang, *values[name]) for names in uses.values() for name in sorted(names)]
    icu = iter(
        json.loads(
            subprocess.run(
                ["node", "-e", ICU_VALUES],
                input=json.dumps(cases),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    )
    for slug, names in uses.items():
        html = (shipped_site / f"{PREFIX[lang]}{slug}.html").read_text("utf-8")
        text = " ".join(BeautifulSoup(html, "html.parser").find("article").get_text(" ").split())
        missing = [
            (name, shown)
            for name in sorted(names)
            if " ".join((shown := next(icu)).split()) not in text
        ]
        assert missing == [], slug
