"""Benchmark guidegen: synthetic sites of N guides per language, built the way users build.

`make bench BENCH_ARGS='--guides 12 100'` (default: 12 100 1000; the shipped site has 12
guides). Each size runs in its own process so that peak memory is that size's own. The
synthetic content clones the shipped guides (both languages, real templates and data) under
new slugs. Writes bench/RESULTS.md.
Everything is reported as measured and as ratios within this run; nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import baselines  # noqa: E402
from guidegen import site  # noqa: E402
from guidegen.build import Timings, build, check  # noqa: E402
from guidegen.model import LANGS  # noqa: E402
from guidegen.project import Project  # noqa: E402

EXTERNAL_STAGES = ("mkdocs", "search")
"""Stages that are other tools' work (MkDocs, Pagefind); every other one is guidegen's own."""
RESULTS_SHOWN = 4
"""Search results whose fragments the search dialog loads for one query (search.js PAGE_SIZE)."""
TOPIC_SIZE = 25
"""Guides per topic of the cloned guides: the navigation shows one topic's guides at a time."""


def source_slugs(source: Path) -> list[str]:
    """Return the slugs the source has in every language, sorted."""
    per_lang = [{f.stem for f in (source / "content" / lang).glob("*.yaml")} for lang in LANGS]
    return sorted(set.intersection(*per_lang))


def guide_count(source: Path) -> int:
    """Return how many guides the source has (in any language): the smallest size to run."""
    return len({f.stem for f in (source / "content").glob("*/*.yaml")})


def make_project(source: Path, target: Path, guides: int, topic_size: int = TOPIC_SIZE) -> Project:
    """Create a project of `guides` guides: the source's own plus clones of its bilingual ones.

    The clones go into topics of topic_size guides.
    """
    slugs = source_slugs(source)
    shutil.copytree(source / "content", target / "content")
    shutil.copytree(source / "data", target / "data")
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    existing = guide_count(source)
    if guides < existing or not slugs:
        raise SystemExit(
            f"--guides {guides}: the source has {existing} guides "
            f"({len(slugs)} in every language); ask for at least that many"
        )
    clones = []
    for index in range(guides - existing):
        original = slugs[index % len(slugs)]
        slug = f"{original}-{index // len(slugs) + 1}"
        clones.append(slug)
        for lang in LANGS:
            shutil.copy2(
                source / "content" / lang / f"{original}.yaml",
                target / "content" / lang / f"{slug}.yaml",
            )
    add_topics(target / "data" / "site.yaml", clones, topic_size)
    return Project(target)


def add_topics(site_file: Path, slugs: list[str], size: int) -> None:
    """Put the cloned guides into topics of size guides, as a large real site would."""
    site = yaml.safe_load(site_file.read_text("utf-8"))
    for start in range(0, len(slugs), size):
        number = start // size + 1
        site["topics"].append(
            {
                "id": f"bench-topic-{number}",
                "ro": {"title": f"Tema {number}", "description": f"Ghidurile temei {number}."},
                "pl": {"title": f"Temat {number}", "description": f"Przewodniki tematu {number}."},
                "guides": slugs[start : start + size],
            }
        )
    site_file.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), "utf-8")


def timed_build(project: Project, *, clean: bool, with_variants: bool = True) -> dict[str, Any]:
    """Build once (from nothing when clean); return total seconds and seconds per stage."""
    if clean:
        for folder in (project.build_dir, project.site_dir):
            shutil.rmtree(folder, ignore_errors=True)
    timings = Timings()
    start = time.perf_counter()
    build(project, with_variants=with_variants, timings=timings)
    total = time.perf_counter() - start
    stages = dict(timings.stages)
    return {"total": total, "stages": stages}


def _descendants(pid: int) -> list[int]:
    """Return a process and all its descendants (children of any of its threads)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the thread or process ended meanwhile
                todo += [int(child) for child in task.read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    """Return a process's proportional set size in kB (0 once it has ended)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("Pss:")), 0)


def tree_peak(project: Project) -> float:
    """Build from nothing with `guidegen build` in a child process; return the peak, in MB,
    of its whole process tree (its workers and Pagefind included), sampled every 0.1 s.

    Each process counts by its proportional set size: a page that forked workers share with
    their parent counts once, not once a process as in their resident sizes.
    """
    for folder in (project.build_dir, project.site_dir):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "guidegen", "--root", str(project.root), "build"]
    with tempfile.TemporaryFile() as messages:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=messages)
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_pss_kb(pid) for pid in _descendants(process.pid)))
            time.sleep(0.1)
        if process.returncode:
            messages.seek(0)
            raise RuntimeError(f"guidegen build failed: {messages.read().decode()}")
    return peak / 1024


def touch_one_guide(project: Project) -> None:
    """Change one sentence of one guide, as an editor would."""
    file = sorted((project.content_dir / LANGS[0]).glob("*.yaml"))[0]
    data = yaml.safe_load(file.read_text("utf-8"))
    data["promise"] = f"{data['promise']} Încă o propoziție."
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


class _Assets(HTMLParser):
    """Collect the local stylesheets, scripts and images a page loads."""

    def __init__(self) -> None:
        """Start with no assets."""
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record src of scripts and images and href of stylesheets."""
        found = dict(attrs)
        url = found.get("src") if tag in ("script", "img") else None
        if tag == "link" and found.get("rel") == "stylesheet":
            url = found.get("href")
        if url and "://" not in url and not url.startswith("data:"):
            self.urls.append(url.split("#")[0].split("?")[0])


def page_weight(site: Path) -> dict[str, int]:
    """Return bytes (raw and gzip) of the median guide page with the assets it loads."""
    pages = sorted(
        (p for p in site.glob("*.html") if p.stem not in ("index", "404", "glossary")),
        key=lambda p: p.stat().st_size,
    )
    page = pages[len(pages) // 2]
    parser = _Assets()
    parser.feed(page.read_text("utf-8"))
    files = [page, *(page.parent / url for url in dict.fromkeys(parser.urls))]
    data = [f.read_bytes() for f in files if f.is_file()]
    return {
        "html": len(data[0]),
        "total": sum(map(len, data)),
        "total_gzip": sum(len(gzip.compress(d, mtime=0)) for d in data),
        "files": len(data),
    }


def search_download(site: Path, lang: str = LANGS[0]) -> dict[str, int]:
    """Return an upper bound of the bytes the search dialog fetches for one query in lang.

    Our UI texts, the entry file, the engine and its WebAssembly, the language's metadata,
    the largest index chunk (one query word hits one chunk) and the largest RESULTS_SHOWN
    fragments. Pagefind's own files are already compressed; the dialog's own script and
    styles load with every page and are counted in the page weight.
    """
    bundle = site / "pagefind"
    if not bundle.is_dir():
        return {}
    fixed = [
        bundle / name
        for name in (
            "pagefind-entry.json",
            "pagefind.js",
            "guidegen-ui.json",
            f"wasm.{lang}.pagefind",
        )
    ]
    fixed += sorted(bundle.glob(f"pagefind.{lang}_*.pf_meta"))
    chunks = sorted(
        (f.stat().st_size for f in bundle.glob(f"index/{lang}_*.pf_index")), reverse=True
    )
    fragments = sorted(
        (f.stat().st_size for f in bundle.glob(f"fragment/{lang}_*.pf_fragment")), reverse=True
    )
    fixed_bytes = sum(f.stat().st_size for f in fixed if f.is_file())
    query = chunks[:1] + fragments[:RESULTS_SHOWN]
    return {
        "fixed": fixed_bytes,
        "query": sum(query),
        "total": fixed_bytes + sum(query),
        "index_bytes": sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()),
    }


def navigation(project: Project) -> dict[str, list[Any]]:
    """Return guidegen's navigation of each language, for the Material baseline."""
    content, _ = check(project)
    assert content is not None
    return {lang: site.navigation(content, lang) for lang in LANGS}


def site_bytes(folder: Path) -> int:
    """Return the bytes of every file below folder."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def spread(runs: list[dict[str, Any]]) -> str:
    """Write the fastest and slowest of a measurement's runs."""
    totals = [run["total"] for run in runs]
    return f"{min(totals):.2f}–{max(totals):.2f} s"


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run of median total time (its stages are one real run's, not mixed)."""
    return sorted(runs, key=lambda run: run["total"])[len(runs) // 2]


def measure(source: Path, guides: int, keep: Path | None, runs: int) -> dict[str, Any]:
    """Run every measurement of one size `runs` times; return the median figures.

    Each round builds from nothing with guidegen, then the baselines on the Markdown guidegen
    generated (the round's load is shared alike). Then, on the last full build's build/ and
    site/, `runs` rebuilds with nothing changed and `runs` rebuilds after one guide changed.
    """
    root = Path(tempfile.mkdtemp(prefix=f"guidegen-bench-{guides}-", dir=keep))
    project = make_project(source, root, guides)
    load = os.getloadavg()[0]
    full, material, hugo = [], [], []
    for _ in range(runs):
        full.append(timed_build(project, clean=True))
        material.append(baselines.material(project, navigation(project), root / "material"))
        hugo.append(baselines.hugo(project, root / "hugo"))
    unchanged = [timed_build(project, clean=False) for _ in range(runs)]
    one_file = []
    for _ in range(runs):
        touch_one_guide(project)
        one_file.append(timed_build(project, clean=False))
    result = {
        "guides": guides,
        "runs": runs,
        "pages": sum(1 for _ in project.site_dir.rglob("*.html")),
        "full": median_run(full),
        "full_range": spread(full),
        "no_change": median_run(unchanged),
        "one_file": median_run(one_file),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "site_bytes": site_bytes(project.site_dir),
        "page": page_weight(project.site_dir),
        "search": search_download(project.site_dir),
        "material": median_run(material),
        "material_range": spread(material),
        "hugo": median_run(hugo),
    }
    result["tree_peak_mb"] = tree_peak(project)  # last: it builds anew from nothing
    result["load"] = (load, os.getloadavg()[0])
    if keep is None:
        shutil.rmtree(root)
    return result


def run_size(source: Path, guides: int, keep: Path | None, runs: int) -> dict[str, Any]:
    """Measure one size in a fresh interpreter, so that its peak memory is its own."""
    command = [sys.executable, __file__, "--one", str(guides), "--source", str(source)]
    command += ["--runs", str(runs)]
    if keep:
        command += ["--keep", str(keep)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.splitlines()[-1])


def machine() -> str:
    """Describe the machine: CPU model and count, memory, OS and Python."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {mem_kb / 1024 / 1024:.1f} GiB RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}, "
        f"Pagefind {version('pagefind')}"
    )


def own_share(run: dict[str, Any]) -> float:
    """Return the share of guidegen's own stages in a build's total time."""
    own = sum(t for name, t in run["stages"].items() if name not in EXTERNAL_STAGES)
    return own / run["total"]


def kb(size: int) -> str:
    """Format bytes as kB."""
    return f"{size / 1000:,.0f} kB"


def table(results: list[dict[str, Any]]) -> list[str]:
    """Return the Markdown tables of the results, ratios against the same run's figures."""
    base = results[0]["full"]["total"]
    stages = list(dict.fromkeys(s for r in results for s in r["full"]["stages"]))
    lines = [
        "| guides per language | pages | full build | × smallest | "
        + " | ".join(stages)
        + " | guidegen's own share |",
        "|---:|---:|---:|---:|" + "---:|" * len(stages) + "---:|",
    ]
    for r in results:
        full = r["full"]
        cells = [
            f"{full['stages'].get(s, 0):.2f} s ({full['stages'].get(s, 0) / full['total']:.0%})"
            for s in stages
        ]
        lines.append(
            f"| {r['guides']} | {r['pages']} | {full['total']:.2f} s | "
            f"{full['total'] / base:.1f} | " + " | ".join(cells) + f" | {own_share(full):.1%} |"
        )
    lines += [
        "",
        "| guides | guidegen full build (4 versions + search) | plain Material + static-i18n "
        "(ro, pl) | guidegen ÷ Material | Hugo (4 languages) | guidegen ÷ Hugo "
        "| no-change rebuild | one-guide-changed rebuild | peak memory: guidegen's process "
        "tree / its build process / Material / Hugo | site size |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        full, mat, hugo = r["full"]["total"], r["material"], r["hugo"]
        lines.append(
            f"| {r['guides']} | {full:.2f} s ({r['pages']} pages; {r['full_range']}) | "
            f"{mat['total']:.2f} s ({mat['pages']} pages; {r['material_range']}) | "
            f"{full / mat['total']:.2f} | {hugo['total']:.2f} s "
            f"({hugo['pages']} pages) | {full / hugo['total']:.1f} | "
            f"{r['no_change']['total']:.2f} s ({r['no_change']['total'] / full:.0%}) | "
            f"{r['one_file']['total']:.2f} s ({r['one_file']['total'] / full:.0%}) | "
            f"{r['tree_peak_mb']:,.0f} / {r['peak_rss_mb']:,.0f} / {mat['peak_mb']:,.0f} / "
            f"{hugo['peak_mb']:,.0f} MB | {r['site_bytes'] / 1e6:,.0f} MB |"
        )
    lines += [
        "",
        "| guides | search download, one query (fixed + query) | whole search index "
        "| median guide page | with its assets (raw / gzip) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s, p = r["search"], r["page"]
        search = f"{kb(s['total'])} ({kb(s['fixed'])} + {kb(s['query'])})" if s else "no index"
        index = kb(s["index_bytes"]) if s else "–"
        lines.append(
            f"| {r['guides']} | {search} | {index} | {kb(p['html'])} | "
            f"{kb(p['total'])} / {kb(p['total_gzip'])} ({p['files']} files) |"
        )
    return lines


def report(results: list[dict[str, Any]], command: str) -> str:
    """Return RESULTS.md: machine, date, command, tables and how to read them."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- Date: {now}",
            f"- Machine: {machine()}",
            f"- Command: `{command}` (`make bench` runs it with the default sizes; "
            "`python bench/serve_reload.py --guides N` measures save-to-reload in "
            "`guidegen serve`)",
            "- Load average (1 min) at the start and end of each size: "
            + ", ".join(f"{r['guides']}: {r['load'][0]:.1f} → {r['load'][1]:.1f}" for r in results)
            + " (the machine is shared: figures within one run compare, across runs less so)",
            f"- Sizes run: {', '.join(str(r['guides']) for r in results)} guides per language "
            "(each guide in ro and pl; 4 versions of every page with the variants)",
            "",
            *table(results),
            "",
            "How to read it: times are wall-clock seconds of `guidegen.build.build` in one process "
            f"per size, each the median of {results[0]['runs']} runs (the fastest and slowest "
            "full builds in brackets); a round of a full guidegen build and the two baselines runs "
            "before the next, so that a change of the machine's load meets all three alike. The "
            "baselines start a process each time; guidegen's rounds share one, so that after the "
            "first its modules are loaded and its code digest taken. A "
            "full build starts without build/ and site/. Stage shares are of the full "
            "build; guidegen's own share counts every stage except "
            f"{' and '.join(EXTERNAL_STAGES)} (guidegen's search documents, then the wait for "
            "Pagefind, which indexes while the variants, cards and sitemaps are written). "
            "Rebuilds run on the full build's build/ (its cache) and site/, and are given as "
            "shares of the full build. The baselines are built from nothing, each in its own "
            "process, on the Markdown guidegen generated for the same guides "
            "(bench/baselines.py): plain Material + mkdocs-static-i18n for ro and pl with "
            "guidegen's navigation (no variants, no search), and Hugo with one minimal template "
            "in four languages. Peak memory: of guidegen's whole process tree (workers and "
            "Pagefind included) in one more build from nothing with `guidegen build`, sampled "
            "every 0.1 s, each process by its proportional set size (memory that forked workers "
            "share with their parent counts once); of guidegen's build process alone, its "
            "resident size; of each baseline's process, its resident size. The search download "
            "is an upper bound for one "
            f"Romanian query: UI texts, engine, WebAssembly, metadata, the largest index chunk and "
            f"the "
            f"{RESULTS_SHOWN} largest fragments. The page weight is the median Romanian guide page "
            "with the stylesheets, scripts and images it loads (fonts are not loaded: `font: "
            "false`).",
            "",
        ]
    )


LIGHTHOUSE_MARK = "<!-- lighthouse -->"
"""Start of the section bench/lighthouse.py keeps in RESULTS.md; rewriting keeps it."""


def rounds(value: str) -> int:
    """Accept a number of rounds: a whole number, at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of rounds, e.g. 3")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark sizes; rewrite RESULTS.md after each size, then print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--guides",
        type=int,
        nargs="+",
        default=[12, 100, 1000],
        help="sizes to run, in guides per language (default: 12 100 1000)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=REPO,
        help="project whose guides are cloned (default: this repository)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument(
        "--runs",
        type=rounds,
        default=3,
        help="rounds of each measurement, of which the median is reported (default: 3)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.one:
        print(json.dumps(measure(args.source.resolve(), args.one, args.keep, args.runs)))
        return 0
    command = "python bench/run.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    old = args.output.read_text("utf-8") if args.output.is_file() else ""
    lighthouse = old[old.index(LIGHTHOUSE_MARK) :] if LIGHTHOUSE_MARK in old else ""
    smallest = guide_count(args.source)
    if min(args.guides) < smallest:
        parser.error(
            f"--guides {min(args.guides)}: the source has {smallest} guides; "
            "ask for at least that many"
        )
    results = []
    for guides in sorted(args.guides):
        print(f"building {guides} guides per language ...", file=sys.stderr, flush=True)
        results.append(run_size(args.source.resolve(), guides, args.keep, args.runs))
        text = report(results, command.strip())
        args.output.write_text(text + ("\n" + lighthouse if lighthouse else ""), "utf-8")
    print(args.output.read_text("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
