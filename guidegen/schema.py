"""The JSON Schema of a guide file, for editors' YAML language servers."""

from __future__ import annotations

import json
from pathlib import Path

from guidegen.model import Guide
from guidegen.project import Project

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file(project: Project) -> Path:
    """Where the schema lives; content files name it in their first line."""
    return project.root / "schema" / "guide.schema.json"


def guide_schema() -> str:
    """Return the JSON Schema of model.Guide as stable, readable JSON."""
    schema = {"$schema": DIALECT, **Guide.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schema(project: Project) -> bool:
    """Write the schema file if its text changed; tell whether it did."""
    target = schema_file(project)
    text = guide_schema()
    if target.is_file() and target.read_text("utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True
