"""`guidegen new` and `guidegen schema`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guidegen.cli import main
from guidegen.loader import load
from guidegen.model import Guide
from tests.conftest import REPO
from tests.test_check import BASE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A clean project with the real templates."""
    shutil.copytree(BASE, tmp_path / "project")
    shutil.copytree(REPO / "templates", tmp_path / "project" / "templates")
    return tmp_path / "project"


def test_new_guide_loads_in_both_languages_with_every_section(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(root), "new", "loyalty-tiers"]) == 0
    said = capsys.readouterr()
    assert "add 'loyalty-tiers' to the guides of a topic in data/site.yaml" in said.err
    assert said.out.splitlines() == [
        "created content/ro/loyalty-tiers.yaml",
        "created content/pl/loyalty-tiers.yaml",
    ]
    for lang in ("ro", "pl"):
        file = root / "content" / lang / "loyalty-tiers.yaml"
        assert file.read_text("utf-8").startswith(
            "# yaml-language-server: $schema=../../schema/guide.schema.json\n"
        )
        doc, problems = load(root, file)
        assert problems == []
        assert set(doc.data) == set(Guide.model_fields) - {"translated_from"}
    assert main(["--root", str(root), "check"]) == 1
    assert "guide 'loyalty-tiers' is in no topic" in capsys.readouterr().out
    site = root / "data" / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("guides: [", "guides: [loyalty-tiers, ", 1))
    assert main(["--root", str(root), "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "0 error(s), 38 warning(s)"
    assert all("[placeholder]" in line and "'TODO'" in line for line in lines[:-1])
    assert main(["--root", str(root), "check", "--strict"]) == 1


def test_new_guide_lists_the_kpi_ids_and_refuses_an_existing_guide(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--root", str(root), "new", "fresh"])
    assert "# Ids you can use: mini-kpis\n" in (root / "content/ro/fresh.yaml").read_text("utf-8")
    assert main(["--root", str(root), "new", "base"]) == 1
    assert "guide 'base' already exists" in capsys.readouterr().err


def test_schema_file_is_current_and_describes_the_guide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(REPO), "schema", "--check"]) == 0
    assert main(["--root", str(tmp_path), "schema"]) == 0
    written = tmp_path / "schema" / "guide.schema.json"
    assert written.read_bytes() == (REPO / "schema" / "guide.schema.json").read_bytes()
    schema = json.loads(written.read_text("utf-8"))
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"title", "description", "question", "picture", "promise"}
    assert schema["$defs"]["Faq"]["required"] == ["question", "answer"]
    written.write_text("{}", "utf-8")
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err


def test_build_errors_are_printed_once_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(BASE, tmp_path / "p")
    file = tmp_path / "p" / "content" / "ro" / "base.yaml"
    file.write_text(file.read_text("utf-8").replace("mini-kpis", "nope"), "utf-8")
    assert main(["--root", str(tmp_path / "p"), "build"]) == 1
    err = capsys.readouterr().err
    assert err.count("[unknown-kpi]") == 1 and "Traceback" not in err
    assert not (tmp_path / "p" / "site").exists()
