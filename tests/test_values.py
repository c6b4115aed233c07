"""The `{name}` placeholder syntax and the computed values of data/calculations.yaml."""

from __future__ import annotations

import pytest

from guidegen.model import Calculations
from guidegen.values import check_text, evaluate, fill

LITERAL = "write '{{' and '}}' for literal braces; this text may use {minutes}"


def calculations(values: dict) -> Calculations:
    """Return a calculations file with these values, amounts in RON and PLN."""
    return Calculations.model_validate({"currency": {"ro": "RON", "pl": "PLN"}, "values": values})


def test_fill_replaces_names_and_unescapes_doubled_braces() -> None:
    assert fill("{a} and {{b}} or }}{{", {"a": "1"}) == "1 and {b} or }{"


def test_text_without_braces_is_returned_as_it_is() -> None:
    text = "plain text"
    assert fill(text, {}) is text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("{0}", "'{0}' is no value name: " + LITERAL),
        ("{x}", "'{x}' names no value: this text may use {minutes}"),
        ("{minute}", "'{minute}' names no value: did you mean '{minutes}'?"),
        ("{minutes.__class__}", "'{minutes.__class__}' is no value name: " + LITERAL),
        ("a { b", "'{' is no value name: " + LITERAL),
        ("a } b", "'}' is no value name: " + LITERAL),
        ("set {a, b}", "'{a, b}' is no value name: " + LITERAL),
    ],
)
def test_check_refuses_what_fill_cannot_replace(text: str, found: str) -> None:
    assert [message for _, message in check_text(text, frozenset({"minutes"}))] == [found]
    with pytest.raises(KeyError):
        fill(text, {"minutes": "5"})


def test_formulas_compute_per_language_with_percent_as_fraction() -> None:
    numbers, errors = evaluate(
        calculations(
            {
                "order": {"kind": "currency", "ro": 100, "pl": 80},
                "margin": {"kind": "percent", "ro": 25, "pl": 50},
                "profit": {"kind": "currency", "formula": "order * margin - -1"},
            }
        )
    )
    assert errors == {}
    assert numbers["ro"]["profit"] == 26
    assert numbers["pl"]["profit"] == 41


@pytest.mark.parametrize(
    ("formula", "why"),
    [
        ("a / (a - a)", "formula divides by zero (ro)"),
        ("a ** 2", "formula may use only numbers, names, + - * / and parentheses: remove 'a ** 2'"),
        (
            "__import__('os')",
            "formula may use only numbers, names, + - * / and parentheses: remove "
            "'__import__('os')'",
        ),
        ("a.real", "formula may use only numbers, names, + - * / and parentheses: remove 'a.real'"),
        ("a *", "formula is not arithmetic: invalid syntax"),
        ("b * 2", "formula uses unknown name 'b'"),
        ("a * 1e300 * 1e300", "value is out of range (inf) (ro)"),
        ("x", "formula refers to itself: x -> x"),
    ],
)
def test_bad_formulas_are_reported_not_run(formula: str, why: str) -> None:
    _, errors = evaluate(
        calculations(
            {"a": {"kind": "count", "ro": 2, "pl": 3}, "x": {"kind": "count", "formula": formula}}
        )
    )
    assert errors == {"x": why}


def test_a_cycle_is_named_and_what_depends_on_it_is_not_computed() -> None:
    numbers, errors = evaluate(
        calculations(
            {
                "a": {"kind": "count", "formula": "b + 1"},
                "b": {"kind": "count", "formula": "a + 1"},
                "c": {"kind": "count", "formula": "a * 2"},
                "d": {"kind": "count", "formula": "c * 2"},
            }
        )
    )
    assert errors == {"a": "formula refers to itself: a -> b -> a"}
    assert numbers == {"ro": {}, "pl": {}}
