"""Create a new guide in every language from templates/new_guide.yaml.j2."""

from __future__ import annotations

from pathlib import Path

import jinja2

from guidegen.errors import GuidegenError
from guidegen.loader import load
from guidegen.model import LANGS, KpiData
from guidegen.project import Project
from guidegen.render import environment
from guidegen.validate import guide_file, validate_document

TEMPLATE = "new_guide.yaml.j2"


def _kpi_ids(project: Project) -> list[str]:
    """Return the KPI table ids a guide can reference, or none if the data does not load."""
    file = project.data_dir / "kpi_tables.yaml"
    doc, _ = load(project.root, file) if file.is_file() else (None, [])
    data, _ = validate_document(doc, KpiData) if doc else (None, [])
    return [table.id for table in data.tables] if data else []


def new_guide(project: Project, slug: str) -> list[Path]:
    """Write content/<lang>/<slug>.yaml for every language; refuse to overwrite a guide."""
    existing = [f for f in (guide_file(project, lang, slug) for lang in LANGS) if f]
    if existing:
        names = ", ".join(f.relative_to(project.root).as_posix() for f in existing)
        raise GuidegenError(f"guide '{slug}' already exists ({names}): pick another name")
    try:
        template = environment(project).get_template(TEMPLATE)
    except jinja2.TemplateNotFound as error:
        raise GuidegenError(f"templates/{TEMPLATE} is missing: restore it from git") from error
    kpi_ids = _kpi_ids(project)
    created = []
    for lang in LANGS:
        target = project.content_dir / lang / f"{slug}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = template.render(slug=slug, lang=lang, source_lang=LANGS[0], kpi_ids=kpi_ids)
        with target.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
        created.append(target)
    return created
