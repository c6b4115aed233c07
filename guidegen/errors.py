"""Problems found in the content, and the one exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SHOWN = 40
"""At most this many characters of a value are quoted back in a message."""


def shown(value: object) -> str:
    """Quote a value from a file briefly: messages never echo a file's contents."""
    text = str(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place an editor can find."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        """Format as `path:line:col: severity: [rule] message`."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: [{self.rule}] {self.message}"


class GuidegenError(Exception):
    """A run that cannot go on; the CLI prints it without a traceback and exits 1."""

    def __init__(self, problems: list[Problem] | str) -> None:
        """Carry either content problems or one plain message."""
        self.problems = problems if isinstance(problems, list) else []
        message = problems if isinstance(problems, str) else f"{len(problems)} problem(s)"
        super().__init__(message)


def locate_template_error(error: Exception) -> None:
    """Give a template error raised while rendering (an undefined value) the file and line
    that a syntax error carries: those of the innermost template in its traceback, where
    Jinja puts the templates' own lines. Kept on the error, the place survives the way back
    from a worker process, which the traceback does not."""
    if getattr(error, "filename", None) and getattr(error, "lineno", None):
        return
    frame = error.__traceback__
    while frame is not None:
        if "__jinja_exception__" in frame.tb_frame.f_globals:  # a template's frame
            error.filename = frame.tb_frame.f_code.co_filename  # type: ignore[attr-defined]
            error.lineno = frame.tb_lineno  # type: ignore[attr-defined]
        frame = frame.tb_next


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    """Tell whether the problems stop a build (warnings count when strict)."""
    return any(p.severity == "error" or strict for p in problems)
