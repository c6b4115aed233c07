"""workers.starmap: results in order, errors raised where the work was asked for, no hang."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable

import pytest

from guidegen.errors import GuidegenError
from guidegen.workers import starmap

CALLS = [(number,) for number in range(100)]


def square(number: int) -> int:
    """Return number squared."""
    return number * number


def fail_on_seven(number: int) -> int:
    """Raise for 7."""
    if number == 7:
        raise ValueError("seven is refused")
    return number


def die_in_a_worker(parent: int, number: int) -> int:
    """End the worker process abruptly at 5 (as the kernel's OOM killer would)."""
    if number == 5 and os.getpid() != parent:
        os._exit(3)
    return number


def unpicklable_result(number: int) -> Callable[[], int]:
    """Return a function defined here, which pickle cannot send back."""
    return lambda: number


def with_lock(lock: threading.Lock, number: int) -> int:
    """Use an object that cannot be pickled, handed to the workers by inheritance."""
    with lock:
        return number


def test_results_come_back_in_the_order_of_the_calls() -> None:
    assert starmap(square, CALLS) == [n * n for n in range(100)]


def test_an_exception_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="seven is refused"):
        starmap(fail_on_seven, CALLS)


def test_a_worker_that_dies_ends_the_run_with_a_message_not_a_hang() -> None:
    with pytest.raises(GuidegenError, match="worker process stopped"):
        starmap(die_in_a_worker, CALLS, shared=(os.getpid(),))


def test_a_result_that_cannot_be_pickled_is_reported_with_its_cause() -> None:
    with pytest.raises((pickle.PicklingError, AttributeError, RuntimeError), match="pickle"):
        starmap(unpicklable_result, CALLS)


def test_shared_arguments_are_inherited_not_pickled() -> None:
    assert starmap(with_lock, CALLS, shared=(threading.Lock(),)) == list(range(100))


def process_id(number: int) -> int:
    """Return the process that computed the call."""
    return os.getpid()


def test_this_process_takes_a_share_unless_told_not_to() -> None:
    """The first share needs no pickling when computed here; a caller whose calls leave much
    memory behind (MkDocs' pages) keeps them all in workers."""
    here = set(starmap(process_id, CALLS))
    assert os.getpid() in here and len(here) == min(os.cpu_count() or 1, len(CALLS))
    assert os.getpid() not in starmap(process_id, CALLS, here=False)
