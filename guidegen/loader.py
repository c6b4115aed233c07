"""Load YAML safely, keeping the line and column of every value."""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guidegen.errors import Problem, shown

MAX_BYTES = 1_000_000
"""Largest content file accepted; a guide is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted; a guide nests about six levels."""

Key = str | int
Loc = tuple[Key, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
"""Byte order marks of encodings whose text holds NUL bytes; UTF-32 LE first (it starts
with UTF-16 LE's)."""
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass
class Document:
    """A parsed YAML file: its data and where each value stands in the file."""

    path: str
    data: Any
    text: str
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    @functools.cached_property
    def line_starts(self) -> list[int]:
        """Return where each line of the text starts (offsets)."""
        return [0, *(match.end() for match in re.finditer("\n", self.text))]

    @functools.cached_property
    def strings(self) -> list[tuple[Loc, str]]:
        """Return every string of the data with its data path (walked once per document)."""
        return list(texts(self.data))

    @functools.cached_property
    def linked(self) -> list[tuple[Loc, str]]:
        """Return the texts that hold a Markdown link, with their data paths.

        Kept with the document, so that the checks across files, which run on every build,
        do not walk every text of every unchanged file again.
        """
        return [(loc, text) for loc, text in self.strings if "](" in text]

    def light(self) -> Light:
        """Return what the checks across files keep of the document (see Light)."""
        return Light(self.path, self.linked, self.text.encode("utf-8"))

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Return (line, col) of loc, or of its nearest ancestor present in the file."""
        table = self.key_positions if key else self.positions
        for end in range(len(loc), -1, -1):
            found = table.get(loc[:end]) or self.positions.get(loc[:end])
            if found:
                return found
        return (1, 1)


@dataclass(frozen=True)
class Light:
    """A guide's document as the checks across files keep it from one build to the next: its
    path, the texts that hold a link and its text's bytes. Its data, its positions and its
    text as a string (about 215 of the 550 MB of a process that had checked 1000 guides) are
    parsed again from the bytes only when a problem needs a place (full)."""

    path: str
    linked: list[tuple[Loc, str]]
    raw: bytes

    @functools.cached_property
    def full(self) -> Document:
        """Return the whole document, parsed again from the bytes (which parsed before)."""
        doc, _ = parse(self.path, self.raw.decode("utf-8"))
        return doc or Document(self.path, None, "")


def leaves(data: object, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Yield every value of a document that is neither a mapping nor a list, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*loc, index))
    else:
        yield loc, data


def texts(data: object) -> Iterator[tuple[Loc, str]]:
    """Yield every string in a document with its data path."""
    return ((loc, value) for loc, value in leaves(data) if isinstance(value, str))


def loc_label(loc: Loc) -> str:
    """Write a data path the way editors read it: faq[2].answer."""
    text = ""
    for key in loc:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text or "(file)"


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (about ten times faster), else the Python one."""


_STR = "tag:yaml.org,2002:str"
_ALIAS = "anchors and aliases (&, *) are not supported: write the value out in full"
_TOO_DEEP = (
    f"lists and mappings nested more than {MAX_DEPTH} levels deep: "
    "a guide needs a few levels; flatten the structure"
)


class _TooDeep(Exception):
    """Raised to stop reading a file at its first list or mapping nested too deep."""


class _Builder:
    """Turn a YAML file's parser events into plain Python data, recording positions.

    Built from the events rather than from libyaml's composed node tree: an alias is refused
    where it stands, never expanded, and the building stops at the first level nested too
    deep, so its work stays bounded on hostile files. (Scanning the tokens for these first
    and then composing the tree read every file three times: 3.6 -> 1.75 ms a guide file.)
    """

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.key_positions: dict[Loc, tuple[int, int]] = {}
        self._events = yaml.parse(text, Loader=YAML_LOADER)
        self._scalars = yaml.SafeLoader("")
        self._depth = 0

    def problem(self, event: yaml.Event, rule: str, message: str) -> None:
        """Record a problem at an event's start."""
        mark = event.start_mark
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, "error", rule, message)
        )

    def document(self) -> tuple[bool, Any]:
        """Return whether the file holds a document, and the document's value.

        Raises yaml.MarkedYAMLError (or _TooDeep, with the problem recorded) as it reads."""
        next(self._events)  # the stream's start
        event = next(self._events)
        if isinstance(event, yaml.StreamEndEvent):
            return False, None
        first = next(self._events)
        value = self.build(first, ())
        next(self._events)  # the document's end
        event = next(self._events)
        if not isinstance(event, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                event.start_mark,
            )
        return True, value

    def _tag(self, kind: type[yaml.Node], event: Any, value: str | None) -> str:
        """Return the tag of the node an event starts: its own, or the one its text implies."""
        if event.tag is None or event.tag == "!":
            return self._scalars.resolve(kind, value, event.implicit)
        return event.tag

    def build(self, event: yaml.Event, loc: Loc) -> Any:
        """Return the Python value of the node that event starts (reading the node's events)."""
        self.positions[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "yaml-alias", _ALIAS)
            return None
        if isinstance(event, yaml.ScalarEvent):
            tag = self._tag(yaml.ScalarNode, event, event.value)
            if tag == _STR:
                return unicodedata.normalize("NFC", event.value)
            if tag in _PLAIN_TAGS:
                node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
                return self._scalars.construct_object(node)
            if tag == _TIMESTAMP:
                return event.value
            self._refuse_tag(event, tag)
            return None
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self.problem(event, "yaml-syntax", _TOO_DEEP)
            raise _TooDeep
        mapping = isinstance(event, yaml.MappingStartEvent)
        tag = self._tag(yaml.MappingNode if mapping else yaml.SequenceNode, event, None)
        value = self.mapping(loc) if mapping else self.sequence(loc)
        self._depth -= 1
        if tag != (_MAP if mapping else _SEQ):
            self._refuse_tag(event, tag)
            return None
        return value

    def _refuse_tag(self, event: yaml.Event, tag: str) -> None:
        """Report a value's tag other than text, a number, a list or a mapping."""
        self.problem(
            event,
            "yaml-tag",
            f"the tag '{tag}' is not allowed: content holds "
            "only text, numbers, lists and mappings; remove the tag",
        )

    def sequence(self, loc: Loc) -> list[Any]:
        """Return a list of the values up to the sequence's end."""
        items: list[Any] = []
        while not isinstance(event := next(self._events), yaml.SequenceEndEvent):
            items.append(self.build(event, (*loc, len(items))))
        return items

    def mapping(self, loc: Loc) -> dict[str, Any]:
        """Return a dict of the pairs up to the mapping's end, refusing duplicate and non-text
        keys (their values are read, not kept)."""
        result: dict[str, Any] = {}
        while not isinstance(key := next(self._events), yaml.MappingEndEvent):
            plain = isinstance(key, yaml.ScalarEvent)
            if not plain or self._tag(yaml.ScalarNode, key, key.value) not in _PLAIN_TAGS:
                if not isinstance(key, yaml.AliasEvent):
                    self.problem(key, "yaml-syntax", "a key must be a plain word")
                if not plain:
                    self.build(key, (*loc, "?"))  # refuses an alias, reads a list or mapping
                self.build(next(self._events), (*loc, "?"))
                continue
            name = str(key.value)
            if name in result:
                first = self.key_positions[(*loc, name)]
                self.problem(
                    key,
                    "duplicate-key",
                    f"duplicate key '{shown(name)}' (first at line {first[0]}): keep one of them",
                )
                self.build(next(self._events), (*loc, "?"))
                continue
            self.key_positions[(*loc, name)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            result[name] = self.build(next(self._events), (*loc, name))
        return result


def too_large(path: str, size: int) -> Problem:
    """Report a file over the size limit."""
    message = f"file is {size} bytes, more than the {MAX_BYTES} a content file may have: split it"
    return Problem(path, 1, 1, "error", "encoding", message)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is accepted), refusing binary, oversized or other encodings."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(path, len(raw))]
    wide = next((name for bom, name in _WIDE_BOMS.items() if raw.startswith(bom)), None)
    if wide:
        return None, [
            Problem(
                path,
                1,
                1,
                "error",
                "encoding",
                f"file is {wide}, not UTF-8: save the file as UTF-8",
            )
        ]
    if b"\x00" in raw:
        return None, [
            Problem(
                path,
                1,
                1,
                "error",
                "encoding",
                "file is binary (contains NUL bytes), not YAML text",
            )
        ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem(
                path,
                line,
                col,
                "error",
                "encoding",
                f"byte 0x{raw[error.start]:02x} is not UTF-8: save the file as UTF-8",
            )
        ]


def _error_mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Point at where the broken construct starts when the parser names it (e.g. a quote)."""
    if error.context_mark and error.context and "while scanning" in error.context:
        return error.context_mark
    return error.problem_mark or error.context_mark


def parse(path: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text into a Document, or report why it cannot be read."""
    problems = [
        Problem(
            path,
            number,
            line.index("\t") + 1,
            "error",
            "tab",
            "tab character: YAML is indented with spaces; replace the tab with spaces",
        )
        for number, line in enumerate(text.splitlines(), 1)
        if "\t" in line
    ]
    if problems:
        return None, problems
    builder = _Builder(path, text)
    try:
        found, data = builder.document()
    except _TooDeep:
        return None, builder.problems
    except yaml.MarkedYAMLError as error:
        mark = _error_mark(error)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        hint = "check indentation, colons and quotes"
        return None, [Problem(path, line, col, "error", "yaml-syntax", f"{reason}: {hint}")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, "error", "yaml-syntax", str(error))]
    if not found:
        return None, [Problem(path, 1, 1, "error", "yaml-syntax", "file is empty")]
    if builder.problems:
        return None, builder.problems
    return Document(path, data, text, builder.positions, builder.key_positions), []


def _unreadable(path: str, message: str) -> tuple[None, list[Problem]]:
    """Report a path that cannot be read as a content file."""
    return None, [Problem(path, 1, 1, "error", "unreadable", f"{path} {message}")]


def _inside(root: Path, file: Path) -> bool:
    """Tell whether a file listed below root stays inside it once links are followed.

    Without a link among the file and its folders below root it does: three looks at a
    guide's path instead of resolving it and root (2000 guide files: 127 → 30 ms; as strings
    rather than Path objects, 43 → 28 ms).
    """
    top, part = os.fspath(root), os.fspath(file)
    while part not in (top, os.path.dirname(part)):
        if os.path.islink(part):
            return file.resolve().is_relative_to(root.resolve())
        part = os.path.dirname(part)
    return True


def read(root: Path, file: Path) -> tuple[bytes | None, list[Problem]]:
    """Read a content file's bytes, refusing links out of the repository and non-files."""
    path = file.relative_to(root).as_posix()
    try:
        inside = _inside(root, file)
        status = file.stat()
        mode = status.st_mode
    except (OSError, RuntimeError) as error:
        reason = getattr(error, "strerror", None) or "a link that leads nowhere"
        return _unreadable(path, f"cannot be opened ({reason}): replace it with a YAML file")
    if not inside:
        return _unreadable(
            path,
            "is a link to a file outside the repository: content must live in the "
            "repository; copy the text into a real file",
        )
    if stat.S_ISDIR(mode):
        return _unreadable(path, "is a folder, not a file: rename the folder")
    if not stat.S_ISREG(mode):
        return _unreadable(path, "is not a regular file (a FIFO, socket or device): remove it")
    size = status.st_size
    if size > MAX_BYTES:
        return None, [too_large(path, size)]
    try:
        return file.read_bytes(), []
    except OSError as error:
        return _unreadable(path, f"cannot be read ({error.strerror}): check the file's permissions")


def load(root: Path, file: Path) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file; paths in problems are relative to root."""
    raw, problems = read(root, file)
    if raw is None:
        return None, problems
    return load_bytes(file.relative_to(root).as_posix(), raw)


def load_bytes(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Decode and parse the bytes read from a content file."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    return parse(path, text)
