"""Render validated content through the Jinja templates into Markdown pages."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date

from guidegen.errors import locate_template_error
from guidegen.fold import slugify
from guidegen.loader import texts
from guidegen.memo import Memo
from guidegen.model import LANGS, Content, Glossary, Guide, KpiTable, Topic, Value
from guidegen.numbers import format_value
from guidegen.project import Project
from guidegen.structure import Page, guide_path, link, source_lang, topic_path
from guidegen.values import fill, localize

WORDS_PER_MINUTE = 200
_SAFE_LINK = re.compile(
    r"\[[^\[\]]*\]\((?:https?://[^\s()<>\"']+|mailto:[^\s()<>\"']+|#[\w-]+"
    r"|[a-z0-9-]+\.md(?:#[\w-]+)?)\)"
)
"""The only links content may make: web, mail, an anchor, or another guide (slug.md)."""
_CODE = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)")
"""A code span as Python-Markdown reads it; Markdown escapes its content itself."""
_BLOCK_START = re.compile(r"\d+(?P<number>[.)])|[#!?+*_=|:~-]")
"""What makes a line start a block: heading, admonition, details, list, rule, table."""


_SPACES = re.compile(r"[ \t\r\n]+")
"""Line breaks and spaces inside a paragraph; no-break spaces (1 420 zł) are kept."""


def one_line(text: str) -> str:
    """Join a text's lines and runs of spaces into single spaces (no-break spaces stay)."""
    return _SPACES.sub(" ", text).strip()


def inline(text: str) -> str:
    """Make content text one line of safe Markdown: HTML, attribute lists and block syntax inert.

    Only web, mail, anchor and guide links are kept; code spans keep their text as written.
    """
    text = one_line(text)
    parts, last = [], 0
    for match in _CODE.finditer(text):
        parts += [_escape_inline(text[last : match.start()]), match.group(0)]
        last = match.end()
    return _inert_start("".join([*parts, _escape_inline(text[last:])]))


def _inert_start(text: str) -> str:
    """Write the character that would start a Markdown block as a character reference."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    at = match.start("number") if match.group("number") else 0
    return f"{text[:at]}&#{ord(text[at])};{text[at + 1 :]}"


def _escape_inline(text: str) -> str:
    """Escape text outside code spans: HTML, braces and images inert, only safe links kept."""
    escaped = html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    escaped = escaped.replace("![", "!&#91;")
    parts, last = [], 0
    for match in _SAFE_LINK.finditer(escaped):
        parts += [_unlinkable(escaped[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*parts, _unlinkable(escaped[last:])])


def _unlinkable(text: str) -> str:
    """Escape brackets so that no other link, image or reference definition can form."""
    return text.replace("[", "&#91;").replace("]", "&#93;")


def blocks(text: str) -> str:
    """Make multi-paragraph content safe Markdown, one paragraph per blank-line block."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(inline(p) for p in paragraphs)


def attr(text: str) -> str:
    """Escape text, on one line, for HTML that Markdown leaves alone (raw blocks, attributes)."""
    escaped = html.escape(one_line(text), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def tooltip(text: str) -> str:
    """Escape text for a title attribute that the theme copies into innerHTML: escaped twice."""
    return attr(html.escape(one_line(text), quote=False))


def bar(value: float) -> float:
    """Width in SVG units of a percentage bar (0-100 % over 260 units)."""
    return round(max(0.0, min(100.0, float(value))) * 2.6, 1)


def compiled_templates(project: Project, name: str = "jinja") -> Path:
    """Return (creating it) a folder of compiled templates kept between builds (0.1 s a
    build). Jinja files them by template file, not by the environment's settings: the page
    templates share build/cache/jinja with the theme's (site.py), whose files are others;
    an environment with other settings for the same files needs its own folder (name)."""
    folder = project.build_dir / "cache" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def environment(project: Project) -> jinja2.Environment:
    """Return the Jinja environment of the page templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        inline=inline, blocks=blocks, attr=attr, tooltip=tooltip, anchor=slugify, bar=bar
    )
    return env


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: Value) -> str:
    """Format a value for the page's locale."""
    return attr(format_value(value, context["lang"], context["min_grouping_digits"]))


def reading_minutes(text: str) -> int:
    """Estimate reading time at 200 words a minute, at least one minute."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


Values = dict[str, dict[str, str]]
"""lang -> name -> the computed value as the language writes it."""


def _guide_page(
    env: jinja2.Environment,
    content: Content,
    abbreviations: dict[str, str],
    lang: str,
    slug: str,
    updated: date | None,
) -> Page:
    """Render one guide for one language tree, falling back to another language's text."""
    guides = content.guides[slug]
    content_lang = source_lang(guides, lang)
    values = content.values
    guide: Guide = localize(guides[content_lang], content_lang, values)
    site = content.site.languages[lang]
    labels = site.labels
    tables: list[KpiTable] = [localize(content.kpi[i], lang, values) for i in guide.kpi_tables]
    notice = ""
    if content_lang != lang:
        language = content.site.languages[content_lang].name
        notice = fill(labels.fallback_notice, {"language": language})
    context = {
        "guide": guide,
        "labels": labels,
        "lang": lang,
        "content_lang": content_lang,
        "min_grouping_digits": site.min_grouping_digits,
        "kpi_tables": tables,
        "abbreviations": abbreviations[lang],
        "fallback_notice": notice,
        "slug": slug,
        "updated": "",
    }
    words = " ".join(text for _, text in texts(guide.model_dump()))
    context["reading_time"] = fill(labels.reading_time, {"minutes": str(reading_minutes(words))})
    if updated:
        day = format_date(updated, format="long", locale=lang)
        context["updated"] = fill(labels.updated, {"date": day})
    try:
        body = env.get_template("pages/guide.md.j2").render(context)
    except jinja2.TemplateError as error:
        locate_template_error(error)  # guide pages render in worker processes
        raise
    return Page(
        lang,
        f"{slug}.md",
        guide.title,
        guide.description,
        body,
        content_lang,
        tuple(g for g in LANGS if g in guides),
    )


def _listing(guides: dict[str, Guide], lang: str, values: Values) -> dict[str, str]:
    """Return the title and description that list a guide in a language tree."""
    content_lang = source_lang(guides, lang)
    guide = guides[content_lang]
    return {
        "title": fill(guide.title, values[content_lang]),
        "description": fill(guide.description, values[content_lang]),
    }


def _topic(topic: Topic, lang: str, guides: dict[str, dict[str, str]], source: str) -> dict:
    """Describe a topic and its guides for a page at source: texts and links from there."""
    text = getattr(topic, lang)
    return {
        "id": topic.id,
        "title": text.title,
        "description": text.description,
        "href": link(source, topic_path(topic.id)),
        "guides": [
            {
                "href": link(source, guide_path(slug)),
                **guides[slug],
            }
            for slug in topic.guides
        ],
    }


def _topic_page(env: jinja2.Environment, common: dict, lang: str, path: str, entry: dict) -> Page:
    """Render one topic's page: its title, text and all its guides."""
    body = env.get_template("pages/topic.md.j2").render(common, topic=entry)
    return Page(lang, path, entry["title"], entry["description"], body, lang, LANGS)


def _topic_pages(
    env: jinja2.Environment,
    topics: list[Topic],
    lang: str,
    guides: dict[str, dict[str, str]],
    common: dict,
    shared: str,
    memo: Memo,
) -> list[Page]:
    """Render the page of every topic of one language, each kept in memo under what it shows
    and what all pages share (1000 guides: 0.09 s a build to render them all again)."""
    calls: dict[Hashable, tuple[Any, ...]] = {}
    for topic in topics:
        path = topic_path(topic.id)
        entry = _topic(topic, lang, guides, path)
        calls[(shared, lang, json.dumps(entry, sort_keys=True))] = (lang, path, entry)
    pages = memo.run(_topic_page, calls, shared=(env, common), part=f"topics {lang}")
    return list(pages.values())


def _shared_key(project: Project, content: Content) -> str:
    """Digest what every guide page depends on besides its guide: templates and data."""
    templates = sorted(p for p in project.templates_dir.rglob("*") if p.is_file())
    parts = [p.relative_to(project.templates_dir).as_posix().encode() for p in templates]
    parts += [p.read_bytes() for p in templates]
    data = (content.site, content.glossary, content.calculations, *content.kpi.values())
    parts += [model.model_dump_json().encode("utf-8") for model in data]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _abbreviations(env: jinja2.Environment, glossary: Glossary, lang: str) -> str:
    """Render the glossary's abbreviation definitions of a language, which every page but the
    glossary and 404 pages ends with: once, not once a page (a third of a guide's rendering)."""
    return env.get_template("pages/glossary_abbr.md.j2").render(glossary=glossary, lang=lang)


def _guide_pages(
    env: jinja2.Environment,
    content: Content,
    abbreviations: dict[str, str],
    updated: dict[tuple[str, str], date],
    shared: str,
    memo: Memo,
) -> dict[tuple[str, str], Page]:
    """Render the page of every guide in every language tree, in worker processes when many
    are not in memo (kept under the guide's files, what all guides share, and the date)."""
    keys, calls = {}, {}
    for lang in LANGS:
        for slug, guides in content.guides.items():
            when = updated.get((source_lang(guides, lang), slug))
            sources = tuple((g, content.sources[(g, slug)]) for g in guides)
            keys[(lang, slug)] = key = (lang, slug, sources, shared, when)
            calls[key] = (lang, slug, when)
    pages = memo.run(_guide_page, calls, shared=(env, content, abbreviations))
    return {place: pages[key] for place, key in keys.items()}


def render_pages(
    project: Project,
    content: Content,
    updated: dict[tuple[str, str], date],
    memo: Memo | None = None,
) -> list[Page]:
    """Render every page of every language: home, topics, guides and glossary.

    Guide pages are kept in memo under their guide files, the templates, the data and the
    date they show, topic pages under what they show; the home, glossary and 404 pages are
    rendered every time.
    """
    memo = memo or Memo()
    shared = _shared_key(project, content)
    env = environment(project)
    env.filters["number"] = _number
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled_templates(project)))
    values = content.values
    glossaries = {lang: localize(content.glossary, lang, values) for lang in LANGS}
    abbreviations = {lang: _abbreviations(env, glossaries[lang], lang) for lang in LANGS}
    rendered = _guide_pages(env, content, abbreviations, updated, shared, memo)
    pages = []
    for lang in LANGS:
        site = content.site.languages[lang]
        titles = {slug: _listing(g, lang, values) for slug, g in content.guides.items()}
        glossary = glossaries[lang]
        common = {"labels": site.labels, "lang": lang, "abbreviations": abbreviations[lang]}
        home_data = localize(site.home, lang, values)
        topics = [localize(topic, lang, values) for topic in content.site.topics]
        listed = [_topic(topic, lang, titles, "index.md") for topic in topics]
        home = env.get_template("pages/home.md.j2").render(
            common, home=home_data, guides=titles, topics=listed
        )
        pages.append(
            Page(lang, "index.md", home_data.title, home_data.description, home, lang, LANGS)
        )
        pages += _topic_pages(env, topics, lang, titles, common, shared, memo)
        pages += [rendered[(lang, slug)] for slug in content.guides]
        terms = sorted(glossary.terms, key=lambda entry: entry.preferred(lang).lower())
        glossary = env.get_template("pages/glossary.md.j2").render(common, terms=terms)
        pages.append(
            Page(
                lang,
                "glossary.md",
                site.labels.glossary,
                site.site_description,
                glossary,
                lang,
                LANGS,
            )
        )
        not_found = env.get_template("pages/not_found.md.j2").render(common)
        pages.append(
            Page(
                lang,
                "404.md",
                site.labels.not_found_title,
                site.site_description,
                not_found,
                lang,
                (lang,),
                template="404.html",
            )
        )
    return pages
