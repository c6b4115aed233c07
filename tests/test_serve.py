"""`guidegen serve`: a real server in a subprocess picks up saves and survives broken ones."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from watchdog.observers.api import BaseObserver

from guidegen import search
from guidegen.errors import GuidegenError
from guidegen.fold import fold
from guidegen.memo import Memos
from guidegen.project import Project
from guidegen.serve import Builder, PreviewProject, serve
from tests.conftest import REPO, copy_project, free_port

MINI = Path(__file__).parent / "fixtures" / "mini"
TIMEOUT = 90.0


class Preview:
    """A running `guidegen serve` and what it printed."""

    def __init__(self, root: Path, process: subprocess.Popen[bytes], base: str, log: Path):
        self.root, self.process, self.base, self.log = root, process, base, log

    def fetch(self, path: str) -> str | None:
        """Return a page's text without the reload script's counters, or None if not there."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                page = response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            return None
        return re.sub(r"livereload\(\d+, \d+\)", "livereload()", page)

    def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        """Wait until ready() holds, failing with the server's output after the timeout."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text("utf-8")
            if ready():
                return
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}:\n{self.log.read_text('utf-8')}")

    def page_has(self, path: str, text: str) -> bool:
        """Tell whether the served page contains text."""
        page = self.fetch(path)
        return page is not None and text in page


def mini_project(root: Path) -> Path:
    """Copy the project with the mini fixture's content into root."""
    copy_project(REPO, root)
    for part in ("content", "data"):
        shutil.rmtree(root / part)
        shutil.copytree(MINI / part, root / part)
    return root


@pytest.fixture
def preview(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Preview]:
    """Serve a copy of the mini project on a free loopback port (with the serve options a
    test passes as the fixture's parameter)."""
    root = mini_project(tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "guidegen",
                "--root",
                str(root),
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
                *getattr(request, "param", []),
            ],
            stdout=out,
            stderr=out,
            env=env,
            cwd=REPO,
        )
    server = Preview(root, process, f"http://127.0.0.1:{port}/", log)
    try:
        server.wait_for(lambda: server.fetch("") is not None, "the first build")
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def retitle(file: Path, title: str) -> None:
    """Replace the title line of a guide file, as an editor's save would."""
    lines = file.read_text("utf-8").splitlines(keepends=True)
    file.write_text(
        "".join(f"title: {title}\n" if line.startswith("title:") else line for line in lines),
        encoding="utf-8",
    )


def test_a_save_reaches_every_language_tree_over_http(preview: Preview) -> None:
    title = "Încredere în Iași, ediție nouă"
    retitle(preview.root / "content" / "ro" / "alpha.yaml", title)
    preview.wait_for(lambda: preview.page_has("", title), "the new title on the ro home")
    assert preview.page_has("ro-Latn/", fold(title))
    assert "livereload" in preview.fetch("")
    assert not (preview.root / "site").exists()


@pytest.mark.parametrize("preview", [["--poll", "0.2"]], indirect=True)
def test_a_save_is_seen_by_polling_where_the_system_does_not_report_saves(
    preview: Preview,
) -> None:
    retitle(preview.root / "content" / "pl" / "alpha.yaml", "Zaufanie w Łodzi, nowe wydanie")
    preview.wait_for(lambda: preview.page_has("pl/", "Zaufanie w Łodzi"), "the new pl title")
    assert preview.page_has("pl-Latn/", "Zaufanie w Lodzi")


def test_one_save_is_one_rebuild_though_every_build_reads_the_content(preview: Preview) -> None:
    """The system also reports a file being opened and read; a build reads every content file,
    so reacting to that would rebuild forever."""

    def rebuilds() -> int:
        return preview.log.read_text("utf-8").count("rebuilt in")

    preview.wait_for(lambda: rebuilds() == 1, "the first build")
    retitle(preview.root / "content" / "ro" / "alpha.yaml", "O singură reconstruire")
    preview.wait_for(lambda: preview.page_has("", "O singură reconstruire"), "the reload")
    time.sleep(3)
    assert rebuilds() == 2, preview.log.read_text("utf-8")


def test_a_save_by_rename_and_a_folder_moved_away_are_both_seen(
    preview: Preview, tmp_path: Path
) -> None:
    """Many editors save by renaming a new file over the old one; moving a folder out of the
    project (to the trash, say) is reported as the folder alone, not file by file."""
    guide = preview.root / "content" / "ro" / "alpha.yaml"
    saved = tmp_path / "alpha.yaml"
    saved.write_text(guide.read_text("utf-8").replace("title:", "title: Salvat", 1), "utf-8")
    os.replace(saved, guide)
    preview.wait_for(lambda: preview.page_has("alpha.html", "Salvat"), "the renamed save")
    os.replace(preview.root / "content" / "pl", tmp_path / "pl")
    preview.wait_for(
        lambda: preview.page_has("pl/alpha.html", "nie został jeszcze przetłumaczony"),
        "the Polish page to fall back to the Romanian text",
    )


def test_a_system_that_refuses_to_watch_is_explained_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system's limit of watched folders (inotify's max_user_watches) is reached."""

    def refuse(observer: BaseObserver) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    root = mini_project(tmp_path / "project")
    monkeypatch.setattr(BaseObserver, "start", refuse)
    with pytest.raises(GuidegenError, match=r"cannot watch .*run `guidegen serve --poll 0\.5`"):
        serve(Project(root), "127.0.0.1", free_port())
    assert not (root / ".site-preview").exists()


def test_a_broken_save_keeps_the_last_good_site_until_the_next_good_save(
    preview: Preview,
) -> None:
    file = preview.root / "content" / "ro" / "alpha.yaml"
    good = file.read_text("utf-8")
    before = preview.fetch("")
    file.write_text(good.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    preview.wait_for(lambda: "[yaml-syntax]" in preview.log.read_text("utf-8"), "the check message")
    assert "keeps the last good version" in preview.log.read_text("utf-8")
    assert preview.fetch("") == before
    retitle(file, "Recuperat după eroare")
    preview.wait_for(lambda: preview.page_has("", "Recuperat după eroare"), "the recovery")
    assert "Traceback" not in preview.log.read_text("utf-8")


def test_search_catches_up_after_the_reload(preview: Preview) -> None:
    entry = preview.root / ".site-preview" / "pagefind" / "pagefind-entry.json"
    preview.wait_for(entry.is_file, "the first search index")
    preview.wait_for(lambda: "rebuilt in" in preview.log.read_text("utf-8"), "the first build")
    before = entry.read_text("utf-8")
    retitle(preview.root / "content" / "ro" / "alpha.yaml", "Cuvântul zăpăcitor de căutat")
    preview.wait_for(lambda: preview.page_has("alpha.html", "zăpăcitor"), "the reloaded page")
    preview.wait_for(lambda: entry.read_text("utf-8") != before, "the search index to catch up")
    assert "Traceback" not in preview.log.read_text("utf-8")


def test_a_burst_of_saves_costs_two_search_refreshes_not_one_a_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each save asks for a search refresh (Pagefind, seconds on a large site); one that has
    not started yet covers the saves after it, so a burst queues one, not one a save."""
    started: list[Path] = []
    release = threading.Event()

    def refresh(project: PreviewProject, site_dir: Path) -> None:
        started.append(site_dir)
        release.wait(TIMEOUT)

    monkeypatch.setattr(search, "refresh_index", refresh)
    with ThreadPoolExecutor(max_workers=1) as searches:
        builder = Builder(PreviewProject(tmp_path), "http://127.0.0.1/", searches, Memos())
        builder.refresh_later()
        deadline = time.monotonic() + TIMEOUT
        while not started and time.monotonic() < deadline:
            time.sleep(0.01)
        for _ in range(5):
            builder.refresh_later()
        release.set()
    assert len(started) == 2
