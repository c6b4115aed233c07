"""Translation status per guide (source, current, stale, unmarked, missing) and marking."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from guidegen.errors import GuidegenError, Problem
from guidegen.fix import read_text, set_field, write_text
from guidegen.loader import parse
from guidegen.model import LANGS, Content, Guide, TranslationRef
from guidegen.project import Project
from guidegen.validate import fingerprint, guide_file, load_content, validate_document

State = Literal["source", "current", "stale", "unmarked", "missing", "invalid"]
NEEDS_WORK: tuple[State, ...] = ("stale", "unmarked", "missing", "invalid")
"""States an editor has to act on."""


@dataclass(frozen=True)
class Version:
    """One language of one guide."""

    lang: str
    state: State
    file: str | None
    source: str | None
    """The language this translation was made from."""
    fingerprint: str | None
    """The fingerprint of this version's own data, as other translations record it."""


@dataclass(frozen=True)
class GuideStatus:
    """Every language of one guide."""

    slug: str
    versions: list[Version]


def _state(lang: str, versions: dict[str, Guide], has_file: bool) -> State:
    """Tell how one language of a guide stands against its source."""
    guide = versions.get(lang)
    if guide is None:
        return "invalid" if has_file else "missing"
    ref = guide.translated_from
    source = versions.get(ref.source) if ref and ref.source != lang else None
    if ref is None or source is None:
        earlier = [
            o
            for o in LANGS[: LANGS.index(lang)]
            if o in versions and versions[o].translated_from is None
        ]
        return "unmarked" if earlier else "source"
    return "current" if ref.fingerprint == fingerprint(source) else "stale"


def guide_status(project: Project, content: Content) -> list[GuideStatus]:
    """Return the translation status of every guide, sorted by slug."""
    result = []
    for slug, versions in content.guides.items():
        entries = []
        for lang in LANGS:
            guide = versions.get(lang)
            file = guide_file(project, lang, slug)
            ref = guide.translated_from if guide else None
            entries.append(
                Version(
                    lang,
                    _state(lang, versions, file is not None),
                    file.relative_to(project.root).as_posix() if file else None,
                    ref.source if ref else None,
                    fingerprint(guide) if guide else None,
                )
            )
        result.append(GuideStatus(slug, entries))
    return result


def load(project: Project) -> tuple[Content, list[Problem]]:
    """Load the content, or stop with the problems that keep it from loading."""
    content, problems = load_content(project)
    if content is None:
        raise GuidegenError([p for p in problems if p.severity == "error"])
    return content, problems


def as_json(statuses: list[GuideStatus]) -> str:
    """Write the status as JSON for tools."""
    return (
        json.dumps({"guides": [asdict(s) for s in statuses]}, ensure_ascii=False, indent=2) + "\n"
    )


def as_text(statuses: list[GuideStatus]) -> str:
    """Write the status as a table, then what to do about each guide that needs work."""
    width = max([len("guide"), *(len(s.slug) for s in statuses)])
    rows = [(f"{'guide':<{width}}  " + "  ".join(f"{lang:<8}" for lang in LANGS)).rstrip()]
    todo = []
    for status in statuses:
        cells = [v.state.upper() if v.state in NEEDS_WORK else v.state for v in status.versions]
        rows.append(f"{status.slug:<{width}}  " + "  ".join(f"{c:<8}" for c in cells).rstrip())
        todo += [_advice(status.slug, v) for v in status.versions if v.state in NEEDS_WORK]
    counts = {
        state: sum(v.state == state for s in statuses for v in s.versions) for state in NEEDS_WORK
    }
    summary = ", ".join(f"{n} {state}" for state, n in counts.items())
    return "\n".join([*rows, "", *todo, summary]) + "\n"


def _advice(slug: str, version: Version) -> str:
    """Tell the editor what to do about one language of a guide."""
    target = f"{version.lang}/{slug}"
    if version.state == "missing":
        return (
            f"{target}: missing: create content/{target}.yaml (readers see the other "
            "language with a notice meanwhile)"
        )
    if version.state == "invalid":
        return f"{target}: invalid: run `guidegen check` and fix {version.file}"
    if version.state == "stale":
        return (
            f"{target}: stale: the {version.source} source changed; update {version.file}, "
            f"then run `guidegen status --mark {target}`"
        )
    return (
        f"{target}: unmarked: when {version.file} matches its source, run "
        f"`guidegen status --mark {target}`"
    )


def mark(project: Project, lang: str, slug: str) -> str:
    """Record in a translation that it is up to date with its source; return a report line."""
    content, problems = load(project)
    versions = content.guides.get(slug, {})
    file = guide_file(project, lang, slug)
    if file is None:
        raise GuidegenError(f"there is no guide content/{lang}/{slug}.yaml to mark")
    if lang not in versions:
        raise GuidegenError(_errors_in(project, problems, [file]))
    ref = versions[lang].translated_from
    source = (
        ref.source
        if ref and ref.source != lang
        else next((o for o in LANGS if o != lang and o in versions), None)
    )
    if source is None:
        raise GuidegenError(
            f"guide '{slug}' exists only in {lang}: there is no source to mark it against"
        )
    if source not in versions:
        raise GuidegenError(_errors_in(project, problems, [guide_file(project, source, slug)]))
    source_ref = versions[source].translated_from
    if source_ref is not None and source_ref.source == lang:
        raise GuidegenError(
            f"content/{source}/{slug}.yaml is itself marked as a translation "
            f"of {lang}: remove its translated_from block first"
        )
    expected = TranslationRef(source=source, fingerprint=fingerprint(versions[source]))
    path, text, bom = read_text(project.root, file)
    updated = set_field(path, text, "translated_from", expected.model_dump())
    _verify(path, updated, expected)
    if updated != text:
        write_text(file, updated, bom)
    return f"{path}: marked up to date with its {source} source ({expected.fingerprint})"


def _errors_in(
    project: Project, problems: list[Problem], files: list[Path | None]
) -> list[Problem]:
    """Keep the errors of some files: what keeps them from loading."""
    paths = {f.relative_to(project.root).as_posix() for f in files if f}
    return [p for p in problems if p.path in paths and p.severity == "error"]


def _verify(path: str, text: str, expected: TranslationRef) -> None:
    """Refuse to write an edit that does not load back as the expected translated_from."""
    doc, problems = parse(path, text)
    guide, found = validate_document(doc, Guide) if doc else (None, problems)
    if guide is None or guide.translated_from != expected:
        raise GuidegenError(
            found
            or f"{path}: could not add translated_from; add it by hand: "
            f"translated_from: {{source: {expected.source}, fingerprint: "
            f"'{expected.fingerprint}'}}"
        )
