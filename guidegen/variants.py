"""The four published versions: originals rendered by MkDocs, diacritic-free variants derived.

A variant page is its original's built HTML with every text folded and its links moved into
the variant's folder. Building the variants through MkDocs as well doubled MkDocs' time; this
costs a few milliseconds a page (see README, Performance).
"""

from __future__ import annotations

import functools
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import yaml

from guidegen.fold import fold
from guidegen.model import Content
from guidegen.render import attr
from guidegen.structure import (
    OG_LOCALES,
    ORIGINALS,
    VERSIONS,
    OutputFile,
    Page,
    Version,
    alternates,
    canonical,
    card,
    is_original,
    url,
    variant_path,
    version_of,
)

_URL = re.compile(r'(?P<attr>href|src)="(?P<url>[^"]*)"')
"""A link target in built HTML."""
_URL_SAFE = "".join(chr(code) for code in range(33, 127))
"""Printable ASCII: everything but non-ASCII letters stays as written in a link target."""
_SWITCH = 'data-gg-version="'
"""Marks a version switcher link (just before its href), which is never remapped."""
_BASE = re.compile(r'"base": "(?P<url>[^"]*)"')
_OG_ALTERNATE = re.compile(r'<meta property="og:locale:alternate" content="[^"]*">')
_CURRENT = ' aria-current="page"'


def _meta(page: Page, version: Version, content: Content) -> dict:
    """Build the front matter the theme reads: canonical, Open Graph locales and the switcher."""
    original = is_original(page, version)
    cluster = alternates(page) if original else []
    names = {
        v: attr(
            content.site.languages[v.lang].variant_name
            if v.variant
            else content.site.languages[v.lang].name
        )
        for v in VERSIONS
    }
    switcher = [
        {
            "name": names[v],
            "href": url(v, page.path),
            "hreflang": v.lang,
            "locale": v.locale,
            "current": v == version,
        }
        for v in VERSIONS
    ]
    meta = {
        **({"template": page.template} if page.template else {}),
        "title": attr(page.title),
        "description": attr(page.description),
        "guidegen": {
            "lang": page.lang,
            "og_locale": OG_LOCALES[page.lang],
            "og_alternates": [
                OG_LOCALES[a["hreflang"]]
                for a in cluster
                if a["hreflang"] in OG_LOCALES and a["hreflang"] != page.lang
            ],
            "canonical": canonical(page, version),
            **({"card": card(page)} if page.template is None else {}),
            "versions": switcher,
        },
    }
    return meta


def documents(pages: list[Page], content: Content) -> list[OutputFile]:
    """Return the Markdown file of every page of the original versions."""
    files = []
    for version in ORIGINALS:
        for page in (p for p in pages if p.lang == version.lang):
            meta = _meta(page, version, content)
            body = page.body
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            files.append(
                OutputFile(f"docs/{version.locale}/{page.path}", f"---\n{front}---\n\n{body}")
            )
    return files


def relinker(source: str) -> Callable[[str, bool], str]:
    """Return a memoised function re-pointing relative links of pages in source's folder.

    The function takes a link target and whether it may move into the variant folder (switcher
    links may not); pages of one folder share their links, so each is worked out once. A
    target with non-ASCII letters comes back percent-encoded (the same URL, as browsers read
    it), so that folding the page's text cannot touch it.
    """
    folder = posixpath.dirname(source)
    dest_folder = posixpath.dirname(variant_path(source)) or "."
    own = version_of(source)

    @functools.cache
    def relink(target: str, remap: bool) -> str:
        if not target.isascii():
            return relink(quote(target, safe=_URL_SAFE), remap)
        if not target or target.startswith(("#", "/", "data:", "mailto:")) or "://" in target:
            return target
        path, sep, fragment = target.partition("#")
        absolute = posixpath.normpath(posixpath.join(folder, path or "."))
        if path.endswith("/") or absolute == ".":
            absolute = posixpath.join(absolute, "index.html").removeprefix("./")
        if remap and absolute.endswith(".html") and version_of(absolute) == own:
            absolute = variant_path(absolute)
        return posixpath.relpath(absolute, dest_folder) + sep + fragment

    return relink


def variant_html(html: str, source: str, relink: Callable[[str, bool], str] | None = None) -> str:
    """Derive a variant page from its original's HTML: texts folded, links kept in the variant."""
    relink = relink or relinker(source)
    dest = variant_path(source)
    variant = Version(version_of(source).lang, True)
    html = _OG_ALTERNATE.sub("", html).replace(_CURRENT, "")
    marker = f'data-gg-version="{variant.locale}" '
    html = html.replace(marker, marker + _CURRENT.strip() + " ")

    def link(match: re.Match[str]) -> str:
        start = match.start()
        switch = match.string.rfind(_SWITCH, start - 40, start) >= 0
        return f'{match["attr"]}="{relink(match["url"], not switch)}"'

    html = fold(_URL.sub(link, html))
    root = posixpath.relpath(".", posixpath.dirname(dest) or ".")
    return _BASE.sub(lambda m: m[0] if m["url"].startswith("/") else f'"base": "{root}"', html)


def write_variants(site_dir: Path, previous: Path, reused: frozenset[str]) -> int:
    """Write the diacritic-free version of every original page; return how many were derived.

    An original in reused is the same as in the previous site, so its variant is copied from
    there (when it exists) instead of derived again.
    """
    originals = [
        p
        for p in sorted(site_dir.rglob("*.html"))
        if not version_of(p.relative_to(site_dir).as_posix()).variant
    ]
    relinkers: dict[str, Callable[[str, bool], str]] = {}
    derived = 0
    for page in originals:
        source = page.relative_to(site_dir).as_posix()
        target = site_dir / variant_path(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = previous / variant_path(source)
        if source in reused and old.is_file():
            shutil.copyfile(old, target)
            continue
        relink = relinkers.setdefault(posixpath.dirname(source), relinker(source))
        target.write_text(variant_html(page.read_text("utf-8"), source, relink), "utf-8")
        derived += 1
    return derived
