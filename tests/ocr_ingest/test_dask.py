"""Issue 6: the same ingestion on a real Dask cluster (scheduler + 2 workers on 127.0.0.1).

Local and distributed runs must give identical documents; a worker killed mid-batch, a page that
fails on every retry and a scheduler that is not there must each end the way the docs promise.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ocr_ingest.errors import BadInputError, OcrIngestError
from ocr_ingest.execute.dask_cluster import (
    SCHEDULER_ENV,
    DaskExecutor,
    PageFailedError,
    SchedulerUnreachableError,
    SpawnedCluster,
    documents_in_flight,
    make_executor,
    map_documents,
)
from ocr_ingest.execute.local import LocalExecutor
from ocr_ingest.text.document import DocumentText
from ocr_ingest.text.pipeline import extract_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DIGITAL = sorted((ROOT / "fixtures" / "digital").glob("*.pdf"))
STANDARD = ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf"
HARD = ROOT / "fixtures" / "scans" / "govquao-2021-hard.pdf"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """A scheduler and two one-thread workers, started with the ``dask`` CLI. The second worker is
    started *without* ``OMP_THREAD_LIMIT`` to check that the package sets it on its own."""
    c = SpawnedCluster(tmp_path_factory.mktemp("dask-logs"), start_timeout=60)
    try:
        c.add_worker()
        c.add_worker(env={"OMP_THREAD_LIMIT": None})
        c.wait_for_workers(2, timeout=60)
        yield c
    finally:
        c.close()
    assert all(p.poll() is not None for p in [c.scheduler, *c.workers])


@pytest.fixture(scope="module")
def dask_ex(cluster: SpawnedCluster):
    ex = DaskExecutor(cluster.address, retries=2, connect_timeout=10)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def local_docs():
    """Reference documents read by the local process pool, computed once per path."""
    cache: dict[Path, DocumentText] = {}
    pool = LocalExecutor(2)

    def get(path: Path) -> DocumentText:
        if path not in cache:
            cache[path] = extract_text(path, executor=pool)
        return cache[path]

    yield get
    pool.close()


def comparable(doc: DocumentText) -> DocumentText:
    """Everything but the wall-clock seconds a page took."""
    return replace(doc, pages=tuple(replace(p, seconds=0.0) for p in doc.pages))


@pytest.mark.timeout(240)
def test_dask_results_equal_local(dask_ex: DaskExecutor, local_docs) -> None:
    remote = {path: extract_text(path, executor=dask_ex) for path in [*DIGITAL, STANDARD]}
    for path, doc in remote.items():
        local = local_docs(path)
        assert comparable(doc) == comparable(local), path.name
        assert doc.text == local.text and doc.text.strip()
    scan = remote[STANDARD]
    assert [p.source for p in scan.pages] == ["ocr"] * 3
    assert [p.number for p in scan.pages] == [1, 2, 3]
    assert all(p.confidence and p.confidence > 50 for p in scan.pages)
    assert [(p.confidence, p.rotation, p.skew) for p in scan.pages] == [
        (p.confidence, p.rotation, p.skew) for p in local_docs(STANDARD).pages
    ]
    assert {p.source for p in remote[DIGITAL[-1]].pages} == {"text_layer"}


@pytest.mark.timeout(60)
def test_workers_run_tesseract_single_threaded(dask_ex: DaskExecutor) -> None:
    """Worker 2 was started without OMP_THREAD_LIMIT: once the pipeline is imported there (as it is
    before any page runs) the tesseract wrapper has set it to 1 for the Tesseract child processes."""

    def probe(_: int) -> tuple[str | None, bool]:
        import ocr_ingest.text.pipeline  # noqa: F401  (what unpickling read_page does)

        return os.environ.get("OMP_THREAD_LIMIT"), "ocr_ingest.text.tesseract" in sys.modules

    for worker in dask_ex.client.scheduler_info(n_workers=-1)["workers"]:
        fut = dask_ex.client.submit(probe, 0, workers=[worker], allow_other_workers=False, pure=False)
        assert fut.result(timeout=30) == ("1", True), worker


@pytest.mark.timeout(30)
def test_unreachable_scheduler_fails_fast() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(SchedulerUnreachableError) as info:
        DaskExecutor(f"tcp://127.0.0.1:{port}", connect_timeout=2)
    assert time.monotonic() - started < 8
    assert f"127.0.0.1:{port}" in str(info.value) and "unreachable" in str(info.value)
    assert info.value.exit_code == 3 and isinstance(info.value, OcrIngestError)
    with pytest.raises(SchedulerUnreachableError):
        DaskExecutor("not-an-address", connect_timeout=2)


@pytest.mark.timeout(60)
def test_make_executor_picks_by_argument_then_environment(
    cluster: SpawnedCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    local = make_executor(None, 2)
    assert isinstance(local, LocalExecutor) and local.workers == 2
    assert documents_in_flight(local) == 3
    local.close()
    for chosen in (make_executor(cluster.address, None), _with_env(monkeypatch, cluster.address)):
        assert isinstance(chosen, DaskExecutor) and chosen.address == cluster.address
        assert list(chosen.map(abs, [-1, -2, 3])) == [1, 2, 3]
        assert documents_in_flight(chosen) == 3  # 2 one-thread workers, + 1
        chosen.close()


def _with_env(monkeypatch: pytest.MonkeyPatch, address: str):
    monkeypatch.setenv(SCHEDULER_ENV, address)
    return make_executor(None, None)


@pytest.mark.timeout(120)
def test_page_failing_every_retry_fails_only_its_document(
    dask_ex: DaskExecutor, local_docs, tmp_path: Path
) -> None:
    """A file deleted after its pages were described (a hot folder cleaned up under us): every
    attempt fails, that document fails with the reason, the others in the batch are read."""
    doomed = tmp_path / "doomed.pdf"
    shutil.copy(DIGITAL[0], doomed)

    class DeleteThenRun:  # the real Dask executor, with the file removed between describe and read
        def map(self, fn, items):
            items = list(items)
            doomed.unlink()
            return dask_ex.map(fn, items)

    def read(path: Path) -> DocumentText:
        return extract_text(path, executor=DeleteThenRun() if path == doomed else dask_ex)

    batch = [DIGITAL[1], doomed, DIGITAL[2]]
    outcomes = list(map_documents(read, batch, in_flight=3))
    assert [p for p, _ in outcomes] == batch
    failed = outcomes[1][1]
    assert isinstance(failed, BadInputError), failed
    assert failed.path == str(doomed) and "page 1" in failed.reason
    for path, doc in (outcomes[0], outcomes[2]):
        assert comparable(doc) == comparable(local_docs(path))

    # an unexpected error (not a typed one) also stays with its item, after the retries
    results = dask_ex.map(lambda x: 10 // x, [5, 0, 2])
    assert next(results) == 2
    with pytest.raises(PageFailedError, match="after 2 retries: ZeroDivisionError"):
        next(results)


@pytest.mark.timeout(240)
def test_worker_killed_mid_batch_every_document_lands_once(
    cluster: SpawnedCluster, dask_ex: DaskExecutor, local_docs
) -> None:
    batch = [STANDARD, DIGITAL[0], HARD, DIGITAL[1]]
    expected = {p: comparable(local_docs(p)) for p in batch}
    client = dask_ex.client
    pids = client.run(os.getpid)  # worker address -> pid of the worker process (child of its nanny)
    killed: dict[str, int] = {}

    def kill_one_mid_page() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            busy = [w for w, keys in client.processing().items() if any("read_page" in k for k in keys)]
            if busy:
                time.sleep(1.0)  # well into the page (≈5 s of OCR)
                if client.processing().get(busy[0]):
                    killed[busy[0]] = pids[busy[0]]
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_one_mid_page, daemon=True)
    killer.start()
    outcomes = list(map_documents(lambda p: extract_text(p, executor=dask_ex), batch, in_flight=len(batch)))
    killer.join(timeout=5)

    assert killed, "no worker was killed mid-page"
    assert [p for p, _ in outcomes] == batch  # each document exactly once, in order
    for path, doc in outcomes:
        assert isinstance(doc, DocumentText), (path, doc)
        assert [p.number for p in doc.pages] == list(range(1, len(expected[path].pages) + 1))
        assert comparable(doc) == expected[path], path.name
    # the nanny replaced the dead worker process: two workers again, the killed pid gone
    cluster.wait_for_workers(2, timeout=60)
    assert list(killed.values())[0] not in client.run(os.getpid).values()


@pytest.mark.timeout(90)
def test_scheduler_without_workers_or_lost_mid_batch_gives_a_clear_error(tmp_path: Path) -> None:
    """Its own throwaway cluster: the scheduler is SIGKILLed while pages run. Every later page would
    fail the same way, so ``map`` raises the batch-level error promptly instead of hanging."""
    with SpawnedCluster(tmp_path / "logs") as doomed:
        with pytest.raises(SchedulerUnreachableError, match="has no workers"):  # not a silent wait
            DaskExecutor(doomed.address, connect_timeout=1)
        doomed.add_worker()
        doomed.wait_for_workers(1, timeout=60)
        ex = DaskExecutor(doomed.address, connect_timeout=3)
        try:
            results = ex.map(lambda x: (time.sleep(0.5), x)[1], range(20))
            assert next(results) == 0
            os.killpg(doomed.scheduler.pid, signal.SIGKILL)
            started = time.monotonic()
            with pytest.raises(SchedulerUnreachableError, match="lost mid-batch"):
                list(results)
            assert time.monotonic() - started < 30
        finally:
            ex.close()
