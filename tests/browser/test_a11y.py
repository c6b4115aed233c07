"""Accessibility: axe-core, run inside headless Chromium, on the home pages and a guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from guidegen.project import Project
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def guide_with_most_features(site: Path) -> str:
    """Return the Romanian guide that uses the most page features (table, chart, myths, FAQ)."""
    features = ("gg-kpi", "gg-chart", "gg-myth-pair", "gg-faq", "gg-steps")
    guides = sorted(p for p in site.glob("*.html") if p.stem not in ("index", "404", "glossary"))
    assert guides, "the shipped site has no guide"
    best = max(guides, key=lambda p: sum(f in p.read_text("utf-8") for f in features))
    return best.name


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("page_path", ["", "pl/", "ro-Latn/", "pl-Latn/", "GUIDE", "pl/GUIDE"])
def test_no_serious_or_critical_axe_violations(
    browser: Browser, served_site: tuple[Project, str], page_path: str, width: int, scheme: str
) -> None:
    """axe-core finds nothing serious or critical, in both palettes, on phone and desktop."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci` in the repository"
    project, base = served_site
    url = base + page_path.replace("GUIDE", guide_with_most_features(project.site_dir))
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                .map(v => ({id: v.id, impact: v.impact,
                            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
        )
    finally:
        context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{url} ({scheme}, {width}px): {blocking}"
