"""The theme overrides still fit the installed Material: no copied template drifts silently."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import material

from tests.conftest import REPO

OVERRIDES = REPO / "templates" / "overrides"
MATERIAL = Path(material.__file__).parent / "templates"
RECORD = re.compile(r"upstream (?P<path>\S+) sha256:(?P<sha>[0-9a-f]{64})")
"""How an override records a Material file it was made against."""


def drift(material_templates: Path) -> list[str]:
    """Return the recorded Material files whose installed bytes differ from the record."""
    changed = []
    for override in sorted(OVERRIDES.rglob("*.html")):
        for record in RECORD.finditer(override.read_text("utf-8")):
            upstream = material_templates / record["path"]
            if hashlib.sha256(upstream.read_bytes()).hexdigest() != record["sha"]:
                changed.append(f"{override.relative_to(REPO)}: {record['path']}")
    return changed


def test_overrides_replace_no_material_template_without_a_record() -> None:
    """An override either extends Material's template or records the one it was made from."""
    unrecorded = [
        path
        for path in sorted(OVERRIDES.rglob("*.html"))
        if (MATERIAL / path.relative_to(OVERRIDES)).is_file()
        and "{% extends" not in path.read_text("utf-8")
        and not RECORD.search(path.read_text("utf-8"))
    ]
    assert unrecorded == []


def test_the_header_is_not_copied() -> None:
    assert not (OVERRIDES / "partials" / "header.html").exists()


def test_installed_material_matches_what_the_overrides_were_made_against() -> None:
    assert drift(MATERIAL) == []


def test_a_changed_material_header_is_reported(tmp_path: Path) -> None:
    changed = tmp_path / "templates"
    shutil.copytree(MATERIAL / "partials", changed / "partials")
    header = changed / "partials" / "header.html"
    header.write_text(header.read_text("utf-8").replace("alternate", "languages"), "utf-8")
    assert drift(changed) == ["templates/overrides/partials/alternate.html: partials/header.html"]
