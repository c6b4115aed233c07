"""The site's structure in one place: versions, URL prefixes, page paths and the fallback rule.

Every stage asks this module where a page lives and how the versions relate; no other module
builds a URL or a version prefix itself.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container, Mapping
from dataclasses import dataclass

from guidegen.model import LANGS

VARIANT_SUFFIX = "-Latn"
"""Locale suffix of a diacritic-free version: ro-Latn is Romanian in plain Latin letters."""

OG_LOCALES = {"ro": "ro_RO", "pl": "pl_PL"}
"""Open Graph locale of each content language."""

CARDS = "assets/cards/"
"""The folder below the site root of the pages' share cards (cards.py draws them)."""


@dataclass(frozen=True)
class Version:
    """One published version of the site: a language, with or without diacritics."""

    lang: str
    variant: bool

    @property
    def locale(self) -> str:
        """The static-i18n locale, which is also the URL folder."""
        return f"{self.lang}{VARIANT_SUFFIX}" if self.variant else self.lang

    @property
    def prefix(self) -> str:
        """The URL prefix below the site root: '' for the default language."""
        return "" if self.locale == LANGS[0] else f"{self.locale}/"

    @property
    def original(self) -> Version:
        """The version with diacritics of the same language."""
        return Version(self.lang, False)


VERSIONS: tuple[Version, ...] = tuple(Version(lang, v) for lang in LANGS for v in (False, True))
"""Every published version, default language first, each original before its variant."""

ORIGINALS: tuple[Version, ...] = tuple(v for v in VERSIONS if not v.variant)
"""The versions MkDocs builds; the variants are derived from them."""


@dataclass(frozen=True)
class OutputFile:
    """A generated file: its path below the build folder and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class Page:
    """One rendered page of one language tree, before variants."""

    lang: str
    """The language tree the page belongs to."""
    path: str
    """Markdown path inside the language tree, e.g. omnichannel-journey.md."""
    title: str
    description: str
    body: str
    source_lang: str
    """The language of the content; differs from lang on a fallback page."""
    translations: tuple[str, ...]
    """The languages in which this page has content of its own."""
    template: str | None = None
    """A theme template other than the default one; such a page stays out of sitemaps and search."""


def guide_path(slug: str) -> str:
    """Return a guide's Markdown path inside a language tree."""
    return f"{slug}.md"


def topic_path(topic_id: str) -> str:
    """Return a topic page's Markdown path inside a language tree."""
    return f"topics/{topic_id}.md"


def link(source: str, target: str) -> str:
    """Return the Markdown link from one page to another of the same language tree."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def source_lang(languages: Mapping[str, object], lang: str) -> str:
    """Return the language whose text a page of lang shows: its own, else the first there is.

    This is the fallback rule: a guide missing in one language shows another language's text
    (with a notice) rather than no page.
    """
    return lang if lang in languages else next(o for o in LANGS if o in languages)


def url(version: Version, path: str) -> str:
    """Return a page's URL relative to the site root, e.g. pl/x.html or pl/."""
    if path == "index.md":
        return version.prefix
    return version.prefix + path.removesuffix(".md") + ".html"


def site_file(link: str) -> str:
    """Return the file below the site root that serves a URL from url(), e.g. pl/index.html."""
    return link + "index.html" if link.endswith("/") or not link else link


def card(page: Page) -> str:
    """Return a page's share card below the site root: its original's, in every version.

    e.g. assets/cards/pl/program-launch.png; a fallback page shows its source's card.
    """
    link = url(Version(page.source_lang, False), page.path)
    return f"{CARDS}{site_file(link).removesuffix('.html')}.png"


def is_original(page: Page, version: Version) -> bool:
    """Tell whether a page is a listed original: own language, with diacritics, usual template."""
    return not version.variant and page.source_lang == page.lang and page.template is None


def canonical(page: Page, version: Version) -> str:
    """Return the URL search engines should index for a page of a version.

    A listed original is its own canonical; a variant or a fallback page points to the
    original in its source language.
    """
    if is_original(page, version):
        return url(version, page.path)
    return url(Version(page.source_lang, False), page.path)


def alternates(page: Page) -> list[dict[str, str]]:
    """Return the hreflang cluster of an original page (itself included), with x-default."""
    cluster = [
        {"hreflang": lang, "href": url(Version(lang, False), page.path)}
        for lang in page.translations
    ]
    return [*cluster, {"hreflang": "x-default", "href": cluster[0]["href"]}]


def redirect_chain(redirects: Mapping[str, str], guides: Container[str], old: str) -> list[str]:
    """Return the slugs an old guide address leads through, itself first.

    The chain ends at the first guide (where the redirect page sends readers), at a slug that
    is neither a guide nor redirected (a dead end), or at a slug seen before (a loop).
    """
    chain = [old, redirects[old]]
    while chain[-1] in redirects and chain[-1] not in guides and chain[-1] not in chain[:-1]:
        chain.append(redirects[chain[-1]])
    return chain


def version_of(site_path: str) -> Version:
    """Tell which version a path below the site root belongs to."""
    first = site_path.split("/", 1)[0]
    return next((v for v in VERSIONS if v.prefix == f"{first}/"), VERSIONS[0])


def variant_path(site_path: str) -> str:
    """Return where the variant of an original page goes, e.g. pl/x.html -> pl-Latn/x.html."""
    version = version_of(site_path)
    return Version(version.lang, True).prefix + site_path.removeprefix(version.prefix)
