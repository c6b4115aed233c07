"""Validate loaded documents against the model, then across files; report every problem."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from guidegen import lint
from guidegen.errors import Problem
from guidegen.loader import Document, Loc, load, loc_label
from guidegen.model import LANGS, Content, Glossary, Guide, KpiData, SiteData
from guidegen.project import Project

M = TypeVar("M", bound=BaseModel)

_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep the part of a pydantic error location that addresses the data itself."""
    kept: list[str | int] = []
    for key in loc:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        elif isinstance(data, dict) and isinstance(key, str) and not kept[-1:] == [key]:
            kept.append(key)
            break
        else:
            continue
        kept.append(key)
    return tuple(kept)


def _message(error: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    """Turn one pydantic error into an editor's message with a hint."""
    kind = error["type"]
    where = loc_label(loc)
    if kind == "missing":
        return f"{where}: field required: add it"
    if kind == "extra_forbidden":
        field = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(known)}"
        return f"{where}: unknown field '{field}': {hint}"
    if kind == "string_too_short":
        return f"{where}: empty text: write the text or remove the field"
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """List the field names allowed at a data path of a model."""
    current: Any = model
    for key in loc:
        if isinstance(key, int) or not isinstance(current, type):
            continue
        info = current.model_fields.get(key)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return sorted(current.model_fields) if isinstance(current, type) else []


def _inner_model(annotation: Any) -> Any:
    """Find the model class inside an annotation such as list[Faq] or Proof | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _inner_model(origin) if origin not in (None, list, dict) else None


def validate_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate a document against a model, mapping each error to its line and column."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = _data_loc(doc.data, item["loc"])
            line, col = doc.position(loc, key=item["type"] == "extra_forbidden")
            text = _message(item, model, loc)
            problems.append(Problem(doc.path, line, col, "error", "schema", text))
        return None, sorted(set(problems))


def _load_one(project: Project, file: Path, model: type[M]) -> tuple[M | None, Document | None,
                                                                     list[Problem]]:
    """Load and validate one file."""
    if not file.is_file():
        rel = file.relative_to(project.root).as_posix()
        return None, None, [Problem(rel, 1, 1, "error", "missing-file",
                                    f"{rel} is missing: restore it from git")]
    doc, problems = load(project.root, file)
    if doc is None:
        return None, None, problems
    value, problems = validate_document(doc, model)
    return value, doc, problems


def _guide_files(project: Project) -> dict[tuple[str, str], list[Path]]:
    """Map (lang, slug) to the guide files found for it."""
    found: dict[tuple[str, str], list[Path]] = {}
    for lang in LANGS:
        folder = project.content_dir / lang
        for file in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            found.setdefault((lang, file.stem), []).append(file)
    return found


def _check_files(project: Project, found: dict[tuple[str, str], list[Path]]) -> list[Problem]:
    """Refuse unsafe file names and two files for one guide."""
    problems = []
    for (_lang, slug), files in sorted(found.items()):
        rel = files[0].relative_to(project.root).as_posix()
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            problems.append(Problem(rel, 1, 1, "error", "bad-slug",
                                    f"file name '{slug}' is not a valid slug: use lower-case "
                                    "ASCII letters, digits and single hyphens"))
        if len(files) > 1:
            others = ", ".join(f.name for f in files[1:])
            problems.append(Problem(rel, 1, 1, "error", "duplicate-slug",
                                    f"guide '{slug}' is also defined by {others}: keep one file"))
    return problems


def load_content(project: Project) -> tuple[Content | None, list[Problem]]:
    """Load, validate and cross-check all content and data; return every problem found."""
    problems: list[Problem] = []
    site, site_doc, found = _load_one(project, project.data_dir / "site.yaml", SiteData)
    problems += found
    kpi, _, found = _load_one(project, project.data_dir / "kpi_tables.yaml", KpiData)
    problems += found
    glossary, _, found = _load_one(project, project.data_dir / "glossary.yaml", Glossary)
    problems += found
    files = _guide_files(project)
    problems += _check_files(project, files)
    guides: dict[str, dict[str, Guide]] = {}
    docs: dict[tuple[str, str], Document] = {}
    for (lang, slug), paths in sorted(files.items()):
        guide, doc, found = _load_one(project, paths[0], Guide)
        problems += found
        if doc is not None:
            docs[(lang, slug)] = doc
            problems += lint.lint_document(doc, lang)
        if guide is not None:
            guides.setdefault(slug, {})[lang] = guide
    if site is None or kpi is None or glossary is None or len(guides) < len(
        {slug for _, slug in files}
    ):
        return None, sorted(problems)
    content = Content(site=site, kpi={t.id: t for t in kpi.tables}, glossary=glossary,
                      guides=dict(sorted(guides.items())))
    problems += _cross_check(content, docs, site_doc)
    return content, sorted(problems)


def _cross_check(content: Content, docs: dict[tuple[str, str], Document],
                 site_doc: Document) -> list[Problem]:
    """Check references between files: KPI ids, guide links, translations, reading paths."""
    problems: list[Problem] = []
    for (lang, slug), doc in sorted(docs.items()):
        guide = content.guides[slug].get(lang)
        if guide is None:
            continue
        for index, table_id in enumerate(guide.kpi_tables):
            if table_id not in content.kpi:
                line, col = doc.position(("kpi_tables", index))
                hint = _did_you_mean(table_id, content.kpi)
                problems.append(Problem(doc.path, line, col, "error", "unknown-kpi",
                                        f"kpi_tables[{index}]: unknown KPI table '{table_id}'"
                                        f"{hint}"))
        problems += _check_links(doc, content)
        other = [o for o in LANGS if o != lang]
        for missing in [o for o in other if o not in content.guides[slug]]:
            problems.append(Problem(doc.path, 1, 1, "warning", "missing-translation",
                                    f"guide '{slug}' has no {missing} version: create "
                                    f"content/{missing}/{slug}.yaml (readers see the {lang} "
                                    "page with a notice meanwhile)"))
    for lang, language in content.site.languages.items():
        for p_index, path in enumerate(language.home.reading_paths):
            for g_index, slug in enumerate(path.guides):
                if slug not in content.guides:
                    loc = ("languages", lang, "home", "reading_paths", p_index, "guides", g_index)
                    line, col = site_doc.position(loc)
                    problems.append(Problem(site_doc.path, line, col, "error", "unknown-guide",
                                            f"{loc_label(loc)}: no guide '{slug}'"
                                            f"{_did_you_mean(slug, content.guides)}"))
    return problems


def _check_links(doc: Document, content: Content) -> list[Problem]:
    """Report Markdown links to guides (slug.md) that do not exist."""
    problems = []
    for loc, (line, col) in sorted(doc.positions.items()):
        value = _value_at(doc.data, loc)
        if not isinstance(value, str):
            continue
        for match in _MD_LINK.finditer(value):
            target = match.group(1).split("#")[0]
            if target.endswith(".md") and target[:-3] not in content.guides:
                problems.append(Problem(doc.path, line, col, "error", "bad-link",
                                        f"{loc_label(loc)}: link to '{target}', but there is "
                                        f"no such guide{_did_you_mean(target[:-3], content.guides)}"))
    return problems


def _value_at(data: Any, loc: Loc) -> Any:
    """Return the value at a data path."""
    for key in loc:
        data = data[key]
    return data


def _did_you_mean(word: str, known: Any) -> str:
    """Suggest the closest known name, as a message suffix."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f": did you mean '{close[0]}'?" if close else ""
