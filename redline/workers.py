"""Forked worker processes for the bulk of a large site's work.

On the benchmark site (780 comparison pages, two diffs and two renderings each) computing
the comparison pages in forked workers while MkDocs builds every other page took the
build's cost over a plain MkDocs build from 1.119 (workers, parent waiting) to 1.042. Only
on Linux (fork; elsewhere workers start too slowly) and only from PARALLEL_FROM jobs, below
which starting processes costs more than it saves. `REDLINE_WORKERS` overrides.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import sys
from collections.abc import Callable, Hashable, Sequence
from typing import Any

PARALLEL_FROM = 48
_work: tuple[Callable[..., Any] | None, Sequence[tuple]] = (None, ())  # inherited by workers


def _run(k: int) -> Any:
    func, jobs = _work
    assert func is not None
    return func(*jobs[k])


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(jobs: int) -> int:
    """Worker processes for `jobs` jobs: REDLINE_WORKERS if set, else one per CPU this
    process may use, on Linux only."""
    if os.environ.get("REDLINE_WORKERS", "").strip().isdigit():
        return max(1, int(os.environ["REDLINE_WORKERS"]))
    if jobs < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(usable_cpus(), 8, jobs // (PARALLEL_FROM // 2)))


def _fork_pool(func: Callable[..., Any], jobs: Sequence[tuple], workers: int):
    global _work
    _work = (func, jobs)
    gc.freeze()  # keep the workers' garbage collector off the objects they share with us
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        gc.unfreeze()
        _work = (None, ())  # the workers have their copy


def _chunk(jobs: Sequence[tuple], workers: int) -> int:
    return max(1, len(jobs) // (workers * 8))


def map_jobs(func: Callable[..., Any], jobs: Sequence[tuple], workers: int) -> list[Any]:
    """`[func(*job) for job in jobs]`, by forked workers when there is more than one."""
    if workers <= 1:
        return [func(*job) for job in jobs]
    with _fork_pool(func, jobs, workers) as pool:
        return pool.map(_run, range(len(jobs)), chunksize=_chunk(jobs, workers))


class Deferred:
    """Results that forked workers compute while the caller does other work; `get(key)`
    hands each out when it is needed, waiting only if it is not ready yet."""

    def __init__(
        self,
        func: Callable[..., Any],
        jobs: Sequence[tuple],
        key: Callable[[Any], Hashable],
        keys: Sequence[Hashable],
        workers: int,
    ) -> None:
        self.keys = frozenset(keys)
        self._key = key
        self._pool = _fork_pool(func, jobs, workers)
        self._results = self._pool.imap(_run, range(len(jobs)), chunksize=_chunk(jobs, workers))
        self._ready: dict[Hashable, Any] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self.keys

    def get(self, key: Hashable) -> Any:
        while key not in self._ready:
            result = next(self._results)  # in job order; a worker's exception is raised here
            self._ready[self._key(result)] = result
        return self._ready[key]

    def close(self) -> None:
        self._pool.terminate()
