"""``ocr-ingest watch``: real watcher processes on temp inboxes, real files, every test time-bounded."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from ocr_ingest.text.load import hash_file
from ocr_ingest.watch.watcher import DEFAULT_IGNORE, claimed_name, is_ignored, looks_complete, rel_of_claimed

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
FAST = [FIX / "signed" / n for n in ("unsigned.pdf", "valid.pdf", "self-signed.pdf", "sha1.pdf")] + [
    FIX / "digital" / "govquao-2021.pdf",
    FIX / "digital" / "huyenuy-2023.pdf",
]
SCAN = FIX / "scans" / "govquao-2021-standard.pdf"
FAST_ARGS = ["--settle", "0.4", "--grace", "1.5", "--rescan", "2", "--jobs", "2"]


# --- helpers ----------------------------------------------------------------------------------------


def distinct_docs(folder: Path, n: int, tag: str = "") -> dict[str, str]:
    """``n`` distinct, fast, valid PDFs (a fixture plus a comment after ``%%EOF``): name → sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i in range(n):
        src = FAST[i % len(FAST)]
        path = folder / f"doc{tag}{i:02d}.pdf"
        path.write_bytes(src.read_bytes() + f"\n% copy {tag}{i}\n".encode())
        out[path.name] = hash_file(path)[0]
    return out


def bad_files(folder: Path) -> dict[str, str]:
    """name → words its ``.error.json`` reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    digital = FIX / "digital" / "govquao-2021.pdf"
    (folder / "notes.pdf").write_text("Đây không phải là PDF\n", encoding="utf-8")
    (folder / "truncated.pdf").write_bytes(digital.read_bytes()[:30000])
    (folder / "empty.pdf").write_bytes(b"")
    with pikepdf.open(digital) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    return {
        "notes.pdf": "neither",
        "truncated.pdf": "truncated",
        "empty.pdf": "empty",
        "encrypted.pdf": "encrypt",
    }


def archived(archive: Path) -> list[tuple[str, str, str]]:
    """(sha256, source, relative_folder) of every committed document."""
    if not (archive / "archive.sqlite").exists():
        return []
    db = sqlite3.connect(archive / "archive.sqlite", timeout=30)
    try:
        return db.execute("SELECT sha256, source, relative_folder FROM documents ORDER BY sha256").fetchall()
    except sqlite3.OperationalError:  # the watcher has not created the schema yet
        return []
    finally:
        db.close()


def start(inbox: Path, archive: Path, *extra: str, log: Path | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ocr_ingest.cli.watch", str(inbox), "--archive", str(archive), *FAST_ARGS]
    err = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [*cmd, "--log-json", *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
    )


def once(inbox: Path, archive: Path, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "ocr_ingest.cli.watch", str(inbox), "--archive", str(archive), *FAST_ARGS]
    return subprocess.run(
        [*cmd, "--once", "--log-json", *extra], cwd=ROOT, capture_output=True, timeout=timeout
    )


def wait_for(
    cond, timeout: float, what: str, *, proc: subprocess.Popen | None = None, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    detail = ""
    if proc is not None and log is not None and proc.poll() is None:
        proc.send_signal(signal.SIGUSR1)  # the watcher dumps every thread's stack into its log
        time.sleep(1.0)
        detail = "\n" + log.read_text(errors="replace")[-6000:]
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{detail}")


def stop(proc: subprocess.Popen, timeout: float = 60) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise


def tail(log: Path, lines: int = 40) -> str:
    """The end of a watcher's log (its stderr): what a failed assertion shows."""
    return "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-lines:])


def events(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text("utf-8").splitlines() if line.startswith("{")]


def files(folder: Path) -> list[str]:
    return (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if folder.is_dir()
        else []
    )


def left_in_inbox(inbox: Path) -> list[str]:
    return [f for f in files(inbox) if not f.startswith((".done/", ".failed/")) and f != "status.json"]


@pytest.fixture
def dirs(tmp_path):
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    return inbox, archive, tmp_path


# --- pure helpers -----------------------------------------------------------------------------------


def test_claimed_names_are_unique_and_keep_the_subfolder():
    a, b = claimed_name("scan.pdf"), claimed_name("2024/phong-a/scan.pdf")
    assert a != claimed_name("scan.pdf") and "/" not in b
    assert rel_of_claimed(a) == "scan.pdf" and rel_of_claimed(b) == "2024/phong-a/scan.pdf"


@pytest.mark.parametrize(
    "rel,ignored",
    [
        ("a.pdf", False),
        ("sub/a.pdf", False),
        ("a.pdf.part", True),
        ("a.tmp", True),
        ("~a.pdf", True),
        ("a.pdf~", True),
        (".a.pdf", True),
        (".processing/x__a.pdf", True),
        ("sub/.hidden/a.pdf", True),
        ("status.json", True),
    ],
)
def test_ignored_names(rel, ignored):
    assert is_ignored(rel, DEFAULT_IGNORE) is ignored


def test_a_pdf_is_complete_only_with_its_trailer(tmp_path):
    data = (FIX / "signed" / "valid.pdf").read_bytes()
    p = tmp_path / "x.pdf"
    p.write_bytes(data[: len(data) // 2])
    assert not looks_complete(p)
    p.write_bytes(data)
    assert looks_complete(p)
    p.write_bytes(b"")
    assert not looks_complete(p)


# --- real processes ---------------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_a_dead_writers_temporary_files_are_swept_a_live_ones_kept(tmp_path):
    """kill -9 between write and rename leaves ``.status.json.tmp-<pid>-<thread>`` behind."""
    from ocr_ingest.watch.files import remove_stale_temps, write_atomic

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".status.json.tmp-{dead.pid}-1").write_text("{")
    (tmp_path / f".status.json.tmp-{os.getpid()}-1").write_text("{")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / f".a.pdf.error.json.tmp-{dead.pid}-7").write_text("{")
    write_atomic(tmp_path / "status.json", "{}")
    assert remove_stale_temps(tmp_path) == 1
    assert remove_stale_temps(tmp_path, recursive=True) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        f".status.json.tmp-{os.getpid()}-1",
        "status.json",
    ]


def test_once_sorts_good_duplicate_bad_and_ignored_files(dirs):
    inbox, archive, tmp = dirs
    good = distinct_docs(inbox, 6)
    sub = inbox / "2024" / "phong-a"
    sub.mkdir(parents=True)
    (sub / "doc00.pdf").write_bytes((inbox / "doc00.pdf").read_bytes())  # same name and bytes, other folder
    (inbox / "copy-of-doc01.pdf").write_bytes((inbox / "doc01.pdf").read_bytes())
    bad = bad_files(inbox / "bad")
    for name in ("scan.pdf.part", "~lock.pdf", ".hidden.pdf", "x.tmp"):
        (inbox / name).write_bytes(b"%PDF-1.4 partial")

    proc = once(inbox, archive)
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]  # some inputs failed
    stored = archived(archive)
    assert sorted(sha for sha, _, _ in stored) == sorted(good.values())  # each good document exactly once
    for _, src, _ in stored:  # the record names the inbox path, not the .processing/ name
        assert src.startswith(str(inbox.resolve())) and ".processing" not in src
    assert sorted(files(inbox / ".failed")) == sorted(
        [f"bad/{n}" for n in bad] + [f"bad/{n}.error.json" for n in bad]
    )
    for name, words in bad.items():
        why = json.loads((inbox / ".failed" / "bad" / f"{name}.error.json").read_text("utf-8"))
        assert words in why["reason"] and why["file"] == f"bad/{name}"
    done = files(inbox / ".done")
    assert sorted(done) == sorted([*good, "2024/phong-a/doc00.pdf", "copy-of-doc01.pdf"])
    assert sorted(left_in_inbox(inbox)) == [".hidden.pdf", "scan.pdf.part", "x.tmp", "~lock.pdf"]
    outcomes = [e for e in events_from(proc.stderr) if e.get("event") in ("ingested", "duplicate", "failed")]
    assert sorted(e["event"] for e in outcomes).count("duplicate") == 2
    assert sorted(e["event"] for e in outcomes).count("ingested") == 6
    status = json.loads((inbox / "status.json").read_text("utf-8"))
    assert status["state"] == "stopped" and status["counts"]["failed"] == 4


def events_from(stderr: bytes) -> list[dict]:
    return [json.loads(x) for x in stderr.decode().splitlines() if x.startswith("{")]


@pytest.mark.timeout(150)
def test_live_watch_slow_scanner_batch_of_30_and_clean_sigterm(dirs):
    inbox, archive, tmp = dirs
    log = tmp / "watch.log"
    proc = start(inbox, archive, "--workers", "2", log=log)
    try:
        wait_for(lambda: (inbox / "status.json").exists(), 30, "the watcher to start")
        # a scanner writing one file in pieces, pausing longer than the settle time between them
        data = (FIX / "signed" / "valid.pdf").read_bytes() + b"\n% slow\n"
        slow = inbox / "scanner" / "slow.pdf"
        slow.parent.mkdir()
        with slow.open("wb") as f:
            for i in range(0, len(data), len(data) // 4 + 1):
                f.write(data[i : i + len(data) // 4 + 1])
                f.flush()
                time.sleep(0.7)
        batch = distinct_docs(tmp / "staging", 30)
        for name in batch:  # dropped all at once
            os.rename(tmp / "staging" / name, inbox / name)
        want = {hashlib.sha256(data).hexdigest(), *batch.values()}
        wait_for(lambda: len(archived(archive)) >= 31, 120, "31 documents in the archive", proc=proc, log=log)
        wait_for(lambda: not left_in_inbox(inbox), 20, "the inbox to empty")
        out = subprocess.run(
            [sys.executable, "-m", "ocr_ingest.cli.watch", str(inbox), "--status"],
            capture_output=True,
            timeout=30,
        )
        status = json.loads(out.stdout)
        assert status["state"] == "running" and status["folders"]["done"] == 31
    finally:
        code = stop(proc)
    assert code == 0, tail(log)
    stored = archived(archive)
    assert sorted(s for s, _, _ in stored) == sorted(want)
    assert ("scanner",) in {(folder,) for _, src, folder in stored if src.endswith("slow.pdf")}
    ev = events(log)
    claims = [e for e in ev if e.get("event") == "claimed" and e["file"] == "scanner/slow.pdf"]
    assert len(claims) == 1  # never taken half-written
    assert json.loads((inbox / "status.json").read_text("utf-8"))["state"] == "stopped"


@pytest.mark.timeout(90)
def test_poll_mode_and_delete_done(dirs):
    inbox, archive, tmp = dirs
    proc = start(inbox, archive, "--poll", "0.5", "--delete-done", "--workers", "1")
    try:
        good = distinct_docs(inbox / "sub", 4)
        wait_for(lambda: len(archived(archive)) == 4, 60, "4 documents")
        wait_for(lambda: not left_in_inbox(inbox), 20, "the inbox to empty")
        assert files(inbox / ".done") == []  # deleted once committed
    finally:
        assert stop(proc) == 0
    assert sorted(s for s, _, _ in archived(archive)) == sorted(good.values())
    assert {f for _, _, f in archived(archive)} == {"sub"}


@pytest.mark.timeout(150)
def test_two_watchers_never_take_the_same_document(dirs):
    inbox, archive, tmp = dirs
    logs = [tmp / "a.log", tmp / "b.log"]
    procs = [start(inbox, archive, "--workers", "2", log=lg) for lg in logs]
    try:
        batch = distinct_docs(tmp / "staging", 30)
        for name in batch:
            os.rename(tmp / "staging" / name, inbox / name)
        wait_for(lambda: len(archived(archive)) >= 30, 120, "30 documents")
        wait_for(lambda: not left_in_inbox(inbox), 30, "the inbox to empty")
    finally:
        codes = [stop(p) for p in procs]
    assert codes == [0, 0], [tail(lg) for lg in logs]
    assert sorted(s for s, _, _ in archived(archive)) == sorted(batch.values())
    outcomes = [e for lg in logs for e in events(lg) if e.get("event") in ("ingested", "duplicate", "failed")]
    assert sorted(e["file"] for e in outcomes) == sorted(batch)  # each file handled once, by one watcher
    assert {e["event"] for e in outcomes} == {"ingested"}
    assert len(files(inbox / ".done")) == 30


@pytest.mark.slow
@pytest.mark.timeout(200)
def test_sigkill_during_a_batch_then_restart_every_document_exactly_once(dirs):
    inbox, archive, tmp = dirs
    batch = distinct_docs(tmp / "staging", 30)
    for name in batch:
        os.rename(tmp / "staging" / name, inbox / name)
    log = tmp / "watch.log"
    # Killed by progress, not by the clock: a faster watcher once finished all 30 before the first kill.
    for done_before_kill in (4, 12, 20):
        proc = start(inbox, archive, "--workers", "2", log=log)
        wait_for(lambda n=done_before_kill: len(archived(archive)) >= n, 60, f"{done_before_kill} documents")
        os.killpg(proc.pid, signal.SIGKILL)  # the watcher and its Tesseracts, mid-batch
        proc.wait(10)
    assert len(archived(archive)) < 30  # the kills really interrupted the batch
    result = once(inbox, archive, timeout=150)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    stored = archived(archive)
    assert sorted(s for s, _, _ in stored) == sorted(batch.values())  # all there, none twice
    assert left_in_inbox(inbox) == [] and files(inbox / ".failed") == []
    assert sorted(files(inbox / ".done")) == sorted(batch)
    assert json.loads((inbox / "status.json").read_text("utf-8"))["counts"]["duplicate"] == 0


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_file_the_watcher_keeps_dying_on_is_set_aside_and_the_inbox_goes_on(dirs):
    """A file that kills its reader would otherwise be resumed, and kill it, forever."""
    inbox, archive, tmp = dirs
    log = tmp / "watch.log"
    (tmp / "poison.pdf").write_bytes(SCAN.read_bytes())
    os.rename(tmp / "poison.pdf", inbox / "poison.pdf")

    def taken(n: int) -> bool:
        return sum(e.get("event") in ("claimed", "resumed") for e in events(log)) >= n

    for n in (1, 2, 3):  # the watcher dies three times with the file in hand: more than --max-crashes 2
        proc = start(inbox, archive, "--workers", "1", "--max-crashes", "2", log=log)
        wait_for(lambda n=n: taken(n), 60, f"the file to be taken ({n})", proc=proc, log=log)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert archived(archive) == []
    good = distinct_docs(inbox, 2)
    proc = start(inbox, archive, "--workers", "1", "--max-crashes", "2", log=log)
    try:
        wait_for(lambda: len(archived(archive)) == 2, 60, "the other files", proc=proc, log=log)
        wait_for(lambda: not left_in_inbox(inbox), 20, "the inbox to empty")
    finally:
        assert stop(proc) == 0, tail(log)
    assert sorted(s for s, _, _ in archived(archive)) == sorted(good.values())
    assert files(inbox / ".failed") == ["poison.pdf", "poison.pdf.error.json"]
    report = json.loads((inbox / ".failed" / "poison.pdf.error.json").read_text("utf-8"))
    assert report["crashes"] == 3 and "stopped 3 times" in report["reason"]
    assert hash_file(inbox / ".failed" / "poison.pdf") == hash_file(SCAN)  # set aside untouched
    resumes = [e.get("crashes") for e in events(log) if e.get("event") == "resumed"]
    assert resumes == [1, 2]


@pytest.mark.timeout(120)
def test_sigterm_finishes_the_scan_in_hand(dirs):
    inbox, archive, tmp = dirs
    log = tmp / "watch.log"
    proc = start(inbox, archive, "--workers", "1", log=log)
    try:
        (tmp / "scan.pdf").write_bytes(SCAN.read_bytes())
        os.rename(tmp / "scan.pdf", inbox / "scan.pdf")
        wait_for(lambda: any(e.get("event") == "claimed" for e in events(log)), 30, "the scan to be claimed")
    finally:
        code = stop(proc, timeout=90)
    assert code == 0, tail(log)
    assert [s for s, _, _ in archived(archive)] == [hash_file(inbox / ".done" / "scan.pdf")[0]]
    assert left_in_inbox(inbox) == []
