"""Configure and run MkDocs (Material + static-i18n) on the generated docs tree."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import material
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from guidegen.fold import fold
from guidegen.model import Content
from guidegen.project import Project
from guidegen.variants import VERSIONS, OutputFile, Version

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def theme_files(project: Project, with_variants: bool = True) -> list[OutputFile]:
    """Return the theme overrides plus, per variant, Material's UI labels without diacritics."""
    source = project.templates_dir / "overrides"
    files = [OutputFile(f"overrides/{f.relative_to(source).as_posix()}", f.read_text("utf-8"))
             for f in sorted(source.rglob("*")) if f.is_file()]
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    for version in VERSIONS:
        if version.variant and with_variants:
            labels = (languages / f"{version.lang}.html").read_text("utf-8")
            files.append(OutputFile(f"overrides/partials/languages/{version.locale}.html",
                                    fold(labels)))
    return files


def _language(version: Version, content: Content, guide_titles: dict[str, str]) -> dict[str, Any]:
    """Return the static-i18n settings of one version: names, navigation, 404 texts."""
    site = content.site.languages[version.lang]
    text = fold if version.variant else str
    labels = site.labels
    guides = sorted(guide_titles, key=lambda slug: fold(guide_titles[slug]).casefold())
    return {
        "locale": version.locale,
        "name": text(site.variant_name if version.variant else site.name),
        "link": f"/{version.prefix}",
        "default": version.prefix == "",
        "build": True,
        "site_name": text(site.site_name),
        "site_description": text(site.site_description),
        "nav": [
            "index.md",
            {text(labels.guides): [f"guides/{slug}.md" for slug in guides]},
            "glossary.md",
        ],
        "extra": {"guidegen": {
            "not_found_title": text(labels.not_found_title),
            "not_found_text": text(labels.not_found_text),
            "home_link": text(labels.home_link),
            "home": version.prefix or "./",
        }},
    }


def mkdocs_config(project: Project, content: Content, site_dir: Path, *,
                  site_url: str | None = None, with_variants: bool = True) -> MkDocsConfig:
    """Load mkdocs.yml and add what guidegen generates: folders and the four versions."""
    with project.config_file.open("rb") as file:
        raw = yaml_load(file)
    languages = []
    for version in VERSIONS:
        if version.variant and not with_variants:
            continue
        titles = {slug: (g.get(version.lang) or next(iter(g.values()))).title
                  for slug, g in content.guides.items()}
        languages.append(_language(version, content, titles))
    plugins = []
    for entry in raw.get("plugins", []):
        if isinstance(entry, dict) and "i18n" in entry:
            entry = {"i18n": dict(entry["i18n"] or {}, languages=languages)}
        plugins.append(entry)
    theme = dict(raw.get("theme", {}), custom_dir=str(project.build_dir / "overrides"))
    return load_config(
        str(project.config_file),
        docs_dir=str(project.build_dir / "docs"),
        site_dir=str(site_dir),
        theme=theme,
        plugins=plugins,
        site_url=site_url,
    )


def run_mkdocs(config: MkDocsConfig) -> None:
    """Build the site with MkDocs; raises mkdocs' Abort when the build fails or warns in strict mode."""
    mkdocs_build(config)
