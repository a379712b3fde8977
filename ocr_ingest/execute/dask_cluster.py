"""Pages on a Dask distributed cluster, behind the same ``Executor`` interface as the local pool.

Why pages and not documents: a 40-page decision should not wait on one worker. Only the page work
(``read_page``: rasterise, preprocess, Tesseract) leaves this process; documents are assembled,
cleaned, verified and archived by the caller, so the archive keeps one writer.

Workers need the ``ocr-ingest`` package and Tesseract installed, and must see every input file at the
same path as the client (a ``PageTask`` carries a path, not the bytes): on one machine that holds, on
several it means a shared mount (NFS, SMB, …) at the same path. No code is shipped by hand: tasks are
pickled by reference to ``ocr_ingest.text.pipeline.read_page``, which each worker imports.

Failures: a worker that dies mid-page is replaced (by its nanny) and the scheduler reruns its pages;
a page that raises is retried ``retries`` times, then fails its document (the exception leaves ``map``
for that document only); a scheduler that cannot be reached fails fast with
:class:`SchedulerUnreachableError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..errors import EXIT_MISSING_DEPENDENCY, ChildProcessError_, OcrIngestError
from .local import Executor, LocalExecutor

T = TypeVar("T")
R = TypeVar("R")
P = TypeVar("P")
D = TypeVar("D")

SCHEDULER_ENV = "OCR_INGEST_SCHEDULER"
TIMEOUT_ENV = "OCR_INGEST_SCHEDULER_TIMEOUT"


class SchedulerUnreachableError(OcrIngestError):
    """The Dask scheduler cannot be reached (at start or lost mid-batch): a set-up problem that stops
    the whole batch, so callers that catch ``OcrIngestError`` per document should re-raise this one."""

    exit_code = EXIT_MISSING_DEPENDENCY


class PageFailedError(ChildProcessError_):
    """A page failed on every attempt on the cluster (its worker kept dying, or an unexpected error):
    fails its document, not the batch."""


class DaskExecutor:
    """Runs ``map`` items as Dask tasks on the cluster at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

    Thread-safe: several documents may be read at once from threads sharing one executor (see
    :func:`map_documents`), which keeps the cluster busy across document boundaries. Each ``map`` call
    keeps at most ``2 × cluster threads`` tasks in flight, so a 1000-page document does not flood the
    scheduler while the first pages are still being assembled.
    """

    def __init__(self, address: str, *, retries: int = 2, connect_timeout: float = 10.0):
        from distributed import Client

        self.address = address
        self.retries = retries
        _probe(address, connect_timeout)
        try:
            self._client = Client(address, timeout=connect_timeout, set_as_default=False)
        except Exception as exc:  # timeouts, refused, a non-Dask service on that port
            raise SchedulerUnreachableError(address, f"is not a Dask scheduler we can use: {exc}") from exc
        try:  # without workers every page would wait forever: say so now instead
            self._client.wait_for_workers(1, timeout=connect_timeout)
        except Exception as exc:
            self._client.close()
            raise SchedulerUnreachableError(
                address,
                f"Dask scheduler has no workers after {connect_timeout:g} s: start some (docs/scale-out.md)",
            ) from exc

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (for diagnostics and tests)."""
        return self._client

    def slots(self) -> int:
        """Pages the cluster can read at once right now (total worker threads; at least 1)."""
        return max(1, sum(self._client.nthreads().values()))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Submit ``fn(item)`` for each item and yield the results in input order.

        A failed item raises here (the original ``OcrIngestError`` subclass when there is one, else
        :class:`PageFailedError`) and the rest of this call's tasks are cancelled.
        """
        remote = _Remote(fn)
        name = getattr(fn, "__name__", "task")
        pending: list[tuple[Any, Any]] = []
        window = 2 * self.slots()
        try:
            for item in items:
                key = f"{name}-{uuid.uuid4().hex}"
                pending.append((item, self._client.submit(remote, item, key=key, retries=self.retries)))
                if len(pending) >= window:
                    yield self._result(*pending.pop(0))
            while pending:
                yield self._result(*pending.pop(0))
        finally:
            if pending:
                self._client.cancel([f for _, f in pending])

    def _result(self, item: object, future: Any) -> Any:
        from distributed import KilledWorker

        try:
            return future.result()
        except _Envelope as env:
            raise env.rebuild() from None
        except KilledWorker as exc:
            raise PageFailedError(
                _path_of(item), f"{_page_of(item)}killed every worker that ran it ({exc})"
            ) from exc
        except OcrIngestError:
            raise
        except (CancelledError, asyncio.CancelledError, OSError) as exc:
            # the scheduler went away: every later page would fail the same way, so stop the batch
            if "connection-lost" in str(exc) or self._client.status != "running":
                reason = f"connection to the Dask scheduler lost mid-batch ({_first_line(exc)})"
                raise SchedulerUnreachableError(self.address, reason) from exc
            raise PageFailedError(_path_of(item), f"{_page_of(item)}{type(exc).__name__}: {exc}") from exc
        except Exception as exc:
            raise PageFailedError(
                _path_of(item),
                f"{_page_of(item)}failed after {self.retries} retries: {type(exc).__name__}: {exc}",
            ) from exc

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(
    scheduler: str | None = None, jobs: int | None = None, timeout: float | None = None
) -> Executor:
    """The executor for a run: Dask when ``scheduler`` (or ``$OCR_INGEST_SCHEDULER``) names one,
    reached within ``timeout`` seconds (or ``$OCR_INGEST_SCHEDULER_TIMEOUT``, else 10), else local
    threads for ``jobs`` pages at a time (default: all cores)."""
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        return DaskExecutor(address, connect_timeout=timeout or float(os.environ.get(TIMEOUT_ENV) or 10.0))
    return LocalExecutor(jobs)


def documents_in_flight(executor: Executor) -> int:
    """How many documents to read at once so no worker idles at a document's tail: one more than
    the pages that can run at once (every document has at least one page)."""
    if isinstance(executor, DaskExecutor):
        return executor.slots() + 1
    return getattr(executor, "workers", 1) + 1


def map_documents(
    fn: Callable[[P], D], items: Iterable[P], *, in_flight: int
) -> Iterator[tuple[P, D | BaseException]]:
    """``fn(item)`` for up to ``in_flight`` items at once in threads; yields ``(item, result or
    exception)`` in input order.

    Why: ``extract_text`` waits for one document's pages, so reading documents one after another
    leaves the cluster idle at each document's tail. With ``fn = lambda p: extract_text(p, executor=ex)``
    the caller keeps several documents' pages queued and still archives results on its own thread,
    one writer, in input order.
    """
    it = iter(items)
    with ThreadPoolExecutor(max_workers=max(1, in_flight)) as pool:
        queue = []
        for item in it:
            queue.append((item, pool.submit(fn, item)))
            if len(queue) >= in_flight:
                yield _outcome(*queue.pop(0))
        while queue:
            yield _outcome(*queue.pop(0))


def _outcome(item: P, future: Any) -> tuple[P, Any]:
    exc = future.exception()
    return (item, exc) if exc is not None else (item, future.result())


def _probe(address: str, timeout: float) -> None:
    """Open and close one connection to the scheduler, so a wrong address fails in ``timeout``
    seconds with a clear message (a failed ``Client()`` otherwise lingers in its finaliser)."""
    from distributed.comm import connect

    async def attempt() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(attempt())
    except Exception as exc:
        raise SchedulerUnreachableError(
            address, f"Dask scheduler unreachable within {timeout:g} s ({exc})"
        ) from exc


class _Envelope(Exception):
    """An ``OcrIngestError`` in transit: those take ``(path, reason)`` and so do not unpickle as-is."""

    def rebuild(self) -> OcrIngestError:
        cls_name, path, reason = self.args
        module, _, qualname = cls_name.partition(":")
        try:
            cls = getattr(importlib.import_module(module), qualname)
            return cls(path, reason)
        except Exception:
            return PageFailedError(path, reason)


class _Remote:
    """Runs ``fn`` on a worker, sending typed errors back in a form that survives pickling.

    Typed errors are still raised (not returned), so Dask retries them like any other failure.
    """

    def __init__(self, fn: Callable[[Any], Any]):
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", "task")

    def __call__(self, item: Any) -> Any:
        try:
            return self.fn(item)
        except OcrIngestError as exc:
            cls = type(exc)
            raise _Envelope(f"{cls.__module__}:{cls.__qualname__}", exc.path, exc.reason) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _path_of(item: object) -> str:
    ref = getattr(item, "ref", None)
    return str(getattr(ref, "path", item))


def _page_of(item: object) -> str:
    number = getattr(getattr(item, "ref", None), "number", None)
    return f"page {number} " if number is not None else ""


class SpawnedCluster:
    """A scheduler and ``dask worker`` processes on 127.0.0.1, started with the same ``dask`` CLI an
    operator uses (see docs/scale-out.md): for tests, benchmarks and trying a cluster on one machine.

    Each process runs in its own session, so ``close`` (or killing one worker) takes its nanny and
    children with it.
    """

    def __init__(
        self, log_dir: str | os.PathLike[str], *, dask: str | None = None, start_timeout: float = 60.0
    ):
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.dask = dask or shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
        self.start_timeout = start_timeout
        self.workers: list[subprocess.Popen[bytes]] = []
        scheduler_file = self.log_dir / "scheduler.json"
        scheduler_file.unlink(missing_ok=True)
        self.scheduler = self._spawn(
            "scheduler",
            [self.dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            os.environ.copy(),
        )  # fmt: skip
        self.address = self._await_address(scheduler_file)

    def add_worker(
        self, *, nthreads: int = 1, env: dict[str, str | None] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start one ``dask worker`` process (``--nworkers 1``) with ``OMP_THREAD_LIMIT=1``; ``env``
        overrides (``None`` removes a variable). Does not wait for it to join (``wait_for_workers``)."""
        merged: dict[str, str | None] = {**os.environ, "OMP_THREAD_LIMIT": "1", **(env or {})}
        environ = {k: v for k, v in merged.items() if v is not None}
        proc = self._spawn(
            f"worker{len(self.workers)}",
            [self.dask, "worker", self.address, "--nworkers", "1", "--nthreads", str(nthreads),
             "--no-dashboard", "--death-timeout", "30", "--host", "127.0.0.1"],
            environ,
        )  # fmt: skip
        self.workers.append(proc)
        return proc

    def wait_for_workers(self, n: int, timeout: float | None = None) -> None:
        """Block until exactly ``n`` workers are connected (bounded)."""
        from distributed import Client

        deadline = time.monotonic() + (timeout or self.start_timeout)
        with Client(self.address, timeout=10, set_as_default=False) as client:
            while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{n} workers did not connect to {self.address}; logs in {self.log_dir}"
                    )
                time.sleep(0.2)

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                _killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            _killpg(proc.pid, signal.SIGKILL)  # stragglers in the group (a nanny's worker)

    def __enter__(self) -> SpawnedCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.log_dir / f"{name}.log").open("ab") as log:
            return subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )

    def _await_address(self, scheduler_file: Path) -> str:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.scheduler.poll() is not None:
                break
            try:
                return str(json.loads(scheduler_file.read_text())["address"])
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        self.close()
        raise TimeoutError(f"dask scheduler did not start; see {self.log_dir / 'scheduler.log'}")


def _killpg(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
