"""Lighthouse mobile scores of guide pages, recorded in bench/RESULTS.md.

Builds the shipped site into a temporary copy (site_url = the loopback server, as production
serves it from its own origin), serves it with gzip like a static host, and runs Lighthouse
(npm `lighthouse`, pinned below) against Debian's Chromium, several times a page: the table
gives each category's median run, as Lighthouse's guide on variability advises (the
performance score of one run moves by several points with the machine's load).
Run: `python bench/lighthouse.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from guidegen.build import build  # noqa: E402
from tests.conftest import copy_project, free_port  # noqa: E402

LIGHTHOUSE = "lighthouse@13.5.0"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)
BEGIN, END = "<!-- lighthouse -->", "<!-- /lighthouse -->"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files, gzipping text the way a static host does."""

    def send_head(self):  # noqa: ANN201 - the base class returns a file object or None
        """Send headers and return the (possibly compressed) body."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet."""


class _Body:
    """A bytes body with the file interface copyfile expects."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        """Return the rest of the body once."""
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        """Nothing to close."""


def scores(url: str, out: Path) -> dict[str, int]:
    """Run Lighthouse (mobile) on a URL; return each category's score out of 100."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")}
    command = [
        "npm", "exec", "--yes", LIGHTHOUSE, "--", url, "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}",
        "--output=json", f"--output-path={out}", "--quiet",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
    report = json.loads(out.read_text("utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def median_scores(url: str, out: Path, runs: int) -> dict[str, int]:
    """Run Lighthouse runs times on a URL; return each category's median score."""
    results = [scores(url, out) for _ in range(runs)]
    return {c: round(statistics.median(r[c] for r in results)) for c in CATEGORIES}


def section(rows: list[tuple[str, dict[str, int]]], runs: int) -> str:
    """Return the RESULTS.md section of the scores."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        BEGIN,
        "## Lighthouse (mobile)",
        "",
        f"{LIGHTHOUSE}, default mobile emulation (simulated slow 4G, 4× CPU slowdown), Debian "
        f"Chromium, site served on loopback with gzip; {now}; command: "
        f"`python bench/lighthouse.py --runs {runs}`; each score is the median of {runs} runs. "
        "Goals: performance ≥ 95, the others 100.",
        "",
        "| page | " + " | ".join(CATEGORIES) + " |",
        "|---|" + "---:|" * len(CATEGORIES),
    ]
    lines += [f"| {page} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |" for page, s in rows]
    return "\n".join([*lines, END, ""])


def record(results: Path, text: str) -> None:
    """Replace (or append) the Lighthouse section of RESULTS.md."""
    old = results.read_text("utf-8") if results.is_file() else ""
    if BEGIN in old:
        old = old[: old.index(BEGIN)] + old[old.index(END) + len(END) :].lstrip("\n")
    results.write_text(old.rstrip("\n") + "\n\n" + text, "utf-8")


def main() -> int:
    """Build, serve, score the Romanian and Polish guide pages, record the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", nargs="+", default=["omnichannel-journey.html", "pl/omnichannel-journey.html"]
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per page (median reported)")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        project = copy_project(REPO, Path(folder) / "project")
        build(project, site_url=base)
        handler = functools.partial(GzipHandler, directory=str(project.site_dir))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            rows = [
                (page, median_scores(base + page, Path(folder) / "report.json", args.runs))
                for page in args.pages
            ]
        finally:
            server.shutdown()
    text = section(rows, args.runs)
    record(args.output, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
