"""Make the README's picture of the home page, ``docs/home.png``, from the site as it builds:

    .venv/bin/python docs/screenshot.py     (or: make screenshot)

It builds content/ into a temporary folder, serves it on 127.0.0.1 and photographs the home
page at 1100 × 900 with Debian's chromium (``apt-get install chromium``; Playwright is pointed
at it, no browser is downloaded).
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

from peru_digest.build import build

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "home.png"
SIZE: ViewportSize = {"width": 1100, "height": 900}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        print("Debian's chromium is needed: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="screenshot-") as scratch:
        site = Path(scratch) / "public"
        build(ROOT / "content", ROOT / "templates", site, search=True)
        handler = functools.partial(Quiet, directory=str(site))
        with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport=SIZE)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(PICTURE))
                browser.close()
            server.shutdown()
    print(PICTURE.relative_to(ROOT).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
