"""Write problems for people (text), tools (json) and CI annotations (github)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict

from guidegen.errors import Problem

FORMATS = ("text", "json", "github")


def summary(problems: list[Problem]) -> str:
    """Count errors and warnings in one line."""
    errors = sum(p.severity == "error" for p in problems)
    return f"{errors} error(s), {len(problems) - errors} warning(s)"


def as_text(problems: list[Problem]) -> str:
    """One `path:line:col: severity: [rule] message` line per problem, then the count."""
    if not problems:
        return ""
    return "".join(f"{p}\n" for p in sorted(problems)) + summary(problems) + "\n"


def as_json(problems: list[Problem]) -> str:
    """A JSON object with every problem and the counts."""
    items = [asdict(p) for p in sorted(problems)]
    errors = sum(p.severity == "error" for p in problems)
    document = {"problems": items, "errors": errors, "warnings": len(problems) - errors}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, *, property_value: bool = False) -> str:
    """Escape text for a GitHub workflow command (data or property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def as_github(problems: list[Problem]) -> str:
    """One `::error file=…,line=…,col=…,title=…::message` workflow command per problem."""
    lines = []
    for p in sorted(problems):
        props = ",".join(
            f"{key}={_escape(str(value), property_value=True)}"
            for key, value in (
                ("file", p.path),
                ("line", p.line),
                ("col", p.col),
                ("title", f"guidegen {p.rule}"),
            )
        )
        lines.append(f"::{p.severity} {props}::{_escape(f'[{p.rule}] {p.message}')}\n")
    return "".join(lines)


WRITERS: dict[str, Callable[[list[Problem]], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
}
"""The writer of each --format."""
