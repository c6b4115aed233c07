"""No live markup after the theme's scripts ran: canaries in every text field, read in Chromium.

Hypothesis chooses which canaries go into which text field of the content model and of
data/site.yaml, data/glossary.yaml and data/kpi_tables.yaml; one fixture site is built with all
of them, every page (originals and variants) is opened in headless Chromium, every tooltip
target hovered and every <details> opened, and then no element, attribute or link that a
canary carries may exist in the DOM, and no canary may have run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from guidegen.loader import Loc, texts
from tests.browser.conftest import open_page, serve
from tests.builds import FIXTURE, mini_project, run_guidegen

CANARIES = (
    "<img cnry src=x onerror=__canary(N)>",
    "<svg cnry onload=__canary(N)></svg>",
    "<script cnry>__canary(N)</script>",
    "<iframe cnry srcdoc='<script>parent.__canary(N)</script>'></iframe>",
    "<details cnry open ontoggle=__canary(N)>",
    "<a cnry href='javascript:__canary(N)'>x</a>",
    "[link](javascript:__canary(N))",
    "[link]( JaVaScRiPt:__canary(N))",
    "[link](<javascript:__canary(N)>)",
    "![img](x.png){{: cnry onerror=__canary(N) }}",
    "[ref][r]\n\n[r]: javascript:__canary(N)",
    'x" cnry onmouseover="__canary(N)" y="',
    "x' cnry onmouseover='__canary(N)' y='",
    "text {{: cnry onclick=__canary(N) }}",
    "`code {{: cnry onclick=__canary(N) }}`",
    "&lt;img cnry src=x onerror=__canary(N)&gt;",
    "&#60;img cnry src=x onerror=__canary(N)&#62;",
    "&amp;lt;img cnry src=x onerror=__canary(N)&amp;gt;",
    "`<img cnry src=x onerror=__canary(N)>`",
    "\\<img cnry src=x onerror=__canary(N)>",
    "<<img cnry src=x onerror=__canary(N)>>",
    "<img/cnry/src/onerror=__canary(N)>",
    "*[ABBR]: <img cnry src=x onerror=__canary(N)>",
    "<math><mtext><table><mglyph><style><img cnry src=x onerror=__canary(N)>",
    '!!! note "<img cnry src=x onerror=__canary(N)>"',
    '\n\n!!! note "[x](javascript:__canary(N))"\n    body',
    '\n\n??? note "<img cnry src=x onerror=__canary(N)>"\n    body',
    "\n\n<div cnry onmouseover=__canary(N)>block</div>\n",
    '[x](https://example.org/" cnry onmouseover="__canary(N))',
    '[x](#a" cnry onmouseover="__canary(N))',
)
"""Markup, event handlers and script links an editor (or an attacker) could type; N is
replaced by a number that tells which field the canary went into. `{{` is a literal brace."""

NOT_TEXT = {"id", "guides", "kpi_tables", "kind", "unit", "currency", "translated_from", "formula"}
NOT_TEXT |= {"term", "aliases", "avoid", "redirects"}
"""Keys whose values are identifiers (glossary terms: no brackets, markup or line breaks, checked
by the schema and kept so that the terms' tooltips appear), not free text."""
SHORT = {"description": 200}
"""Fields with a length limit: the canary replaces the value instead of extending it."""


def text_fields() -> list[tuple[str, Loc]]:
    """List every text field of the mini fixture: (file, data path)."""
    found = []
    for file in sorted((FIXTURE).rglob("*.yaml")):
        rel = file.relative_to(FIXTURE).as_posix()
        if rel == "data/calculations.yaml":
            continue
        data = yaml.safe_load(file.read_text("utf-8"))
        found += [
            (rel, loc)
            for loc, _ in texts(data)
            if not NOT_TEXT & {k for k in loc if isinstance(k, str)}
        ]
    return found


FIELDS = text_fields()


def assignments() -> st.SearchStrategy[dict[int, str]]:
    """Choose one or two canaries for every text field, by the field's index in FIELDS."""
    return st.fixed_dictionaries(
        {
            index: st.lists(
                st.sampled_from(CANARIES),
                min_size=1,
                max_size=2,
                unique=True,
            ).map(" ".join)
            for index in range(len(FIELDS))
        }
    )


def rotation() -> dict[int, str]:
    """Give field i the canaries i and i+1 (mod the list): every canary lands somewhere."""
    chosen = {}
    for index in range(len(FIELDS)):
        chosen[index] = f"{CANARIES[index % len(CANARIES)]} {CANARIES[(index + 1) % len(CANARIES)]}"
    return chosen


def set_at(data: Any, loc: Loc, value: str) -> None:
    """Replace the value at a data path."""
    for key in loc[:-1]:
        data = data[key]
    data[loc[-1]] = value


def plant(root: Path, chosen: dict[int, str]) -> None:
    """Write the chosen canaries into the fixture's files, numbered by field."""
    files: dict[str, Any] = {}
    for index, (rel, loc) in enumerate(FIELDS):
        data = files.setdefault(rel, yaml.safe_load((root / rel).read_text("utf-8")))
        original = data
        for key in loc:
            original = original[key]
        canary = chosen[index].replace("N", str(index))
        limited = next((n for k, n in SHORT.items() if k in loc), None)
        if limited and len(original) + len(canary) >= limited:
            value = canary[:limited]
        else:
            value = f"{original} {canary}"
        set_at(data, loc, value)
    for rel, data in files.items():
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        (root / rel).write_text(dumped, "utf-8")


HOVER_AND_OPEN = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const targets = Array.from(document.querySelectorAll('[title], abbr'));
  targets.forEach((el, i) => el.setAttribute('data-hover', i));
  return targets.length;
}"""

LIVE = r"""() => {
  const found = [];
  const scheme = /^(javascript|data|vbscript):/;
  for (const el of document.querySelectorAll('*')) {
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\s\x00-\x1f]/g, '').toLowerCase();
      if (name === 'cnry') found.push(`element <${el.tagName.toLowerCase()} cnry>`);
      else if (name.startsWith('on') && value.includes('__canary'))
        found.push(`handler ${name}=${a.value} on <${el.tagName.toLowerCase()}>`);
      else if (['href', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href'].includes(name)
               && (scheme.test(value) || value.includes('__canary')))
        found.push(`link ${name}=${a.value} on <${el.tagName.toLowerCase()}>`);
    }
  }
  return found.concat((window.__hits || []).map(n => `ran canary ${n}`));
}"""


def tooltip_targets(page: Page) -> int:
    """Hover every element with a title and every abbreviation, after opening every details."""
    count = page.evaluate(HOVER_AND_OPEN)
    for index in range(count):
        target = page.locator(f'[data-hover="{index}"]')
        if target.is_visible():
            target.hover(timeout=2000, force=True)
        else:
            target.dispatch_event("mouseenter")
    page.wait_for_timeout(300)
    return count


def live_canaries(page: Page, url: str) -> tuple[list[str], int]:
    """Open a page, hover and open everything; list the canaries that became live."""
    page.goto(url)
    hovered = tooltip_targets(page)
    return page.evaluate(LIVE), hovered


def built_site(tmp: Path, chosen: dict[int, str]) -> Path:
    """Build the mini fixture with the canaries planted; check and build must both accept it."""
    if tmp.exists():
        shutil.rmtree(tmp)
    project = mini_project(tmp)
    plant(project.root, chosen)
    checked = run_guidegen(project.root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_guidegen(project.root, "build")
    assert built.returncode == 0, built.stderr
    return project.site_dir


def html_pages(site: Path) -> list[str]:
    """Return every page of a built site, below its root."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(("assets", "pagefind"))
    )


@settings(
    max_examples=1,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(chosen=rotation())
@given(chosen=assignments())
def test_no_canary_is_live_after_hovering_and_opening_everything(
    browser: Browser, tmp_path: Path, chosen: dict[int, str]
) -> None:
    site = built_site(tmp_path / "site", chosen)
    found, hovered = [], 0
    with serve(site) as base, open_page(browser, base) as (page, _log):
        page.add_init_script("window.__canary = n => (window.__hits ||= []).push(n);")
        for path in html_pages(site):
            live, count = live_canaries(page, base + path)
            found += [f"{path}: {item}" for item in live]
            hovered += count
    assert hovered > 0
    assert found == [], "\n".join(sorted(set(found))[:30])
