"""Real headless Chromium (Debian's) driven by Playwright, and loopback servers for built sites."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from guidegen.build import build
from tests.conftest import REPO, copy_project, free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
"""Debian's Chromium; CI runners without it point CHROMIUM_PATH at their Chrome."""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    not_found: Path | None = None
    """The page served, with status 404, for a missing file (as GitHub Pages serves 404.html)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output clean."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing file with the not-found page, if there is one."""
        if code != 404 or self.not_found is None:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path, not_found: Path | None = None) -> Iterator[str]:
    """Serve a folder on a free loopback port, not_found for missing files; yield its base URL."""
    port = free_port()
    handler_class = type("Handler", (_QuietHandler,), {"not_found": not_found})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch Debian's Chromium headless once for the session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page reported while a test used it: errors and failed own requests."""

    base: str
    errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        """Keep console errors about the site itself (not third-party hosts)."""
        location = message.location.get("url", "") if message.location else ""
        if message.type == "error" and (not location or location.startswith(self.base)):
            self.errors.append(message.text)

    def failed(self, request: Request) -> None:
        """Keep failed requests to the site under test.

        Not those the browser dropped itself (net::ERR_ABORTED): the favicon, which Chromium
        asks for after the load event, when the test has moved on to the next page.
        """
        if request.url.startswith(self.base) and request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed request {request.url}: {request.failure}")


@contextmanager
def open_page(browser: Browser, base: str, width: int = 1280) -> Iterator[tuple[Page, PageLog]]:
    """Open a fresh page whose errors and failed own requests are logged."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log = PageLog(base)
    page.on("console", log.console)
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("requestfailed", log.failed)
    try:
        yield page, log
    finally:
        context.close()


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the mini fixture project (Łódź, Źródło, a fallback page) and serve it."""
    root = tmp_path_factory.mktemp("mini-search")
    project = copy_project(REPO, root)
    for part in ("content", "data"):
        shutil.rmtree(root / part)
        shutil.copytree(FIXTURES / "mini" / part, root / part)
    with serve(project.site_dir) as base:
        build(project, site_url=base)
        yield base
