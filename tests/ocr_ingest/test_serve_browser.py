"""A records clerk's journey through ``ocr-ingest serve`` in a real headless Chromium (Selenium):
search ``thoi gian ky``, open the signed notice, see its verdict badge and fields, download the
original and check its SHA-256. Screenshots of each page go to ``bench/out/``.

Skipped only where Chromium is missing outside CI; in CI (``CI=true``) a missing browser fails, since
the Makefile installs it."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest

from bench.screenshots import chromium_driver, chromium_paths, full_page, running_server

pytestmark = pytest.mark.slow
OUT = Path(__file__).resolve().parents[2] / "bench" / "out"

if chromium_paths() is None and os.environ.get("CI") != "true":
    pytest.skip(
        "chromium / chromedriver not installed (apt-get install chromium chromium-driver; `make test` does)",
        allow_module_level=True,
    )


def test_search_open_see_verdict_and_fields_download_the_original(
    served_archive: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    valid = served_archive.records["valid"]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    OUT.mkdir(parents=True, exist_ok=True)
    with running_server(served_archive.root) as url, chromium_driver(download_dir=downloads) as driver:
        driver.get(url)
        box = driver.find_element(By.ID, "q")
        assert box.get_attribute("placeholder") == "ví dụ: thoi gian ky"
        box.send_keys("thoi gian ky")
        driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url != url)  # the click navigates: wait for it
        assert driver.current_url.startswith(f"{url}?q=thoi+gian+ky&type=&")
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        assert len(hits) == 5  # four stamps saying "Thời gian ký", then the notice with the words apart
        marks = [m.text for m in hits[0].find_elements(By.TAG_NAME, "mark")]
        assert marks[:3] == ["Thời", "gian", "ký"]
        full_page(driver, OUT / "browser-search.png")

        hit = next(h for h in hits if "Hợp lệ" in h.find_element(By.CLASS_NAME, "badge").text)
        hit.find_element(By.CSS_SELECTOR, "h3 a").click()
        assert driver.current_url == f"{url}doc/{valid.sha256}"
        badge = driver.find_element(By.CSS_SELECTOR, ".verdict-box .badge")
        assert badge.text == "✓ Hợp lệ valid"
        assert "badge-good" in badge.get_attribute("class")
        colour = badge.value_of_css_property("color")
        assert colour in ("rgba(17, 99, 41, 1)", "rgb(17, 99, 41)")  # the stylesheet is served and applied
        fields = {
            row.find_element(By.TAG_NAME, "th").text: row.find_elements(By.TAG_NAME, "td")[0].text
            for row in driver.find_elements(By.CSS_SELECTOR, "table.fields tbody tr")
            if row.find_elements(By.TAG_NAME, "th")
        }
        assert fields["Người ký"] == "Lâm Thái Hòa"
        assert fields["Chức vụ người ký"] == "CHÁNH VĂN PHÒNG"
        assert fields["Ngày ban hành"] == "tháng 09/2023 một phần partial"
        sig = driver.find_element(By.CSS_SELECTOR, "article.sig").text
        assert "CA thử nghiệm các cơ quan Nhà nước" in sig and "14/09/2023 09:12:05" in sig
        thumbs = driver.find_elements(By.CSS_SELECTOR, "ol.thumbs img")
        assert len(thumbs) == 6
        full_page(driver, OUT / "browser-document.png")
        assert all(160 <= driver.execute_script("return arguments[0].naturalWidth", t) <= 170 for t in thumbs)

        driver.find_element(By.PARTIAL_LINK_TEXT, "Tải bản gốc").click()
        target = downloads / "valid.pdf"
        deadline = time.monotonic() + 30
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert target.exists(), sorted(p.name for p in downloads.iterdir())
        assert hashlib.sha256(target.read_bytes()).hexdigest() == valid.sha256
