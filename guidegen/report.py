"""Write problems for people (text), tools (json) and CI annotations (github)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from guidegen.errors import Problem

FORMATS = ("text", "json", "github")
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff]"
)
"""Characters a terminal or CI log would act on or hide: controls, bidi, zero-width, breaks."""


def printable(text: str) -> str:
    """Show control and invisible characters from content as <U+XXXX>, never raw."""
    return _UNPRINTABLE.sub(lambda match: f"<U+{ord(match[0]):04X}>", text)


def file_error(root: Path, error: OSError) -> str:
    """Describe a failed file operation: which path (below root), what went wrong."""
    if error.filename is None:
        return printable(str(error))
    path = Path(error.filename)
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return f"{printable(where)}: {error.strerror or error}: check this path's type and permissions"


def summary(problems: list[Problem]) -> str:
    """Count errors and warnings in one line."""
    errors = sum(p.severity == "error" for p in problems)
    return f"{errors} error(s), {len(problems) - errors} warning(s)"


def as_text(problems: list[Problem]) -> str:
    """One `path:line:col: severity: [rule] message` line per problem, then the count."""
    if not problems:
        return ""
    return "".join(f"{printable(str(p))}\n" for p in sorted(problems)) + summary(problems) + "\n"


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
