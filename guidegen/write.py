"""Write the generated tree: only files whose bytes changed, stale files removed."""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from guidegen.errors import GuidegenError
from guidegen.structure import OutputFile

MANAGED = ("docs", "overrides")
"""The folders of the build directory that belong wholly to the writer."""


@dataclass(frozen=True)
class WriteReport:
    """What a write changed."""

    written: list[str]
    removed: list[str]
    unchanged: int


def _target(build_dir: Path, path: str) -> Path:
    """Resolve an output path, refusing one that leaves the managed folders."""
    target = (build_dir / path).resolve()
    roots = [(build_dir / folder).resolve() for folder in MANAGED]
    if not any(target.is_relative_to(root) for root in roots):
        raise GuidegenError(f"refusing to write '{path}': it is outside {build_dir}")
    return target


def write_atomic(target: Path, data: bytes) -> None:
    """Replace a file's bytes in one step, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def write_tree(build_dir: Path, files: list[OutputFile]) -> WriteReport:
    """Write files below build_dir where their bytes differ; delete managed files not listed."""
    targets: dict[Path, bytes] = {}
    for file in files:
        target = _target(build_dir, file.path)
        if target in targets:
            raise GuidegenError(f"two pages would be written to '{file.path}': rename one")
        targets[target] = file.text.encode("utf-8")
    written, unchanged = [], 0
    for target, data in targets.items():
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        write_atomic(target, data)
        written.append(target.relative_to(build_dir.resolve()).as_posix())
    removed = []
    for folder in MANAGED:
        for existing in sorted((build_dir / folder).rglob("*"), reverse=True):
            resolved = existing.resolve()
            if existing.is_file() and resolved not in targets:
                existing.unlink()
                removed.append(resolved.relative_to(build_dir.resolve()).as_posix())
            elif existing.is_dir() and not any(existing.iterdir()):
                existing.rmdir()
    return WriteReport(written, removed, unchanged)


def _previous(target: Path) -> Path:
    """Return where replace_dir keeps the previous folder while it swaps."""
    return target.with_name(f".{target.name}-old")


def restore_interrupted_swap(target: Path) -> None:
    """Put the previous folder back if a killed replace_dir left it aside."""
    old = _previous(target)
    if old.exists() and not target.exists():
        os.replace(old, target)


def replace_dir(new: Path, target: Path) -> None:
    """Swap a finished folder into place; Ctrl-C or SIGTERM wait until both renames are done."""
    old = _previous(target)
    restore_interrupted_swap(target)
    if old.exists():
        shutil.rmtree(old)
    deferred = {signal.SIGINT, signal.SIGTERM}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        if target.exists():
            os.replace(target, old)
        os.replace(new, target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if old.exists():
        shutil.rmtree(old)
