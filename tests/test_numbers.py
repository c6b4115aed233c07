"""Number formatting follows CLDR as ICU (Node's Intl) applies it, in both locales."""

from __future__ import annotations

import json
import subprocess

import pytest

from guidegen.model import Value
from guidegen.numbers import format_value

MIN_GROUPING = {"ro": 1, "pl": 2}
NUMBERS = [0, 7, 42, 999, 1000, 1420, 9999, 10000, 14200, 123456, 1234567, 2.9, 12.5, 0.25]

ICU_SCRIPT = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(([locale, kind, value, extra]) => {
  const whole = Number.isInteger(value);
  if (kind === 'percent')
    return new Intl.NumberFormat(locale, {style: 'percent', maximumFractionDigits: 3})
      .format(value / 100);
  if (kind === 'currency')
    return new Intl.NumberFormat(locale, {style: 'currency', currency: extra,
      currencyDisplay: 'code', minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2}).format(value);
  if (kind === 'duration')
    return new Intl.NumberFormat(locale, {style: 'unit', unit: extra, unitDisplay: 'long'})
      .format(value);
  return new Intl.NumberFormat(locale, {maximumFractionDigits: 3}).format(value);
});
process.stdout.write(JSON.stringify(out));
"""


def _cases() -> list[tuple[str, str, float, str | None]]:
    """Every locale, kind and number compared with ICU."""
    cases = []
    for locale in MIN_GROUPING:
        for number in NUMBERS:
            cases.append((locale, "decimal", number, None))
            cases.append((locale, "percent", number, None))
            cases.append((locale, "currency", number, "EUR"))
        for number in (1, 2, 5, 14, 22):
            for unit in ("hour", "day", "week", "month"):
                cases.append((locale, "duration", number, unit))
    return cases


def _ours(locale: str, kind: str, number: float, extra: str | None) -> str:
    """Format one case with guidegen."""
    fields = {"currency": {"currency": extra}, "duration": {"unit": extra}}.get(kind, {})
    value = Value(kind=kind, value=number, **fields)
    return format_value(value, locale, MIN_GROUPING[locale])


def test_formatting_matches_icu_over_a_range_of_values() -> None:
    cases = _cases()
    icu = json.loads(
        subprocess.run(
            ["node", "-e", ICU_SCRIPT],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    mismatches = [
        (case, ours, theirs)
        for case, theirs in zip(cases, icu, strict=True)
        if (ours := _ours(*case)) != theirs
    ]
    assert mismatches == []


@pytest.mark.parametrize(
    ("locale", "number", "expected"),
    [("ro", 1420, "1.420\xa0EUR"), ("pl", 1420, "1420\xa0EUR"), ("pl", 14200, "14\xa0200\xa0EUR")],
)
def test_currency_examples_from_the_issue(locale: str, number: int, expected: str) -> None:
    value = Value(kind="currency", value=number, currency="EUR")
    assert format_value(value, locale, MIN_GROUPING[locale]) == expected


def test_score_keeps_its_scale() -> None:
    assert format_value(Value(kind="score", value=88, max=100), "ro") == "88/100"
