"""Pipeline benchmark: ours vs bare Tesseract vs OCRmyPDF on the same fixture scans, in one run.

    .venv/bin/python bench/bench_pipeline.py [--quick]

For each tool: wall time, pages/minute, peak memory (all its processes together) and CER against the ground truth,
then ratios against the baselines. All get the same parallelism (one Tesseract per core,
``OMP_THREAD_LIMIT=1``). Bare Tesseract reads the scans' own page images (``pdfimages``): no rendering
at all, but on a noisy skewed page it also finds less text to read, so it is quick partly because it
fails. "tesseract on our pages" runs the same bare Tesseract on the pages our preprocessing produced
(made beforehand, not timed): the difference between that and ``ocr-ingest`` is our own overhead.
Each tool first reads one document per command (as a clerk checks one notice); then, as a folder is
read, ``ocr-ingest text`` gets all files at once and bare Tesseract all page images in one pool.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cer import truth_for  # noqa: E402
from ocr_ingest.execute.local import cores  # noqa: E402
from ocr_ingest.text.cer import character_error_rate  # noqa: E402

SCANS = ["govquao-2021-standard", "govquao-2021-hard", "huyenuy-2023-standard", "huyenuy-2023-hard"]
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
CORES = cores()


def measured(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``cmd``; wall seconds, peak memory in MiB (RSS summed over the whole process tree, sampled
    every 50 ms: page workers included, however they were started) and the result."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, **kw)
    peak = 0
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()))
    reader.start()
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    reader.join()
    err = proc.stderr.read()
    wall = time.perf_counter() - t0
    out = subprocess.CompletedProcess(cmd, proc.returncode, b"".join(chunks), err)
    return wall, peak / 2**20, out


def run_ours(pdf: Path, tmp: Path) -> tuple[float, float, str]:
    wall, rss, out = measured([str(ROOT / ".venv/bin/ocr-ingest"), "text", str(pdf)])
    if out.returncode:
        raise SystemExit(out.stderr.decode())
    return wall, rss, out.stdout.decode()


def tesseract_on(pages: list[Path], *extra: str) -> tuple[float, float, str]:
    """Bare ``tesseract PAGE stdout -l vie`` on each page, CORES at a time, timed as one command."""
    script = (
        "import subprocess,sys;from concurrent.futures import ThreadPoolExecutor as T;"
        f"r=list(T({CORES}).map(lambda f: subprocess.run(['tesseract',f,'stdout','-l','vie',*{list(extra)!r}],"
        "capture_output=True,text=True).stdout, sys.argv[1:]));print('\\f'.join(r))"
    )
    wall, rss, out = measured([sys.executable, "-c", script, *map(str, pages)])
    return wall, rss, out.stdout.decode()


def run_bare(pdf: Path, tmp: Path) -> tuple[float, float, str]:
    """Bare Tesseract on the scan's own page images (``pdfimages``: no rendering)."""
    images = tmp / f"{pdf.stem}-img"
    images.mkdir()
    subprocess.run(["pdfimages", "-j", str(pdf), str(images / "p")], check=True)
    return tesseract_on(sorted(images.iterdir()))


def run_bare_on_ours(pdf: Path, tmp: Path) -> tuple[float, float, str]:
    """Bare Tesseract on our preprocessed pages (``ocr-ingest preprocess``, untimed)."""
    pages_dir = tmp / f"{pdf.stem}-ours"
    cmd = [str(ROOT / ".venv/bin/ocr-ingest"), "preprocess", "--out", str(pages_dir), str(pdf)]
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return tesseract_on(sorted(pages_dir.glob("*.png")))  # each PNG carries its dpi


def run_ocrmypdf(pdf: Path, tmp: Path) -> tuple[float, float, str]:
    sidecar = tmp / f"{pdf.stem}.txt"
    cmd = [
        str(ROOT / ".venv/bin/ocrmypdf"),
        "-l",
        "vie",
        "--deskew",
        "--clean",
        "--rotate-pages",
        "--force-ocr",
    ]
    cmd += ["--jobs", str(CORES), "--sidecar", str(sidecar), "-q", str(pdf), str(tmp / f"{pdf.stem}.ocr.pdf")]
    wall, rss, out = measured(cmd)
    if out.returncode:
        raise SystemExit(f"ocrmypdf failed: {out.stderr.decode()[-500:]}")
    return wall, rss, sidecar.read_text(encoding="utf-8")


def batch_figures(scans: list[str]) -> dict:
    """How a folder is really read: every file in one ``ocr-ingest text`` (documents overlap), against
    bare Tesseract over every page image in one pool (no document tails either)."""
    pdfs = [ROOT / "fixtures" / "scans" / f"{name}.pdf" for name in scans]
    with tempfile.TemporaryDirectory() as tmpdir:
        pages: list[Path] = []
        for pdf in pdfs:
            folder = Path(tmpdir) / pdf.stem
            folder.mkdir()
            subprocess.run(["pdfimages", "-j", str(pdf), str(folder / "p")], check=True)
            pages += sorted(folder.iterdir())
        bare, _, _ = tesseract_on(pages)
        ours, _, out = measured([str(ROOT / ".venv/bin/ocr-ingest"), "text", *map(str, pdfs)])
    if out.returncode:
        raise SystemExit(out.stderr.decode())
    return {"pages": len(pages), "ours": round(ours, 2), "bare": round(bare, 2)}


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(info.split("Pages:")[1].split()[0])


TOOLS = {
    "ocr-ingest": run_ours,
    "bare tesseract": run_bare,
    "tesseract on our pages": run_bare_on_ours,
    "ocrmypdf": run_ocrmypdf,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the two 3-page Gò Quao scans")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="run ours and bare Tesseract this many times, interleaved, and compare medians: this "
        "machine's timings move ±10%% from run to run (default: 3; OCRmyPDF runs once)",
    )
    args = ap.parse_args()
    scans = SCANS[:2] if args.quick else SCANS
    if not shutil.which("unpaper"):
        print("note: unpaper missing, OCRmyPDF --clean will fail")
    results: dict[str, dict] = {}
    seconds: dict[str, list[float]] = {tool: [] for tool in TOOLS}
    with tempfile.TemporaryDirectory() as tmpdir:
        for round_ in range(args.rounds):
            for tool, fn in TOOLS.items():
                if tool == "ocrmypdf" and round_:
                    continue  # 6× slower than the rest and far from the line: once is enough
                tmp = Path(tmpdir) / f"{round_}-{tool}"
                tmp.mkdir()
                total_wall = total_pages = 0.0
                peak, chars, errors = 0.0, 0, 0.0
                for name in scans:
                    pdf = ROOT / "fixtures" / "scans" / f"{name}.pdf"
                    wall, rss, text = fn(pdf, tmp)
                    truth = truth_for(pdf)
                    cer = character_error_rate(truth, text)
                    pages = page_count(pdf)
                    print(
                        f"{tool:22s} {name:24s} {pages} pages {wall:6.1f} s  CER {cer:6.3%}  peak {rss:5.0f} MiB",
                        flush=True,
                    )
                    total_wall += wall
                    total_pages += pages
                    peak = max(peak, rss)
                    errors += cer * len(truth)
                    chars += len(truth)
                seconds[tool].append(total_wall)
                wall = statistics.median(seconds[tool])
                results[tool] = {
                    "seconds": round(wall, 2),
                    "rounds": [round(t, 2) for t in seconds[tool]],
                    "pages": int(total_pages),
                    "pages_per_minute": round(60 * total_pages / wall, 2),
                    "peak_mib": round(max(peak, results.get(tool, {}).get("peak_mib", 0))),
                    "cer": round(errors / chars, 5),
                }
    batch = batch_figures(scans) if not args.quick else None
    ours = results["ocr-ingest"]
    print(f"\n{'tool':22s} {'pages/min':>9s} {'peak MiB':>8s} {'CER':>7s}   time vs ours")
    for tool, r in results.items():
        print(
            f"{tool:22s} {r['pages_per_minute']:9.1f} {r['peak_mib']:8d} {r['cer']:7.3%}   {r['seconds'] / ours['seconds']:.2f}×"
        )
    print(
        f"\nours vs OCRmyPDF: {ours['pages_per_minute'] / results['ocrmypdf']['pages_per_minute']:.2f}× the pages/minute;"
        f" ours vs bare Tesseract: {ours['seconds'] / results['bare tesseract']['seconds']:.2f}× the time"
        f" (overhead {ours['seconds'] / results['bare tesseract']['seconds'] - 1:+.0%});"
        f" ours vs Tesseract alone on our pages: {ours['seconds'] / results['tesseract on our pages']['seconds']:.2f}×"
    )
    if batch:
        print(
            f"\nbatch (all {batch['pages']} pages at once): ocr-ingest text on the {len(scans)} files in one command"
            f" {batch['ours']:.1f} s, bare Tesseract on all page images in one pool {batch['bare']:.1f} s:"
            f" {batch['ours'] / batch['bare']:.2f}× the time"
        )
        results["batch"] = batch
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
