"""The bench's baselines, built from the Markdown guidegen generated for the same guides.

- Plain Material + mkdocs-static-i18n: the two languages (ro at /, pl at /pl/) with Material's
  own templates, guidegen's navigation and Markdown extensions, no variants and no search.
- Hugo (the `hugo` package): a minimal site in four languages (ro, ro-latn, pl, pl-latn) of the
  same pages, one small template, its own Markdown renderer.
Each is run as a command in its own process and timed from nothing (its output removed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from guidegen.fold import fold
from guidegen.project import Project

_FRONT = re.compile(r"\A---\n(?P<front>.*?)\n---\n", re.S)
HUGO_LAYOUT = """<!doctype html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav><a href="{{ .Site.Home.RelPermalink }}">
{{ .Site.Title }}</a></nav><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
"""Hugo's one template: title, a link home, the page's content."""


def _markdown_pages(project: Project, locale: str) -> dict[str, str]:
    """Return guidegen's generated Markdown of one language: path -> text, own front matter only."""
    folder = project.build_dir / "docs" / locale
    pages = {}
    for file in sorted(folder.rglob("*.md")):
        text = file.read_text("utf-8")
        match = _FRONT.match(text)
        meta = yaml.safe_load(match["front"]) if match else {}
        body = text[match.end() :] if match else text
        front = yaml.safe_dump({"title": str(meta.get("title", file.stem))}, allow_unicode=True)
        pages[file.relative_to(folder).as_posix()] = f"---\n{front}---\n{body}"
    return pages


PEAK_OF_CHILD = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(usage.ru_maxrss)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)
"""Run a command and print its peak memory (kB). Linux keeps a process's peak across fork and
exec, so a command started straight from the bench's process, grown by guidegen's build,
would report that process's peak as its own; started from this small one, it reports its own."""


def run_timed(command: list[str], cwd: Path) -> dict[str, float]:
    """Run a command; return its wall seconds and peak memory (MB), failing loudly."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return {"total": seconds, "peak_mb": int(result.stdout.split()[-1]) / 1024}


def material(project: Project, navigation: dict[str, list[Any]], folder: Path) -> dict[str, Any]:
    """Build the same Markdown with plain Material + static-i18n (ro, pl); return the figures."""
    shutil.rmtree(folder, ignore_errors=True)
    for locale in ("ro", "pl"):
        for path, text in _markdown_pages(project, locale).items():
            target = folder / "docs" / locale / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    raw = yaml.safe_load(
        re.sub(r"!!python/name:[\w.]+", "PLACEHOLDER", project.config_file.read_text("utf-8"))
    )
    config = {
        "site_name": "Baseline",
        "use_directory_urls": False,
        "theme": {"name": "material", "features": raw["theme"].get("features", [])},
        "markdown_extensions": [
            e for e in raw["markdown_extensions"] if not (isinstance(e, dict) and "toc" in e)
        ] + [{"toc": {"permalink": True}}],
        "plugins": [
            {
                "i18n": {
                    "docs_structure": "folder",
                    "reconfigure_search": False,
                    "languages": [
                        {"locale": "ro", "default": True, "name": "Română", "build": True,
                         "nav": navigation["ro"]},
                        {"locale": "pl", "name": "Polski", "build": True, "nav": navigation["pl"]},
                    ],
                }
            }
        ],
    }  # fmt: skip
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    figures = run_timed([sys.executable, "-m", "mkdocs", "build", "-q"], folder)
    return {**figures, "pages": sum(1 for _ in (folder / "site").rglob("*.html"))}


def hugo(project: Project, folder: Path) -> dict[str, Any]:
    """Build the same pages as a minimal four-language Hugo site; return the figures."""
    shutil.rmtree(folder, ignore_errors=True)
    languages = {}
    for weight, (lang, variant) in enumerate(
        [("ro", False), ("ro", True), ("pl", False), ("pl", True)], start=1
    ):
        key = f"{lang}-latn" if variant else lang
        languages[key] = {"weight": weight, "contentDir": f"content/{key}", "title": key}
        for path, text in _markdown_pages(project, lang).items():
            target = folder / "content" / key / ("_index.md" if path == "index.md" else path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fold(text) if variant else text, "utf-8")
    config = {
        "baseURL": "https://example.org/",
        "defaultContentLanguage": "ro",
        "defaultContentLanguageInSubdir": False,
        "disableKinds": ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"],
        "uglyURLs": True,
        "languages": languages,
    }
    (folder / "hugo.yaml").write_text(yaml.safe_dump(config), "utf-8")
    for name in ("single.html", "list.html"):
        layout = folder / "layouts" / "_default" / name
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(HUGO_LAYOUT, "utf-8")
    executable = shutil.which("hugo", path=str(Path(sys.executable).parent)) or "hugo"
    figures = run_timed([executable, "--quiet", "--destination", "public"], folder)
    return {**figures, "pages": sum(1 for _ in (folder / "public").rglob("*.html"))}
