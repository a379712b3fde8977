"""Pages per minute on a Dask cluster of 1, 2 and 4 worker processes vs the local page threads.

    .venv/bin/python bench/bench_dask.py [--docs PDF ...] [--workers 1 2 4]

Every configuration reads the same scanned pages in the same run, through the same code path the
``run`` command uses (documents in flight from threads, pages as tasks). Each cluster is a real
``dask scheduler`` + ``dask worker --nworkers 1 --nthreads 1`` processes on 127.0.0.1, started and
torn down here. Results are checked identical to the local run. Why the curve flattens: one
Tesseract page keeps one core busy, so past the machine's cores more workers only take turns.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from ocr_ingest.execute.dask_cluster import DaskExecutor, SpawnedCluster, map_documents
from ocr_ingest.execute.local import Executor, LocalExecutor, cores
from ocr_ingest.text.document import DocumentText
from ocr_ingest.text.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = [
    ROOT / "fixtures/scans/govquao-2021-standard.pdf",
    ROOT / "fixtures/scans/govquao-2021-hard.pdf",
    ROOT / "fixtures/scans/huyenuy-2023-standard.pdf",
]
WARM = ROOT / "fixtures/digital/govquao-2021.pdf"  # text layer: imports the pipeline in each worker


def warm(executor: Executor, in_flight: int) -> None:
    """Import the pipeline in every worker before timing (a real cluster is long-lived)."""
    list(map_documents(lambda p: extract_text(p, executor=executor), [WARM] * in_flight, in_flight=in_flight))


def read_all(executor: Executor, docs: list[Path], in_flight: int) -> tuple[float, list[DocumentText]]:
    """Wall seconds to read every document, and the documents."""
    started = time.perf_counter()
    out = []
    for path, doc in map_documents(lambda p: extract_text(p, executor=executor), docs, in_flight=in_flight):
        if not isinstance(doc, DocumentText):
            raise SystemExit(f"{path}: {doc}")
        out.append(doc)
    return time.perf_counter() - started, out


def cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children (Tesseract, pdftoppm): unlike wall
    time, it does not grow when other jobs share the machine."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def differences(a: list[DocumentText], b: list[DocumentText]) -> list[str]:
    """Which document, page and field differ (timings aside): empty when the runs agree."""
    out = []
    for da, db in zip(a, b, strict=True):
        if da.sha256 != db.sha256:
            out.append(f"{Path(da.path).name}: file changed during the run")
        for pa, pb in zip(da.pages, db.pages, strict=True):
            fields = [f for f in ("text", "source", "confidence", "rotation", "skew", "dpi", "steps")
                      if getattr(pa, f) != getattr(pb, f)]  # fmt: skip
            if fields:
                out.append(f"{Path(da.path).name} page {pa.number}: {', '.join(fields)}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", nargs="+", type=Path, default=DEFAULT_DOCS)
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2, 4])
    args = ap.parse_args()
    docs: list[Path] = args.docs
    n_cores = cores()
    print(
        f"{len(docs)} documents; {n_cores} cores; load average {os.getloadavg()[0]:.2f} at start; "
        f"Python {sys.version.split()[0]}",
        flush=True,
    )

    rows: list[tuple[str, int, float]] = []  # (label, pages, seconds)
    reference: list[DocumentText] | None = None
    cpu_per_page: list[float] = []  # worker CPU seconds per page, one entry per cluster size
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as logs:
        for n in args.workers:
            with SpawnedCluster(Path(logs) / f"w{n}") as cluster:
                for _ in range(n):
                    cluster.add_worker()
                cluster.wait_for_workers(n, timeout=120)
                with DaskExecutor(cluster.address) as ex:
                    warm(ex, in_flight=max(n, len(docs)))
                    before = sum(ex.client.run(cpu_seconds).values())
                    seconds, out = read_all(ex, docs, in_flight=len(docs))
                    cpu = sum(ex.client.run(cpu_seconds).values()) - before
            pages = sum(len(d.pages) for d in out)
            cpu_per_page.append(cpu / pages)
            rows.append((f"dask, {n} worker{'s' if n > 1 else ''}", pages, seconds))
            print(
                f"  {rows[-1][0]:<22} {pages} pages in {seconds:6.1f} s ({cpu / pages:.2f} CPU s/page)",
                flush=True,
            )
            if reference is None:
                reference = out
            elif diff := differences(reference, out):
                print(f"  !! {n} workers differ from {args.workers[0]}: {'; '.join(diff)}", flush=True)
        with LocalExecutor(n_cores) as local:
            warm(local, in_flight=len(docs))
            seconds, out = read_all(local, docs, in_flight=len(docs))
        if reference is not None and (diff := differences(reference, out)):
            print(f"  !! local threads differ from dask: {'; '.join(diff)}", flush=True)
        rows.append((f"local, {n_cores} cores (threads)", sum(len(d.pages) for d in out), seconds))
        print(f"  {rows[-1][0]:<22} {rows[-1][1]} pages in {seconds:6.1f} s", flush=True)

    base = next((pages / secs for label, pages, secs in rows if label == "dask, 1 worker"), None)
    print("\n| executor | pages | seconds | pages/min | × 1 worker |")
    print("|---|---:|---:|---:|---:|")
    for label, pages, secs in rows:
        rate = pages / secs
        ratio = f"{rate / base:.2f}" if base else "–"
        print(f"| {label} | {pages} | {secs:.1f} | {rate * 60:.1f} | {ratio} |")

    if cpu_per_page:
        per_page = min(cpu_per_page)
        print(
            f"\nper page: {per_page:.2f} CPU seconds on a worker (lowest of the runs) → {60 / per_page:.1f} pages/min per busy core."
        )
        print(
            f"This machine has {n_cores} cores: scaling stops at {n_cores} workers; more worker processes than"
            " cores only share the cores (Tesseract runs one thread with OMP_THREAD_LIMIT=1)."
        )
        for machines, per in ((10, 8), (50, 16)):
            est = machines * per * 60 / per_page
            print(
                f"estimate: {machines} machines × {per} cores ≈ {est:,.0f} pages/min "
                f"({est * 60 * 24 / 1e6:.1f} M pages/day), if the shared file store keeps up"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
