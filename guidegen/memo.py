"""Values a long-running process (`guidegen serve`) keeps from one run to the next."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Memo:
    """Values computed in the last run, each under a key that covers all it was computed from.

    A stage asks through get() and calls end_run() when it is done: the memo then forgets
    what that run did not ask for, so that it never holds more than one run's values. A
    fresh Memo (the default of one-off commands) computes everything.
    """

    _kept: dict[Hashable, Any] = field(default_factory=dict)
    _asked: dict[Hashable, Any] = field(default_factory=dict)

    def get(self, key: Hashable, compute: Callable[..., T], *args: Any) -> T:
        """Return the value kept under key, or compute(*args) and keep it."""
        if key in self._asked:
            return self._asked[key]
        value = self._kept[key] if key in self._kept else compute(*args)
        self._asked[key] = value
        return value

    def end_run(self) -> None:
        """Keep only what this run asked for."""
        self._kept, self._asked = self._asked, {}


@dataclass(frozen=True)
class Memos:
    """One memo per stage that keeps values (each forgets by its own runs)."""

    validate: Memo = field(default_factory=Memo)
    render: Memo = field(default_factory=Memo)
