"""Write the generated tree (only files whose bytes changed) and swap a finished site into place."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import logging
import os
import posixpath
import shutil
import signal
import sys
import tempfile
from collections.abc import Container, Iterator
from contextlib import contextmanager, suppress
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


def _checked(path: str) -> str:
    """Return an output path as written, refusing one that leaves the managed folders.

    Paths are checked as text: only guidegen writes below build/, and never a link.
    """
    if posixpath.normpath(path) != path or path.split("/")[0] not in MANAGED or path in MANAGED:
        raise GuidegenError(f"refusing to write '{path}': it is outside {', '.join(MANAGED)}")
    return path


def _temporary(target: Path) -> Path:
    """Return the name a file takes next to target until it replaces target in one step."""
    return target.with_name(f".{target.name}.tmp")


@contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces target in one step once written without error, so
    a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(target)
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


def write_changed(target: Path, data: bytes) -> None:
    """Replace a file's bytes in one step (write_atomic) unless it holds them already."""
    try:
        unchanged = target.read_bytes() == data
    except OSError:
        unchanged = False
    if not unchanged:
        write_atomic(target, data)


def files_below(folder: Path) -> list[str]:
    """Return the paths of the files below folder, relative to it (none if it is missing)."""
    names = []
    for parent, _, files in os.walk(folder):
        below = os.path.relpath(parent, folder).replace(os.sep, "/")
        names += [name if below == "." else f"{below}/{name}" for name in files]
    return names


def folder_digest(folder: Path) -> str:
    """Return a digest of every file below folder: names and bytes."""
    hashed = hashlib.sha256()
    for name in sorted(files_below(folder)):
        hashed.update(name.encode() + b"\0")
        with open(os.path.join(folder, name), "rb") as file:
            hashed.update(hashlib.sha256(file.read()).digest())
    return hashed.hexdigest()


def reuse_file(source: Path | str, target: Path | str) -> None:
    """Put a file of the current site (or a cache) into the site being built, unchanged.

    A hard link, where the file system allows one, costs no copy: every stage writes new files
    or replaces them (write_atomic), never into a file in place, so both names keep the same
    bytes. Where links are not possible (another file system, no link support) it is a copy.
    A target that exists (a site updated in place) is left alone when it is the source itself
    and otherwise replaced in one step, never written through.
    """
    if os.fspath(source) == os.fspath(target):
        return
    try:
        _link(source, target)
    except FileExistsError:
        if os.path.samefile(source, target):
            return
        temporary = _temporary(Path(target))
        temporary.unlink(missing_ok=True)
        _link(source, temporary)
        os.replace(temporary, target)


def _link(source: Path | str, target: Path | str) -> None:
    """Hard-link source as target (its folder made when missing), or copy where links fail."""
    try:
        try:
            os.link(source, target)
        except FileNotFoundError:  # the target's folder is new (or the source is missing)
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
    except OSError as error:
        if error.errno not in NO_LINKS:
            raise
        if Path(target).exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        shutil.copyfile(source, target)


def prune(root: Path, folder: str, keep: Container[str]) -> None:
    """Delete every file below root/folder whose path relative to root is not in keep, and
    the folders that leaves empty."""
    for parent, folders, names in os.walk(root / folder, topdown=False):
        below = os.path.relpath(parent, root).replace(os.sep, "/")
        for name in names:
            if (name if below == "." else f"{below}/{name}") not in keep:
                os.unlink(os.path.join(parent, name))
        for name in folders:
            with suppress(OSError):  # not empty: it holds a kept file
                os.rmdir(os.path.join(parent, name))


def write_tree(build_dir: Path, files: list[OutputFile]) -> None:
    """Write files below build_dir where their bytes differ; delete managed files not listed."""
    targets: dict[str, bytes] = {}
    for file in files:
        if _checked(file.path) in targets:
            raise GuidegenError(f"two pages would be written to '{file.path}': rename one")
        targets[file.path] = file.text.encode("utf-8")
    for path, data in targets.items():
        write_changed(build_dir / path, data)
    for folder in MANAGED:
        prune(build_dir, folder, targets)


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
