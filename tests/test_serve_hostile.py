"""``peru-digest serve`` under attack: clients that hang up, other hosts, caches, odd requests.

Each test serves a folder with the preview server's own handler, in this process, and speaks
HTTP to it on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import mimetypes
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from peru_digest.serve import SiteState, make_server

PAGE = b"<html><body>a page</body></html>"
NOT_FOUND_PAGE = b"<html><body>not here</body></html>"

Answer = tuple[int, Message, bytes]


@contextmanager
def answering(folder: Path, state: SiteState | None = None) -> Iterator[int]:
    """The preview server on ``folder``, its port; leaving waits until every request has been
    answered, so whatever answering printed has been printed."""
    state = state or SiteState()
    server = make_server(folder, 0, state)
    server.daemon_threads = False
    server.block_on_close = True  # server_close() joins the threads that answer
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        state.stop()  # ends the reload streams
        server.shutdown()
        server.server_close()


def ask(port: int, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    """Status, headers and body of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site in miniature: pages, feeds, a style sheet, a folder without a page."""
    folder = tmp_path / "public"
    (folder / "archive").mkdir(parents=True)
    (folder / "page").mkdir()
    (folder / "pagefind").mkdir()
    (folder / "index.html").write_bytes(PAGE)
    (folder / "archive" / "index.html").write_bytes(PAGE)
    (folder / "404.html").write_bytes(NOT_FOUND_PAGE)
    for name in ("style.css", "feed.xml", "feed.json", "robots.txt", "feeds.opml", "x.svg"):
        (folder / name).write_text("Perú", "utf-8")
    (folder / "pagefind" / "pagefind.js").write_text("export {}", "utf-8")
    (folder / "pagefind" / "pagefind.en_1a2b.pf_meta").write_bytes(b"\x1f\x8b")
    return folder


# Clients that hang up --------------------------------------------------------------------------


def test_a_client_that_hangs_up_before_the_answer_leaves_no_traceback(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "big.js").write_bytes(b"x" * 8_000_000)  # more than the sockets' buffers hold
    with answering(site) as port:
        for path in ("/big.js", "/", "/no-such-page/"):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0")  # half a request, then gone
        assert ask(port, "/")[0] == 200  # and the server answers the next one
    assert capsys.readouterr().err == ""


def test_clients_that_send_half_a_request_and_wait_hold_up_no_one_else(site: Path) -> None:
    with answering(site) as port:
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
        try:
            for client in idle:
                client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0")
            assert ask(port, "/")[0] == 200
        finally:
            for client in idle:
                client.close()


def test_many_requests_at_once_are_all_answered_without_a_retry_s_delay(site: Path) -> None:
    """Every open page reloads after a build, each asking for its style sheet and scripts at
    once; a connection the server has no room to wait in is tried again only a second later."""
    took: list[float] = []

    def fetch(port: int) -> None:
        started = time.monotonic()
        assert ask(port, "/style.css")[0] == 200
        took.append(time.monotonic() - started)

    with answering(site) as port:
        clients = [threading.Thread(target=fetch, args=(port,)) for _ in range(60)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
    assert len(took) == 60
    assert max(took) < 0.9


# What the browser keeps --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/style.css", "/feed.xml", "/pagefind/pagefind.js", "/x"])
def test_no_answer_is_kept_by_the_browser_so_a_reload_shows_every_change(
    site: Path, path: str
) -> None:
    """A style sheet cached by its age alone would outlive the edit that changed it."""
    with answering(site) as port:
        _, headers, _ = ask(port, path)
    assert headers["Cache-Control"] == "no-store"


def test_a_file_is_sent_whole_whatever_date_the_browser_says_it_has(site: Path) -> None:
    """File times count in seconds: a file rebuilt within the second would seem unchanged."""
    with answering(site) as port:
        status, _, body = ask(
            port, "/style.css", headers={"If-Modified-Since": "Fri, 01 Jan 9999 00:00:00 GMT"}
        )
    assert (status, body) == (200, "Perú".encode())


# What each file is said to be --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/pagefind/pagefind.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/feed.json", "application/json"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/x.svg", "image/svg+xml"),
        ("/pagefind/pagefind.en_1a2b.pf_meta", "application/octet-stream"),
    ],
)
def test_each_file_of_the_site_is_sent_as_what_it_is_in_utf_8_whatever_the_machine_says(
    site: Path, path: str, content_type: str
) -> None:
    with answering(site) as port:
        status, headers, _ = ask(port, path)
    assert (status, headers["Content-Type"]) == (200, content_type)


def test_a_machine_whose_list_calls_scripts_plain_text_changes_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mimetypes, "guess_type", lambda *_, **__: ("text/plain", None))
    with answering(site) as port:
        types = [ask(port, path)[1]["Content-Type"] for path in ("/pagefind/pagefind.js", "/x.svg")]
    assert types == ["text/javascript; charset=utf-8", "image/svg+xml"]


# Paths out of the site ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/archive/../../secret.txt",
        "//../secret.txt",
        "http://127.0.0.1/../secret.txt",
        "/../.public-spare/secret.txt",
        "/../.peru-digest-cache/secret.txt",
        "/secret.txt%00.html",
    ],
)
def test_no_path_reaches_beside_the_site_where_the_spare_and_the_cache_are(
    site: Path, path: str
) -> None:
    for folder in (site.parent, site.parent / ".public-spare", site.parent / ".peru-digest-cache"):
        folder.mkdir(exist_ok=True)
        (folder / "secret.txt").write_text("secret", "utf-8")
    with answering(site) as port:
        status, _, body = ask(port, path)
    assert status in (400, 404)
    assert b"secret" not in body


# Folders -------------------------------------------------------------------------------------


def test_a_folder_without_a_page_is_not_found_as_on_a_web_host_never_listed(site: Path) -> None:
    with answering(site) as port:
        for path in ("/page/", "/pagefind/"):
            status, _, body = ask(port, path)
            assert status == 404
            assert body.startswith(NOT_FOUND_PAGE.removesuffix(b"</body></html>"))


def test_a_folder_named_without_its_slash_is_redirected_to_it_query_and_all(site: Path) -> None:
    with answering(site) as port:
        status, headers, _ = ask(port, "/archive?page=2")
    assert (status, headers["Location"]) == (301, "/archive/?page=2")


# Other hosts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/feed.xml", "/__reload", "/no-such-page/"])
def test_a_request_for_another_host_is_refused_so_no_web_page_can_read_the_preview(
    site: Path, path: str
) -> None:
    """A page on attacker.example that has its name point to 127.0.0.1 (DNS rebinding) would
    otherwise read the preview, drafts included, as its own."""
    with answering(site) as port:
        status, headers, body = ask(port, path, headers={"Host": f"attacker.example:{port}"})
    assert (status, headers["Content-Type"]) == (403, "text/plain; charset=utf-8")
    assert body.decode() == (
        f"This preview answers only to http://127.0.0.1:{port}/ and http://localhost:{port}/, "
        f"not to http://attacker.example:{port}/.\n"
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_the_addresses_the_server_gives_are_answered(site: Path, host: str) -> None:
    with answering(site) as port:
        status, _, body = ask(port, "/", headers={"Host": f"{host}:{port}"})
    assert status == 200
    assert body.startswith(b"<html><body>a page<script>")


# Version control -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/.git/config", "/.git/", "/.hg/hgrc", "/.svn/", "/.GIT/config"])
def test_the_version_control_a_build_keeps_in_the_site_is_never_served(
    site: Path, path: str
) -> None:
    """A site deployed as a checkout keeps its `.git` (whose config may hold a token in a
    remote's address); no web host serves it, nor does the preview."""
    for name in (".git", ".hg", ".svn"):
        (site / name).mkdir()
        (site / name / "config").write_text("url = https://user:token@example.org/", "utf-8")
        (site / name / "hgrc").write_text("token", "utf-8")
    with answering(site) as port:
        status, _, body = ask(port, path)
    assert status == 404
    assert b"token" not in body


# Live reload -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_any_number_of_open_pages_load_and_every_one_reloads_after_a_build(
    site: Path, browser: Browser
) -> None:
    """A browser opens at most six connections to a host: with a reload stream held open by
    each page, the seventh page open never loaded."""
    state = SiteState()
    context = browser.new_context()
    try:
        with answering(site, state) as port:
            pages = [context.new_page() for _ in range(8)]
            for page in pages:
                page.goto(f"http://127.0.0.1:{port}/", timeout=5000)
                page.evaluate("window.loadedBeforeTheBuild = true")
            state.record([])
            for page in pages:
                page.wait_for_function("!window.loadedBeforeTheBuild", timeout=5000)
    finally:
        context.close()


def test_a_page_served_before_a_build_reloads_even_if_its_stream_opens_after_it(
    site: Path,
) -> None:
    """A build that ends between the page and its reload stream is not missed."""
    state = SiteState()
    with answering(site, state) as port:
        page = ask(port, "/")[2].decode()
        state.record([])  # a build, before the page asks for its stream
        since = page.split("/__reload?since=", 1)[1].split("'", 1)[0]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", f"/__reload?since={since}")
            response = connection.getresponse()
            assert response.readline() == b"event: reload\n"
        finally:
            connection.close()
