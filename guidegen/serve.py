"""Live preview: rebuild on every save, keep serving the last good site when a save breaks."""

from __future__ import annotations

import gc
import shutil
import socket
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from guidegen import search
from guidegen.build import build, memo_file
from guidegen.errors import GuidegenError, Problem
from guidegen.memo import Memos
from guidegen.project import Project
from guidegen.report import as_text, file_error

WATCHED = ("content", "data", "templates", "mkdocs.yml")
"""What a save in triggers a rebuild."""
FOLDERS_GONE: tuple[type[FileSystemEvent], ...] = (DirDeletedEvent, DirMovedEvent)
"""Folder events that stand for their files: a folder moved out of the project (to the
trash, say) is reported as the folder alone, not file by file."""
SAVES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    *FOLDERS_GONE,
]
"""The events that are a save; not the opened and closed events of reading a file."""
QUIET_SECONDS = 0.02
"""How long after a change the rebuild waits for more (MkDocs waits 0.1 s). The system
reports a save's writes together, so a save, however many files it writes, rarely spans more;
a change that arrives later is built by the next rebuild."""


@dataclass(frozen=True)
class PreviewProject(Project):
    """A project whose preview is built into .site-preview/, leaving site/ as it is."""

    @property
    def site_dir(self) -> Path:
        """The preview site, git-ignored like the staging folders."""
        return self.root / ".site-preview"

    @property
    def build_dir(self) -> Path:
        """The preview's own build folder, so that `guidegen build` can run meanwhile."""
        return self.root / "build" / "preview"


def _say(text: str) -> None:
    """Print a status line for the editor at once."""
    print(text, file=sys.stderr, flush=True)


def _settle() -> None:
    """Collect a build's garbage, then leave what stays (the memos) out of later collections.

    The preview's process keeps every guide's checks and pages between saves; each automatic
    collection of the oldest objects walked them all, 0.6 s of a rebuild at 1000 guides
    (2.7 → 2.1 s). What is frozen is still freed when nothing refers to it any more; this
    collection, over one build's objects only, takes 0.09 s there.
    """
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class Builder:
    """Rebuild the preview; on failure print why and keep the last good site."""

    project: PreviewProject
    site_url: str
    searches: ThreadPoolExecutor
    """Brings the search index up to date after each reload, one at a time."""
    memos: Memos
    """What the last build checked and rendered, reused for the files that did not change."""
    waiting: list[Future[None]] = field(default_factory=list)
    """The search refresh submitted last, while it has not started (see refresh_later)."""

    def __call__(self) -> None:
        """Build once (search catching up afterwards) and report the time or the problems."""
        start = time.perf_counter()
        problems: list[Problem] = []
        try:
            build(
                self.project,
                site_url=self.site_url,
                defer_search=True,
                in_place=True,
                memos=self.memos,
                on_problems=problems.extend,
            )
        except GuidegenError as error:
            # Content problems stop a build before it writes; later errors, after it began
            # updating the preview in place.
            if error.problems:
                _say(as_text(error.problems))
                _say("the preview keeps the last good version: fix the problems above and save")
            else:
                _say(f"error: {error}")
                _say("the preview may show this save in part: fix the problem above and save")
            return
        except MkDocsException as error:
            _say(f"error: MkDocs build failed: {error}")
            return
        except OSError as error:
            _say(f"error: {file_error(self.project.root, error)}")
            return
        finally:
            _settle()
        _say(as_text(problems) + f"rebuilt in {time.perf_counter() - start:.2f} s")
        self.refresh_later()

    def refresh_later(self) -> None:
        """Have the search catch up with this build, unless a refresh that has not started
        yet will: a refresh indexes the documents as they are when it starts, so one waiting
        refresh covers every save before it, and a burst of saves costs two Pagefind runs
        (the one running and the next), not one a save (5.5 s and 0.6 GB at 1000 guides)."""
        if self.waiting and not (self.waiting[0].running() or self.waiting[0].done()):
            return
        self.waiting[:] = [self.searches.submit(self.refresh_search)]

    def refresh_search(self) -> None:
        """Re-index the preview's search, saying so only when it fails."""
        try:
            search.refresh_index(self.project, self.project.site_dir)
        except (GuidegenError, OSError) as error:
            _say(f"error: the preview's search is not up to date: {error}")


class _FoldersAsFiles(FileSystemEventHandler):
    """Pass events on, a folder that went away as a file that did: MkDocs' callback skips
    every folder event."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        """Pass events on to handler."""
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        """Pass the event on (a folder gone as the deletion of a file of its path)."""
        if isinstance(event, FOLDERS_GONE):
            event = FileDeletedEvent(event.src_path)
        self.handler.dispatch(event)


class SaveObserver(Observer):  # type: ignore[misc,valid-type] - watchdog picks it per system
    """The system's own change notifications (inotify on Linux), told of saves only.

    MkDocs watches by polling: at 1000 guides, looking at the 2000 guide files every 0.1 s
    in the build's own process slowed a rebuild from 3.7 to 4.6-5.1 s. Its callback rebuilds
    on any event, and the native observer also reports a file being opened and closed, which
    every build does to the content: hence the filter (MkDocs' watch() passes none).
    """

    def schedule(
        self,
        event_handler: FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[FileSystemEvent]] | None = None,
        follow_symlink: bool = False,
    ) -> ObservedWatch:
        """Watch path for saves (whatever event_filter the caller asks for)."""
        return super().schedule(
            _FoldersAsFiles(event_handler),
            path,
            recursive=recursive,
            event_filter=SAVES,
            follow_symlink=follow_symlink,
        )

    def start(self) -> None:
        """Start watching, or say why the system refuses to and what to do instead."""
        try:
            super().start()
        except OSError as error:
            raise GuidegenError(
                f"cannot watch the project for saves: {error.strerror or error} (the system's "
                "limit of watched folders?): run `guidegen serve --poll 0.5` to look for saves "
                "every 0.5 s instead"
            ) from None


def _check_free(host: str, port: int) -> None:
    """Fail at once (OSError) when host:port cannot be listened on, before a first build."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def serve(project: Project, host: str, port: int, poll: float | None = None) -> None:
    """Build, serve on host:port, and rebuild when a watched file changes, until Ctrl+C.

    The system reports saves (SaveObserver); with poll, the files are looked at every poll
    seconds instead, as MkDocs does, for folders whose changes the system does not report
    (network drives, some containers' mounted folders).
    """
    try:
        _check_free(host, port)
    except OSError as error:
        raise GuidegenError(
            f"cannot serve on {host}:{port}: {error.strerror or error}: pick another --dev-addr"
        ) from None
    preview = PreviewProject(project.root)
    url = f"http://{host}:{port}/"
    searches = ThreadPoolExecutor(max_workers=1)
    builder = Builder(preview, url, searches, Memos.load(memo_file(project)))
    builder()
    preview.site_dir.mkdir(exist_ok=True)
    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=str(preview.site_dir),
        polling_interval=poll or 0.5,
    )
    server.build_delay = QUIET_SECONDS
    if poll is None:
        server.observer = SaveObserver()
    for part in WATCHED:
        if (project.root / part).exists():
            server.watch(str(project.root / part))
    try:
        _say(f"serving {url} (all languages and variants); Ctrl+C stops")
        server.serve()
    finally:
        server.shutdown()
        searches.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(preview.site_dir, ignore_errors=True)
