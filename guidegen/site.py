"""Configure MkDocs (Material) for each original version of the generated docs tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from guidegen import search
from guidegen.model import Content
from guidegen.pages import VersionBuild, digest
from guidegen.project import Project
from guidegen.render import attr, compiled_templates
from guidegen.structure import ORIGINALS, OutputFile, Version, guide_path, topic_path
from guidegen.values import fill

NAV_WINDOW = 15
"""Topics, and guides of the current topic, that the navigation shows at most."""


def theme_files(project: Project) -> list[OutputFile]:
    """Return the theme overrides, copied into the build folder next to the docs."""
    source = project.templates_dir / "overrides"
    return [
        OutputFile(f"overrides/{f.relative_to(source).as_posix()}", f.read_text("utf-8"))
        for f in sorted(source.rglob("*"))
        if f.is_file()
    ]


def navigation(content: Content, lang: str) -> list[Any]:
    """Return one language's navigation: home, each topic (its page, its guides), glossary.

    Every page is in it, so MkDocs knows them all; the theme shows only the current topic's
    guides (templates/overrides/partials/nav.html).
    """
    topics = []
    for topic in content.site.topics:
        title = attr(fill(getattr(topic, lang).title, content.values[lang]))
        topics.append({title: [topic_path(topic.id), *map(guide_path, topic.guides)]})
    return ["index.md", *topics, "glossary.md"]


def _settings(
    project: Project,
    content: Content,
    version: Version,
    raw: dict[str, Any],
    site_url: str | None,
) -> dict[str, Any]:
    """Return the MkDocs settings of one original version: folders, theme, names, navigation.

    Material writes the names and labels into pages as HTML, so every text is escaped here.
    """
    site = content.site.languages[version.lang]
    labels = site.labels
    search_texts = search.preloaded_strings(project.templates_dir, version.lang)
    theme = dict(
        raw.get("theme", {}),
        custom_dir=str(project.build_dir / "overrides"),
        language=version.lang,
    )
    alternate = [
        {"name": attr(content.site.languages[v.lang].name), "link": f"/{v.prefix}", "lang": v.lang}
        for v in ORIGINALS
    ]
    extra = {
        **(raw.get("extra") or {}),
        "alternate": alternate,
        "guidegen": {
            "topic_guides": attr(labels.topic_guides),
            "all_topics": attr(labels.all_topics),
            "nav_window": NAV_WINDOW,
            "search": {key: attr(text) for key, text in search_texts.items()},
        },
    }
    return {
        "docs_dir": str(project.build_dir / "docs" / version.locale),
        "theme": theme,
        "plugins": [],
        "site_url": site_url or raw.get("site_url"),
        "site_name": attr(site.site_name),
        "site_description": attr(site.site_description),
        "nav": navigation(content, version.lang),
        "extra": extra,
    }


def window(items: list[Any], size: int) -> list[Any]:
    """Return the size items around the active one (the first ones when none is active)."""
    active = next((index for index, item in enumerate(items) if item.active), 0)
    start = max(0, min(active - size // 2, len(items) - size))
    return items[start : start + size]


def _theme_digest(project: Project) -> str:
    """Return a digest of the theme overrides and mkdocs.yml, which every page depends on."""
    overrides = project.build_dir / "overrides"
    files = sorted(f for f in overrides.rglob("*") if f.is_file())
    parts = [project.config_file.read_bytes(), *(f.read_bytes() for f in files)]
    return digest([f.relative_to(overrides).as_posix() for f in files], [p.hex() for p in parts])


def version_builds(
    project: Project,
    content: Content,
    site_dir: Path,
    previous: Path,
    known: dict[str, str],
    *,
    site_url: str | None = None,
) -> list[VersionBuild]:
    """Return the build of each original version, all into site_dir (the site being built)."""
    with project.config_file.open("rb") as file:
        raw = yaml_load(file)
    theme = _theme_digest(project)
    cache = project.build_dir / "cache"
    return [
        VersionBuild(
            version=version,
            config_file=str(project.config_file),
            settings=_settings(project, content, version, raw, site_url),
            filters={"window": window},
            out_dir=site_dir,
            cache_dir=cache / "markdown" / version.locale,
            jinja_cache=compiled_templates(project),
            previous=previous,
            known=known,
            with_theme=version.prefix == "",
            theme_digest=theme,
            overrides=project.templates_dir / "overrides",
        )
        for version in ORIGINALS
    ]
