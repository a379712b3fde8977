"""``ocr-ingest run``: folders, duplicates, failures that don't stop the run, JSONL through a real process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_ingest.archive.store import Archive
from ocr_ingest.cli.run import collect, main

ROOT = Path(__file__).resolve().parents[2]
DIGITAL = ROOT / "fixtures" / "digital"
PYTHON = [sys.executable, "-m", "ocr_ingest.cli.run"]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Two notices, one twice in a sub-folder, four bad files, and files a scanner or editor leaves."""
    box = tmp_path / "inbox"
    (box / "2021" / "vp").mkdir(parents=True)
    (box / ".trash").mkdir()
    shutil.copy(DIGITAL / "govquao-2021.pdf", box / "a-govquao.pdf")
    shutil.copy(DIGITAL / "huyenuy-2023.pdf", box / "b-huyenuy.pdf")
    shutil.copy(DIGITAL / "govquao-2021.pdf", box / "2021" / "vp" / "copy.pdf")
    (box / "c-empty.pdf").write_bytes(b"")
    (box / "d-not-pdf.pdf").write_text("not a pdf")
    (box / "e-truncated.pdf").write_bytes((DIGITAL / "govquao-2021.pdf").read_bytes()[:2000])
    import pikepdf

    with pikepdf.open(DIGITAL / "huyenuy-2023.pdf") as pdf:
        pdf.save(box / "f-encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="pw"))
    (box / ".trash" / "old.pdf").write_bytes(b"%PDF-1.4 hidden")
    (box / ".~lock.a-govquao.pdf#").write_text("lock")
    (box / "scan.pdf.part").write_bytes(b"%PDF-")
    (box / "readme.txt").write_text("notes")
    (box / "scanner.dat").write_bytes((DIGITAL / "huyenuy-2023.pdf").read_bytes())  # a PDF by content
    return box


def summary(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if re.match(r"ingested \d+, duplicate", line))


def test_collect_skips_hidden_temp_and_non_documents(inbox: Path) -> None:
    found, skipped = collect([str(inbox)])
    assert [(i.path.name, i.relative_folder) for i in found] == [
        ("a-govquao.pdf", ""),
        ("b-huyenuy.pdf", ""),
        ("c-empty.pdf", ""),
        ("d-not-pdf.pdf", ""),
        ("e-truncated.pdf", ""),
        ("f-encrypted.pdf", ""),
        ("scanner.dat", ""),
        ("copy.pdf", "2021/vp"),
    ]
    assert skipped == 3  # lock file, partial download, readme.txt (the hidden folder is not entered)


def test_run_archives_counts_add_up_and_exit_1(inbox: Path, tmp_path: Path, capsys) -> None:
    arc = tmp_path / "arc"
    code = main([str(inbox), "--archive", str(arc), "--jobs", "1", "--jsonl", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err
    assert code == 1
    assert summary(err) == "ingested 2, duplicate 2, failed 4 (of 8 inputs)"
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    by_name = {Path(r["source"]).name: r for r in records}
    assert len(records) == 8
    assert by_name["a-govquao.pdf"]["metadata"]["number"] == "153/TB-VP"
    assert (
        by_name["copy.pdf"]["status"] == "duplicate" and by_name["copy.pdf"]["relative_folder"] == "2021/vp"
    )
    assert by_name["copy.pdf"]["duplicate_of"] == str(inbox / "a-govquao.pdf")
    assert by_name["scanner.dat"]["status"] == "duplicate"  # same bytes as b-huyenuy.pdf
    assert by_name["f-encrypted.pdf"]["reason"] == "is encrypted with a password; decrypt it first"
    assert by_name["c-empty.pdf"]["reason"] == "is empty (0 bytes)"
    assert {r["status"] for n, r in by_name.items() if n[1] == "-" and n[0] in "cdef"} == {"failed"}
    with Archive(arc) as a:
        assert a.count() == 2
        assert a.db.execute("SELECT count(*) FROM failures").fetchone() == (4,)
        assert (arc / by_name["a-govquao.pdf"]["archive"]["original"]).read_bytes() == (
            DIGITAL / "govquao-2021.pdf"
        ).read_bytes()

    # Re-running is a no-op: nothing new stored, the good files are duplicates.
    code = main([str(inbox), "--archive", str(arc), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1 and summary(captured.err) == "ingested 0, duplicate 4, failed 4 (of 8 inputs)"
    assert "duplicate  " in captured.out and Archive(arc).count() == 2


def test_all_good_exit_0_without_archive(tmp_path: Path, capsys) -> None:
    good = [str(DIGITAL / "govquao-2021.pdf"), str(DIGITAL / "huyenuy-2023.pdf")]
    assert main([*good, good[0], "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert summary(captured.err) == "ingested 2, duplicate 1, failed 0 (of 3 inputs)"
    lines = captured.out.splitlines()
    assert lines[0].startswith("ingested") and "THÔNG BÁO 153/TB-VP 2021-06-09, 3 p., unsigned" in lines[0]
    assert lines[2].startswith("duplicate")


@pytest.mark.parametrize("argv", [[], ["x.pdf", "--jobs", "0"], ["x.pdf", "--dpi", "many"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    proc = subprocess.run([*PYTHON, *argv], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == ""


def test_jsonl_to_stdout_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("nope")
    proc = subprocess.run(
        [
            *PYTHON,
            str(DIGITAL / "govquao-2021.pdf"),
            str(bad),
            "--jsonl",
            "-",
            "--archive",
            str(tmp_path / "a"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.splitlines()]  # stdout is JSON only
    assert [r["status"] for r in records] == ["ingested", "failed"]
    assert records[0]["metadata"]["signer_name"] == "Trần Văn Trung"
    assert summary(proc.stderr) == "ingested 1, duplicate 0, failed 1 (of 2 inputs)"
    assert "\x1b[" not in proc.stderr and "doc/s" not in proc.stderr  # no progress bar when piped


@pytest.mark.slow
def test_jsonl_streams_records_as_documents_finish(tmp_path: Path) -> None:
    """The first record is readable while the second document (an OCR'd image) is still being read."""
    proc = subprocess.Popen(
        [
            *PYTHON,
            str(DIGITAL / "govquao-2021.pdf"),
            str(ROOT / "fixtures" / "images" / "govquao-2021-standard-p1.jpg"),
            "--jsonl",
            "-",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    first = json.loads(proc.stdout.readline())
    still_running = proc.poll() is None
    rest, err = proc.communicate(timeout=300)
    assert first["metadata"]["number"] == "153/TB-VP" and still_running
    second = json.loads(rest)
    assert second["status"] == "ingested" and second["pages"][0]["source"] == "ocr"
    assert proc.returncode == 0 and summary(err) == "ingested 2, duplicate 0, failed 0 (of 2 inputs)"


@pytest.mark.timeout(60)
def test_unreachable_scheduler_stops_the_run_with_exit_3(tmp_path: Path) -> None:
    """A wrong --scheduler is a set-up problem: one clear line, exit 3, quickly, nothing archived."""
    import socket
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    proc = subprocess.run(
        [*PYTHON, str(DIGITAL / "govquao-2021.pdf"), "--archive", str(tmp_path / "a")]
        + ["--scheduler", f"tcp://127.0.0.1:{port}", "--scheduler-timeout", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=50,
    )
    assert proc.returncode == 3, proc.stderr
    assert time.monotonic() - started < 30
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "unreachable within 2 s" in lines[0]
    assert not (tmp_path / "a" / "archive.sqlite").exists()
