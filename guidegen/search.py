"""Post-build search: a Pagefind index per language of the original pages, folding like ours.

Pagefind folds combining marks itself, so `clienti` finds clienți; letters that Unicode does
not decompose (Polish ł) are not folded, so each page is indexed with a `folded` metadata
field holding, folded with our table, the words Pagefind alone would not fold like us. The
field lives only in the index, never in the published HTML. The diacritic-free variants are
not indexed: their search dialog reads the original index and rewrites the result links.
The dialog (assets/search.js) uses Pagefind's JS API on the main thread, not Pagefind's UI.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor, wait
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml
from pagefind_bin import get_executable as pagefind_executable

from guidegen import workers
from guidegen.errors import GuidegenError
from guidegen.fold import FOLD_PL, FOLD_RO, fold
from guidegen.loader import YAML_LOADER
from guidegen.model import LANGS
from guidegen.project import Project
from guidegen.structure import VERSIONS, Page, Version, is_original, site_file, url
from guidegen.write import (
    STOP_SIGNALS,
    build_lock,
    die_with_parent,
    files_below,
    folder_digest,
    replace_dir,
    reuse_file,
    write_atomic,
    write_changed,
)

if TYPE_CHECKING:
    from guidegen.postbuild import BuiltSite

BUNDLE = "pagefind"
"""The search bundle's folder below the site root."""

UI_SETTINGS = f"{BUNDLE}/guidegen-ui.json"
"""Per-version UI settings, fetched by the search dialog when it first opens."""

ENTRY = "pagefind-entry.json"
"""Pagefind's entry file in the bundle: version, languages and their index hashes."""

STAGING = ".indexing-"
"""Name prefix of the folder a bundle is indexed into before it joins the cache."""

UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
    "wasm.unknown.pagefind",
)
"""Files Pagefind always writes that no page loads: UIs, highlighter, worker, no-lang wasm."""

ROOT_SELECTOR = "article"
EXCLUDE_SELECTORS = (".headerlink", ".md-source-file")
"""Index the guide text only: not navigation, permalink marks or page furniture."""

_WORD = re.compile(r"\w+")
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _ArticleText(HTMLParser):
    """Collect the text Pagefind indexes: inside <article>, outside data-pagefind-ignore."""

    def __init__(self) -> None:
        """Start outside any article."""
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.ignored = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Enter an article, or an element left out of the index (nested tags count too)."""
        if tag == "article" or self.depth:
            self.depth += tag not in _VOID
            if self.ignored or any(name == "data-pagefind-ignore" for name, _ in attrs):
                self.ignored += tag not in _VOID

    def handle_endtag(self, tag: str) -> None:
        """Leave an element inside the article."""
        if self.depth and tag not in _VOID:
            self.depth -= 1
            self.ignored -= bool(self.ignored)

    def handle_data(self, data: str) -> None:
        """Keep text that is inside the article and not left out of the index."""
        if self.depth and not self.ignored:
            self.chunks.append(data)


def strip_marks(text: str) -> str:
    """Remove combining marks the way Pagefind does: decompose, drop the marks."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


_UNDECOMPOSED = re.compile(
    "["
    + "".join(sorted(c for c, base in {**FOLD_RO, **FOLD_PL}.items() if strip_marks(c) != base))
    + "]"
)
"""The letters that stripping marks does not turn into our fold's base letter (ł, Ł): a word
without one is folded by Pagefind exactly as by us."""


def extra_words(article: str) -> list[str]:
    """Return the article's words, folded and lowercased, that Pagefind would not fold like us.

    Only words with an undecomposed letter qualify, so an article without any (every Romanian
    page, as a rule) is not parsed at all: 2.1 → 0.5 s for the 208 pages of 100 guides.
    """
    if not _UNDECOMPOSED.search(article):
        return []
    parser = _ArticleText()
    parser.feed(article)
    words = {w.lower() for w in _WORD.findall(" ".join(parser.chunks)) if _UNDECOMPOSED.search(w)}
    return sorted({strip_marks(fold(w)) for w in words})


def _meta_tag(env: jinja2.Environment, words: list[str]) -> str:
    """Render the metadata tag that carries a page's extra folded words."""
    return env.get_template("meta.html.j2").render(words=" ".join(words))


def search_document(env: jinja2.Environment, html: str) -> str:
    """Return what Pagefind reads of a page: its language, title and <article>, plus our
    folded words inside the article (Pagefind indexes nothing outside the article)."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < 0:
        raise GuidegenError("search: a built page has no <article>: check the theme overrides")
    head_end = html.find("</head>")
    article = html[start:end]
    words = extra_words(article)
    extra = _meta_tag(env, words) if words else ""
    return f"{html[:head_end]}</head><body>{article}{extra}</article></body></html>"


def original_pages(site_dir: Path, pages: list[Page]) -> list[tuple[str, str, Path]]:
    """Return (language, URL path, built file) of every original page: own language, with
    diacritics."""
    found = []
    for page in pages:
        version = Version(page.lang, False)
        if is_original(page, version):
            link = url(version, page.path)
            target = site_dir / site_file(link)
            found.append((page.lang, f"/{link}", target))
    return sorted(found)


BACKGROUND_NICENESS = 10
"""How much lower Pagefind's priority is when it catches up behind `guidegen serve`: the next
save's build, at normal priority, then gets the CPUs (about ten times Pagefind's share)."""


def _start_pagefind(background: bool) -> None:
    """Set up the Pagefind child: it dies with guidegen, gets the signals guidegen held back
    while starting it, and in the background runs at low priority."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    die_with_parent()
    if background:
        os.nice(BACKGROUND_NICENESS)


class Runs:
    """The Pagefind runs of one build, one at a time, which another thread can stop."""

    def __init__(self) -> None:
        """Start with no run and not stopped."""
        self._lock = threading.Lock()
        self._stopped = False
        self._process: subprocess.Popen[str] | None = None

    def start(self, command: list[str], background: bool) -> subprocess.Popen[str]:
        """Start Pagefind, unless the runs were stopped (then raise GuidegenError)."""
        with self._lock:
            if self._stopped:
                raise GuidegenError("search: indexing was stopped")
            self._process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=functools.partial(_start_pagefind, background),
            )
            return self._process

    def stop(self) -> None:
        """Kill the run going on, if any, and start no other."""
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()


def _index(bundle: Path, documents: Path, runs: Runs, background: bool = False) -> None:
    """Index one language's documents with Pagefind into the bundle folder.

    The documents go to Pagefind's command line as one folder in one run: its Python API
    answers each request on a 0.1 s poll, which made indexing two to ten times slower.
    """
    # The binary of pagefind[bin] itself: `python -m pagefind` started a Python first (0.15 s).
    command = [
        str(pagefind_executable()),
        "--site",
        str(documents),
        "--silent",
        "--output-path",
        str(bundle),
        "--root-selector",
        ROOT_SELECTOR,
    ]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    # Until Popen returns, a Ctrl-C or SIGTERM would leave Pagefind running unseen, still
    # writing into a folder the caller is removing: both are held back until then.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        with runs.start(command, background) as process:
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                _, stderr = process.communicate(timeout=600)
            except BaseException:
                # Unlike subprocess.run(), wait for the killed Pagefind even after Ctrl-C.
                process.kill()
                process.wait()
                raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=stderr)


def _write_document(env: jinja2.Environment, page: Path, document: Path) -> None:
    """Write the search document of one built page."""
    write_atomic(document, search_document(env, page.read_text("utf-8")).encode())


def _sync_documents(site: BuiltSite, env: jinja2.Environment) -> Path:
    """Bring build/search up to date: one document per original page, derived anew only for
    pages that changed, in one folder per language (laid out as the site below it); return
    the folder."""
    folder = site.project.build_dir / "search"
    wanted, derive = set(), []
    for lang, link, target in original_pages(site.site_dir, site.pages):
        if not target.is_file():
            raise GuidegenError(f"search: built page {target} is missing; rebuild the site")
        relative = site_file(link.removeprefix("/"))
        document = folder / lang / relative
        wanted.add(document)
        if relative not in site.reused or not document.is_file():
            derive.append((target, document))
    workers.starmap(_write_document, derive, shared=(env,))
    for existing in sorted(folder.rglob("*.html")):
        if existing not in wanted:
            existing.unlink()
    return folder


def _remove_unused(bundle: Path) -> None:
    """Delete the bundle files no page loads (Pagefind's Python API always writes them)."""
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)


def _write_entry(bundle: Path, languages: dict[str, object]) -> None:
    """Rewrite Pagefind's entry file (of the last run) listing every run's languages, with
    sorted keys: Pagefind lists languages in no fixed order."""
    entry = bundle / ENTRY
    data = json.loads(entry.read_text("utf-8")) | {"languages": languages}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_atomic(entry, text.encode("utf-8"))


RANKING = {"termSimilarity": 10.0, "termSaturation": 1.0, "pageLength": 0.1}
"""Pagefind's ranking options (its JS API): with a high term similarity, a query typed without
diacritics ranks the exact word (`lojalnosc` -> lojalność) above longer words that merely start
with it (lojalnościowy); measured on the shipped guides, see tests/browser/test_search.py."""

PRELOADED = ("close", "load_failed", "retry")
"""Dialog texts the page itself carries, so they work before (or without) the UI settings."""


def ui_strings(templates_dir: Path) -> dict[str, dict[str, str]]:
    """Return the search dialog's texts per language (templates/search/strings.yaml)."""
    text = (templates_dir / "search" / "strings.yaml").read_text("utf-8")
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader (libyaml's)


def preloaded_strings(templates_dir: Path, lang: str) -> dict[str, str]:
    """Return the dialog texts of a language that the page's own markup carries."""
    return {key: ui_strings(templates_dir)[lang][key] for key in PRELOADED}


def ui_settings(strings: dict[str, dict[str, str]], versions: list[Version]) -> dict:
    """Return what the search dialog needs: per-version texts and link prefixes, ranking."""
    entries = []
    for version in versions:
        texts = strings[version.lang]
        entries.append(
            {
                "prefix": version.prefix,
                "indexPrefix": Version(version.lang, False).prefix,
                "strings": {k: fold(v) for k, v in texts.items()} if version.variant else texts,
                "foldResults": version.variant,
            }
        )
    longest_first = sorted(entries, key=lambda e: len(e["prefix"]), reverse=True)
    return {"versions": longest_first, "fold": {**FOLD_RO, **FOLD_PL}, "ranking": RANKING}


def _write_ui_settings(templates_dir: Path, site_dir: Path) -> None:
    """Write the search UI settings of every published version into the search bundle."""
    versions = [v for v in VERSIONS if (site_dir / v.prefix).is_dir()]
    settings = ui_settings(ui_strings(templates_dir), versions)
    data = json.dumps(settings, ensure_ascii=False, sort_keys=True, indent=1)
    write_changed(site_dir / UI_SETTINGS, data.encode("utf-8"))


def _pagefind(bundle: Path, documents: Path, runs: Runs, background: bool = False) -> None:
    """Run Pagefind on one language's documents into the bundle folder."""
    try:
        _index(bundle, documents, runs, background)
    except (OSError, subprocess.SubprocessError) as error:
        details = getattr(error, "stderr", "") or error
        raise GuidegenError(
            f"search: Pagefind could not index the site ({details}); "
            "check that pagefind[bin] is installed (make build)"
        ) from error


def _assemble(bundle: Path, parts: list[Path]) -> None:
    """Put the language bundles together into one: their files (those all runs write are the
    same) and one entry file listing every language. Pagefind's indexes are per language: the
    result is byte-identical to one run over all the documents."""
    languages: dict[str, object] = {}
    for part in parts:
        for file in sorted(p for p in part.rglob("*") if p.is_file()):
            if not (bundle / file.relative_to(part)).exists():
                reuse_file(file, bundle / file.relative_to(part))
        languages |= json.loads((part / ENTRY).read_text("utf-8"))["languages"]
    _remove_unused(bundle)
    _write_entry(bundle, languages)


def _language_bundle(
    cache: Path, documents: Path, digest: str, runs: Runs, background: bool = False
) -> Path:
    """Return the Pagefind bundle of one language's documents, kept in cache under their
    digest: a language is indexed again only when one of its documents changed, and one
    run at a time holds only that language's pages in memory."""
    folder = cache / digest
    if not (folder / ENTRY).is_file():
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=cache))
        try:
            _pagefind(staging, documents, runs, background)
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _keep_only(cache: Path, parts: list[Path]) -> None:
    """Delete the cached bundles other than parts (those of the site's current documents),
    leaving any bundle still being indexed (another run's)."""
    for unused in sorted(set(cache.iterdir()) - set(parts)):
        if not unused.name.startswith(STAGING):
            shutil.rmtree(unused)


def _snapshot(documents: Path, folder: Path) -> None:
    """Link each language's documents, as they are now, into folder.

    Builds replace documents (write_atomic) and never write into one, so the links keep these
    bytes while the next build changes build/search: Pagefind reads, and the cache files its
    bundle under, the documents of one build, never a mix of two.
    """
    for lang in LANGS:
        shutil.copytree(documents / lang, folder / lang, copy_function=reuse_file)


class Index:
    """The search bundle of a freshly built site, indexed while the build goes on.

    Creating it brings the search documents up to date (they need only the original pages)
    and starts Pagefind in a thread, one language after the other, so that Pagefind indexes
    while the build writes the variants, cards and sitemaps on the other CPU; finish() waits
    for it and puts the bundle into the site. Used as a context manager, a block that raises
    (a failed or stopped build) kills Pagefind and waits for it first.

    Each language's bundle is reused from build/cache/pagefind while its documents are
    unchanged (_language_bundle). With site.defer_search the current bundle is copied as it
    is (or left where it is, in a site updated in place) and refresh_index() catches up
    later: such a build leaves the cache to it.
    """

    def __init__(self, site: BuiltSite) -> None:
        """Bring build/search up to date and start indexing what changed."""
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(site.project.templates_dir / "search"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        documents = _sync_documents(site, env)
        self.site = site
        self.deferred = site.defer_search and (site.previous / BUNDLE / ENTRY).is_file()
        self.cache = site.project.build_dir / "cache" / "pagefind"
        self.runs = Runs()
        languages = [] if self.deferred else LANGS
        digests = {lang: folder_digest(documents / lang) for lang in languages}
        pool = ThreadPoolExecutor(max_workers=1)
        self.parts = pool.submit(
            lambda: [
                _language_bundle(self.cache, documents / lang, digests[lang], self.runs)
                for lang in languages
            ]
        )
        pool.shutdown(wait=False)

    def __enter__(self) -> Index:
        """Return the index, whose finish() the block calls."""
        return self

    def __exit__(self, kind: type[BaseException] | None, *details: object) -> None:
        """On an exception in the block, stop Pagefind and wait until it is gone."""
        if kind is not None:
            self.runs.stop()
            wait([self.parts])

    def finish(self) -> None:
        """Wait for Pagefind and put the bundle into the site."""
        site = self.site
        bundle = site.site_dir / BUNDLE
        if not self.deferred:
            parts = self.parts.result()
            shutil.rmtree(bundle, ignore_errors=True)
            _assemble(bundle, parts)
            _keep_only(self.cache, parts)
        elif site.previous != site.site_dir:  # a site updated in place holds it already
            shutil.rmtree(bundle, ignore_errors=True)
            shutil.copytree(site.previous / BUNDLE, bundle, copy_function=reuse_file)
        _write_ui_settings(site.project.templates_dir, site.site_dir)


def bundle_files(site_dir: Path) -> list[str]:
    """Return the search bundle's files in a site, as paths below the site."""
    return [f"{BUNDLE}/{name}" for name in files_below(site_dir / BUNDLE)]


def refresh_index(project: Project, site_dir: Path) -> None:
    """Bring a served site's search bundle up to date with build/search, in one swap.

    Runs after a build that deferred its search, while the pages are served with the previous
    bundle. It indexes a snapshot of the documents (taken under the build lock), and only the
    languages whose documents changed: the others' bundles come from the cache the builds
    use. Pagefind runs at low priority and without the build lock, so that the next save's
    build neither waits for it nor shares the CPUs with it evenly; the swap takes the lock. A
    bundle that a newer build has overtaken is brought up to date by that build's own refresh.
    """
    project.build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="search-bundle-", dir=project.build_dir))
    cache = project.build_dir / "cache" / "pagefind"
    runs = Runs()
    try:
        with build_lock(project.build_dir):
            _snapshot(project.build_dir / "search", staging / "documents")
        parts = []
        for lang in LANGS:
            documents = staging / "documents" / lang
            digest = folder_digest(documents)
            parts.append(_language_bundle(cache, documents, digest, runs, background=True))
        _assemble(staging / BUNDLE, parts)
        with build_lock(project.build_dir):
            _keep_only(cache, parts)
            settings = site_dir / UI_SETTINGS
            if settings.is_file():
                shutil.copyfile(settings, staging / UI_SETTINGS)
            if (site_dir / BUNDLE).is_dir():
                replace_dir(staging / BUNDLE, site_dir / BUNDLE)
            else:
                os.replace(staging / BUNDLE, site_dir / BUNDLE)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
