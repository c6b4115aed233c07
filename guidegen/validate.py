"""Validate loaded documents against the model, then across files; report every problem."""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from guidegen import lint, values
from guidegen.errors import Problem, shown
from guidegen.fold import slugify
from guidegen.loader import Document, Light, Loc, leaves, load_bytes, loc_label, read
from guidegen.memo import Memo
from guidegen.model import LANGS, Calculations, Content, Glossary, Guide, KpiData, SiteData
from guidegen.project import Project
from guidegen.structure import redirect_chain, source_lang

M = TypeVar("M", bound=BaseModel)

_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep the part of a pydantic error location that addresses the data itself."""
    kept: list[str | int] = []
    for key in loc:
        in_dict = isinstance(data, dict) and key in data
        if in_dict or isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        elif isinstance(data, dict) and isinstance(key, str) and kept[-1:] != [key]:
            kept.append(key)
            break
        else:
            continue
        kept.append(key)
    return tuple(kept)


_REQUIRED_PAIRS = {
    ("faq", "answer"): (
        "faq-without-answer",
        "question without answer: write the answer under 'answer:'",
    ),
    ("myths", "reality"): (
        "myth-without-reality",
        "myth without reality: write what is actually true under 'reality:'",
    ),
    ("steps", "text"): ("step-without-text", "step without text: explain the step under 'text:'"),
}
"""Second halves of content pairs, reported with their own rule instead of a schema error."""

_EMPTY = {"missing", "string_too_short", "string_type"}
_PATTERN_HINTS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "use lower-case ASCII letters, digits and single hyphens",
    r"^[A-Z]{3}$": "use a three-letter ISO currency code such as EUR",
    r"^[0-9a-f]{12}$": "run `guidegen status --mark LANG/SLUG` to write it",
}


def _kind_of(value: Any) -> str:
    """Name the YAML kind of a value the way an editor sees it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no value '{shown(value)}' (put the text in quotes)"
    if isinstance(value, int | float):
        return f"number {shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    return f"text '{shown(value)}'"


def _pair_rule(error: dict[str, Any], loc: Loc) -> tuple[str, str] | None:
    """Return the specific rule of an empty second half of a pair (FAQ answer, myth reality)."""
    if len(loc) < 3 or error["type"] not in _EMPTY:
        return None
    if error["type"] == "string_type" and error.get("input") is not None:
        return None
    return _REQUIRED_PAIRS.get((str(loc[-3]), str(loc[-1])))


def _type_message(error: dict[str, Any]) -> str | None:
    """Explain a wrong type or form with what was found and what to write instead."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "string_type":
        if value is None:
            return "empty: write the text or remove the field"
        return f"expected text, found {_kind_of(value)}"
    if kind in ("int_type", "float_type", "int_from_float"):
        hint = (
            ": write plain digits such as 1200 or 12.5, without quotes"
            if isinstance(value, str)
            else ""
        )
        return f"expected a number, found {_kind_of(value)}{hint}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), found {_kind_of(value)}"
    if kind in ("model_type", "dict_type"):
        return f"expected fields (key: value lines), found {_kind_of(value)}"
    if kind == "literal_error":
        close = difflib.get_close_matches(str(value), re.findall(r"'([^']*)'", ctx["expected"]))
        hint = f": did you mean '{close[0]}'?" if close else f": use one of {ctx['expected']}"
        return f"'{shown(value)}' is not allowed{hint}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx["pattern"], f"it must match {ctx['pattern']}")
        return f"'{shown(value)}' has the wrong form: {hint}"
    if kind == "string_too_long":
        return f"text is {len(value)} characters long, at most {ctx['max_length']} fit: shorten it"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} item(s), has {ctx['actual_length']}: add more"
    if kind == "too_long":
        return f"takes at most {ctx['max_length']} item(s), has {ctx['actual_length']}"
    if kind == "value_error":
        return str(ctx["error"])
    return None


def _message(error: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    """Turn one pydantic error into an editor's message with a hint."""
    kind = error["type"]
    where = loc_label(loc)
    if kind == "missing":
        return f"{where}: field required: add it"
    if kind == "extra_forbidden":
        field = shown(loc[-1])
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(known)}"
        return f"{where}: unknown field '{field}': {hint}"
    if kind == "string_too_short":
        return f"{where}: empty text: write the text or remove the field"
    explained = _type_message(error)
    if explained:
        return f"{where}: {explained}"
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
            on_key = item["type"] == "extra_forbidden" or item.get("input", "") is None
            line, col = doc.position(loc, key=on_key)
            pair = _pair_rule(item, loc)
            if pair:
                rule, text = pair[0], f"{loc_label(loc[:-1])}: {pair[1]}"
            else:
                rule, text = "schema", _message(item, model, loc)
            problems.append(Problem(doc.path, line, col, "error", rule, text))
        return None, sorted(set(problems))


DATA_FILES = {
    "site": ("site.yaml", SiteData),
    "kpi": ("kpi_tables.yaml", KpiData),
    "glossary": ("glossary.yaml", Glossary),
    "calculations": ("calculations.yaml", Calculations),
}
"""The data files every project has: name -> (file in data/, model)."""


def _check_data(
    path: str, raw: bytes, model: type[M]
) -> tuple[M | None, Document | None, list[Problem]]:
    """Parse, validate and lint one data file's bytes on their own."""
    doc, problems = load_bytes(path, raw)
    if doc is None:
        return None, None, problems
    value, problems = validate_document(doc, model)
    return value, doc, problems + _check_numbers(doc) + lint.lint_data(doc)


def _load_data(
    project: Project, memo: Memo
) -> tuple[dict[str, tuple[Any, Document | None]], list[Problem]]:
    """Load, validate and lint the data files (each kept in memo under its bytes); return
    name -> (value, document), None where a file is missing or broken, and the problems."""
    problems: list[Problem] = []
    calls: dict[Hashable, tuple[Any, ...]] = {}
    for name, (file_name, model) in DATA_FILES.items():
        file = project.data_dir / file_name
        rel = file.relative_to(project.root).as_posix()
        if not file.exists() and not file.is_symlink():
            problem = f"{rel} is missing: restore it from git"
            problems.append(Problem(rel, 1, 1, "error", "missing-file", problem))
            continue
        raw, found = read(project.root, file)
        problems += found
        if raw is not None:
            calls[(name, rel, hashlib.sha256(raw).hexdigest())] = (rel, raw, model)
    checked = memo.run(_check_data, calls, part="data")
    loaded: dict[str, tuple[Any, Document | None]] = dict.fromkeys(DATA_FILES, (None, None))
    for key, (value, doc, found) in checked.items():
        loaded[key[0]] = (value, doc)
        problems += found
    return loaded, problems


MAX_NUMBER = 10**12
"""The largest magnitude a number may have: a trillion, far above any figure of a guide."""


def _numbers(data: Any) -> Iterator[tuple[Loc, float | int]]:
    """Yield every number of a document with its data path."""
    return (
        (loc, value)
        for loc, value in leaves(data)
        if isinstance(value, int | float) and not isinstance(value, bool)
    )


def _check_numbers(doc: Document) -> list[Problem]:
    """Refuse numbers no page can show: infinite, not a number, or beyond a trillion."""
    problems = []
    for loc, number in _numbers(doc.data):
        if math.isfinite(number) and abs(number) <= MAX_NUMBER:
            continue
        line, col = doc.position(loc)
        what = "not a finite number" if not math.isfinite(number) else "out of range"
        message = (
            f"{loc_label(loc)}: {shown(number)} is {what}: write a number between "
            f"-{MAX_NUMBER:,} and {MAX_NUMBER:,}".replace(",", " ")
        )
        problems.append(Problem(doc.path, line, col, "error", "number", message))
    return problems


YAML_SUFFIXES = (".yaml", ".yml")


def _entries(folder: Path) -> list[Path]:
    """List a folder's entries an editor put there (no hidden files but YAML, no backups)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.name[-1] != "~" and (p.suffix in YAML_SUFFIXES or not p.name.startswith("."))
    )


def _guide_files(project: Project) -> dict[tuple[str, str], list[Path]]:
    """Map (lang, slug) to the guide files found for it."""
    found: dict[tuple[str, str], list[Path]] = {}
    for lang in LANGS:
        for file in _entries(project.content_dir / lang):
            if file.suffix in YAML_SUFFIXES:
                found.setdefault((lang, file.stem), []).append(file)
    return found


def _unexpected_files(project: Project) -> list[Problem]:
    """Name what lies below content/ but is no guide: other folders, other kinds of file."""
    problems = []
    where = f"guides are content/{{{','.join(LANGS)}}}/<name>.yaml"
    for entry in _entries(project.content_dir):
        if entry.name in LANGS and entry.is_dir():
            strays = [f for f in _entries(entry) if f.suffix not in YAML_SUFFIXES]
        else:
            strays = [entry]
        for stray in strays:
            rel = stray.relative_to(project.root).as_posix()
            if stray.parent == project.content_dir and stray.is_dir():
                what = f"is not a language folder ({', '.join(LANGS)})"
            elif stray.is_dir():
                what = "is a folder inside a language folder"
            else:
                what = "is not a guide file (a guide ends in .yaml)"
            message = f"{rel} {what}: {where}; rename or move it"
            problems.append(Problem(rel, 1, 1, "error", "unexpected-file", message))
    return problems


SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
"""A guide's file name: lower-case ASCII words joined by single hyphens."""
SLUG_LENGTH = 80
"""The longest guide name (as model.Slug)."""

RESERVED_SLUGS = ("index", "glossary", "404", "topics")
"""Page names the site itself uses in every language folder."""


def _check_files(project: Project, found: dict[tuple[str, str], list[Path]]) -> list[Problem]:
    """Refuse unsafe file names and two files for one guide."""
    problems = []
    for (_lang, slug), files in sorted(found.items()):
        rel = files[0].relative_to(project.root).as_posix()
        if not re.fullmatch(SLUG, slug) or len(slug) > SLUG_LENGTH:
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "error",
                    "bad-slug",
                    f"file name '{shown(slug)}' is not a valid slug: use at most "
                    f"{SLUG_LENGTH} lower-case ASCII letters, digits and single hyphens",
                )
            )
        if slug in RESERVED_SLUGS:
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "error",
                    "bad-slug",
                    f"file name '{slug}' is taken by the site's own '{slug}' page: rename the file",
                )
            )
        if len(files) > 1:
            others = ", ".join(f.name for f in files[1:])
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "error",
                    "duplicate-slug",
                    f"guide '{slug}' is also defined by {others}: keep one file",
                )
            )
    return problems


def guide_file(project: Project, lang: str, slug: str) -> Path | None:
    """Return the file of one guide in one language, if there is one."""
    files = _guide_files(project).get((lang, slug))
    return files[0] if files else None


def source_files(project: Project) -> list[tuple[Path, str]]:
    """List every existing file check reads, with its language ('' for data files)."""
    data = [(project.data_dir / name, "") for name, _ in DATA_FILES.values()]
    guides = [
        (file, lang) for (lang, _), files in sorted(_guide_files(project).items()) for file in files
    ]
    return [(file, lang) for file, lang in data + guides if file.exists()]


def fingerprint(guide: Guide) -> str:
    """Return 12 hex digits of a hash of a guide's data (without its translated_from)."""
    data = guide.model_dump(mode="json", exclude={"translated_from"})
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def load_content(
    project: Project, memo: Memo | None = None
) -> tuple[Content | None, list[Problem]]:
    """Load, validate and cross-check all content and data; return every problem found.

    Each guide file's own checks are kept in memo under its bytes and the data they depend
    on; the checks across files run every time.
    """
    memo = memo or Memo()
    data, problems = _load_data(project, memo)
    (site, site_doc), (kpi, kpi_doc) = data["site"], data["kpi"]
    (glossary, glossary_doc), (calculations, calc_doc) = data["glossary"], data["calculations"]
    numbers, failed = values.evaluate(calculations) if calculations else ({}, {})
    problems += [_calculation_problem(calc_doc, name, why) for name, why in failed.items()]
    names = frozenset(calculations.values) if calculations else frozenset()
    for data_doc in (site_doc, kpi_doc, glossary_doc):
        problems += _check_placeholders(data_doc, names) if data_doc and calculations else []
    files = _guide_files(project)
    problems += _check_files(project, files) + _unexpected_files(project)
    guides: dict[str, dict[str, Guide]] = {}
    docs: dict[tuple[str, str], Light] = {}
    sources: dict[tuple[str, str], str] = {}
    avoid = lint.avoid_patterns(glossary) if glossary else {}
    glossary_json = glossary.model_dump_json().encode("utf-8") if glossary else b""
    against = (names if calculations else None, hashlib.sha256(glossary_json).hexdigest())
    read_guides = []
    calls: dict[Hashable, tuple[Any, ...]] = {}
    for (lang, slug), paths in sorted(files.items()):
        raw, found = read(project.root, paths[0])
        problems += found
        if raw is not None:
            path = paths[0].relative_to(project.root).as_posix()
            source = hashlib.sha256(raw).hexdigest()
            key = (path, source, lang, against)
            read_guides.append((lang, slug, key, source))
            calls[key] = (path, raw, lang, against[0], avoid)
    checked = memo.run(_check_guide, calls)
    fingerprints: dict[tuple[str, str], str] = {}
    for lang, slug, key, source in read_guides:
        guide, doc, found, print_ = checked[key]
        problems += found
        if doc is not None:
            docs[(lang, slug)] = doc
        if guide is not None:
            guides.setdefault(slug, {})[lang] = guide
            sources[(lang, slug)] = source
            fingerprints[(lang, slug)] = print_
    if (
        site is None
        or kpi is None
        or glossary is None
        or calculations is None
        or len(guides) < len({slug for _, slug in files})
    ):
        return None, sorted(problems)
    content = Content(
        site=site,
        kpi={t.id: t for t in kpi.tables},
        glossary=glossary,
        calculations=calculations,
        values={
            lang: values.formatted(
                calculations, numbers[lang], lang, site.languages[lang].min_grouping_digits
            )
            for lang in LANGS
        },
        guides=dict(sorted(guides.items())),
        sources=sources,
    )
    problems += _cross_check(content, docs, site_doc, set(files), fingerprints)
    for data_doc in (site_doc, kpi_doc, glossary_doc):
        problems += lint.terminology(data_doc, "", avoid)
    return content, sorted(problems)


def _check_guide(
    path: str,
    raw: bytes,
    lang: str,
    names: frozenset[str] | None,
    avoid: dict[str, tuple[re.Pattern[str], dict[str, str]]],
) -> tuple[Guide | None, Light | None, list[Problem], str]:
    """Parse, validate and lint one guide file's bytes on their own (names: None if unknown);
    return the guide, what the checks across files need of its document (Light), the problems
    and the guide's fingerprint (kept with the rest: computing the 1000 translations' sources'
    took 0.17 s a build)."""
    doc, problems = load_bytes(path, raw)
    if doc is None:
        return None, None, problems, ""
    guide, problems = validate_document(doc, Guide)
    problems += _check_numbers(doc) + lint.lint_document(doc, lang)
    problems += _check_placeholders(doc, names) if names is not None else []
    problems += lint.terminology(doc, lang, avoid)
    return guide, doc.light(), problems, fingerprint(guide) if guide is not None else ""


def _cross_check(
    content: Content,
    docs: dict[tuple[str, str], Light],
    site_doc: Document,
    files: set[tuple[str, str]],
    fingerprints: dict[tuple[str, str], str],
) -> list[Problem]:
    """Check references between files: KPI ids, guide links, translations (fingerprints: of
    each guide by language and name), reading paths."""
    problems: list[Problem] = []
    for (lang, slug), doc in sorted(docs.items()):
        guide = content.guides[slug].get(lang)
        if guide is None:
            continue
        for index, table_id in enumerate(guide.kpi_tables):
            if table_id not in content.kpi:
                line, col = doc.full.position(("kpi_tables", index))
                hint = _did_you_mean(table_id, content.kpi)
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "error",
                        "unknown-kpi",
                        f"kpi_tables[{index}]: unknown KPI table '{table_id}'{hint}",
                    )
                )
        problems += _check_links(doc, content) + _check_anchors(doc, content, slug, lang)
        problems += _check_translation(doc, guide, fingerprints)
        other = [o for o in LANGS if o != lang]
        for missing in [o for o in other if (o, slug) not in files]:
            problems.append(
                Problem(
                    doc.path,
                    1,
                    1,
                    "warning",
                    "missing-translation",
                    f"guide '{slug}' has no {missing} version: create "
                    f"content/{missing}/{slug}.yaml (readers see the {lang} "
                    "page with a notice meanwhile)",
                )
            )
    for lang, language in content.site.languages.items():
        for p_index, path in enumerate(language.home.reading_paths):
            for g_index, slug in enumerate(path.guides):
                if slug not in content.guides:
                    loc = ("languages", lang, "home", "reading_paths", p_index, "guides", g_index)
                    line, col = site_doc.position(loc)
                    problems.append(
                        Problem(
                            site_doc.path,
                            line,
                            col,
                            "error",
                            "unknown-guide",
                            f"{loc_label(loc)}: no guide '{slug}'"
                            f"{_did_you_mean(slug, content.guides)}",
                        )
                    )
    problems += _check_topics(content, site_doc)
    problems += _check_redirects(content, site_doc)
    return problems


def _calculation_problem(doc: Document, name: str, why: str) -> Problem:
    """Return an error at a value of data/calculations.yaml that cannot be computed."""
    quantity = doc.data["values"][name]
    loc: Loc = ("values", name, "formula") if "formula" in quantity else ("values", name)
    line, col = doc.position(loc)
    return Problem(doc.path, line, col, "error", "calculation", f"{loc_label(loc)}: {why}")


def _check_placeholders(doc: Document, names: frozenset[str]) -> list[Problem]:
    """Report each `{...}` of a document's texts that names no value it may use."""
    problems = []
    for loc, text in doc.strings:
        if loc[:1] == ("translated_from",):
            continue
        label = loc[2:3] == ("labels",) and loc[:1] == ("languages",)
        known = values.LABEL_NAMES.get(str(loc[-1]), frozenset()) if label else names
        for found, message in values.check_text(text, known):
            message = f"{loc_label(loc)}: {message}"
            problems.append(lint.problem_at(doc, loc, found, "error", "value-placeholder", message))
    return problems


def _site_problem(site_doc: Document, loc: Loc, rule: str, message: str) -> Problem:
    """Return an error at a place of data/site.yaml."""
    line, col = site_doc.position(loc)
    return Problem(site_doc.path, line, col, "error", rule, f"{loc_label(loc)}: {message}")


def _check_topics(content: Content, site_doc: Document) -> list[Problem]:
    """Require every guide in exactly one topic, and every topic's guides to exist."""
    problems = []
    seen: dict[str, Loc] = {}
    for t_index, topic in enumerate(content.site.topics):
        for g_index, slug in enumerate(topic.guides):
            loc: Loc = ("topics", t_index, "guides", g_index)
            if slug not in content.guides:
                hint = _did_you_mean(slug, content.guides)
                problems.append(_site_problem(site_doc, loc, "topic", f"no guide '{slug}'{hint}"))
            elif slug in seen:
                first = loc_label(seen[slug])
                message = f"guide '{slug}' is already in {first}: keep it in one topic"
                problems.append(_site_problem(site_doc, loc, "topic", message))
            else:
                seen[slug] = loc
    ids = [topic.id for topic in content.site.topics]
    for index, topic_id in enumerate(ids):
        if topic_id in ids[:index]:
            message = f"topic id '{topic_id}' is used twice: rename one"
            problems.append(_site_problem(site_doc, ("topics", index, "id"), "topic", message))
    for slug in content.guides:
        if slug not in seen and re.fullmatch(SLUG, slug):
            message = f"guide '{slug}' is in no topic: add it to the guides of one topic"
            problems.append(_site_problem(site_doc, ("topics",), "topic", message))
    return problems


def _check_redirects(content: Content, site_doc: Document) -> list[Problem]:
    """Require every redirect to start at a free address and end at an existing guide."""
    problems = []
    for old in content.site.redirects:
        loc: Loc = ("redirects", old)
        chain = redirect_chain(content.site.redirects, content.guides, old)
        new = chain[-1]
        if old in content.guides:
            message = f"'{old}' is a guide: remove the redirect or the guide"
        elif old in RESERVED_SLUGS:
            message = f"'{old}' is the address of one of the site's own pages: remove the redirect"
        elif new in chain[:-1]:
            message = f"redirects loop: {' -> '.join(chain)}"
        elif new not in content.guides:
            message = f"redirect target '{new}' is no guide{_did_you_mean(new, content.guides)}"
        else:
            continue
        problems.append(_site_problem(site_doc, loc, "redirect", message))
    return problems


def _check_translation(
    doc: Light, guide: Guide, fingerprints: dict[tuple[str, str], str]
) -> list[Problem]:
    """Warn when the source of a translation changed since the translation was marked."""
    ref = guide.translated_from
    lang, slug = doc.path.split("/")[-2], Path(doc.path).stem
    source = fingerprints.get((ref.source, slug)) if ref else None
    if ref is None or source is None or ref.fingerprint == source:
        return []
    line, col = doc.full.position(("translated_from",), key=True)
    return [
        Problem(
            doc.path,
            line,
            col,
            "warning",
            "stale-translation",
            f"the {ref.source} source changed since this translation was marked up to "
            f"date: update the text, then run `guidegen status --mark {lang}/{slug}`",
        )
    ]


def _check_links(doc: Light, content: Content) -> list[Problem]:
    """Report Markdown links to guides (slug.md) that do not exist."""
    problems = []
    for loc, value in doc.linked:
        for match in _MD_LINK.finditer(value):
            target = match.group(1).split("#")[0]
            if target.endswith(".md") and target[:-3] not in content.guides:
                line, col = lint.find(doc.full, loc, match.group(1))
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "error",
                        "bad-link",
                        f"{loc_label(loc)}: link to '{target}', but there is "
                        "no such guide"
                        f"{_did_you_mean(target[:-3], content.guides)}",
                    )
                )
    return problems


_ANCHOR_LINK = re.compile(r"\]\((?:(?P<page>[a-z0-9-]+)\.md)?#(?P<anchor>[\w-]+)\)")
"""A link to an anchor of this page (#x) or of another guide (slug.md#x)."""
_LINK_TEXT = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")


def _heading_id(text: str) -> str:
    """Return the id the table of contents gives a heading written as this text."""
    return slugify(_LINK_TEXT.sub(r"\1", text))


def page_anchors(content: Content, slug: str, tree: str) -> set[str]:
    """Return the anchors of a guide's page in one language tree (as the template writes it)."""
    guides = content.guides[slug]
    guide = guides[source_lang(guides, tree)]
    labels = content.site.languages[tree].labels
    parts = {
        labels.takeaways: guide.takeaways,
        labels.proof: guide.proof,
        labels.kpis: guide.kpi_tables,
        labels.plan: guide.plan,
        labels.myths: guide.myths,
        labels.tips: guide.tips,
        labels.faq: guide.faq,
    }
    headings = [guide.title, labels.picture, labels.promise]
    headings += [label for label, part in parts.items() if part]
    headings += [section.heading for section in guide.sections]
    headings += [example.title for example in guide.proof.examples] if guide.proof else []
    anchors: set[str] = set()
    for text in headings:
        anchor = base = _heading_id(text)
        repeat = 0
        while anchor in anchors:
            repeat += 1
            anchor = f"{base}_{repeat}"
        anchors.add(anchor)
    anchors |= {slugify(faq.question) or f"faq-{i}" for i, faq in enumerate(guide.faq, 1)}
    return anchors | {f"{kind}-{t}" for t in guide.kpi_tables for kind in ("kpi", "chart")}


def _has_anchor(anchors: set[str], anchor: str) -> bool:
    """Tell whether an anchor exists (a repeated heading's own _1, _2 included)."""
    return anchor in anchors


def _check_anchors(doc: Light, content: Content, slug: str, lang: str) -> list[Problem]:
    """Report links to anchors that the linked page does not have, in any tree it is shown in."""
    problems = []
    trees = [t for t in LANGS if source_lang(content.guides[slug], t) == lang]
    for loc, value in doc.linked:
        for match in _ANCHOR_LINK.finditer(value):
            page = match["page"] or slug
            if page not in content.guides:
                continue
            for tree in trees:
                anchors = page_anchors(content, page, tree)
                if _has_anchor(anchors, match["anchor"]):
                    continue
                line, col = lint.find(doc.full, loc, match[0][2:-1])
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "error",
                        "bad-link",
                        f"{loc_label(loc)}: link to '#{match['anchor']}', but the {tree} page "
                        f"'{page}' has no such heading or question"
                        f"{_did_you_mean(match['anchor'], sorted(anchors))}",
                    )
                )
                break
    return problems


def _did_you_mean(word: str, known: Any) -> str:
    """Suggest the closest known name, as a message suffix."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f": did you mean '{close[0]}'?" if close else ""
