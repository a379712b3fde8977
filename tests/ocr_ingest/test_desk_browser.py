"""A clerk's day at the review desk in a real headless Chromium (Selenium) against a real ``ocr-ingest
serve``: log in, open the queue, fill in the handwritten number of a notice, approve with Ctrl+Enter and
land on the next document, correct that one with Enter, find the corrected number by search, read the
history. The clicks, keys and seconds per document are measured and written to
``bench/out/desk-journey.json`` (reported, not asserted: speed is measured, never asserted)."""

from __future__ import annotations

import hashlib
import json
import os
import re
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


class Counted:
    """The clerk's hands: every click and key goes through here and is counted."""

    def __init__(self, driver: Any):
        self.driver = driver
        self.clicks = 0
        self.keys = 0  # key presses: a typed character, Tab, Enter, a chord such as Ctrl+Enter

    def click(self, element: Any) -> None:
        self.clicks += 1
        element.click()

    def type(self, element: Any, text: str) -> None:
        self.keys += len(text)
        element.send_keys(text)

    def press(self, element: Any, *keys: str) -> None:
        self.keys += 1
        element.send_keys(*keys)

    def chord(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        self.keys += 1
        chain = ActionChains(self.driver)
        for k in keys[:-1]:
            chain.key_down(k)
        chain.send_keys(keys[-1])
        for k in reversed(keys[:-1]):
            chain.key_up(k)
        chain.perform()


def wait_for(driver: Any, condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), driver.current_url


def test_a_clerk_fills_in_the_handwritten_number_approves_and_finds_it(
    served_archive: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.ocr_ingest.test_desk import CLERK, copy_with_accounts, originals

    root, _ = copy_with_accounts(served_archive, tmp_path)
    before = originals(root)
    doc = served_archive.records["huyenuy"].sha256
    OUT.mkdir(parents=True, exist_ok=True)
    with running_server(root) as url, chromium_driver() as driver:
        hands = Counted(driver)
        started = time.perf_counter()
        driver.get(url + "review")
        assert driver.current_url == url + "login?next=%2Freview"
        name = driver.switch_to.active_element  # autofocus: the clerk types at once
        assert name.get_attribute("id") == "name"
        hands.type(name, CLERK[0])
        hands.press(name, Keys.TAB)
        password = driver.switch_to.active_element
        assert password.get_attribute("id") == "password"
        hands.type(password, CLERK[1])
        hands.press(password, Keys.ENTER)
        wait_for(driver, lambda: driver.current_url == url + "review")  # the session cookie is kept
        login = {"clicks": hands.clicks, "keys": hands.keys, "seconds": time.perf_counter() - started}

        # the queue, least sure first; the clerk opens the notice whose number was written in by hand
        rows = driver.find_elements(By.CSS_SELECTOR, "table.queue-table tbody tr")
        assert len(rows) == 7
        t0, c0, k0 = time.perf_counter(), hands.clicks, hands.keys
        hands.click(driver.find_element(By.CSS_SELECTOR, f'a[href="/review/{doc}"]'))
        wait_for(driver, lambda: driver.current_url == f"{url}review/{doc}")
        wait_for(driver, lambda: driver.execute_script("return document.images[0].complete"))
        figure = driver.find_element(By.ID, "page-1")
        number = driver.find_element(By.ID, "f-number")
        assert number.get_attribute("value") == "-TB/HU"
        assert "unsure" in number.find_element(By.XPATH, "..").get_attribute("class")
        hands.click(number)
        assert "current" in figure.get_attribute("class")  # the page the field was read on is shown
        hands.press(number, Keys.HOME)
        hands.type(number, "225")
        shot = time.perf_counter()  # the screenshot waits for every page image: not the clerk's time
        full_page(driver, OUT / "desk-review.png")
        driver.set_window_size(1280, 1000)
        t0 += time.perf_counter() - shot
        hands.chord(Keys.CONTROL, Keys.ENTER)  # approve, then the next document
        wait_for(driver, lambda: "approved=" in driver.current_url)
        wait_for(driver, lambda: driver.execute_script("return document.images[0].complete"))
        first = {"clicks": hands.clicks - c0, "keys": hands.keys - k0, "seconds": time.perf_counter() - t0}
        assert "Đã duyệt văn bản trước" in driver.find_element(By.CSS_SELECTOR, "p.notice").text

        # the next document: a field corrected and saved with Enter, then approved with Ctrl+Enter
        t0, c0, k0 = time.perf_counter(), hands.clicks, hands.keys
        next_url = driver.current_url.split("?")[0]
        place = driver.find_element(By.ID, "f-place")
        hands.click(place)
        hands.chord(Keys.CONTROL, "a")
        hands.type(place, "Trà Cú")
        hands.press(place, Keys.ENTER)
        wait_for(driver, lambda: "saved=" in driver.current_url)
        assert driver.current_url.startswith(next_url) and driver.current_url.endswith("saved=1")
        hands.chord(Keys.CONTROL, Keys.ENTER)
        wait_for(driver, lambda: "approved=" in driver.current_url)
        wait_for(driver, lambda: driver.execute_script("return document.images[0].complete"))
        second = {"clicks": hands.clicks - c0, "keys": hands.keys - k0, "seconds": time.perf_counter() - t0}

        # search finds the corrected number; the document's history shows the change
        driver.get(url)
        box = driver.find_element(By.ID, "q")
        box.send_keys("225-TB/HU", Keys.ENTER)
        wait_for(driver, lambda: "q=225" in driver.current_url)
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit h3 a")
        assert [h.get_attribute("href") for h in hits] == [f"{url}doc/{doc}"]
        hits[0].click()
        rows = driver.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
        assert cells[1:] == ["lan", "Số, ký hiệu", "-TB/HU", "225-TB/HU"]
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d \(UTC\+07:00\)", cells[0])
    assert originals(root) == before

    record_json = next(root.glob(f"*/*/{doc}/record.json"))
    journey = {
        "login": login,
        "first_document": first,
        "next_document": second,
        "by_hand": {
            "what": "find the folder by SHA-256, open record.json, edit number.value (and numeral), save;"
            " no history, the original record overwritten, the search index not updated",
            "record_json_lines": len(record_json.read_text("utf-8").splitlines()),
        },
        "note": "clicks: mouse clicks; keys: key presses (typed characters, Tab, Enter, Ctrl+Enter as one);"
        " seconds: headless Chromium driven by Selenium on this machine, from the click that opens the"
        " document to the next document's first page image shown (page loads and rendering included,"
        " the screenshot and a clerk's reading and typing time not)",
    }
    (OUT / "desk-journey.json").write_text(json.dumps(journey, indent=1, ensure_ascii=False), "utf-8")
    print(json.dumps(journey, ensure_ascii=False))
    assert hashlib.sha256((OUT / "desk-review.png").read_bytes()).hexdigest()  # written


def test_files_chosen_or_dropped_in_the_browser_land_in_the_inbox(
    served_archive: Any, tmp_path: Path
) -> None:
    """The upload page without a drop (the file input, sent by the page's script with progress) and
    with one (a drop event carrying a file, as a file manager's drag makes)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.ocr_ingest.test_desk import CLERK, copy_with_accounts

    root, inbox = copy_with_accounts(served_archive, tmp_path)
    new = Path(__file__).resolve().parents[2] / "fixtures" / "digital" / "govquao-2021-stamp-layer.pdf"
    with running_server(root, "--inbox", str(inbox)) as url, chromium_driver() as driver:
        driver.get(url + "login?next=%2Fupload")
        driver.find_element(By.ID, "name").send_keys(CLERK[0])
        driver.find_element(By.ID, "password").send_keys(CLERK[1], Keys.ENTER)
        wait_for(driver, lambda: driver.current_url == url + "upload")
        driver.find_element(By.ID, "files").send_keys(str(new))
        driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
        wait_for(driver, lambda: "/upload/status?" in driver.current_url)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.uploads tbody tr")
        assert [r.text for r in rows] == [f"{new.name} … đang chờ xử lý"]
        assert (inbox / new.name).read_bytes() == new.read_bytes()

        driver.get(url + "upload")
        driver.execute_script(
            """const dt = new DataTransfer();
            dt.items.add(new File(["%PDF-1.4\\n%%EOF\\n"], "thả vào.pdf", {type: "application/pdf"}));
            const zone = document.querySelector(".dropzone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));"""
        )
        wait_for(driver, lambda: "/upload/status?" in driver.current_url)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.uploads tbody tr")
        assert [r.text for r in rows] == ["thả vào.pdf … đang chờ xử lý"]
        assert (inbox / "thả vào.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"


def test_a_focused_field_of_a_scan_is_framed_where_it_was_read(served_archive: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.ocr_ingest.test_desk import CLERK, copy_with_accounts

    root, _ = copy_with_accounts(served_archive, tmp_path)
    record = served_archive.records["scan"]
    with running_server(root) as url, chromium_driver() as driver:
        driver.set_window_size(1400, 1000)
        driver.get(url + "login?next=%2Freview%2F" + record.sha256)
        driver.find_element(By.ID, "name").send_keys(CLERK[0])
        driver.find_element(By.ID, "password").send_keys(CLERK[1], Keys.ENTER)
        wait_for(driver, lambda: driver.current_url == f"{url}review/{record.sha256}")
        wait_for(driver, lambda: driver.execute_script("return document.images[0].complete"))
        for key in ("number", "signer_name"):
            driver.find_element(By.ID, f"f-{key}").click()
            field = record.fields[key]
            sheet = driver.find_element(By.CSS_SELECTOR, f"#page-{field['page']} .sheet")
            mark = sheet.find_element(By.CSS_SELECTOR, ".field-box")
            s, m = sheet.rect, mark.rect
            left, top, right, bottom = field["box"]
            # the frame sits over the box (the page image scaled to the sheet), with its small margin
            assert abs((m["x"] - s["x"]) / s["width"] - left) < 0.01, key
            assert abs((m["y"] - s["y"]) / s["height"] - top) < 0.01, key
            assert abs((m["x"] + m["width"] - s["x"]) / s["width"] - right) < 0.01, key
            assert abs((m["y"] + m["height"] - s["y"]) / s["height"] - bottom) < 0.01, key
        full_page(driver, OUT / "desk-review-scan.png")
