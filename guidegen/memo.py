"""Values kept from one run to the next: in memory by `guidegen serve`, in build/ by builds."""

from __future__ import annotations

import functools
import hashlib
import pickle
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from guidegen import workers
from guidegen.write import atomic_writer

T = TypeVar("T")

LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "Jinja2", "MarkupSafe", "Babel")
"""The packages whose behaviour the kept values depend on, besides guidegen's own code."""


@dataclass
class Memo:
    """The values of a stage's last run, each under a key that covers all it was computed from.

    A run asks for all its values at once (run()); the memo then holds those, and only those,
    for the next run. A fresh Memo (the default of one-off callers) computes everything.
    """

    _kept: dict[str, dict[Hashable, Any]] = field(default_factory=dict)
    """The values of each part (a stage may keep several kinds of values, one run each)."""
    changed: bool = False
    """Whether a run since the memo was made, loaded or saved computed or dropped a value."""

    def run(
        self,
        function: Callable[..., T],
        calls: dict[Hashable, tuple[Any, ...]],
        shared: tuple[Any, ...] = (),
        part: str = "",
    ) -> dict[Hashable, T]:
        """Return function(*shared, *args) for the args of each key: the kept value where there
        is one, the others computed (in worker processes when there are many, workers.py).
        The part's values are then those of these keys only."""
        kept = self._kept.get(part, {})
        missing = [key for key in calls if key not in kept]
        self.changed |= bool(missing) or len(calls) != len(kept)
        computed = workers.starmap(function, [calls[key] for key in missing], shared=shared)
        new = dict(zip(missing, computed, strict=True))
        self._kept[part] = {key: kept[key] if key in kept else new[key] for key in calls}
        return self._kept[part]


@functools.cache
def code_digest() -> str:
    """Digest guidegen's code, Python and the libraries: kept values are valid only for these.

    Once a process: the code it runs is the code it loaded (asking the installed packages for
    their versions took 4 ms, three times a build).
    """
    parts = [sys.version, *(f"{name}=={version(name)}" for name in LIBRARIES)]
    sources = sorted(Path(__file__).parent.glob("*.py"))
    parts += [f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in sources]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Memos:
    """One memo per stage that keeps values (each forgets by its own runs)."""

    validate: Memo = field(default_factory=Memo)
    render: Memo = field(default_factory=Memo)

    @classmethod
    def load(cls, file: Path) -> Memos:
        """Return the memos saved in file, or empty ones when it is missing, damaged or was
        written by other code (the file is build/'s own, written by save())."""
        try:
            code, memos = pickle.loads(file.read_bytes())  # noqa: S301 - guidegen's own cache
        except Exception:  # noqa: BLE001 - a damaged cache of any kind is only a slower build
            return cls()
        return memos if code == code_digest() and isinstance(memos, cls) else cls()

    @property
    def changed(self) -> bool:
        """Whether any memo changed since the memos were made, loaded or saved."""
        return self.validate.changed or self.render.changed

    def save(self, file: Path) -> None:
        """Write the memos to file for the next run (streamed: no copy of it in memory)."""
        self.validate.changed = self.render.changed = False
        with atomic_writer(file) as stream:
            pickle.dump((code_digest(), self), stream, protocol=pickle.HIGHEST_PROTOCOL)
