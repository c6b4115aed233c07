"""Where a guidegen project keeps its sources and its output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """The folders of one project, all below its root."""

    root: Path

    @property
    def content_dir(self) -> Path:
        """Guides, one folder per language."""
        return self.root / "content"

    @property
    def data_dir(self) -> Path:
        """KPI tables, glossary and site texts."""
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        """Jinja templates of the pages and the theme overrides."""
        return self.root / "templates"

    @property
    def config_file(self) -> Path:
        """The MkDocs configuration the generated one is based on."""
        return self.root / "mkdocs.yml"

    @property
    def build_dir(self) -> Path:
        """Generated, git-ignored: Markdown, theme overrides and MkDocs config."""
        return self.root / "build"

    @property
    def site_dir(self) -> Path:
        """The built site."""
        return self.root / "site"
