"""Shared fixtures: the shipped project and a large one, each built once, served on loopback."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.run import make_project
from guidegen.build import build
from guidegen.project import Project

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "data", "templates", "mkdocs.yml")
LARGE_GUIDES = 200
LARGE_TOPIC = 16
"""The large site: the shipped guides plus clones in topics of 16, so that both its topics and
the guides of a topic are more than the navigation shows at once (15)."""


def copy_project(source: Path, target: Path) -> Project:
    """Copy a project's sources (not its build output) into target."""
    for part in PROJECT_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        elif (source / part).is_file():
            shutil.copy2(source / part, target / part)
    return Project(target)


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output clean."""


@contextmanager
def built_and_served(project: Project) -> Iterator[str]:
    """Build a project for a free loopback port, serve its site/ there; yield the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    build(project, site_url=base)
    handler = functools.partial(_QuietHandler, directory=str(project.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    """Build the shipped project once and serve its site/ on a loopback port."""
    project = copy_project(REPO, tmp_path_factory.mktemp("shipped"))
    with built_and_served(project) as base:
        yield project, base


@pytest.fixture(scope="session")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    """Build a site of LARGE_GUIDES guides (the benchmark's clones) once and serve it."""
    project = make_project(REPO, tmp_path_factory.mktemp("large"), LARGE_GUIDES, LARGE_TOPIC)
    with built_and_served(project) as base:
        yield project, base


@pytest.fixture(scope="session")
def shipped_site(served_site: tuple[Project, str]) -> Path:
    """The built site/ folder of the shipped content."""
    return served_site[0].site_dir
