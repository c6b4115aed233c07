"""Configure and run MkDocs (Material + static-i18n) on the generated docs tree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.utils.yaml import yaml_load

from guidegen import search
from guidegen.model import Content
from guidegen.project import Project
from guidegen.render import Values, attr, computed_values
from guidegen.structure import ORIGINALS, OutputFile, Version, guide_path, topic_path
from guidegen.values import fill

_BLANKS = re.compile(r"[ \t]*\n\s*")
"""Whitespace with a line break in it."""


def theme_files(project: Project) -> list[OutputFile]:
    """Return the theme overrides, copied into the build folder next to the docs."""
    source = project.templates_dir / "overrides"
    return [
        OutputFile(f"overrides/{f.relative_to(source).as_posix()}", f.read_text("utf-8"))
        for f in sorted(source.rglob("*"))
        if f.is_file()
    ]


def navigation(content: Content, lang: str, values: Values) -> list[Any]:
    """Return one language's navigation: home, each topic (its page, its guides), glossary.

    Every page is in it, so MkDocs knows them all; the theme shows only the current topic's
    guides (templates/overrides/partials/nav.html).
    """
    topics = []
    for topic in content.site.topics:
        title = attr(fill(getattr(topic, lang).title, values[lang]))
        topics.append({title: [topic_path(topic.id), *map(guide_path, topic.guides)]})
    return ["index.md", *topics, "glossary.md"]


def _language(
    version: Version, content: Content, values: Values, search_texts: dict[str, str]
) -> dict[str, Any]:
    """Return the static-i18n settings of one language: names, navigation, labels, search texts.

    Material writes these into pages as HTML, so every text is escaped here.
    """
    site = content.site.languages[version.lang]
    labels = site.labels
    return {
        "locale": version.locale,
        "name": attr(site.name),
        "link": f"/{version.prefix}",
        "default": version.prefix == "",
        "build": True,
        "site_name": attr(site.site_name),
        "site_description": attr(site.site_description),
        "nav": navigation(content, version.lang, values),
        "extra": {
            "guidegen": {
                "topic_guides": attr(labels.topic_guides),
                "search": {key: attr(text) for key, text in search_texts.items()},
            }
        },
    }


def squeeze(markup: str) -> markupsafe.Markup:
    """Collapse each run of whitespace that holds a line break into one line break.

    The browser reads such a run as one space anyway; Material's templates indent so deeply
    that the navigation of a page would otherwise be mostly blanks.
    """
    return markupsafe.Markup(_BLANKS.sub("\n", markup))


class NavigationFilters(BasePlugin):
    """Give the theme's templates the filters of guidegen's navigation partials."""

    def on_env(self, env: jinja2.Environment, /, **_: Any) -> jinja2.Environment:
        """Add the squeeze filter."""
        env.filters["squeeze"] = squeeze
        return env


class TemplateCache(BasePlugin):
    """Keep the theme's compiled templates between builds: MkDocs compiles them per language."""

    def __init__(self, folder: Path) -> None:
        """Cache in folder (below the build folder)."""
        super().__init__()
        self.folder = folder

    def on_env(self, env: jinja2.Environment, /, **_: Any) -> jinja2.Environment:
        """Give the theme's Jinja environment a bytecode cache on disk."""
        self.folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self.folder))
        return env


class EscapedTitles(BasePlugin):
    """Tell the theme that page titles are HTML already, so it does not escape them twice."""

    def on_page_markdown(self, markdown: str, /, *, page: Any, **_: Any) -> str:
        """Mark the front matter title (escaped by guidegen) as safe markup."""
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = markupsafe.Markup(page.meta["title"])  # noqa: S704 (escaped by attr())
        return markdown


def mkdocs_config(
    project: Project, content: Content, site_dir: Path, *, site_url: str | None = None
) -> MkDocsConfig:
    """Load mkdocs.yml and add what guidegen generates: folders and the languages."""
    with project.config_file.open("rb") as file:
        raw = yaml_load(file)
    values = computed_values(content)
    languages = [
        _language(
            version, content, values, search.preloaded_strings(project.templates_dir, version.lang)
        )
        for version in ORIGINALS
    ]
    plugins = []
    for entry in raw.get("plugins", []):
        if isinstance(entry, dict) and "i18n" in entry:
            entry = {"i18n": dict(entry["i18n"] or {}, languages=languages)}
        plugins.append(entry)
    theme = dict(raw.get("theme", {}), custom_dir=str(project.build_dir / "overrides"))
    config = load_config(
        str(project.config_file),
        docs_dir=str(project.build_dir / "docs"),
        site_dir=str(site_dir),
        theme=theme,
        plugins=plugins,
        site_url=site_url,
    )
    config.plugins["guidegen-navigation"] = NavigationFilters()
    config.plugins["guidegen-template-cache"] = TemplateCache(project.build_dir / "jinja-cache")
    config.plugins["guidegen-escaped-titles"] = EscapedTitles()
    return config
