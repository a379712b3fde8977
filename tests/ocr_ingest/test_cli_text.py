import json
import subprocess
import sys

from PIL import Image

from tests.conftest import FIXTURES


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", *args], capture_output=True, text=True, timeout=600
    )


def test_text_json_reports_each_page():
    out = run_cli("text", "--json", str(FIXTURES / "digital" / "huyenuy-2023.pdf"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["sha256"]) == 64 and len(doc["pages"]) == 6
    assert [p["number"] for p in doc["pages"]] == [1, 2, 3, 4, 5, 6]
    assert {p["source"] for p in doc["pages"]} == {"text_layer"}
    assert doc["pages"][0]["text"].startswith("ĐẢNG BỘ TỈNH TRÀ VINH\nHUYỆN ỦY TRÀ CÚ")


def test_preprocess_writes_clean_pages(tmp_path):
    out = run_cli(
        "preprocess",
        "--json",
        "--out",
        str(tmp_path),
        str(FIXTURES / "images" / "govquao-2021-standard-p1.jpg"),
    )
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout.splitlines()[0])
    png = tmp_path / "govquao-2021-standard-p1-p001.png"
    assert info["image"] == str(png) and png.stat().st_size > 10_000
    assert abs(info["skew"] - 2.6) < 0.2 and info["rotation"] == 0
    steps = [s["step"] for s in info["steps"]]
    assert steps[:4] == ["remove_colour_ink", "upsample", "flatten_background", "fit_letter_height"]
    with Image.open(png) as im:  # the resolution it was cleaned at travels with the page
        assert info["dpi"] < 300 and round(im.info["dpi"][0]) == info["dpi"]
    jpeg = str(FIXTURES / "images" / "govquao-2021-standard-p1.jpg")
    full = run_cli("preprocess", "--json", "--letter-height", "0", "--out", str(tmp_path / "full"), jpeg)
    info = json.loads(full.stdout.splitlines()[0])
    assert info["dpi"] == 300 and not info["steps"][3]["changed"]  # 0: the page keeps its resolution


def test_help_and_usage_errors():
    assert run_cli("--help").returncode == 0
    assert "text" in run_cli("--help").stdout
    assert run_cli("text").returncode == 2
    assert run_cli().returncode == 2


def test_several_files_are_read_together_and_printed_in_the_order_given(tmp_path):
    """Documents overlap (their pages share the workers) but come out in argument order."""
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    files = [FIXTURES / "digital" / n for n in ("huyenuy-2023.pdf", "govquao-2021.pdf")]
    out = run_cli("text", "--json", str(files[0]), str(bad), str(files[1]), str(files[0]))
    assert out.returncode == 1
    assert [json.loads(line)["file"] for line in out.stdout.splitlines()] == [
        str(files[0]),
        str(files[1]),
        str(files[0]),
    ]
    assert out.stderr.count("\n") == 1 and "broken.pdf" in out.stderr
