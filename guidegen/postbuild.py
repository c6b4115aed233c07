"""Steps after MkDocs: sitemaps of the originals with their alternates, robots.txt."""

from __future__ import annotations

from pathlib import Path

import jinja2

from guidegen import search
from guidegen.model import LANGS
from guidegen.project import Project
from guidegen.structure import Page, Version, alternates, is_original, url
from guidegen.write import write_atomic


def _environment(project: Project) -> jinja2.Environment:
    """Return a Jinja environment for the post-build templates (autoescaped XML)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates_dir),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def write_sitemaps(project: Project, site_dir: Path, pages: list[Page], site_url: str) -> None:
    """Write one sitemap per language of its original pages, and drop the variants' sitemaps."""
    for stale in sorted(site_dir.rglob("sitemap.xml*")):
        stale.unlink()
    env = _environment(project)
    sitemaps = []
    for lang in LANGS:
        version = Version(lang, False)
        entries = [
            {"loc": url(version, p.path), "alternates": alternates(p)}
            for p in pages
            if p.lang == lang and is_original(p, version)
        ]
        text = env.get_template("sitemap.xml.j2").render(entries=entries, site_url=site_url)
        write_atomic(site_dir / version.prefix / "sitemap.xml", text.encode("utf-8"))
        sitemaps.append(f"{version.prefix}sitemap.xml")
    robots = env.get_template("robots.txt.j2").render(sitemaps=sitemaps, site_url=site_url)
    write_atomic(site_dir / "robots.txt", robots.encode("utf-8"))


def run(project: Project, site_dir: Path, pages: list[Page], site_url: str) -> None:
    """Run every post-build step on a freshly built site folder."""
    write_sitemaps(project, site_dir, pages, site_url)
    search.index_site(project, site_dir, pages)
