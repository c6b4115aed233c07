"""The whole pipeline: load, validate, render, write, MkDocs, variants, post-build, swap."""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from guidegen import cards, history, postbuild, search, site
from guidegen.errors import GuidegenError, Problem, has_errors
from guidegen.memo import Memo, Memos
from guidegen.model import Content
from guidegen.pages import VersionResult, build_versions, template_message
from guidegen.project import Project
from guidegen.render import render_pages
from guidegen.structure import Page
from guidegen.validate import load_content
from guidegen.variants import documents, write_variants
from guidegen.write import (
    build_lock,
    prune,
    replace_dir,
    restore_interrupted_swap,
    work_folder,
    write_atomic,
    write_tree,
)

log = logging.getLogger(__name__)


@dataclass
class Timings:
    """Seconds spent in each stage of one run."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def check(
    project: Project,
    strict: bool = False,
    timings: Timings | None = None,
    memo: Memo | None = None,
) -> tuple[Content | None, list[Problem]]:
    """Load and validate all content; never writes."""
    timings = timings or Timings()
    with timings.stage("load+validate"):
        content, problems = load_content(project, memo)
    if has_errors(problems, strict):
        return None, problems
    return content, problems


def generate(
    project: Project, content: Content, *, timings: Timings | None = None, memo: Memo | None = None
) -> list[Page]:
    """Render the pages and write the generated docs tree."""
    timings = timings or Timings()
    memo = memo or Memo()
    with timings.stage("render"):
        dates = history.last_changed(project.root)
        updated = {
            (lang, slug): dates[f"content/{lang}/{slug}.yaml"]
            for slug, guides in content.guides.items()
            for lang in guides
            if f"content/{lang}/{slug}.yaml" in dates
        }
        pages = render_pages(project, content, updated, memo)
        files = documents(pages, content, memo) + site.theme_files(project)
    with timings.stage("write"):
        write_tree(project.build_dir, files)
    return pages


def _manifest_file(project: Project) -> Path:
    """Return where the build records what the current site holds (keys of its pages)."""
    return project.build_dir / "cache" / "site.json"


def memo_file(project: Project) -> Path:
    """Return where a build keeps what it checked and rendered, for the next build."""
    return project.build_dir / "cache" / "memos.pickle"


def _keep(memos: Memos, file: Path) -> None:
    """Save the memos for the next build; failing to is no failure of this build."""
    try:
        memos.save(file)
    except OSError as error:
        log.warning(
            "could not keep this build's memos (%s): the next build checks and renders every "
            "guide again",
            error.strerror or error,
        )


def _keep_and_let_go(
    project: Project, memos: Memos, pages: list[Page], timings: Timings
) -> list[Page]:
    """Save the memos a build loaded, when they changed, for the next build; return its
    pages without their Markdown, which is written by now.

    Dropping both (what the memos hold and the pages' Markdown) before MkDocs and Pagefind
    run leaves the build's processes more room: at 1000 guides the whole process tree peaked
    at 1097 MB with them kept to the end, 882 MB without (Pagefind holds 670 MB of it).
    """
    with timings.stage("memos"):
        if memos.changed or not memo_file(project).is_file():
            _keep(memos, memo_file(project))
    return [dataclasses.replace(page, body="") for page in pages]


def _return_freed_memory() -> None:
    """Free what garbage is left and give freed memory back to the system (glibc's
    malloc_trim; elsewhere the memory stays for the process's later use). Without it the
    1000-guide build kept 425 MB instead of 210 MB in its process while Pagefind ran: the
    pages freed mostly stay with the process, and it shares them with the MkDocs workers it
    forks next. It takes 0.2 s."""
    gc.collect()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


def _read_manifest(project: Project) -> dict[str, Any]:
    """Return what the last build recorded about the current site, or nothing."""
    try:
        return json.loads(_manifest_file(project).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _generate(project: Project, content: Content, timings: Timings, memo: Memo) -> list[Page]:
    """Render and write the docs tree, naming a page template's error by its file and line."""
    try:
        return generate(project, content, timings=timings, memo=memo)
    except jinja2.TemplateError as error:
        templates = project.templates_dir
        message = template_message(error, project.root, templates, templates)
        raise GuidegenError(message) from None


def _publish(project: Project, staging: Path, record: dict[str, Any]) -> None:
    """Swap the finished site into place and record what it holds for the next build."""
    _manifest_file(project).unlink(missing_ok=True)
    replace_dir(staging, project.site_dir)
    write_atomic(_manifest_file(project), json.dumps(record, sort_keys=True).encode("utf-8"))


@contextmanager
def _site_folder(project: Project, in_place: bool) -> Iterator[Path]:
    """Yield the folder to build the new site in: a work folder next to site/, or site/ itself
    for an update in place, which the manifest no longer describes until the update is done."""
    if in_place:
        _manifest_file(project).unlink(missing_ok=True)
        project.site_dir.mkdir(parents=True, exist_ok=True)
        yield project.site_dir
        return
    with work_folder(project.site_dir) as work:
        (work / "site").mkdir()
        yield work / "site"


def _derived(
    built: postbuild.BuiltSite, results: list[VersionResult], with_variants: bool, timings: Timings
) -> list[str]:
    """Write what derives from the original pages MkDocs built: the search index (Pagefind
    indexes while the rest is written), the variants, the share cards, the sitemaps and
    redirects. Return every file of the site but the search bundle's."""
    written = [name for result in results for name in result.files]
    with timings.stage("search"):
        index = search.Index(built)
    with index:
        if with_variants:
            originals = [name for name in written if name.endswith(".html")]
            with timings.stage("variants"):
                written += write_variants(built.site_dir, built.previous, originals, built.reused)
        with timings.stage("cards"):
            written += cards.write_cards(built.project, built.content, built.pages, built.site_dir)
        with timings.stage("post-build"):
            written += postbuild.run(built)
        with timings.stage("search"):
            index.finish()
    return written


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt, so that a stopped build cleans up after itself."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build(
    project: Project,
    *,
    strict: bool = False,
    site_url: str | None = None,
    with_variants: bool = True,
    defer_search: bool = False,
    in_place: bool = False,
    timings: Timings | None = None,
    memos: Memos | None = None,
    on_problems: Callable[[list[Problem]], None] = lambda problems: None,
) -> Path:
    """Build site/ from the content; a failure leaves the previous site/ as it was.

    Content is checked first (writing nothing); then one build at a time per project (a lock
    in build/) works in its own folder next to site/, which trades places with site/ at the
    end. Pages whose inputs did not change are reused from the current site (see pages.py).
    With in_place the site is updated where it is instead (the preview of `guidegen serve`):
    each file that changes is replaced in one step, the others stay, and what the new site
    does not hold is deleted at the end; a failure after the check may leave it in part new.
    With defer_search the current search index is kept (search.refresh_index catches up).
    A long-running caller passes the same memos to every build (see memo.py); without them
    the build reads those the previous build saved in build/ and saves its own.
    """
    timings = timings or Timings()
    owned = memos is None
    memos = memos or Memos.load(memo_file(project))
    restore_interrupted_swap(project.site_dir)
    content, problems = check(project, strict, timings, memos.validate)
    on_problems(problems)
    if content is None:
        raise GuidegenError(problems)

    with build_lock(project.build_dir), _terminate_as_interrupt():
        pages = _generate(project, content, timings, memos.render)
        if owned:
            pages = _keep_and_let_go(project, memos, pages, timings)
            del memos  # the last reference: what only the memos held is freed here
            _return_freed_memory()
        manifest = _read_manifest(project)
        with _site_folder(project, in_place) as site_dir:
            with timings.stage("mkdocs"):
                jobs = site.version_builds(
                    project, content, site_dir, project.site_dir, manifest.get("pages", {}),
                    site_url=site_url,
                )  # fmt: skip
                results = build_versions(jobs, site_dir, manifest.get("versions", {}))
            keys = {path: key for result in results for path, key in result.keys.items()}
            reused = frozenset(keys).difference(*(result.rendered for result in results))
            log.info("reused %d of %d pages from the current site", len(reused), len(keys))
            built = postbuild.BuiltSite(
                project=project,
                content=content,
                site_dir=site_dir,
                pages=pages,
                # As MkDocs reads it: configure-pages reports the address without the final /.
                site_url=(jobs[0].settings["site_url"] or "").rstrip("/") + "/",
                previous=project.site_dir,
                reused=reused,
                defer_search=defer_search,
            )
            written = _derived(built, results, with_variants, timings)
            versions = {j.version.locale: r.record() for j, r in zip(jobs, results, strict=True)}
            record = {"pages": keys, "versions": versions}
            if in_place:
                prune(site_dir, ".", {*written, *search.bundle_files(site_dir)})
                write_atomic(_manifest_file(project), json.dumps(record, sort_keys=True).encode())
            else:
                _publish(project, site_dir, record)
    return project.site_dir
