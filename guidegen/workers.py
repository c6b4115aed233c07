"""Run independent calls in parallel processes, forked so that they start with what is loaded."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from guidegen.errors import GuidegenError
from guidegen.write import die_with_parent

T = TypeVar("T")

MANY = 64
"""From how many calls worker processes are worth starting (a fork costs ~50 ms)."""


def _run(
    function: Callable[..., Any],
    shared: tuple[Any, ...],
    calls: list[tuple[Any, ...]],
    answer: Connection,
) -> None:
    """Compute a share of the calls in a worker; send back the results or the exception.

    The parent alone handles Ctrl-C and SIGTERM; the worker dies with it even when it is killed.
    The objects inherited from the parent are frozen out of the worker's garbage collections,
    which would otherwise walk them all and copy every page they touch: at 1000 guides the
    MkDocs stage's process tree peaked at 1147 MB without, 950 MB with.
    """
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    try:
        try:
            answer.send((True, [function(*shared, *args) for args in calls]))
        except Exception as error:  # noqa: BLE001 - raised again in the parent
            answer.send((False, error))
    except Exception:  # noqa: BLE001 - a result or an exception that cannot be pickled
        answer.send((False, RuntimeError(traceback.format_exc())))
    finally:
        answer.close()


def starmap(
    function: Callable[..., T],
    calls: list[tuple[Any, ...]],
    least: int = MANY,
    shared: tuple[Any, ...] = (),
    here: bool = True,
) -> list[T]:
    """Return [function(*shared, *args) for args in calls], shared out among one process per
    CPU when there are at least `least` calls (fewer are not worth the processes) and CPUs.

    Workers are forked: they inherit `shared` and their calls (never pickled, so these may be
    large or hold compiled templates); only results come back pickled. With `here` this
    process computes the first share itself, whose results need no pickling (checking 1000
    guides per language from nothing: the parent unpickled 110 MB of results in 2.6 s); a
    caller whose calls leave much memory behind passes False. An exception in a call is
    raised here; a worker that dies, or Ctrl-C here, stops the others.
    """
    count = min(os.cpu_count() or 1, len(calls))
    if len(calls) < least or count < 2:
        return [function(*shared, *args) for args in calls]
    context = multiprocessing.get_context("fork")
    answers: dict[Connection, int] = {}
    processes = []
    received: dict[int, tuple[bool, Any]] = {}
    try:
        for index in range(1 if here else 0, count):
            receiver, sender = context.Pipe(duplex=False)
            share = calls[index::count]
            process = context.Process(target=_run, args=(function, shared, share, sender))
            process.start()
            sender.close()
            answers[receiver] = index
            processes.append(process)
        if here:
            received[0] = (True, [function(*shared, *args) for args in calls[0::count]])
        while answers:
            for ready in wait(list(answers)):
                received[answers.pop(ready)] = ready.recv()
    except EOFError:
        for process in processes:
            process.terminate()
        raise GuidegenError("a worker process stopped before it finished: run again") from None
    except BaseException:
        for process in processes:
            process.terminate()
        raise
    finally:
        for process in processes:
            process.join()
    results: list[Any] = [None] * len(calls)
    for index in range(count):
        ok, value = received[index]
        if not ok:
            raise value
        results[index::count] = value
    return results
