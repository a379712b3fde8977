"""``ocr-ingest search`` over an archive made from the real fixtures: output, filters, ranking, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_ingest.archive import ingest
from ocr_ingest.archive.store import Archive
from ocr_ingest.cli.search import main
from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
DIGITAL = ROOT / "fixtures" / "digital"


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search") / "arc"
    settings = Settings(trust_dirs=(ROOT / "fixtures" / "signed" / "pki",))
    with Archive(root) as arc:
        for path in (
            DIGITAL / "govquao-2021.pdf",
            DIGITAL / "huyenuy-2023.pdf",
            ROOT / "fixtures/signed/valid.pdf",
        ):
            assert ingest(path, arc, settings=settings).status == "ingested"
    return root


def search(archive_dir: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(["--archive", str(archive_dir), "--json", *argv])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_human_output_has_fields_verdict_and_marked_snippet(archive_dir: Path, capsys) -> None:
    assert main(["--archive", str(archive_dir), "chu tich vo van tra"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "1. THÔNG BÁO 153/TB-VP, 2021-06-09 — VĂN PHÒNG HĐND-UBND [unsigned]"
    assert lines[1].startswith("   Ý kiến kết luận của Chủ tịch UBND huyện Võ Văn Trà")
    assert lines[2].startswith("   Ký: CHÁNH VĂN PHÒNG, Trần Văn Trung · 3 trang · 2021/")
    assert "«Chủ» «tịch» UBND huyện «Võ» «Văn» «Trà»" in lines[3]
    assert "\x1b[" not in out  # no colour when not a terminal


def test_json_hits_without_diacritics(archive_dir: Path, capsys) -> None:
    code, hits = search(archive_dir, capsys, "thuong truc huyen uy")
    assert code == 0 and len(hits) == 3  # the Gò Quao notice mentions it once, the Trà Cú ones often
    assert {h["verdict"] for h in hits[:2]} == {"unsigned", "valid"}
    assert [h["metadata"]["signer_name"] for h in hits] == ["Lâm Thái Hòa", "Lâm Thái Hòa", "Trần Văn Trung"]
    assert all("«Thường» «trực» «Huyện» «ủy»" in h["snippet"] for h in hits[:2])
    assert set(hits[0]) == {"sha256", "score", "snippet", "verdict", "metadata", "dir", "source"}


def test_bm25_puts_the_document_about_it_first(archive_dir: Path, capsys) -> None:
    _, hits = search(archive_dir, capsys, "uy ban nhan dan huyen go quao")
    assert hits[0]["metadata"]["number"] == "153/TB-VP"
    _, hits = search(archive_dir, capsys, "huyen uy tra cu")
    assert [h["metadata"]["parent_body"] for h in hits[:2]] == ["ĐẢNG BỘ TỈNH TRÀ VINH"] * 2
    assert [h["score"] for h in hits[:2]] == sorted(h["score"] for h in hits[:2])


def test_the_words_as_a_phrase_rank_above_the_words_apart(archive_dir: Path, capsys) -> None:
    """bm25 alone ranked the Trà Cú notice (thời hạn, thời gian, ký, kỳ: apart) above the signed
    copy whose stamp says "Thời gian ký"."""
    _, hits = search(archive_dir, capsys, "thoi gian ky")
    assert [Path(h["source"]).name for h in hits] == ["valid.pdf", "huyenuy-2023.pdf"]
    assert "«Thời» «gian» «ký»: 14.09.2023" in hits[0]["snippet"]
    _, hits = search(archive_dir, capsys, '"thoi gian ky"')  # quoted: the phrase only
    assert [Path(h["source"]).name for h in hits] == ["valid.pdf"]


def test_filters(archive_dir: Path, capsys) -> None:
    assert [h["verdict"] for h in search(archive_dir, capsys, "hoi nghi", "--verdict", "valid")[1]] == [
        "valid"
    ]
    _, hits = search(archive_dir, capsys, "hoi nghi", "--from", "2021-06-01", "--to", "2021-06-30")
    assert [h["metadata"]["number"] for h in hits] == ["153/TB-VP"]
    _, hits = search(archive_dir, capsys, "hoi nghi", "--issuer", "tra cu")
    assert len(hits) == 2 and all("TRÀ CÚ" in h["metadata"]["issuing_body"] for h in hits)
    _, hits = search(archive_dir, capsys, "--type", "thong bao", "--limit", "3")
    # Dated first, newest first; the Trà Cú draft's date is partial (day left blank): 2023-09.
    assert [h["metadata"]["date"] for h in hits] == ["2023-09", "2023-09", "2021-06-09"]
    code, hits = search(archive_dir, capsys, "hoi nghi", "--type", "quyet dinh")
    assert code == 1 and hits == []


@pytest.mark.parametrize(
    "argv",
    [["x", "--from", "09/06/2021"], ["x", "--limit", "0"], ["x", "--verdict", "great"]],
)
def test_usage_errors(archive_dir: Path, argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli.search", "--archive", str(archive_dir), *argv],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stdout == ""


def test_missing_archive_is_a_usage_error_and_not_created(tmp_path: Path, capsys) -> None:
    assert main(["--archive", str(tmp_path / "none"), "x"]) == 2
    assert "no archive at" in capsys.readouterr().err and not (tmp_path / "none").exists()
