"""Write the generated tree (only files whose bytes changed) and swap a finished site into place."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from guidegen.errors import GuidegenError
from guidegen.structure import OutputFile

log = logging.getLogger(__name__)

MANAGED = ("docs", "overrides")
"""The folders of the build directory that belong wholly to the writer."""
LOCK = ".lock"
"""The lock file in the build directory, held by the build that runs."""
AT_FDCWD = -100
RENAME_EXCHANGE = 2
"""Linux's renameat2() arguments: paths relative to the working folder; swap both paths."""
NO_LINKS = frozenset({errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})
"""os.link() errors that mean a hard link is not possible here (rather than a wrong target)."""
PR_SET_PDEATHSIG = 1
"""Linux's prctl() option: the signal a child gets when its parent dies."""

STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
"""Ctrl-C and SIGTERM: held back (pthread_sigmask) while a step must not be cut in two."""


@dataclass(frozen=True)
class WriteReport:
    """What a write changed."""

    written: list[str]
    removed: list[str]
    unchanged: int


def _target(build_dir: Path, roots: list[Path], path: str) -> Path:
    """Resolve an output path, refusing one that leaves the managed folders (roots)."""
    target = (build_dir / path).resolve()
    if not any(target.is_relative_to(root) for root in roots):
        raise GuidegenError(f"refusing to write '{path}': it is outside {build_dir}")
    return target


@contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces target in one step once written without error, so
    a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with temporary.open("wb") as stream:
            yield stream
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace a file's bytes in one step, so a reader never sees half a file."""
    with atomic_writer(target) as stream:
        stream.write(data)


def folder_digest(folder: Path) -> str:
    """Return a digest of every file below folder: names and bytes."""
    hashed = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            hashed.update(file.relative_to(folder).as_posix().encode() + b"\0")
            hashed.update(hashlib.sha256(file.read_bytes()).digest())
    return hashed.hexdigest()


def reuse_file(source: Path | str, target: Path | str) -> None:
    """Put a file of the current site (or a cache) into the site being built, unchanged.

    A hard link, where the file system allows one, costs no copy: every stage writes new files
    or replaces them (write_atomic), never into a file in place, so both names keep the same
    bytes. Where links are not possible (another file system, no link support) it is a copy;
    a target that exists already is an error, never written through.
    """
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in NO_LINKS:
            raise
        shutil.copyfile(source, target)


def write_tree(build_dir: Path, files: list[OutputFile]) -> WriteReport:
    """Write files below build_dir where their bytes differ; delete managed files not listed."""
    targets: dict[Path, bytes] = {}
    roots = [(build_dir / folder).resolve() for folder in MANAGED]
    for file in files:
        target = _target(build_dir, roots, file.path)
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


def _remove(folder: Path) -> None:
    """Delete a folder that belongs to no build any more; say so when it cannot be deleted."""
    try:
        shutil.rmtree(folder)
    except OSError as error:
        log.warning(
            "could not remove %s (%s): remove it by hand; the site is not affected",
            folder,
            error.strerror or error,
        )


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold the project's build lock; a second build waits for the first and says so."""
    build_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(build_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another guidegen build is running in this project: waiting for it")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _work_prefix(target: Path) -> str:
    """Return the name prefix of the work folders of builds of target."""
    return f".{target.name}-staging-"


@contextmanager
def work_folder(target: Path) -> Iterator[Path]:
    """Create this process's work folder next to target; remove it (and stale ones) after.

    Call it holding the build lock: any other work folder is then a killed build's leftover.
    """
    for stale in sorted(target.parent.glob(_work_prefix(target) + "*")):
        _remove(stale)
    folder = Path(tempfile.mkdtemp(prefix=_work_prefix(target), dir=target.parent))
    try:
        yield folder
    finally:
        if folder.exists():
            _remove(folder)


def _exchange(new: Path, target: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE); False where the OS cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    path, number = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [number, path, number, path, ctypes.c_uint]
    if renameat2(AT_FDCWD, bytes(new), AT_FDCWD, bytes(target), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def die_with_parent() -> None:
    """Ask Linux to kill the calling (child) process when its parent dies, even by SIGKILL."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _previous(target: Path) -> Path:
    """Return where the fallback swap keeps the previous folder between its two renames."""
    return target.with_name(f".{target.name}-old")


def restore_interrupted_swap(target: Path) -> None:
    """Put the previous folder back if a killed fallback swap left it aside."""
    old = _previous(target)
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        _remove(old)


def replace_dir(new: Path, target: Path) -> None:
    """Swap a finished folder into place so that target is always a complete folder.

    Where the OS has renameat2(RENAME_EXCHANGE) (Linux) both folders trade places at once;
    elsewhere two renames run with Ctrl-C and SIGTERM held back, and a swap killed between
    them is undone by the next build. The previous folder ends up at new and is deleted.
    """
    if target.exists() and _exchange(new, target):
        _remove(new)
        return
    old = _previous(target)
    restore_interrupted_swap(target)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        if target.exists():
            os.replace(target, old)
        os.replace(new, target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if old.exists():
        _remove(old)
