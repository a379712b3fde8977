"""Where page work runs: in this process, in a few threads of it, or on a Dask cluster (issue 6).

The interface is one method, ``map``: apply a picklable function to items and yield the results in
input order. The pipeline never knows which executor it has.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in the calling process: for one page, for debugging, for tests of the steps."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return (fn(item) for item in items)

    def close(self) -> None:
        pass


class LocalExecutor:
    """Pages read by threads of this process: ``workers + 1`` of them, ``workers`` being the cores.

    Why threads, not processes: a page's heavy work runs in child processes anyway (Tesseract,
    poppler) and OpenCV and numpy release the GIL, so threads lose little (2 threads preprocess 4 pages
    1.33× faster than one, 2 processes 1.50×) and save what a process pool costs: its start (~0.3 s
    per command), importing the pipeline again, pickling page images, and forking a threaded process.
    Why one thread more than cores: a page preprocesses while the others are in Tesseract, and a
    document's last pages share the cores instead of the last one running alone. Measured on the 18
    fixture pages, 2 cores: 30.0 s with 2 threads, 27.2 s with 3, 28.9 s with 4; a pool of 2
    processes took 32.7 s. At most ``2 × workers`` pages are in flight, so a 500-page document never
    has 500 decoded pages waiting in memory.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or cores()
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._pool = ThreadPoolExecutor(max_workers=self.workers + 1, thread_name_prefix="page")

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pending: list[Future[R]] = []
        try:
            for item in items:
                pending.append(self._pool.submit(fn, item))
                if len(pending) >= 2 * self.workers:
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()
        finally:  # a caller that stops early (an error, an interrupt) leaves no page running
            for fut in pending:
                fut.cancel()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's cpuset), not the machine's."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
