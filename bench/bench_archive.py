"""``run`` end to end on the fixture folders, and ``search`` latency on 10 000 synthetic records.

Run: ``.venv/bin/python bench/bench_archive.py [--records 10000] [--no-scans]``. Part 1 ingests
fixtures/digital (born-digital, text layer) and fixtures/scans (image-only, OCR) into a fresh archive
through ``ocr-ingest run`` and reports documents/minute, pages/minute and index bytes per page.
Part 2 fills an index with synthetic notices made from the fixture texts (numbers, dates, names,
issuers, types and paragraph order varied), then times ``Archive.search`` (query + bm25 + snippet) over
a mix of diacritic-free words, phrases, prefixes and filtered queries: p50 / p99.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ocr_ingest.archive.record import Record  # noqa: E402
from ocr_ingest.archive.store import DB_NAME, Archive, Filters  # noqa: E402
from ocr_ingest.cli.run import main as run_main  # noqa: E402

TYPES = ["THÔNG BÁO", "QUYẾT ĐỊNH", "CÔNG VĂN", "KẾ HOẠCH", "BÁO CÁO", "TỜ TRÌNH", "CHỈ THỊ"]
ISSUERS = [
    ("UBND HUYỆN GÒ QUAO", "VĂN PHÒNG HĐND-UBND"),
    ("ĐẢNG BỘ TỈNH TRÀ VINH", "HUYỆN ỦY TRÀ CÚ"),
    ("UBND TỈNH KIÊN GIANG", "SỞ TÀI CHÍNH"),
    ("UBND TỈNH CÀ MAU", "SỞ Y TẾ"),
    ("BỘ NỘI VỤ", "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC"),
    ("UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
]
NAMES = ["Trần Văn Trung", "Lâm Thái Hòa", "Nguyễn Thị Mai", "Lê Quốc Đạt", "Phạm Đức Thắng", "Võ Văn Trà"]
VERDICTS = ["unsigned", "valid", "stamp_only", "untrusted", "modified"]
QUERIES = [
    "hoi nghi",
    "thoi gian ky",
    "chu tich uy ban nhan dan",
    "dich benh covid",
    '"thuong truc huyen uy"',
    "phat trien kinh te xa hoi",
    "dong chi",
    "giao duc dao tao",
    "ngan sach tai chinh",
    "ket luan chi dao",
    "an ninh trat tu",
    "chuyen doi so",
    "dinh danh dien tu",
    "xay dung nong thon moi",
    "tuyen truyen*",
    "153/TB-VP",
]


def fixture_run(tmp: Path, scans: bool) -> None:
    print("== run: fixtures end to end (ocr-ingest run --archive, all cores) ==")
    digital = tmp / "digital"  # the two born-digital notices (the other files there need OCR)
    digital.mkdir()
    for name in ("govquao-2021.pdf", "huyenuy-2023.pdf"):
        shutil.copy(ROOT / "fixtures" / "digital" / name, digital / name)
    sets = [("born-digital", digital)]
    if scans:
        sets.append(("scans (OCR)", ROOT / "fixtures" / "scans"))
    for label, folder in sets:
        arc = tmp / f"arc-{folder.name}"
        jsonl = tmp / f"{folder.name}.jsonl"
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            run_main([str(folder), "--archive", str(arc), "--jsonl", str(jsonl)])
        seconds = time.perf_counter() - started
        records = [Record.from_dict(json.loads(line)) for line in jsonl.read_text().splitlines()]
        docs = sum(r.status == "ingested" for r in records)
        pages = sum(r.page_count for r in records if r.status == "ingested")
        with Archive(arc) as a:
            a.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        index = (arc / DB_NAME).stat().st_size
        print(
            f"{label:<14} {docs} docs, {pages} pages in {seconds:6.1f} s: "
            f"{docs / seconds * 60:7.1f} docs/min, {pages / seconds * 60:7.1f} pages/min, "
            f"index {index / pages / 1024:5.1f} KiB/page"
        )


def synthetic_text(rng: random.Random, texts: list[str], i: int) -> tuple[str, dict[str, str]]:
    base = rng.choice(texts)
    paragraphs = [p for p in base.split("\n") if p.strip()]
    head, body = paragraphs[:6], paragraphs[6:]
    rng.shuffle(body)
    body = body[: rng.randint(max(3, len(body) // 3), max(4, len(body)))]
    parent, issuer = rng.choice(ISSUERS)
    doc_type, name = rng.choice(TYPES), rng.choice(NAMES)
    year = rng.randint(2015, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    number = f"{rng.randint(1, 999)}/{doc_type.split()[0][:2]}-{issuer.split()[0][:4]}"
    subject = rng.choice(body)[:160] if body else f"Văn bản {i}"
    text = "\n".join([parent, issuer, f"Số: {number}", doc_type, subject, *head[4:], *body, name])
    meta = {
        "parent_body": parent,
        "issuing_body": issuer,
        "doc_type": doc_type,
        "subject": subject,
        "signer_name": name,
        "number": number,
        "date": date,
    }
    return text, meta


def fill(root: Path, n: int) -> int:
    """``n`` synthetic records straight into the index (rows only: search never reads the folders)."""
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "fixtures" / "truth").glob("*.txt"))]
    rng = random.Random(4)
    pages = 0
    with Archive(root) as arc:
        arc.db.execute("PRAGMA synchronous=OFF")
        arc.db.execute("BEGIN")
        arc._transaction = lambda: contextlib.nullcontext(arc.db)  # one transaction for the whole fill
        for i in range(n):
            text, meta = synthetic_text(rng, texts, i)
            fields = {
                k: {"value": v, "span": [0, 0], "confidence": 0.9, "partial": False} for k, v in meta.items()
            }
            fields["date"]["year"] = int(meta["date"][:4])
            page_count = max(1, len(text) // 3000)
            pages += page_count
            sha = f"{i:064x}"
            record = Record(
                source=f"synthetic/{i}.pdf",
                status="ingested",
                sha256=sha,
                page_count=page_count,
                fields=fields,
                verdict=rng.choice(VERDICTS),
                archive={"dir": f"{meta['date'][:4]}/{sha[:2]}/{sha}"},
                ingested_at="2025-01-01T00:00:00+00:00",
            )
            arc._commit_row(record, text)
        arc.db.execute("COMMIT")
        arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return pages


def search_latency(tmp: Path, n: int) -> None:
    print(f"== search: {n} synthetic records ==")
    root = tmp / "synthetic"
    started = time.perf_counter()
    pages = fill(root, n)
    size = (root / DB_NAME).stat().st_size
    print(
        f"filled in {time.perf_counter() - started:.1f} s: {pages} pages, index {size / 2**20:.1f} MiB "
        f"({size / pages / 1024:.1f} KiB/page, text stored once + folded FTS5 index)"
    )
    filters = [
        Filters(),
        Filters(doc_type="thong bao"),
        Filters(date_from="2020", date_to="2022"),
        Filters(issuer="tra cu"),
        Filters(verdict="valid"),
    ]
    rng = random.Random(7)
    times: list[float] = []
    hits_total = 0
    with Archive(root, repair=False) as arc:
        for q in QUERIES:  # warm the page cache once
            arc.search(q)
        for _ in range(25):
            for q in QUERIES:
                f = rng.choice(filters)
                t = time.perf_counter()
                hits_total += len(arc.search(q, f, limit=20))
                times.append(time.perf_counter() - t)
    times.sort()
    p50 = statistics.median(times) * 1000
    p99 = times[int(len(times) * 0.99) - 1] * 1000
    print(
        f"{len(times)} queries (limit 20, with snippets; {hits_total / len(times):.1f} hits avg): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--no-scans", action="store_true", help="skip the OCR fixtures (fast)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    try:
        fixture_run(tmp, scans=not args.no_scans)
        search_latency(tmp, args.records)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
