"""The four published versions: originals rendered by MkDocs, diacritic-free variants derived.

A variant page is its original's built HTML, read with an HTML parser, with every text a
reader sees folded and its links moved into the variant's folder. Building the variants
through MkDocs as well doubled MkDocs' time; this costs a few milliseconds a page.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from guidegen import workers
from guidegen.errors import GuidegenError
from guidegen.fold import fold
from guidegen.memo import Memo
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
from guidegen.write import reuse_file, write_atomic

SWITCHER_MARK = "data-gg-version"
"""Marks a version switcher link (partials/alternate.html): its target is never remapped."""
CONFIG_ID = "__config"
"""The id of the script that holds Material's configuration (base path, UI texts)."""
OG_ALTERNATE = "og:locale:alternate"
"""Open Graph's list of the other languages of a page, which a variant does not carry."""
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|(?P<open><(?P<raw>script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)(?P<body>.*?)"
    r"(?P<close></(?P=raw)\s*>)"
    r"|<(?P<tag>[a-zA-Z][^\s/>]*)"
    r"(?=(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\s(?:href|src|data-gg-version|property)\s*=)"
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.S | re.I,
)
"""What the derivation handles itself: a comment, a raw-text element (script, style), or a
start tag with a link target, a switcher mark or an Open Graph property (quoted values may
hold '>'). Everything between (text and other tags) is folded as a whole: its attribute
values are text a reader sees, its names are ASCII."""
_TAG_NAME = re.compile(r"/?[a-zA-Z][^\s/>]*")
_ATTRIBUTE = re.compile(
    r"(?P<name>[^\s\"'<>/=]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
"""One attribute of a start tag: a name, optionally with a value (quoted or bare)."""
LINK_ATTRIBUTES = frozenset({"href", "src"})
"""Attributes whose value is a link target, moved into the variant's folder."""


def _front_matter(page: Page, version: Version, names: dict[Version, str]) -> str:
    """Return the front matter the theme reads (canonical, Open Graph locales, the switcher
    with each version's name) as JSON: it is YAML too, MkDocs reads it as front matter, and
    it is written 15x faster."""
    original = is_original(page, version)
    cluster = alternates(page) if original else []
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
    return json.dumps(meta, ensure_ascii=False)


def documents(pages: list[Page], content: Content, memo: Memo) -> list[OutputFile]:
    """Return the Markdown file of every page of the original versions.

    Each front matter is kept in memo under all it is made of: the page but its body, the
    version and the versions' names (1000 guides: 0.14 s a build to make them all again).
    """
    languages = content.site.languages
    names = {
        v: attr(languages[v.lang].variant_name if v.variant else languages[v.lang].name)
        for v in VERSIONS
    }
    held = tuple(names.items())
    heading = [f.name for f in fields(Page) if f.name != "body"]
    places, calls = [], {}
    for version in ORIGINALS:
        for page in (p for p in pages if p.lang == version.lang):
            key = (version, held, *(getattr(page, name) for name in heading))
            places.append((version, page, key))
            calls[key] = (page, version, names)
    fronts = memo.run(_front_matter, calls, part="front matter")
    return [
        OutputFile(f"docs/{version.locale}/{page.path}", f"---\n{fronts[key]}\n---\n\n{page.body}")
        for version, page, key in places
    ]


def relinker(source: str) -> Callable[[str, bool], str]:
    """Return a memoised function re-pointing relative links of pages in source's folder.

    The function takes a link target and whether it may move into the variant folder (switcher
    links may not); pages of one folder share their links, so each is worked out once.
    """
    folder = posixpath.dirname(source)
    dest_folder = posixpath.dirname(variant_path(source)) or "."
    own = version_of(source)

    @functools.cache
    def relink(target: str, remap: bool) -> str:
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


def _fold_strings(value: Any) -> Any:
    """Fold every string inside JSON data."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [_fold_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: _fold_strings(item) for key, item in value.items()}
    return value


@dataclass
class _Found:
    """What the derivation of one page found of the theme's markers."""

    switchers: int = 0
    configs: int = 0


class _Folder:
    """What the variants of one folder's pages share: their version, the way back to the site
    root, and each link target re-pointed and each start tag rewritten, worked out once: a
    folder's pages share most of their links and tags, the navigation's (the variants of
    1000 guides per language: 6.6 -> 5.4 s)."""

    def __init__(self, source: str) -> None:
        """Prepare for the pages of the folder of the page at source (a path below the root)."""
        self.variant = Version(version_of(source).lang, True)
        self.root = posixpath.relpath(".", posixpath.dirname(variant_path(source)) or ".")
        self.relink = relinker(source)
        self.tags: dict[str, tuple[str, bool]] = {}
        """Each start tag as written: as the variant writes it, and whether it is a switcher's."""


class _Variant:
    """Copy an original page token by token into its variant (an HTML tokenizer).

    The page is split into comments, raw-text elements (script, style), tags (with their
    quoted attribute values) and the text between them. Only these change: the text a reader
    sees (text and attribute values) is folded; og:locale:alternate is dropped; link targets
    (href, src) move into the variant's folder, except on the version switcher's links
    (marked data-gg-version in partials/alternate.html), which also say which version is
    current; Material's configuration (script#__config) gets the variant's base and folded UI
    texts. Other scripts, styles and comments stay byte for byte.
    """

    def __init__(self, folder: _Folder) -> None:
        """Prepare to derive the variant of a page of folder."""
        self.folder = folder
        self.found = _Found()

    def derive(self, html: str) -> str:
        """Return the variant of a whole page."""
        out = []
        position = 0
        for token in _TOKEN.finditer(html):
            out.append(fold(html[position : token.start()]))
            position = token.end()
            if token["tag"]:
                out.append(self._tag(token["tag"].lower(), token[0]))
            elif token["raw"]:
                out.append(self._raw(token))
            else:
                out.append(token[0])
        out.append(fold(html[position:]))
        return "".join(out)

    def _raw(self, token: re.Match[str]) -> str:
        """Copy a script or style; rewrite Material's configuration for the variant."""
        attrs = _attributes(token["open"])
        if token["raw"].lower() != "script" or dict(attrs).get("id") != CONFIG_ID:
            opening = self._tag(token["raw"].lower(), token["open"])
            return opening + token[0][len(token["open"]) :]
        self.found.configs += 1
        config = json.loads(token["body"])
        if not str(config.get("base", "")).startswith("/"):
            config["base"] = self.folder.root
        config["translations"] = _fold_strings(config.get("translations"))
        return f"{token['open']}{json.dumps(config, sort_keys=True)}{token['close']}"

    def _tag(self, tag: str, raw: str) -> str:
        """Copy a start tag as the folder's variants write it."""
        rewritten = self.folder.tags.get(raw)
        if rewritten is None:
            rewritten = self.folder.tags[raw] = self._rewrite(tag, raw)
        text, switcher = rewritten
        self.found.switchers += switcher
        return text

    def _rewrite(self, tag: str, raw: str) -> tuple[str, bool]:
        """Return a start tag, rebuilt only when one of its attributes changes, and whether
        it is a version switcher's link."""
        attrs = _attributes(raw)
        names = dict(attrs)
        if tag == "meta" and names.get("property") == OG_ALTERNATE:
            return "", False  # a variant stays out of the originals' Open Graph cluster
        switch = names.get(SWITCHER_MARK)
        rebuilt: list[tuple[str, str | None]] = []
        for name, value in attrs:
            if value is None or name == SWITCHER_MARK:
                rebuilt.append((name, value))
            elif name in LINK_ATTRIBUTES:
                rebuilt.append((name, self.folder.relink(value, switch is None)))
            elif name != "aria-current" or switch is None:
                rebuilt.append((name, fold(value)))
            if name == SWITCHER_MARK and value == self.folder.variant.locale:
                rebuilt.append(("aria-current", "page"))
        if rebuilt == attrs:
            return raw, switch is not None
        text = "".join(f" {n}" if v is None else f" {n}={_quoted(v)}" for n, v in rebuilt)
        return f"<{tag}{text}{' /' if raw.endswith('/>') else ''}>", switch is not None


def _quoted(value: str) -> str:
    """Quote an attribute value as written: double quotes unless it holds one."""
    return f"'{value}'" if '"' in value else f'"{value}"'


def _attributes(tag: str) -> list[tuple[str, str | None]]:
    """Return a start tag's attributes in order, values as written (still escaped)."""
    inside = tag[1:-1].rstrip("/")
    name_end = _TAG_NAME.match(inside)
    rest = inside[name_end.end() if name_end else 0 :]
    return [
        (m["name"].lower(), next((v for v in m.group("dq", "sq", "bare") if v is not None), None))
        for m in _ATTRIBUTE.finditer(rest)
    ]


def _derive(html: str, folder: _Folder) -> tuple[str, _Found]:
    """Derive a whole page; return the variant and what it found of the theme's markers."""
    variant = _Variant(folder)
    return variant.derive(html), variant.found


def variant_html(html: str, source: str) -> str:
    """Derive a variant page from its original's HTML: texts folded, links kept in the variant."""
    return _derive(html, _Folder(source))[0]


def _check_markers(derived: _Found, source: str) -> None:
    """Fail loudly when a page lacks what the derivation expects from the theme overrides."""
    if derived.switchers < len(VERSIONS):
        raise GuidegenError(
            f"variants: {source} has {derived.switchers} version switcher links marked "
            f"{SWITCHER_MARK} (expected {len(VERSIONS)}): the theme no longer renders "
            "templates/overrides/partials/alternate.html as expected; restore the marker"
        )
    if derived.configs != 1:
        raise GuidegenError(
            f'variants: {source} has no <script id="{CONFIG_ID}"> (Material\'s configuration): '
            "the theme changed; the variant's base path cannot be set"
        )


def write_variants(
    site_dir: Path, previous: Path, originals: list[str], reused: frozenset[str]
) -> list[str]:
    """Write the diacritic-free version of every original page (paths below site_dir);
    return the variants' paths.

    An original in reused is the same as in the previous site, so its variant is copied from
    there (when it exists) instead of derived again.
    """
    derive = []
    for source in originals:
        old = previous / variant_path(source)
        if source in reused and old.is_file():
            reuse_file(old, site_dir / variant_path(source))
        else:
            derive.append((source,))
    workers.starmap(_write_variant, derive, shared=(site_dir, {}))
    return [variant_path(source) for source in originals]


def _write_variant(site_dir: Path, folders: dict[str, _Folder], source: str) -> None:
    """Derive the variant of one original page (folders: kept by a process, by folder)."""
    target = site_dir / variant_path(source)
    name = posixpath.dirname(source)
    folder = folders.get(name) or folders.setdefault(name, _Folder(source))
    text, found = _derive((site_dir / source).read_text("utf-8"), folder)
    _check_markers(found, source)
    write_atomic(target, text.encode("utf-8"))
