"""Steps after MkDocs and the variants: sitemaps with alternates, robots.txt, redirects.

The site they describe, BuiltSite, is also what the search index (search.Index) reads.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from guidegen.fold import fold
from guidegen.model import LANGS, Content
from guidegen.project import Project
from guidegen.render import compiled_templates
from guidegen.structure import (
    VERSIONS,
    Page,
    Version,
    alternates,
    canonical,
    guide_path,
    is_original,
    redirect_chain,
    url,
)
from guidegen.write import write_changed


@dataclass(frozen=True)
class BuiltSite:
    """A site folder fresh from MkDocs and the variants, before it replaces the current site."""

    project: Project
    content: Content
    site_dir: Path
    """The new site, not yet published."""
    pages: list[Page]
    site_url: str
    previous: Path
    """The current site (it may not exist): a step may reuse its files for reused pages."""
    reused: frozenset[str]
    """Original pages (paths below the site root) whose HTML is the same as in previous."""
    defer_search: bool = False
    """Keep the current search index for now (serve refreshes it after the reload)."""


def _environment(project: Project) -> jinja2.Environment:
    """Return a Jinja environment for the post-build templates (autoescaped XML and HTML),
    compiled once and kept between builds."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=jinja2.FileSystemBytecodeCache(
            str(compiled_templates(project, "jinja-post-build"))
        ),
    )


def write_sitemaps(
    env: jinja2.Environment, site_dir: Path, pages: list[Page], site_url: str
) -> list[str]:
    """Write one sitemap per language of its original pages and robots.txt; return their
    paths."""
    sitemaps = []
    for lang in LANGS:
        version = Version(lang, False)
        entries = [
            {"loc": url(version, p.path), "alternates": alternates(p)}
            for p in pages
            if p.lang == lang and is_original(p, version)
        ]
        text = env.get_template("sitemap.xml.j2").render(entries=entries, site_url=site_url)
        write_changed(site_dir / version.prefix / "sitemap.xml", text.encode("utf-8"))
        sitemaps.append(f"{version.prefix}sitemap.xml")
    robots = env.get_template("robots.txt.j2").render(sitemaps=sitemaps, site_url=site_url)
    write_changed(site_dir / "robots.txt", robots.encode("utf-8"))
    return [*sitemaps, "robots.txt"]


def write_redirects(
    env: jinja2.Environment,
    site_dir: Path,
    pages: list[Page],
    redirects: Mapping[str, str],
    site_url: str,
) -> list[str]:
    """Write a small page at every old guide address, in every version, leading to the guide;
    return their paths."""
    template = env.get_template("redirect.html.j2")
    by_path = {(p.lang, p.path): p for p in pages}
    written = []
    for old in sorted(redirects):
        new = redirect_chain(redirects, (), old)[-1]  # checked: the chain ends at a guide
        for version in VERSIONS:
            page = by_path[(version.lang, guide_path(new))]
            source = url(version, guide_path(old))
            text = template.render(
                lang=version.lang,
                title=fold(page.title) if version.variant else page.title,
                title_lang=page.source_lang,
                target=posixpath.relpath(url(version, page.path), posixpath.dirname(source) or "."),
                canonical=site_url + canonical(page, version),
            )
            write_changed(site_dir / source, text.encode("utf-8"))
            written.append(source)
    return written


def run(site: BuiltSite) -> list[str]:
    """Write the sitemaps, robots.txt and redirects into a freshly built site folder; return
    their paths."""
    env = _environment(site.project)
    redirects = site.content.site.redirects
    return write_sitemaps(env, site.site_dir, site.pages, site.site_url) + write_redirects(
        env, site.site_dir, site.pages, redirects, site.site_url
    )
