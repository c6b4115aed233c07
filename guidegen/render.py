"""Render validated content through the Jinja templates into Markdown pages."""

from __future__ import annotations

import html
import math
import re
from datetime import date

import jinja2
from babel.dates import format_date

from guidegen.fold import slugify
from guidegen.lint import texts
from guidegen.model import LANGS, Content, Guide, KpiTable, Value
from guidegen.numbers import format_value
from guidegen.project import Project
from guidegen.structure import Page

WORDS_PER_MINUTE = 200
_SAFE_LINK = re.compile(
    r"\[[^\[\]]*\]\((?:https?://[^\s()<>\"']+|mailto:[^\s()<>\"']+|#[\w-]+"
    r"|[a-z0-9-]+\.md(?:#[\w-]+)?)\)"
)
"""The only links content may make: web, mail, an anchor, or another guide (slug.md)."""


def inline(text: str) -> str:
    """Make content text safe Markdown: HTML and attribute lists inert, only safe links kept."""
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
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(inline(p) for p in paragraphs if p)


def attr(text: str) -> str:
    """Escape plain text for HTML inside the page."""
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def bar(value: float) -> float:
    """Width in SVG units of a percentage bar (0-100 % over 260 units)."""
    return round(max(0.0, min(100.0, float(value))) * 2.6, 1)


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
    env.filters.update(inline=inline, blocks=blocks, attr=attr, anchor=slugify, bar=bar)
    return env


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: Value) -> str:
    """Format a value for the page's locale."""
    return attr(format_value(value, context["lang"], context["min_grouping_digits"]))


def reading_minutes(text: str) -> int:
    """Estimate reading time at 200 words a minute, at least one minute."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


def _guide_page(
    env: jinja2.Environment, content: Content, lang: str, slug: str, updated: date | None
) -> Page:
    """Render one guide for one language tree, falling back to another language's text."""
    guides = content.guides[slug]
    source_lang = lang if lang in guides else next(o for o in LANGS if o in guides)
    guide: Guide = guides[source_lang]
    site = content.site.languages[lang]
    labels = site.labels
    tables: list[KpiTable] = [content.kpi[i] for i in guide.kpi_tables]
    notice = ""
    if source_lang != lang:
        notice = labels.fallback_notice.format(language=content.site.languages[source_lang].name)
    context = {
        "guide": guide,
        "labels": labels,
        "lang": lang,
        "content_lang": source_lang,
        "min_grouping_digits": site.min_grouping_digits,
        "kpi_tables": tables,
        "glossary": content.glossary,
        "fallback_notice": notice,
        "slug": slug,
        "updated": "",
    }
    words = " ".join(text for _, text in texts(guide.model_dump()))
    context["reading_time"] = labels.reading_time.format(minutes=reading_minutes(words))
    if updated:
        context["updated"] = labels.updated.format(
            date=format_date(updated, format="long", locale=lang)
        )
    body = env.get_template("pages/guide.md.j2").render(context)
    return Page(
        lang,
        f"{slug}.md",
        guide.title,
        guide.description,
        body,
        source_lang,
        tuple(g for g in LANGS if g in guides),
    )


def render_pages(
    project: Project, content: Content, updated: dict[tuple[str, str], date]
) -> list[Page]:
    """Render every page of every language: home, guides and glossary."""
    env = environment(project)
    env.filters["number"] = _number
    pages = []
    for lang in LANGS:
        site = content.site.languages[lang]
        titles = {slug: g.get(lang) or next(iter(g.values())) for slug, g in content.guides.items()}
        common = {"labels": site.labels, "lang": lang, "glossary": content.glossary}
        home = env.get_template("pages/home.md.j2").render(common, home=site.home, guides=titles)
        pages.append(
            Page(lang, "index.md", site.home.title, site.home.description, home, lang, LANGS)
        )
        for slug in content.guides:
            source = lang if lang in content.guides[slug] else next(iter(content.guides[slug]))
            pages.append(_guide_page(env, content, lang, slug, updated.get((source, slug))))
        terms = sorted(content.glossary.terms, key=lambda entry: entry.preferred(lang).lower())
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
        if lang != LANGS[0]:
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
