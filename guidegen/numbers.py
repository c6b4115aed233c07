"""Locale formatting of language-neutral values through Babel's CLDR data."""

from __future__ import annotations

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit

from guidegen.model import Value

_UNITS = {
    "minute": "duration-minute",
    "hour": "duration-hour",
    "day": "duration-day",
    "week": "duration-week",
    "month": "duration-month",
}


def _grouping(number: float | int, min_grouping_digits: int) -> bool:
    """Apply CLDR minimumGroupingDigits: group only when the integer part is long enough."""
    digits = len(str(abs(int(number))))
    return digits >= 3 + min_grouping_digits


def format_value(value: Value, locale: str, min_grouping_digits: int = 1) -> str:
    """Format a value the way CLDR writes it in the locale, e.g. 1420 EUR -> '1.420 EUR' (ro)."""
    number = Decimal(str(value.value))
    group = _grouping(number, min_grouping_digits)
    if value.kind == "percent":
        return format_percent(
            number / 100, locale=locale, decimal_quantization=False, group_separator=group
        )
    if value.kind == "currency":
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        if number == number.to_integral_value():
            pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(
            number,
            value.currency,
            pattern.replace("¤", "¤¤"),
            locale=locale,
            currency_digits=False,
            decimal_quantization=False,
            group_separator=group,
        )
    if value.kind == "duration":
        return format_unit(number, _UNITS[value.unit], locale=locale)
    text = format_decimal(number, locale=locale, group_separator=group)
    if value.kind == "score":
        return f"{text}/{format_decimal(value.max, locale=locale)}"
    return text
