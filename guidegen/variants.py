"""Turn rendered pages into the four published versions: each language with and without diacritics."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from guidegen.fold import fold
from guidegen.model import LANGS, Content
from guidegen.render import Page

VARIANT_SUFFIX = "-Latn"
"""Locale suffix of a diacritic-free version: ro-Latn is Romanian in plain Latin letters."""

OG_LOCALES = {"ro": "ro_RO", "pl": "pl_PL"}

_PROTECTED = re.compile(r"\]\([^)]*\)|(?:href|src)=\"[^\"]*\"|<https?://[^>]*>")
"""Link targets, which folding must never change."""


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


VERSIONS: tuple[Version, ...] = tuple(Version(lang, v) for lang in LANGS for v in (False, True))


@dataclass(frozen=True)
class OutputFile:
    """A generated file: its path below the build folder and its text."""

    path: str
    text: str


def url(version: Version, path: str) -> str:
    """Return a page's URL relative to the site root, e.g. pl/guides/x.html or pl/."""
    if path == "index.md":
        return version.prefix
    return version.prefix + path.removesuffix(".md") + ".html"


def fold_markdown(text: str) -> str:
    """Fold diacritics in Markdown everywhere but in link targets."""
    parts, last = [], 0
    for match in _PROTECTED.finditer(text):
        parts += [fold(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*parts, fold(text[last:])])


def alternates(page: Page) -> list[dict[str, str]]:
    """Return the hreflang cluster of an original page (itself included), with x-default."""
    cluster = [{"hreflang": lang, "href": url(Version(lang, False), page.path)}
               for lang in page.translations]
    return [*cluster, {"hreflang": "x-default", "href": cluster[0]["href"]}]


def is_original(page: Page, version: Version) -> bool:
    """Tell whether a page in a version is an original: its own language, with diacritics."""
    return not version.variant and page.source_lang == page.lang


def _meta(page: Page, version: Version, content: Content) -> dict:
    """Build the front matter the theme reads: alternates, canonical and the switcher."""
    original = is_original(page, version)
    cluster = alternates(page) if original else []
    names = {v: (content.site.languages[v.lang].variant_name if v.variant
                 else content.site.languages[v.lang].name) for v in VERSIONS}
    switcher = [{"name": names[v], "href": url(v, page.path), "hreflang": v.lang,
                 "current": v == version} for v in VERSIONS]
    meta = {
        "title": page.title,
        "description": page.description,
        "guidegen": {
            "lang": page.lang,
            "og_locale": OG_LOCALES[page.lang],
            "og_alternates": [OG_LOCALES[a["hreflang"]] for a in cluster
                              if a["hreflang"] in OG_LOCALES and a["hreflang"] != page.lang],
            "canonical": None if original else url(Version(page.source_lang, False), page.path),
            "alternates": cluster,
            "versions": switcher,
        },
    }
    return _fold_meta(meta) if version.variant else meta


def _fold_meta(meta: dict) -> dict:
    """Fold the texts a reader sees in the front matter, never its links."""
    folded = dict(meta, title=fold(meta["title"]), description=fold(meta["description"]))
    versions = [dict(v, name=fold(v["name"])) for v in meta["guidegen"]["versions"]]
    folded["guidegen"] = dict(meta["guidegen"], versions=versions)
    return folded


def documents(pages: list[Page], content: Content, with_variants: bool = True) -> list[OutputFile]:
    """Return the Markdown file of every page in every version."""
    files = []
    for version in VERSIONS:
        if version.variant and not with_variants:
            continue
        for page in (p for p in pages if p.lang == version.lang):
            meta = _meta(page, version, content)
            body = fold_markdown(page.body) if version.variant else page.body
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            files.append(OutputFile(f"docs/{version.locale}/{page.path}",
                                    f"---\n{front}---\n\n{body}"))
    return files
