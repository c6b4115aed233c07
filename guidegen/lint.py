"""Content lint: the slips the source articles show, found in every text of a document."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator

from guidegen.errors import Problem
from guidegen.fold import FOLD_PL, FOLD_RO
from guidegen.loader import Document, Loc, loc_label
from guidegen.model import LANGS, Glossary

CEDILLA = {"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"}
"""Cedilla letters typed instead of the Romanian comma-below letters."""

_DIACRITICS = {
    lang: re.compile("[" + "".join(sorted(letters)) + "]")
    for lang, letters in (("ro", set(FOLD_RO) - set(CEDILLA)), ("pl", set(FOLD_PL)))
}
_CEDILLA = re.compile("[" + "".join(CEDILLA) + "]")
_MIN_LETTERS = 300
"""Below this many letters a file is too short to judge its diacritics."""
_MIN_RATIO = 0.005
"""Romanian and Polish prose carries 3-7 % diacritic letters; under 0.5 % they are missing."""

_WORD = re.compile(r"\w+", re.UNICODE)
_DOUBLED = re.compile(r"\b(\w{2,})\b[\s,]+\b(\1)\b", re.IGNORECASE | re.UNICODE)
_PLACEHOLDERS = ("<>", "todo", "lorem", "ipsum")
_PLACEHOLDER = re.compile(
    "|".join(rf"\b{w}\b" if w.isalpha() else re.escape(w) for w in _PLACEHOLDERS), re.I
)
_GREEK_OR_CYRILLIC_LETTERS = "\u0370-\u052f\u1f00-\u1fff"
_GREEK_OR_CYRILLIC = re.compile(f"[{_GREEK_OR_CYRILLIC_LETTERS}]")
"""Greek, Cyrillic and Greek Extended letters: a quick test before naming each letter."""
_PAIRS = tuple(
    (opening, closing, re.compile(f"[{re.escape(opening + closing)}]"))
    for opening, closing in (("(", ")"), ("[", "]"), ("„", "”"), ("«", "»"))
)
"""Each bracket or quote pair, with the pattern that finds either of its two marks."""
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
INVISIBLE = re.compile(f"[{_CONTROLS}]|(?<=\\w)[{_ZERO_WIDTH}](?=\\w)")
"""Control characters (C0 but line breaks, DEL, C1), bidirectional controls and marks, and
zero-width characters inside a word: text a reader cannot see or that reorders what is shown."""


def invisible_kind(char: str) -> str:
    """Name a character INVISIBLE matches: control, bidirectional control or zero-width."""
    code = ord(char)
    if code < 0xA0:
        return "control character"
    if code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        return "zero-width character inside a word"
    return "bidirectional control"


def find(doc: Document, loc: Loc, needle: str) -> tuple[int, int]:
    """Locate needle in the file at or after the value's start; fall back to the value."""
    line, col = doc.position(loc)
    starts = doc.line_starts
    found = doc.text.find(needle, starts[min(line, len(starts)) - 1] + col - 1)
    if found < 0:
        return line, col
    line = bisect.bisect_right(starts, found)
    return line, found - starts[line - 1] + 1


def _script(char: str) -> str:
    """Name the script of a letter: LATIN, CYRILLIC, GREEK or other."""
    return unicodedata.name(char, "?").split(" ")[0]


def _mixed_words(text: str) -> Iterator[str]:
    """Yield words that mix Latin letters with Cyrillic or Greek look-alikes."""
    if not _GREEK_OR_CYRILLIC.search(text):
        return
    for word in _WORD.findall(text):
        scripts = {_script(c) for c in word if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            yield word


def _unbalanced(text: str) -> tuple[str, int] | None:
    """Return the first bracket or quote pair that does not balance and where it breaks."""
    for opening, closing, marks in _PAIRS:
        if opening not in text and closing not in text:
            continue
        depth = 0
        for match in marks.finditer(text):
            depth += 1 if match[0] == opening else -1
            if depth < 0:
                return f"{opening}{closing}", match.start()
        if depth > 0:
            return f"{opening}{closing}", text.rindex(opening)
    if text.count('"') % 2:
        return '""', text.rindex('"')
    return None


def _excerpt(text: str, start: int) -> str:
    """Return the text from start to the end of its line, as it stands in the file."""
    end = text.find("\n", start, start + 40)
    return text[start : end if end >= 0 else start + 40]


def problem_at(
    doc: Document,
    loc: Loc,
    needle: str,
    severity: str,
    rule: str,
    message: str,
    fixable: bool = False,
) -> Problem:
    """Build a problem at the place of needle inside the value at loc."""
    line, col = find(doc, loc, needle)
    return Problem(doc.path, line, col, severity, rule, message, fixable)  # type: ignore[arg-type]


def lint_text(doc: Document, loc: Loc, text: str, lang: str) -> list[Problem]:
    """Check one text value for typos and leftovers; a repeated finding is reported once."""
    where = loc_label(loc)
    problems = []
    for char in sorted(set(INVISIBLE.findall(text))):
        fixable = char in doc.text
        hint = "guidegen check --fix removes it" if fixable else "remove its escape"
        problems.append(
            problem_at(
                doc,
                loc,
                char,
                "error",
                "invisible-character",
                f"{where}: {invisible_kind(char)} U+{ord(char):04X} "
                f"{unicodedata.name(char, '')}: {hint}".replace(" :", ":"),
                fixable=fixable,
            )
        )
    if lang == "ro":
        for letter in sorted(set(_CEDILLA.findall(text))):
            problems.append(
                problem_at(
                    doc,
                    loc,
                    letter,
                    "error",
                    "cedilla",
                    f"{where}: cedilla letter '{letter}': Romanian uses the "
                    f"comma-below '{CEDILLA[letter]}' (guidegen check --fix)",
                    fixable=True,
                )
            )
    for word in _mixed_words(text):
        problems.append(
            problem_at(
                doc,
                loc,
                word,
                "error",
                "mixed-script",
                f"{where}: '{word}' mixes Latin with Cyrillic or Greek "
                "look-alike letters: retype the word",
            )
        )
    for match in _DOUBLED.finditer(text):
        problems.append(
            problem_at(
                doc,
                loc,
                _excerpt(text, match.start()),
                "warning",
                "doubled-word",
                f"{where}: doubled word '{match.group(0)}': remove one",
            )
        )
    for match in _PLACEHOLDER.finditer(text):
        problems.append(
            problem_at(
                doc,
                loc,
                match.group(0),
                "warning",
                "placeholder",
                f"{where}: placeholder '{match.group(0)}': replace it with real text",
            )
        )
    return sorted(set(problems + lint_balance(doc, loc, text, lang)))


def lint_balance(doc: Document, loc: Loc, text: str, lang: str = "") -> list[Problem]:
    """Check that one text value's brackets and quotes balance (lang: as lint_text's)."""
    unbalanced = _unbalanced(text)
    if not unbalanced:
        return []
    pair, index = unbalanced
    message = f"{loc_label(loc)}: unbalanced {pair}: close or remove '{text[index]}'"
    return [problem_at(doc, loc, _excerpt(text, index), "warning", "unbalanced", message)]


_SEPARATOR = "\n\uffff\n"
"""Joins a document's texts for a first look: no rule's pattern matches across it."""
_SUSPECT_CHARACTERS = re.compile(
    f"[{_CONTROLS}{_ZERO_WIDTH}{''.join(CEDILLA)}{_GREEK_OR_CYRILLIC_LETTERS}]"
)
"""Every character that the invisible-character, cedilla and mixed-script rules look for."""


def _suspect(texts: list[str]) -> bool:
    """Tell whether any text may break a rule of lint_text besides the balance, looking at
    all texts at once with the rules' patterns or simpler ones that find more (content files
    are mostly clean; at 100 guides lint_text took 0.81 of the checks' 1.87 s)."""
    joined = _SEPARATOR.join(texts)
    # Ignoring case, the patterns also take the Turkish İ and ı for an i; casefold() does not.
    folded = joined.replace("İ", "i").replace("ı", "i").casefold()
    return bool(
        _SUSPECT_CHARACTERS.search(joined)
        or any(placeholder in folded for placeholder in _PLACEHOLDERS)
        or _DOUBLED.search(joined)
    )


def _diacritics_problem(doc: Document, lang: str, all_text: str) -> list[Problem]:
    """Report a file written (almost) without its language's diacritics."""
    marked = len(_DIACRITICS[lang].findall(all_text))
    if marked >= _MIN_RATIO * len(all_text):
        return []  # enough even if every character were a letter: no need to count them
    letters = sum(map(str.isalpha, all_text))
    if letters < _MIN_LETTERS or marked / letters >= _MIN_RATIO:
        return []
    return [
        Problem(
            doc.path,
            1,
            1,
            "error",
            "no-diacritics",
            f"only {marked} of {letters} letters carry diacritics: write the {lang} "
            "source with its diacritics; the diacritic-free variant is generated",
        )
    ]


def lint_document(doc: Document, lang: str) -> list[Problem]:
    """Run every text rule over a content document."""
    problems: list[Problem] = []
    texts = [(loc, text) for loc, text in doc.strings if loc[:1] != ("translated_from",)]
    check = lint_text if _suspect([text for _, text in texts]) else lint_balance
    for loc, text in texts:
        problems += check(doc, loc, text, lang)
    return problems + _diacritics_problem(doc, lang, " ".join(text for _, text in texts))


def language_at(loc: Loc, default: str) -> str:
    """Return the language of a value: its nearest language key (data files) or the default."""
    return next((str(key) for key in reversed(loc) if key in LANGS), default)


def lint_data(doc: Document) -> list[Problem]:
    """Run the text rules over a data file; a text's language is its nearest language key."""
    problems: list[Problem] = []
    for loc, text in doc.strings:
        problems += lint_text(doc, loc, text, language_at(loc, ""))
    return problems


def avoid_patterns(glossary: Glossary) -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """Return per language one pattern of every variant to avoid and each variant's term."""
    patterns = {}
    for lang in LANGS:
        preferred = {
            variant.casefold(): entry.preferred(lang)
            for entry in glossary.terms
            for variant in entry.avoid.get(lang, [])
        }
        if preferred:
            words = "|".join(re.escape(v) for v in sorted(preferred, key=len, reverse=True))
            # The lookahead of first letters lets the search skip most places at once:
            # 0.69 -> 0.32 s for the 200 guide files of 100 guides.
            first = "".join(sorted({re.escape(v[0]) for v in preferred}))
            pattern = rf"(?<!\w)(?=[{first}])(?:{words})(?!\w)"
            patterns[lang] = (re.compile(pattern, re.IGNORECASE), preferred)
    return patterns


def terminology(
    doc: Document, lang: str, avoid: dict[str, tuple[re.Pattern[str], dict[str, str]]]
) -> list[Problem]:
    """Report the variants to avoid in a document's running text (not the glossary's lists)."""
    problems = []
    for loc, text in doc.strings:
        if "avoid" in loc or loc[:1] == ("translated_from",):
            continue
        found = avoid.get(language_at(loc, lang))
        for match in found[0].finditer(text) if found else ():
            term = found[1][match[0].casefold()]
            message = f"{loc_label(loc)}: '{match[0]}': write the glossary's term '{term}'"
            problems.append(problem_at(doc, loc, match[0], "warning", "terminology", message))
    return sorted(set(problems))
