"""Named values in text: the `{name}` placeholder syntax, and the computed values it quotes.

One syntax serves the labels of data/site.yaml (`{minutes}`, `{date}`, `{language}`) and the
computed values of data/calculations.yaml in any content text (`{clv}`): a name in braces is
replaced, `{{` and `}}` write a literal brace, and anything else with a brace is an error
that `check` reports. Formulas are parsed into a small arithmetic tree (numbers, names,
+ - * / and parentheses); nothing in them is ever run as Python.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel

from guidegen.model import LANGS, Calculations, Quantity, Value
from guidegen.numbers import format_value

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
"""A literal brace pair, a placeholder `{...}`, or a lone brace."""
NAME = re.compile(r"[a-z][a-z0-9_]*")
"""What a placeholder may name."""
LISTED = 5
"""Up to this many usable names, a message lists them all."""
MAX_ABS = 1e15
"""Largest magnitude a computed value may reach (beyond it a figure is surely a mistake)."""

LABEL_NAMES: dict[str, frozenset[str]] = {
    "reading_time": frozenset({"minutes"}),
    "updated": frozenset({"date"}),
    "fallback_notice": frozenset({"language"}),
}
"""The names each label of data/site.yaml may use; every other label takes none."""


@dataclass(frozen=True)
class Placeholder:
    """A brace construct found in a text: a placeholder's name, or None for a lone brace."""

    start: int
    text: str
    name: str | None


def placeholders(text: str) -> Iterator[Placeholder]:
    """Yield every placeholder and every lone brace of a text, in order."""
    if "{" not in text and "}" not in text:
        return
    for match in _TOKEN.finditer(text):
        if match[0] in ("{{", "}}"):
            continue
        name = match[1].strip() if match[1] is not None else None
        yield Placeholder(match.start(), match[0], name)


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each `{name}` by its value and `{{`, `}}` by braces (check vetted the names)."""
    if "{" not in text and "}" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match[0] in ("{{", "}}"):
            return match[0][0]
        if match[1] is None or match[1].strip() not in values:
            raise KeyError(f"{match[0]!r} names no value")
        return values[match[1].strip()]

    return _TOKEN.sub(replace, text)


def _usable(known: frozenset[str]) -> str:
    """Say which names a text may use, or where they are defined when there are many."""
    if len(known) > LISTED:
        return "computed values are named in data/calculations.yaml"
    return "this text may use " + (", ".join(f"{{{n}}}" for n in sorted(known)) or "no {name}")


def check_text(text: str, known: frozenset[str]) -> Iterator[tuple[str, str]]:
    """Yield (found, message) for each brace construct of a text that fill() would refuse."""
    for found in placeholders(text):
        if found.name in known:
            continue
        if found.name is None or not NAME.fullmatch(found.name):
            hint = f"write '{{{{' and '}}}}' for literal braces; {_usable(known)}"
            yield found.text, f"'{found.text}' is no value name: {hint}"
            continue
        close = difflib.get_close_matches(found.name, known, n=1)
        hint = f"did you mean '{{{close[0]}}}'?" if close else _usable(known)
        yield found.text, f"'{found.text}' names no value: {hint}"


class FormulaError(ValueError):
    """A formula that cannot be computed: its message says why."""


_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _allowed(node: ast.AST) -> bool:
    """Tell whether a formula node is plain arithmetic: numbers, names, + - * /, a sign."""
    if isinstance(node, ast.BinOp):
        return type(node.op) in _OPERATORS
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub | ast.UAdd)
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    return isinstance(node, ast.Name | ast.operator | ast.unaryop | ast.expr_context)


def formula_names(formula: str) -> list[str]:
    """Return the names a formula uses, refusing anything but arithmetic."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"formula is not arithmetic: {error.msg}") from None
    for node in ast.walk(tree.body):
        if not _allowed(node):
            part = ast.get_source_segment(formula, node) or type(node).__name__
            raise FormulaError(
                f"formula may use only numbers, names, + - * / and parentheses: remove '{part}'"
            )
    return [node.id for node in ast.walk(tree.body) if isinstance(node, ast.Name)]


def _compute(node: ast.expr, known: Mapping[str, float]) -> float:
    """Compute a checked formula tree over known values."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return known[node.id]
    if isinstance(node, ast.UnaryOp):
        value = _compute(node.operand, known)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.BinOp)
    left, right = _compute(node.left, known), _compute(node.right, known)
    if isinstance(node.op, ast.Div) and right == 0:
        raise FormulaError("formula divides by zero")
    return _OPERATORS[type(node.op)](left, right)


def _order(values: Mapping[str, Quantity]) -> tuple[list[str], dict[str, str]]:
    """Order the names so that each comes after those its formula uses; report bad formulas."""
    uses: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for name, quantity in values.items():
        try:
            uses[name] = formula_names(quantity.formula) if quantity.formula else []
        except FormulaError as error:
            errors[name] = str(error)
            continue
        unknown = [used for used in uses[name] if used not in values]
        if unknown:
            errors[name] = f"formula uses unknown name '{unknown[0]}'"
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2 or name in errors:
            return
        if state.get(name) == 1:
            cycle = " -> ".join([*path[path.index(name) :], name])
            errors.setdefault(name, f"formula refers to itself: {cycle}")
            return
        state[name] = 1
        for used in uses.get(name, []):
            visit(used, [*path, name])
        state[name] = 2
        order.append(name)

    for name in values:
        visit(name, [])
    computable: list[str] = []
    for name in order:
        if name not in errors and set(uses[name]) <= set(computable):
            computable.append(name)
    return computable, errors


def evaluate(calculations: Calculations) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Compute every value per language; return the numbers and, per name, what went wrong."""
    order, errors = _order(calculations.values)
    numbers: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    for name in order:
        quantity = calculations.values[name]
        for lang in LANGS:
            try:
                number = _number(quantity, lang, numbers[lang])
            except FormulaError as error:
                errors.setdefault(name, f"{error} ({lang})")
                break
            numbers[lang][name] = number
    failed = set(errors)
    return {
        lang: {n: v for n, v in known.items() if n not in failed} for lang, known in numbers.items()
    }, errors


def _number(quantity: Quantity, lang: str, known: Mapping[str, float]) -> float:
    """Return one value in one language: its input (percent as a fraction) or its formula's."""
    if quantity.formula is None:
        number = float(getattr(quantity, lang))
        number = number / 100 if quantity.kind == "percent" else number
    else:
        number = _compute(ast.parse(quantity.formula, mode="eval").body, known)
    if not math.isfinite(number) or abs(number) > MAX_ABS:
        raise FormulaError(f"value is out of range ({number})")
    return number


def formatted(
    calculations: Calculations, numbers: Mapping[str, float], lang: str, min_grouping_digits: int
) -> dict[str, str]:
    """Format every computed value for a language, rounded to its digits."""
    texts = {}
    for name, number in numbers.items():
        quantity = calculations.values[name]
        shown = number * 100 if quantity.kind == "percent" else number
        rounded = round(Decimal(repr(shown)), quantity.digits)
        value = Value(
            kind=quantity.kind,
            value=float(rounded) if quantity.digits else int(rounded),
            unit=quantity.unit,
            currency=getattr(calculations.currency, lang) if quantity.kind == "currency" else None,
        )
        texts[name] = format_value(value, lang, min_grouping_digits)
    return texts


T = TypeVar("T")


def localize(obj: T, lang: str, values: Mapping[str, Mapping[str, str]]) -> T:
    """Return obj with every text's placeholders filled, each text in its own language.

    A field or key named after a language switches to that language's values; objects with
    nothing to fill come back as they are.
    """
    if isinstance(obj, str):
        return fill(obj, values[lang])  # type: ignore[return-value]
    if isinstance(obj, BaseModel):
        updates = {}
        for field in type(obj).model_fields:
            current = getattr(obj, field)
            new = localize(current, field if field in LANGS else lang, values)
            if new is not current:
                updates[field] = new
        return obj.model_copy(update=updates) if updates else obj
    if isinstance(obj, list):
        items = [localize(item, lang, values) for item in obj]
        return items if any(a is not b for a, b in zip(items, obj, strict=True)) else obj  # type: ignore[return-value]
    if isinstance(obj, dict):
        entries = {k: localize(v, k if k in LANGS else lang, values) for k, v in obj.items()}
        return entries if any(entries[k] is not obj[k] for k in obj) else obj  # type: ignore[return-value]
    return obj
