"""``ocr-ingest serve`` server time: the search page over 10 000 synthetic records, and document pages.

Run: ``.venv/bin/python bench/bench_serve.py [--records 10000]``. The index is filled by
``bench_archive.fill`` (the archive benchmark's synthetic notices); each search page request (query,
filters, 20 hits with snippets, the type list, the template) goes through the app in process and its
server time is read from the ``Server-Timing`` header the app sets (time to the response's first
byte). Baseline in the same run: ``Archive.search`` alone on the same queries. Document pages (fields
table, signature report, page list) are timed on a real archive of the born-digital and signed
fixtures, since the synthetic records have no folders. p50 / p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from bench.bench_archive import QUERIES, fill  # noqa: E402
from ocr_ingest.archive import ingest  # noqa: E402
from ocr_ingest.archive.store import Archive, Filters  # noqa: E402
from ocr_ingest.serve import create_app  # noqa: E402
from verify import Settings  # noqa: E402

FILTERS = [
    {},
    {"type": "thong bao"},
    {"from": "2020", "to": "2022"},
    {"issuer": "tra cu"},
    {"verdict": "valid"},
]
DOCUMENTS = [
    "fixtures/digital/govquao-2021.pdf",
    "fixtures/digital/huyenuy-2023.pdf",
    "fixtures/signed/valid.pdf",
    "fixtures/signed/stamp-time-off.pdf",
    "fixtures/signed/page-replaced.pdf",
]


def server_ms(response) -> float:
    return float(re.fullmatch(r"app;dur=([\d.]+)", response.headers["server-timing"])[1])


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def search_pages(tmp: Path, n: int, rounds: int) -> None:
    print(f"== search page: {n} synthetic records ==")
    root = tmp / "synthetic"
    started = time.perf_counter()
    pages = fill(root, n)
    print(f"filled in {time.perf_counter() - started:.1f} s ({pages} pages)")
    client = TestClient(create_app(root))
    rng = random.Random(7)
    requests = []
    for _ in range(rounds):
        for q in QUERIES:
            f = rng.choice(FILTERS)
            requests.append({"q": q, **f, **({"page": "2"} if rng.random() < 0.2 else {})})
    for q in QUERIES:  # warm the page cache and the templates once
        client.get("/", params={"q": q})
    server, wall, hits = [], [], 0
    for params in requests:
        t = time.perf_counter()
        r = client.get("/", params=params)
        wall.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (params, r.status_code)
        server.append(server_ms(r))
        hits += r.text.count('<li class="hit">')
    base = []
    with Archive(root, readonly=True) as arc:
        for params in requests:
            f = Filters(
                params.get("type"),
                params.get("from"),
                params.get("to"),
                params.get("issuer"),
                params.get("verdict"),
            )
            offset = 20 if params.get("page") == "2" else 0
            t = time.perf_counter()
            arc.search(params["q"], f, limit=21, offset=offset)
            base.append((time.perf_counter() - t) * 1000)
    p50, p99 = percentiles(server)
    b50, b99 = percentiles(base)
    w50, w99 = percentiles(wall)
    print(
        f"{len(server)} search pages (20 hits, snippets, filters, 20 % on page 2; {hits / len(server):.1f} hits avg):\n"
        f"  server time     p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, max {max(server):6.1f} ms\n"
        f"  Archive.search  p50 {b50:6.1f} ms, p99 {b99:6.1f} ms  (baseline: the query alone)\n"
        f"  in-process HTTP p50 {w50:6.1f} ms, p99 {w99:6.1f} ms  (TestClient round trip)"
    )


def document_pages(tmp: Path, rounds: int) -> None:
    print("== document page: born-digital and signed fixtures ==")
    root = tmp / "fixtures"
    settings = Settings(trust_dirs=(ROOT / "fixtures" / "signed" / "pki",))
    with Archive(root) as arc:
        shas = [ingest(ROOT / p, arc, settings=settings).sha256 for p in DOCUMENTS]
    client = TestClient(create_app(root))
    for sha in shas:
        client.get(f"/doc/{sha}")
    times = []
    for _ in range(rounds):
        for sha in shas:
            r = client.get(f"/doc/{sha}")
            assert r.status_code == 200
            times.append(server_ms(r))
    p50, p99 = percentiles(times)
    print(f"{len(times)} document pages: server time p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    thumbs = []
    for sha in shas:
        r = client.get(f"/doc/{sha}/thumb/2.png")
        thumbs.append(server_ms(r))
    cached = [server_ms(client.get(f"/doc/{sha}/thumb/2.png")) for sha in shas]
    print(
        f"thumbnail (pdftoppm at 40 dpi, first time) median {statistics.median(thumbs):.1f} ms; "
        f"from the memory cache {statistics.median(cached):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=25, help="passes over the query list (16 queries each)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        search_pages(tmp, args.records, args.rounds)
        document_pages(tmp, args.rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
