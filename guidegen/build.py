"""The whole pipeline: load, validate, render, variants, write, MkDocs, post-build."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build

from guidegen import history, postbuild, site
from guidegen.errors import GuidegenError, Problem, has_errors
from guidegen.model import Content
from guidegen.project import Project
from guidegen.render import render_pages
from guidegen.structure import Page
from guidegen.validate import load_content
from guidegen.variants import documents, write_variants
from guidegen.write import WriteReport, replace_dir, restore_interrupted_swap, write_tree

log = logging.getLogger(__name__)


@dataclass
class Timings:
    """Seconds spent in each stage of one run."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def check(
    project: Project, strict: bool = False, timings: Timings | None = None
) -> tuple[Content | None, list[Problem]]:
    """Load and validate all content; never writes."""
    timings = timings or Timings()
    with timings.stage("load+validate"):
        content, problems = load_content(project)
    if has_errors(problems, strict):
        return None, problems
    return content, problems


def generate(
    project: Project, content: Content, *, timings: Timings | None = None
) -> tuple[list[Page], WriteReport]:
    """Render the pages and write the generated docs tree."""
    timings = timings or Timings()
    with timings.stage("render"):
        dates = history.last_changed(project.root)
        updated = {
            (lang, slug): dates[f"content/{lang}/{slug}.yaml"]
            for slug, guides in content.guides.items()
            for lang in guides
            if f"content/{lang}/{slug}.yaml" in dates
        }
        pages = render_pages(project, content, updated)
        files = documents(pages, content) + site.theme_files(project)
    with timings.stage("write"):
        return pages, write_tree(project.build_dir, files)


def build(
    project: Project,
    *,
    strict: bool = False,
    site_url: str | None = None,
    with_variants: bool = True,
    timings: Timings | None = None,
    on_problems: Callable[[list[Problem]], None] = lambda problems: None,
) -> Path:
    """Build site/ from the content; a failure leaves the previous site/ as it was."""
    timings = timings or Timings()
    restore_interrupted_swap(project.site_dir)
    content, problems = check(project, strict, timings)
    on_problems(problems)
    if content is None:
        raise GuidegenError(problems)
    staging = project.root / f".{project.site_dir.name}-staging"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        pages, _ = generate(project, content, timings=timings)
        with timings.stage("mkdocs"):
            config = site.mkdocs_config(project, content, staging, site_url=site_url)
            mkdocs_build(config)
        if with_variants:
            with timings.stage("variants"):
                write_variants(staging)
        with timings.stage("post-build"):
            postbuild.run(project, staging, pages, config.site_url or "", content.site.redirects)
        replace_dir(staging, project.site_dir)
    except jinja2.TemplateError as error:
        raise GuidegenError(template_message(project, error)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return project.site_dir


def template_message(project: Project, error: jinja2.TemplateError) -> str:
    """Describe a template error with its file (in templates/, not the build copy) and line."""
    where = getattr(error, "filename", None) or getattr(error, "name", None)
    if where:
        copy = project.build_dir / "overrides"
        path = Path(where)
        if path.is_relative_to(copy):
            path = project.templates_dir / "overrides" / path.relative_to(copy)
        where = (
            path.relative_to(project.root).as_posix()
            if path.is_relative_to(project.root)
            else where
        )
    line = getattr(error, "lineno", None)
    place = f"{where}:{line}: " if where and line else ""
    return f"{place}template error: {error.message}: fix the template"
