"""Save-to-reload time of `guidegen serve`, seen from a real browser.

Starts `guidegen serve` on a temporary copy of the project, opens a guide in headless
Chromium, then saves the guide several times, alternately with a changed sentence (a text
edit: only that page changes) and with a changed title (which the navigation of other pages
shows), and measures from each save until the reloaded page shows the change. Run:
`python bench/serve_reload.py [--saves N] [--guides N]` (--guides: the bench's synthetic
content of that many guides instead of the shipped site).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import make_project  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.conftest import copy_project, free_port  # noqa: E402

GUIDE = Path("content") / "ro" / "program-launch.yaml"
EDITS = {"text": ("    body: |\n      ", ".gg-guide"), "title": ("title: ", "h1")}
"""Each kind of edit: where in the guide a marker goes, and where the reloaded page shows it.
The other kind's marker stays, so that a text edit changes no title and the reverse."""


def wait_for(url: str, seconds: float = 900) -> None:
    """Wait until the server answers (its first build of 1000 guides takes minutes)."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def main() -> int:
    """Measure and print each save-to-reload time and their median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument(
        "--guides", type=int, help="clone the guides up to this many (bench/run.py's content)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = (
            make_project(REPO, Path(folder), args.guides)
            if args.guides
            else copy_project(REPO, Path(folder))
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "guidegen", "--root", folder, "serve",
             "--dev-addr", f"127.0.0.1:{port}"],
            stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/program-launch.html"
            wait_for(url)
            times: dict[str, list[float]] = {kind: [] for kind in EDITS}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(url)
                file = project.root / GUIDE
                original = file.read_text("utf-8")
                markers = dict.fromkeys(EDITS, "")
                for number in range(args.saves):
                    for kind in EDITS:
                        markers[kind] = marker = f"Reîncărcare {kind} {number} "
                        text = original
                        for other, (where, _) in EDITS.items():
                            text = text.replace(where, where + markers[other], 1)
                        start = time.perf_counter()
                        file.write_text(text, "utf-8")
                        page.wait_for_function(
                            f"document.querySelector({EDITS[kind][1]!r})"
                            f"?.textContent.includes({marker!r})",
                            timeout=60_000,
                        )
                        times[kind].append(time.perf_counter() - start)
                        time.sleep(1)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for kind, seconds in times.items():
        runs = " ".join(f"{t:.2f}" for t in seconds)
        print(f"{kind} edit: {runs}, median {statistics.median(seconds):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
