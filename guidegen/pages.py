"""The MkDocs stage: Material renders each original version in its own process, reusing pages.

MkDocs' own build() converts and renders every page on every run, and mkdocs-static-i18n runs
it once per language in one process. This runs MkDocs' steps (files, navigation, pages,
theme) for one version at a time, the versions in parallel processes, and reuses
- a page's HTML from the current site when its key is the one recorded for that file: the
  key covers the page's own source, the paths of every page of its version, the front matter
  (titles) of the pages its navigation shows (see _shown) and the configuration with the
  theme, so that a changed title renders its own topic again, not every page;
- a page's converted Markdown (HTML, table of contents, anchors) when only other pages or
  the theme changed, from a cache keyed by the Markdown, the Markdown settings and the files.
MkDocs' `--dirty` does not fit: it decides from the output's modification times and loses
the titles of the pages it skips.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import material
import mkdocs
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.commands.build import _build_theme_template, get_context
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import CountHandler

from guidegen import workers
from guidegen.errors import GuidegenError, locate_template_error
from guidegen.memo import code_digest
from guidegen.structure import Version
from guidegen.write import folder_digest, reuse_file, write_atomic

log = logging.getLogger(__name__)

CACHE_VERSION = "5"
"""Change to invalidate every cached page (when this module changes what it stores)."""
_BLANKS = re.compile(r"[ \t]*\n\s*")
"""Whitespace with a line break in it."""
_PRESERVED = re.compile(r"<(pre|textarea)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
"""Elements whose whitespace the browser shows as written."""


@dataclass(frozen=True)
class VersionBuild:
    """What one process needs to build one original version into its own folder."""

    version: Version
    config_file: str
    settings: dict[str, Any]
    """load_config() arguments: folders, theme, names, navigation, extra."""
    out_dir: Path
    cache_dir: Path
    """Converted Markdown of this version, one JSON file per page."""
    jinja_cache: Path
    """Compiled theme templates, shared by the versions and kept between builds."""
    previous: Path
    """The site folder as it is now, whose pages may be reused."""
    known: dict[str, str]
    """Key of every page file in previous, as recorded by the build that wrote it."""
    with_theme: bool
    """Whether this version also writes the theme's assets (the default version does)."""
    theme_digest: str
    """Digest of the theme overrides, which the keys cover."""
    overrides: Path
    """templates/overrides, whose copy the theme reads (named in template errors)."""
    filters: dict[str, Callable[..., Any]]
    """Jinja filters guidegen's theme overrides use (module-level functions)."""


@dataclass(frozen=True)
class VersionResult:
    """What a version's build wrote: the key of each page file and which were rendered anew."""

    keys: dict[str, str]
    rendered: frozenset[str]
    warnings: int
    strict: bool
    files: tuple[str, ...]
    """Every file the version wrote, relative to the site."""
    digest: str = ""
    """Digest of all the version's inputs (version_digest), set by build_versions."""

    def record(self) -> dict[str, Any]:
        """What the next build needs to reuse this version whole (see build_versions)."""
        return {
            "digest": self.digest,
            "keys": self.keys,
            "files": list(self.files),
            "warnings": self.warnings,
            "strict": self.strict,
        }


def _stable(value: object) -> str:
    """Name a value JSON cannot hold, the same way in every process (functions by name)."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    return str(value)


def digest(*parts: object) -> str:
    """Return a short stable hash of JSON-serialisable parts."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=_stable)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _source_key(markdown: str, src_uri: str, text: str) -> str:
    """Return the key of a page's conversion: its Markdown (text), its path and what the
    conversion depends on (markdown: _markdown_digest), hashed as they are; JSON-encoding
    every page's Markdown first took 0.18 s a build for the 1000 pages of a language at 1000
    guides, this 0.06 s. The first two parts hold no NUL, so the joined parts are unambiguous.
    """
    return hashlib.sha256("\0".join((markdown, src_uri, text)).encode("utf-8")).hexdigest()[:32]


def _portable(settings: dict[str, Any]) -> dict[str, Any]:
    """Return the settings without the project's folders, so that keys survive a move."""
    theme = {k: v for k, v in settings["theme"].items() if k != "custom_dir"}
    return {**{k: v for k, v in settings.items() if k != "docs_dir"}, "theme": theme}


def _place(files: Files, job: VersionBuild, config: MkDocsConfig) -> None:
    """Put the version's pages below its prefix; leave the theme's files to the default one."""
    for file in list(files):
        if file.is_documentation_page():
            file.dest_uri = job.version.prefix + file.dest_uri
        elif not job.with_theme and file.src_dir != config.docs_dir:
            files.remove(file)


def _add_theme_files(
    files: Files, env: jinja2.Environment, config: MkDocsConfig, job: VersionBuild
) -> None:
    """Add the theme's static files, as MkDocs' Files.add_files_from_theme adds them.

    MkDocs finds them by listing every file of the theme, Material's 14 000 icons included
    (0.2 s a build); the list depends only on the theme's folders and what they hold (the
    installed MkDocs and Material, the overrides), so it is kept in the cache under those.
    """
    versions = [mkdocs.__version__, material.__version__]
    key = digest(CACHE_VERSION, versions, job.theme_digest, config.theme.dirs)
    entry = job.jinja_cache.parent / f"theme-files-{key}.json"
    try:
        listed = json.loads(entry.read_text("utf-8"))
    except (OSError, ValueError):
        theme = Files([])
        theme.add_files_from_theme(env, config)
        listed = [(f.src_uri, f.src_dir) for f in theme]
        for stale in entry.parent.glob("theme-files-*.json"):
            stale.unlink(missing_ok=True)
        write_atomic(entry, json.dumps(listed).encode("utf-8"))
    for path, folder in listed:
        if files.get_file_from_path(path) is None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def _copy_static_files(files: Files, previous: Path) -> list[str]:
    """Copy the static files (the theme's scripts, styles and images) as MkDocs does, but
    hard-link those that the current site holds with the same bytes: creating them anew cost
    a one-guide rebuild at 12 guides 40 ms, 46 files each build. Return their paths."""
    copied = []
    for file in files:
        if file.is_documentation_page() or not file.inclusion.is_included():
            continue
        current, data = previous / file.dest_uri, file.content_bytes
        try:
            same = current.read_bytes() == data
        except OSError:
            same = False
        if same:
            reuse_file(current, file.abs_dest_path)
        else:
            write_atomic(Path(file.abs_dest_path), data)
        copied.append(file.dest_uri)
    return copied


def _toc_data(items: list[AnchorLink]) -> list[dict[str, Any]]:
    """Return a table of contents as plain data."""
    return [
        {"title": i.title, "id": i.id, "level": i.level, "children": _toc_data(i.children)}
        for i in items
    ]


def _toc(data: list[dict[str, Any]]) -> list[AnchorLink]:
    """Rebuild table of contents entries from plain data."""
    items = []
    for entry in data:
        item = AnchorLink(entry["title"], entry["id"], entry["level"])
        item.children = _toc(entry["children"])
        items.append(item)
    return items


def _convert(
    page: Page, config: MkDocsConfig, files: Files, cache: Path, key: str, content: bool
) -> None:
    """Convert a page's Markdown, or restore the conversion cached under key.

    The cache keeps a page's HTML (key.html) apart from its table of contents, anchors and
    links (key.json): a page reused as it is needs only its anchors and links, for checking
    the links into it and out of it; its HTML and table of contents are restored only when
    asked for (content), for rendering it (a page's navigation shows only its own contents).
    """
    entry, html = cache / f"{key}.json", cache / f"{key}.html"
    if entry.is_file() and (not content or html.is_file()):
        data = json.loads(entry.read_text("utf-8"))
        page.present_anchor_ids = set(data["anchors"])
        page.links_to_anchors = {
            target: anchors
            for uri, anchors in data["links"].items()
            if (target := files.get_file_from_path(uri)) is not None
        }
        if content:
            page.toc = TableOfContents(_toc(data["toc"]))
            page.content = html.read_text("utf-8")
        return
    page.render(config, files)
    data = {
        "toc": _toc_data(list(page.toc)),
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()},
    }
    write_atomic(html, (page.content or "").encode("utf-8"))
    write_atomic(entry, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _read(page: Page) -> None:
    """Read a page's front matter and Markdown, as Page.read_source does without plugins.

    guidegen writes the front matter as one line of JSON (variants.documents), which json
    reads in a tenth of the time MkDocs' YAML reader takes.
    """
    front, _, markdown = page.file.content_string.removeprefix("---\n").partition("\n---\n")
    page.meta, page.markdown = json.loads(front), markdown.lstrip("\n")


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _FirstTermOnly(Treeprocessor):
    """Keep a glossary term's explanation (an <abbr title>) on its first use in the page's
    running text only; a heading keeps its own and does not count as that first use.

    Later uses of the term, or of another name of the same concept, become plain text: a
    reader is told once, as in print, and the page does not carry the same definition (a
    tooltip Material starts on load) a dozen times over.
    """

    def run(self, root: Any) -> None:
        """Unwrap every <abbr> outside headings whose explanation appeared earlier."""
        parents = {child: parent for parent in root.iter() for child in parent}
        seen = set()
        for abbr in list(root.iter("abbr")):
            ancestor = parents[abbr]
            while ancestor in parents and ancestor.tag not in _HEADINGS:
                ancestor = parents[ancestor]
            if ancestor.tag in _HEADINGS:
                continue
            if abbr.get("title") not in seen:
                seen.add(abbr.get("title"))
                continue
            parent = parents[abbr]
            index = list(parent).index(abbr)
            text = (abbr.text or "") + (abbr.tail or "")
            if index:
                parent[index - 1].tail = (parent[index - 1].tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(abbr)


class FirstTermOnly(Extension):
    """Markdown extension (mkdocs.yml) that explains each glossary term once a page."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's hook name
        """Run after the abbr extension (priority 7) and before the table of contents (5)."""
        md.treeprocessors.register(_FirstTermOnly(md), "first_term_only", 6)


def squeeze(html: str) -> str:
    """Collapse each run of whitespace that holds a line break into one line break, outside
    <pre> and <textarea>.

    The browser reads such a run as one space anyway; Material's templates indent so deeply
    that a guide page would otherwise carry 4 kB (6 %) of blanks, mostly in the navigation.
    """
    parts, start = [], 0
    for kept in _PRESERVED.finditer(html):
        parts += [_BLANKS.sub("\n", html[start : kept.start()]), kept[0]]
        start = kept.end()
    return "".join([*parts, _BLANKS.sub("\n", html[start:])])


def _render(
    page: Page, config: MkDocsConfig, nav: Any, env: jinja2.Environment, documents: Sequence[File]
) -> bytes:
    """Render a converted page through the theme (documents: the version's pages, listed
    once a build: listing them again for each page cost 0.9 s a language at 1000 guides)."""
    page.active = True
    try:
        context = get_context(nav, documents, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        return squeeze(template.render(context)).encode("utf-8", errors="xmlcharrefreplace")
    finally:
        page.active = False


def _markdown_digest(config: MkDocsConfig, documents: Sequence[File]) -> str:
    """Return what a page's conversion depends on besides its own Markdown."""
    pages = sorted((f.src_uri, f.dest_uri) for f in documents)
    return digest(CACHE_VERSION, config.markdown_extensions, config.mdx_configs, pages)


def _shown(page: Page, nav: Any) -> list[Page]:
    """Return the pages whose front matter (title) a page's navigation may show.

    These are the pages at the top level, the first page of every topic (whose link stands
    for a topic that is not open), the pages of the page's own topic and the previous and
    next pages of the footer; the topics' names and the order are in the settings.
    """
    shown = [page, *(p for p in (page.previous_page, page.next_page) if p)]
    for item in nav.items:
        shown += [item] if item.is_page else (item.children or [])[:1]
    return shown + (page.parent.children if page.parent else [])


def _evict(cache: Path, used: set[str]) -> None:
    """Delete the cached conversions this build did not use."""
    for entry in cache.iterdir():
        if entry.stem not in used:
            entry.unlink()


def build_version(job: VersionBuild) -> VersionResult:
    """Build one original version into job.out_dir; return the key of every page written."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        job.cache_dir.mkdir(parents=True, exist_ok=True)
        job.jinja_cache.mkdir(parents=True, exist_ok=True)
        config = load_config(job.config_file, site_dir=str(job.out_dir), **job.settings)
        env = config.theme.get_env()
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(job.jinja_cache))
        env.filters.update(job.filters)
        files = get_files(config)
        if job.with_theme:
            _add_theme_files(files, env, config, job)
        _place(files, job, config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        home = files.get_file_from_path("index.md")
        nav.homepage = home.page if home else None
        pages, documents = [], files.documentation_pages()
        for file in documents:
            page = file.page or Page(None, file, config)
            _read(page)
            if isinstance(page.meta.get("title"), str):
                # guidegen escapes titles (attr()); the theme must not escape them again
                page.meta["title"] = markupsafe.Markup(page.meta["title"])  # noqa: S704
            pages.append(page)
        shared = digest(
            CACHE_VERSION,
            job.theme_digest,
            _portable(job.settings),
            material.__version__,
            sorted(p.file.src_uri for p in pages),
        )
        metas = {p.file.src_uri: digest(p.meta) for p in pages}
        markdown = _markdown_digest(config, documents)
        written = _copy_static_files(files, job.previous)
        if job.with_theme:
            # Not MkDocs' sitemap.xml (and .gz): post-build writes one sitemap per language.
            for name in sorted(config.theme.static_templates - {"sitemap.xml"}):
                # MkDocs writes into the file: a site updated in place may link it elsewhere.
                (job.out_dir / name).unlink(missing_ok=True)
                _build_theme_template(name, env, files, config, nav)
                written.append(name)
        keys, rendered, used = {}, set(), set()
        for page in pages:
            target = page.file.dest_uri
            source = _source_key(markdown, page.file.src_uri, page.markdown)
            shown = sorted({metas[p.file.src_uri] for p in _shown(page, nav)})
            keys[target] = key = digest(shared, source, shown)
            used.add(source)
            reusable = job.known.get(target) == key and (job.previous / target).is_file()
            _convert(page, config, files, job.cache_dir, source, content=not reusable)
            if reusable:
                reuse_file(job.previous / target, Path(page.file.abs_dest_path))
                continue
            write_atomic(Path(page.file.abs_dest_path), _render(page, config, nav, env, documents))
            rendered.add(target)
        for page in pages:
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        _evict(job.cache_dir, used)
        warnings = sum(n for _, n in counter.get_counts())
        files_written = tuple(sorted({*written, *keys}))
        return VersionResult(keys, frozenset(rendered), warnings, config.strict, files_written)
    except jinja2.TemplateError as error:
        copy = Path(job.settings["theme"]["custom_dir"])
        source = job.overrides
        raise GuidegenError(template_message(error, source.parent.parent, copy, source)) from None
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def template_message(error: jinja2.TemplateError, root: Path, copy: Path, source: Path) -> str:
    """Describe a template error with its file (the one in source, not its copy) and line."""
    locate_template_error(error)
    where = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if where:
        path = Path(where)
        if path.is_relative_to(copy):
            path = source / path.relative_to(copy)
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else where
    place = f"{where}:{line}: " if where and line else ""
    return f"{place}template error: {error.message}: fix the template"


def version_digest(job: VersionBuild, code: str) -> str:
    """Digest everything a version's output depends on: what every page key covers (the
    theme, the settings, Material), guidegen's code and libraries (code_digest: the theme's
    filters are guidegen functions) and every file of its docs folder."""
    return digest(
        code,
        job.theme_digest,
        _portable(job.settings),
        material.__version__,
        job.with_theme,
        folder_digest(Path(job.settings["docs_dir"])),
    )


def _unchanged(job: VersionBuild, recorded: dict[str, Any], key: str) -> bool:
    """Tell whether the current site holds this version's output for inputs of this digest."""
    return recorded.get("digest") == key and all(
        (job.previous / name).is_file() for name in recorded.get("files", [])
    )


def build_versions(
    jobs: list[VersionBuild], site_dir: Path, recorded: dict[str, dict[str, Any]]
) -> list[VersionResult]:
    """Build every original version into site_dir (each job's out_dir), in parallel processes.

    A version whose inputs have the digest recorded by the build that wrote the current site
    (recorded: VersionResult.record() by locale) is not built: its files are reused as they
    are, which spares starting MkDocs for it (a third of a build with nothing changed).
    """
    code = code_digest()
    digests = [version_digest(job, code) for job in jobs]
    todo = [
        index
        for index, job in enumerate(jobs)
        if not _unchanged(job, recorded.get(job.version.locale, {}), digests[index])
    ]
    jobs_todo = [(jobs[index],) for index in todo]
    # Each version in its own process: MkDocs' pages would stay in this one's memory.
    built = workers.starmap(build_version, jobs_todo, least=2, here=False)
    results, owners = [], {}
    for index, job in enumerate(jobs):
        if index in todo:
            result = built[todo.index(index)]
        else:
            old = recorded[job.version.locale]
            result = VersionResult(
                old["keys"], frozenset(), old["warnings"], old["strict"], tuple(old["files"])
            )
            log.info(
                "%s: nothing changed, its %d files reused", job.version.locale, len(result.files)
            )
            for name in result.files:
                reuse_file(job.previous / name, site_dir / name)
        for name in result.files:
            if owners.setdefault(name, job.version.locale) != job.version.locale:
                raise GuidegenError(f"two versions write '{name}': check the languages")
        results.append(replace(result, digest=digests[index]))
    warnings = sum(r.warnings for r in results if r.strict)
    if warnings:
        raise Abort(f"Aborted with {warnings} warnings in strict mode!")
    return results
