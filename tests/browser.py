"""Helpers for the real-browser tests: serve a folder locally, drive Debian's Chromium.

No browser is ever downloaded: Playwright is pointed at the system's ``chromium``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    sync_playwright,
)

from peru_digest.build import build

from .conftest import SEED_SITE, TEMPLATES, require_tool

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CONTENT = SEED_SITE
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
NewPage = Callable[..., Page]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without writing a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A browser hanging up mid-response is normal; anything else is still reported."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Called from inside an ``except`` block in socketserver.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at an ephemeral port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    serve_forever = functools.partial(server.serve_forever, poll_interval=0.05)
    thread = threading.Thread(target=serve_forever, name="test-http-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_executable() -> str | None:
    """Debian's Chromium, or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium; the caller checks ``chromium_executable()`` first."""
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


class PageWatch:
    """Records what a reader would notice going wrong on a page: console errors, uncaught
    exceptions, requests that fail, responses with an error status."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled because the reader moved on, e.g. a favicon still loading
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def take(self) -> list[str]:
        """The problems seen since the last call, clearing them."""
        problems, self.problems = self.problems, []
        return problems


# Fixtures, shared by every browser test module through conftest.py. Playwright allows one
# sync instance per thread, so there is one browser for the whole session.


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_tool(chromium_executable() is not None, "Debian's chromium is not installed")
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real seed site, built once and served; the base URL ends in a slash."""
    output = tmp_path_factory.mktemp("real-site") / "public"
    build(CONTENT, TEMPLATES, output)
    with serve(output) as url:
        yield url


# Every kind of page a reader can reach, on the seed site paged by KINDS_PAGE_SIZE so that the
# home page has a page 2. The quality gates (Nu checker, axe, Web Vitals) each visit all of them.
KINDS_PAGE_SIZE = 10
SEARCH_QUERY = "Fujimori"
PAGE_KINDS = {
    "home": "",
    "home-page-2": "page/2/",
    "article": "2021/06/dirty-tricks-campaign-in-peru-to-deny-the-lefts-presidential-victory/",
    "topics": "topics/",
    "topic": "topics/fraud-claims/",
    "outlets": "sources/",
    "outlet": "sources/kawsachun-news/",
    "authors": "authors/",
    "author": "authors/oliver-boyd-barrett/",
    "archive": "archive/",
    "year": "2021/",
    "month": "2021/06/",
    "editions": "editions/",
    "edition": "editions/2021-W35/",
    "latest-edition": "editions/latest/",
    "feeds": "feeds/",
    "search": f"search/?q={SEARCH_QUERY}",
    "404": "404.html",
}


def file_of(path: str) -> str:
    """The built file that an address on the site serves: ``topics/`` → ``topics/index.html``."""
    address = path.partition("?")[0]
    return f"{address}index.html" if address.endswith("/") or not address else address


def built_seed(work: Path, **changes: object) -> Path:
    """The seed site with KINDS_PAGE_SIZE articles a page and ``changes`` to site.yaml, built
    into ``work``: every kind of page."""
    content = work / "content"
    shutil.copytree(CONTENT, content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    for key, value in {"page_size": KINDS_PAGE_SIZE, **changes}.items():
        text, replaced = re.subn(rf"^{key}: *\S+", f"{key}: {value}", text, flags=re.M)
        assert replaced == 1, f"content/site.yaml has no {key} line to change"
    settings.write_text(text, encoding="utf-8")
    build(content, TEMPLATES, work / "public")
    return work / "public"


@pytest.fixture(scope="session")
def kinds_site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site with KINDS_PAGE_SIZE articles a page, built once: every kind of page."""
    return built_seed(tmp_path_factory.mktemp("kinds-site"))


@pytest.fixture(scope="session")
def spanish_site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kinds_site_folder`` in Spanish (`language: es`)."""
    return built_seed(tmp_path_factory.mktemp("spanish-site"), language="es")


@pytest.fixture(scope="session")
def spanish_site(spanish_site_folder: Path) -> Iterator[str]:
    """``spanish_site_folder`` served; the base URL ends in a slash."""
    with serve(spanish_site_folder) as url:
        yield url


@pytest.fixture(scope="session")
def kinds_site(kinds_site_folder: Path) -> Iterator[str]:
    """``kinds_site_folder`` served; the base URL ends in a slash."""
    with serve(kinds_site_folder) as url:
        yield url


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """Open a page in a fresh browser context; every request off 127.0.0.1 is refused."""
    contexts = []

    def open_page(**options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), _refuse)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _refuse(route: Route) -> None:
    route.abort("blockedbyclient")


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    _, header, _ = text.split("---\n", 2)
    data = yaml.safe_load(header)
    assert isinstance(data, dict)
    return data


def seed_articles() -> list[dict[str, Any]]:
    """Front matter of every published seed article, newest first."""
    articles = [front_matter(p) for p in sorted(CONTENT.glob("articles/**/*.md"))]
    published = [a for a in articles if not a.get("draft")]
    return sorted(published, key=lambda a: as_datetime(a["date"]), reverse=True)


def as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def channels(css_color: str) -> tuple[float, float, float, float]:
    """Red, green, blue (0–255) and alpha (0–1) of a computed ``rgb(…)``/``rgba(…)`` colour."""
    numbers = [float(c) for c in re.findall(r"[\d.]+", css_color)]
    assert css_color.startswith("rgb") and len(numbers) in (3, 4), css_color
    return numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0


def luminance(css_color: str) -> float:
    """WCAG relative luminance of a computed ``rgb(…)``/``rgba(…)`` colour (alpha ignored)."""

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = channels(css_color)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def composite(css_color: str, opacity: float, background: str) -> str:
    """The colour seen when ``css_color`` at ``opacity`` is drawn over an opaque background."""
    *front, alpha = channels(css_color)
    *back, back_alpha = channels(background)
    assert back_alpha == 1.0, f"the background {background} is not opaque"
    a = alpha * opacity
    r, g, b = (a * f + (1 - a) * k for f, k in zip(front, back, strict=True))
    return f"rgb({r:.1f}, {g:.1f}, {b:.1f})"
