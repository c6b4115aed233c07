"""Configure and run MkDocs (Material + static-i18n) on the generated docs tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.utils.yaml import yaml_load

from guidegen.fold import fold
from guidegen.model import Content
from guidegen.project import Project
from guidegen.render import attr
from guidegen.structure import ORIGINALS, OutputFile, Version


def theme_files(project: Project) -> list[OutputFile]:
    """Return the theme overrides, copied into the build folder next to the docs."""
    source = project.templates_dir / "overrides"
    return [
        OutputFile(f"overrides/{f.relative_to(source).as_posix()}", f.read_text("utf-8"))
        for f in sorted(source.rglob("*"))
        if f.is_file()
    ]


def _language(version: Version, content: Content, guide_titles: dict[str, str]) -> dict[str, Any]:
    """Return the static-i18n settings of one language: names, navigation, 404 texts.

    Material writes these into pages as HTML, so every text is escaped here.
    """
    site = content.site.languages[version.lang]
    labels = site.labels
    guides = sorted(guide_titles, key=lambda slug: fold(guide_titles[slug]).casefold())
    return {
        "locale": version.locale,
        "name": attr(site.name),
        "link": f"/{version.prefix}",
        "default": version.prefix == "",
        "build": True,
        "site_name": attr(site.site_name),
        "site_description": attr(site.site_description),
        "nav": [
            "index.md",
            {attr(labels.guides): [f"{slug}.md" for slug in guides]},
            "glossary.md",
        ],
        "extra": {
            "guidegen": {
                "not_found_title": attr(labels.not_found_title),
                "not_found_text": attr(labels.not_found_text),
                "home_link": attr(labels.home_link),
                "home": version.prefix or "./",
            }
        },
    }


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


def mkdocs_config(
    project: Project, content: Content, site_dir: Path, *, site_url: str | None = None
) -> MkDocsConfig:
    """Load mkdocs.yml and add what guidegen generates: folders and the languages."""
    with project.config_file.open("rb") as file:
        raw = yaml_load(file)
    languages = []
    for version in ORIGINALS:
        titles = {
            slug: (g.get(version.lang) or next(iter(g.values()))).title
            for slug, g in content.guides.items()
        }
        languages.append(_language(version, content, titles))
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
    config.plugins["guidegen-template-cache"] = TemplateCache(project.build_dir / "jinja-cache")
    return config
