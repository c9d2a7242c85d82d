"""What a reader of `serve` sees after an editor saves: timed in a real browser, end to end.

Starts ``peru-digest serve`` on a content folder as a user would (a subprocess, its own cache),
opens an article in Debian's Chromium (driven by Playwright; no browser is downloaded), then
saves an edit to that article's summary and times, from the moment the file is written:

- **pages**: until the open page has reloaded by itself and shows the edit (the watcher, the
  build, the reload event and the browser's reload, all included);
- **search**: until the search page, loaded afresh, finds a word that only the edit has.

Each edit waits for search to catch up before the next one; the edit is undone at the end.
``--title`` puts the word in the article's title instead (its address stays: the corpus gives
each article its slug), a change that shows on every list that holds the article, so `serve`
plans the site again.

    .venv/bin/python benchmarks/serve_browser.py CONTENT [--edits 5] [--title]

CONTENT is a content folder, such as the benchmark corpus (``bench_build.py --keep`` leaves
one). The first build is a clean one and is not what is measured.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from serve_edit import edited, middle_article

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
SERVING = re.compile(r"Serving (http://127\.0\.0\.1:\d+/)")


@contextmanager
def served(content: Path, scratch: Path, *, search: bool) -> Iterator[str]:
    """``peru-digest serve`` on ``content``; yields its address once the first build is up."""
    command = [
        str(Path(sys.executable).with_name("peru-digest")), "serve", "--content", str(content),
        "--output", str(scratch / "public"), "--cache", str(scratch / "cache"), "--port", "0",
        *([] if search else ["--no-search"]),
    ]  # fmt: skip
    log = (scratch / "serve.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        yield wait_for_address(process, scratch / "serve.log")
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_for_address(process: subprocess.Popen[str], log: Path, timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := SERVING.search(log.read_text(encoding="utf-8")):
            return found.group(1)
        if process.poll() is not None:
            sys.exit(f"serve stopped before serving:\n{log.read_text(encoding='utf-8')}")
        time.sleep(0.1)
    sys.exit("serve did not start serving within 10 minutes")


def article_address(public: Path, article: Path) -> str:
    """The site path of the article file's page (its folder is named by its slug)."""
    slug = re.search(r"^slug: *(\S+)", article.read_text("utf-8"), re.MULTILINE)
    name = slug.group(1) if slug else article.stem
    (page,) = public.glob(f"[0-9]*/[0-9]*/{name}/index.html")
    return page.parent.relative_to(public).as_posix() + "/"


def pages_shown(page: Page, article: Path, text: str, word: str) -> float:
    """Seconds from saving ``text`` until the open page has reloaded and shows ``word``."""
    start = time.monotonic()
    article.write_text(text, "utf-8")
    while True:
        page.wait_for_event("load", timeout=60_000)
        if word in page.content():
            return time.monotonic() - start


def search_caught_up(page: Page, address: str, word: str, saved: float) -> float:
    """Seconds from ``saved`` until a fresh search page finds ``word``."""
    while True:
        page.goto(f"{address}search/?q={word}")
        page.wait_for_selector(".pagefind-ui__message", timeout=60_000)
        page.wait_for_function(
            "!/Searching/i.test(document.querySelector('.pagefind-ui__message').textContent)"
        )
        if page.locator(".pagefind-ui__result").count():
            return time.monotonic() - saved
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--no-search", action="store_true", help="serve without search")
    parser.add_argument("--title", action="store_true", help="edit the title, not the summary")
    args = parser.parse_args()
    article = middle_article(args.content)
    original = article.read_text("utf-8")
    shown, found = [], []
    with (
        tempfile.TemporaryDirectory(prefix="serve-browser-") as scratch,
        served(args.content, Path(scratch), search=not args.no_search) as address,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        reader, searcher = browser.new_page(), browser.new_page()
        reader.goto(address + article_address(Path(scratch) / "public", article))
        try:
            for number in range(args.edits):
                word = f"quetzalwort{os.getpid()}x{number}"
                text = edited(original, word, title=args.title)
                saved = time.monotonic()
                shown.append(pages_shown(reader, article, text, word))
                print(f"edit {number + 1}: the page shows it {shown[-1]:.2f} s after the save")
                if not args.no_search:
                    found.append(search_caught_up(searcher, address, word, saved))
                    print(f"        search finds it {found[-1]:.2f} s after the save")
                time.sleep(1)  # the next save is not part of this one's rebuild
        finally:
            article.write_text(original, "utf-8")
        browser.close()
    print(f"median of {args.edits}: the page shows an edit {statistics.median(shown):.2f} s after")
    if found:
        print(f"median of {args.edits}: search finds it {statistics.median(found):.2f} s after")


if __name__ == "__main__":
    main()
