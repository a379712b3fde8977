"""Where page work runs: in this process, or in a pool of local processes (Dask: see issue 6).

The interface is one method, ``map``: apply a picklable function to items and yield the results in
order as they finish in order. The pipeline never knows which executor it has.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
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
    """A pool of worker processes on this machine; one Tesseract per worker (``OMP_THREAD_LIMIT=1``).

    At most ``2 × workers`` items are in flight, so a 500-page document never has 500 decoded pages
    waiting in memory. Workers start from a ``forkserver`` that has the pipeline imported: forking the
    caller itself is unsafe once it runs threads (``run`` reads several documents at once, tqdm and
    watchdog start threads), and a plain ``spawn`` would re-import everything per worker.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ocr_ingest.pipeline"])
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        pending: list[Future[R]] = []
        for item in items:
            pending.append(self._pool.submit(fn, item))
            if len(pending) >= 2 * self.workers:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
