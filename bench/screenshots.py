"""Screenshots of ``ocr-ingest serve`` in headless Chromium: ``python -m bench.screenshots --archive DIR``.

Starts the real server (``ocr-ingest serve``) on a free port of 127.0.0.1, opens the search page for
``thoi gian ky``, the first result, one of its pages and the watcher page, writes a PNG of each under
``--out`` (default ``bench/out/``), stops the server and prints the command to serve the archive. Then
the review desk: on a copy of the archive (the demo archive stays without accounts) with a clerk
account made for the occasion, the review queue and the review screen of its least sure document.
The Chromium set-up here (:func:`chromium_driver`) and the server start (:func:`running_server`) are
the ones the browser test uses: one place for both.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # root in a container has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=vi",
)


def chromium_paths() -> tuple[str, str] | None:
    """``(chromium, chromedriver)`` from Debian's packages, or ``None`` when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/lib/chromium/chromedriver" if os.path.exists("/usr/lib/chromium/chromedriver") else None
    )
    return (browser, driver) if browser and driver else None


@contextlib.contextmanager
def chromium_driver(download_dir: Path | None = None, width: int = 1280, height: int = 1000) -> Iterator:
    """A Selenium driver for headless Debian Chromium with a fresh profile (deleted afterwards);
    downloads go to ``download_dir`` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError(
            "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        )
    profile = tempfile.mkdtemp(prefix="ocr-ingest-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    if download_dir is not None:
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(download_dir),
                "download.prompt_for_download": False,
                "safebrowsing.enabled": False,
            },
        )
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(archive: Path, *extra: str, timeout: float = 30.0) -> Iterator[str]:
    """``ocr-ingest serve --archive ARCHIVE`` in a child process on a free local port; yields its URL
    once it answers, stops it (SIGTERM, by its pid) on exit."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ocr_ingest.cli",
            "serve",
            "--archive",
            str(archive),
            "--port",
            str(port),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ocr-ingest serve exited {proc.returncode}: {proc.stderr.read().strip()}")
            try:
                with urllib.request.urlopen(url + "static/style.css", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"ocr-ingest serve did not answer on {url} within {timeout} s"
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def full_page(driver, path: Path) -> None:
    """A screenshot of the whole page height (up to 4000 px), not only the window."""
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 4000)
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(height + 120, 600))
    wait_for_images(driver)
    driver.save_screenshot(str(path))


def wait_for_images(driver, timeout: float = 20.0) -> None:
    """Until every image on the page has loaded (thumbnails are rendered on demand, lazily)."""
    deadline = time.monotonic() + timeout
    script = "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    while not driver.execute_script(script) and time.monotonic() < deadline:
        time.sleep(0.1)


def take_screenshots(archive: Path, out: Path, query: str = "thoi gian ky") -> list[Path]:
    """The search page for ``query``, its first hit's document page and page 1 beside its text, the
    first hit with a valid signature, and the watcher page of ``archive``, as PNGs in ``out``."""
    from selenium.webdriver.common.by import By

    out.mkdir(parents=True, exist_ok=True)
    shots = []

    def shot(name: str, whole: bool = True) -> None:
        shots.append(out / name)
        if whole:
            full_page(driver, shots[-1])
            driver.set_window_size(1280, 1000)
        else:
            wait_for_images(driver)
            driver.save_screenshot(str(shots[-1]))

    with running_server(archive) as url, chromium_driver() as driver:
        driver.get(url + "?" + urllib.parse.urlencode({"q": query}))
        hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
        links = [h.find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href") for h in hits]
        valid = [
            h.find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href")
            for h in hits
            if "badge-good" in h.get_attribute("innerHTML")
        ]
        shot("serve-search.png")
        if links:
            driver.get(links[0])
            shot("serve-document.png")
            driver.find_element(By.CSS_SELECTOR, "ol.thumbs a").click()
            shot("serve-page.png", whole=False)
        if valid and valid[0] != links[0]:
            driver.get(valid[0])
            shot("serve-document-signed.png")
        driver.get(url + "watch")
        shot("serve-watch.png")
    return shots


def take_review_screenshots(archive: Path, out: Path) -> list[Path]:
    """The review queue and the review screen (its first unsure field focused) of a copy of ``archive``
    with a throw-away clerk account, as ``serve-queue.png`` and ``serve-review.png`` in ``out``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from ocr_ingest.serve.accounts import Accounts

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocr-ingest-desk-") as tmp:
        copy = Path(tmp) / "archive"
        shutil.copytree(archive, copy)
        password = secrets.token_urlsafe(12)
        Accounts(copy).add("canbo", password, "clerk")
        with running_server(copy) as url, chromium_driver(height=1000) as driver:
            driver.get(url + "login?next=%2Freview")
            driver.find_element(By.ID, "name").send_keys("canbo")
            driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
            deadline = time.monotonic() + 30
            while driver.current_url != url + "review" and time.monotonic() < deadline:
                time.sleep(0.05)
            full_page(driver, out / "serve-queue.png")
            driver.set_window_size(1280, 1000)
            driver.find_element(By.CSS_SELECTOR, "table.queue-table a").click()
            wait_for_images(driver)
            driver.save_screenshot(str(out / "serve-review.png"))
    return [out / "serve-queue.png", out / "serve-review.png"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ROOT / "demo-out" / "archive")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    for shot in take_screenshots(args.archive, args.out) + take_review_screenshots(args.archive, args.out):
        print(f"screenshot: {shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot}")
    print(f"\nTo browse the archive yourself: .venv/bin/ocr-ingest serve --archive {args.archive}")
    print("and open http://127.0.0.1:8080/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
