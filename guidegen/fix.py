"""Byte-preserving edits of content files: change the text of values, never re-dump the YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from guidegen.errors import GuidegenError
from guidegen.lint import CEDILLA, INVISIBLE, language_at
from guidegen.loader import Loc, decode, parse, read
from guidegen.write import write_atomic

BOM = "\ufeff"
LINE_BREAKS = "\r\x85"
"""Characters YAML reads as line breaks in the file: never removed."""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the characters start:end of a text."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; everything outside them stays as it was."""
    parts, position = [], 0
    for edit in sorted(edits):
        if edit.start < position:
            raise ValueError(f"overlapping edits at character {edit.start}")
        parts += [text[position : edit.start], edit.replacement]
        position = edit.end
    return "".join([*parts, text[position:]])


def _scalars(node: yaml.Node, loc: Loc = ()) -> Iterator[tuple[Loc, yaml.ScalarNode]]:
    """Yield every scalar value node of a composed document with its data path."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, (*loc, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, (*loc, index))
    elif isinstance(node, yaml.ScalarNode):
        yield loc, node


def compose(path: str, text: str) -> yaml.Node:
    """Compose a text the loader accepts (so it holds no aliases); refuse any other text."""
    doc, problems = parse(path, text)
    if doc is None:
        raise GuidegenError(problems)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def fix_edits(path: str, text: str, lang: str) -> list[Edit]:
    """Return the edits that remove invisible characters typed into values and turn cedilla
    letters of Romanian values into comma-below ones."""
    edits = []
    for loc, node in _scalars(compose(path, text)):
        start, end = node.start_mark.index, node.end_mark.index
        value = text[start:end]
        edits += [
            Edit(start + m.start(), start + m.end(), "")
            for m in INVISIBLE.finditer(value)
            if m[0] not in LINE_BREAKS
        ]
        if language_at(loc, lang) == "ro":
            edits += [
                Edit(i, i + 1, CEDILLA[c]) for i, c in enumerate(value, start) if c in CEDILLA
            ]
    return edits


def read_text(root: Path, file: Path) -> tuple[str, str, bool]:
    """Read a content file as (relative path, text without BOM, whether it had a BOM)."""
    path = file.relative_to(root).as_posix()
    raw, problems = read(root, file)
    if raw is None:
        raise GuidegenError(problems)
    text, problems = decode(path, raw)
    if text is None:
        raise GuidegenError(problems)
    return path, text, raw.startswith(BOM.encode())


def write_text(file: Path, text: str, bom: bool) -> None:
    """Write a content file back as UTF-8, keeping its BOM if it had one."""
    write_atomic(file, ((BOM if bom else "") + text).encode("utf-8"))


def fix_file(root: Path, file: Path, lang: str) -> int:
    """Fix what can be fixed mechanically in one file; return the number of edits made."""
    try:
        path, text, bom = read_text(root, file)
        edits = fix_edits(path, text, lang)
    except GuidegenError:
        return 0
    if edits:
        write_text(file, apply_edits(text, edits), bom)
    return len(edits)


def _quoted(value: str, style: str | None) -> str:
    """Write a value as a YAML scalar in a style, quoting a plain one that would not be text."""
    if style in ("'", '"'):
        return f"{style}{value}{style}"
    return value if isinstance(yaml.safe_load(value), str) else f'"{value}"'


def _last_line(node: yaml.Node) -> int:
    """Return the 0-based line where a node's last value ends."""
    ends = [n.end_mark for _, n in _scalars(node)] or [node.end_mark]
    mark = max(ends, key=lambda m: m.index)
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line


def _block(key: str, fields: dict[str, str], newline: str) -> str:
    """Write a top-level mapping field as block lines."""
    lines = [f"{key}:"] + [f"  {name}: {_quoted(value, None)}" for name, value in fields.items()]
    return newline.join(lines) + newline


def _in_place(value: yaml.Node, fields: dict[str, str]) -> list[Edit] | None:
    """Return edits of the existing scalars of a mapping, or None when it needs rewriting."""
    if not isinstance(value, yaml.MappingNode):
        return None
    found = {str(k.value): v for k, v in value.value if isinstance(k, yaml.ScalarNode)}
    edits = []
    for name, text in fields.items():
        node = found.get(name)
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "'", '"'):
            return None
        edits.append(Edit(node.start_mark.index, node.end_mark.index, _quoted(text, node.style)))
    return edits if set(found) == set(fields) else None


def set_field(path: str, text: str, key: str, fields: dict[str, str]) -> str:
    """Set a top-level mapping field to fields, editing only its own text; add it if missing."""
    root = compose(path, text)
    if not isinstance(root, yaml.MappingNode):
        raise GuidegenError(f"{path}: the file is not a mapping of fields")
    newline = "\r\n" if "\r\n" in text else "\n"
    pair = next(((k, v) for k, v in root.value if str(k.value) == key), None)
    if pair is None:
        separator = "" if not text or text.endswith("\n") else newline
        return text + separator + _block(key, fields, newline)
    key_node, value = pair
    edits = _in_place(value, fields)
    if edits is not None:
        return apply_edits(text, edits)
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: key_node.start_mark.line])
    end = sum(len(line) for line in lines[: _last_line(value) + 1])
    ending = lines[_last_line(value)][len(lines[_last_line(value)].rstrip("\r\n")) :] or newline
    return apply_edits(text, [Edit(start, end, _block(key, fields, ending))])
