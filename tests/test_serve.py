"""``peru-digest serve`` for real: a subprocess, HTTP on 127.0.0.1, live reload, Ctrl-C.

The server is started as a user would start it; the test edits a content file and watches
the browser's side of things (the page and the ``/__reload`` event stream) and the terminal.
Every wait is bounded; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peru_digest.cli import main
from peru_digest.serve import SiteState, make_server, rebuild

from .conftest import FIXTURES, TEMPLATES

STARTUP_SECONDS = 60.0  # the first build (with the search index) happens before "Serving"
CHANGE_SECONDS = 10.0  # how long a change may take to show, retries included
RETRY_SECONDS = 2.5  # write the change again if nothing happened by then (watcher warm-up)
POLL_SECONDS = 0.05
STOP_SECONDS = 5.0

# The newest article: the only one whose title is on the first page of the home page.
NEWEST = Path("articles") / "2021" / "2021-07-28-inauguration.md"
OLD_TITLE = 'title: "Inauguration: ‘A New Era’"\n'

# Only 127.0.0.1, and never through a proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Lines:
    """The lines a stream has given so far, collected by a background thread."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def follow(self, read_line: Callable[[], str]) -> None:
        def pump() -> None:
            try:
                while line := read_line():
                    with self._lock:
                        self._lines.append(line.rstrip("\r\n"))
            except (OSError, ValueError, http.client.HTTPException):
                return  # the stream was closed under us: the end of it

        self.thread = threading.Thread(target=pump, daemon=True)
        self.thread.start()

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def text(self) -> str:
        return "\n".join(self.snapshot())

    def count(self, line: str) -> int:
        return self.snapshot().count(line)


@dataclass
class Server:
    proc: subprocess.Popen[str]
    content: Path
    public: Path
    stdout: Lines = field(default_factory=Lines)
    stderr: Lines = field(default_factory=Lines)
    port: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def builds(self) -> int:
        """How many builds the terminal has reported so far, failed ones included."""
        return sum(
            line in ("Built.", "Rebuilt.") or line.startswith("Build failed:")
            for line in self.stdout.snapshot()
        )

    def get(self, path: str = "/") -> tuple[int, str]:
        """The status and body of a page; a 500 is an answer here, not an exception."""
        try:
            with OPENER.open(self.url(path), timeout=5) as response:
                return int(response.status), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            with error:
                return int(error.code), error.read().decode("utf-8")


def wait_until(done: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(POLL_SECONDS)


@dataclass(frozen=True)
class Seen:
    """One look at the site: ``/`` as served, and public/index.html as built (None: absent)."""

    status: int
    page: str
    on_disk: str | None


def look(server: Server) -> Seen:
    status, page = server.get("/")
    try:
        on_disk = (server.public / "index.html").read_text(encoding="utf-8")
    except FileNotFoundError:  # the build swaps public/ in by renaming: absent for a moment
        on_disk = None
    return Seen(status, page, on_disk)


def edit_until(
    server: Server, path: Path, text: str, done: Callable[[Seen], bool], what: str
) -> Seen:
    """Change ``path`` to ``text`` and return the first look at the site that is ``done``.

    The file is replaced atomically, so no build sees it half written. If no build at all
    follows within RETRY_SECONDS, the watcher was not watching yet: the change is made again.
    """
    deadline = time.monotonic() + CHANGE_SECONDS
    scratch = server.public.parent / "edit.tmp"  # outside the watched folders
    while True:
        builds = server.builds()
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, path)
        retry = time.monotonic() + RETRY_SECONDS
        while True:
            seen = look(server)
            if done(seen):
                return seen
            now = time.monotonic()
            if now >= deadline:
                pytest.fail(
                    f"timed out after {CHANGE_SECONDS:.0f} s waiting for {what}; last seen: "
                    f"{seen.status} {seen.page[:400]!r}\nterminal:\n{server.stdout.text()}"
                )
            if now >= retry and server.builds() == builds:
                break  # nothing was built: the watcher missed the change
            time.sleep(POLL_SECONDS)


@pytest.fixture
def server(site_dir: Path, tmp_path: Path) -> Iterator[Server]:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    public = tmp_path / "public"
    command = [
        sys.executable,
        "-m",
        "peru_digest.cli",
        "serve",
        "--port",
        "0",
        "--content",
        str(site_dir),
        "--templates",
        str(templates),
        "--output",
        str(public),
    ]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
    )
    running = Server(proc, site_dir, public)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        running.stdout.follow(proc.stdout.readline)
        running.stderr.follow(proc.stderr.readline)
        running.port = wait_for_port(running)
        yield running
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=STOP_SECONDS)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def wait_for_port(running: Server) -> int:
    prefix = "Serving http://127.0.0.1:"

    def serving() -> bool:
        if running.proc.poll() is not None:
            pytest.fail(
                f"serve exited with {running.proc.returncode} before serving:\n"
                f"{running.stdout.text()}\n{running.stderr.text()}"
            )
        return any(line.startswith(prefix) for line in running.stdout.snapshot())

    wait_until(serving, STARTUP_SECONDS, "the 'Serving' line")
    said = running.stdout.snapshot()
    line = next(line for line in said if line.startswith(prefix))
    assert line.endswith("/ (Ctrl-C to stop)"), line
    assert "Rebuilt." not in said[: said.index(line)]  # the first build is said as "Built."
    return int(line.removeprefix(prefix).split("/", 1)[0])


def open_reload_stream(running: Server) -> tuple[Lines, http.client.HTTPResponse]:
    """Open ``/__reload`` as a browser's EventSource would, and collect its lines."""
    # The timeout is per read and heartbeats come every 10 s: generous, but bounded.
    response: http.client.HTTPResponse = OPENER.open(running.url("/__reload"), timeout=30)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    events = Lines()
    events.follow(lambda: response.readline().decode("utf-8"))
    return events, response


def test_serve_builds_reloads_shows_errors_recovers_and_stops(server: Server) -> None:
    article = server.content / NEWEST
    original = article.read_text(encoding="utf-8")
    assert OLD_TITLE in original
    served_with_script_and_clean_on_disk(look(server), "Inauguration: ‘A New Era’")
    events, stream = open_reload_stream(server)
    with stream:
        change_reloads_the_page(server, events, article, original)
        broken_file_shows_the_error(server, events, article, original)
        fixed_file_recovers(server, article, original)
        ctrl_c_stops_cleanly(server, events)
    # Warnings are printed when they first appear, not again after every rebuild.
    assert server.stderr.text().count("draft-note.md:2: no topic") == 1


def served_with_script_and_clean_on_disk(seen: Seen, title: str) -> None:
    """The page is served with the live-reload script; the file in public/ has none."""
    assert seen.status == 200
    assert title in seen.page
    assert "/__reload" in seen.page
    assert seen.on_disk is not None
    assert title in seen.on_disk
    assert "__reload" not in seen.on_disk
    assert "<script>new EventSource" not in seen.on_disk


def change_reloads_the_page(server: Server, events: Lines, article: Path, original: str) -> None:
    """A changed title: a reload event on the stream, and the new title on the page."""
    title = "Inauguration Recount"

    def reloaded(seen: Seen) -> bool:
        built = seen.status == 200 and seen.on_disk is not None and title in seen.on_disk
        return built and title in seen.page and events.count("event: reload") >= 1

    seen = edit_until(
        server,
        article,
        original.replace(OLD_TITLE, f"title: {title}\n"),
        reloaded,
        "a reload and the new title",
    )
    served_with_script_and_clean_on_disk(seen, title)


def broken_file_shows_the_error(
    server: Server, events: Lines, article: Path, original: str
) -> None:
    """Broken front matter: the error page in the browser, the problem in the terminal."""
    reloads = events.count("event: reload")
    broken = original.replace(OLD_TITLE, "title: [Inauguration\n")

    def error_page_served(seen: Seen) -> bool:
        return seen.status == 500 and "Build failed" in seen.page

    seen = edit_until(server, article, broken, error_page_served, "the error page")
    assert "2021-07-28-inauguration.md" in seen.page
    assert "invalid YAML" in seen.page
    assert "/__reload" in seen.page  # the error page reloads itself once the file is fixed
    # The failed build left the last good site in public/ as it was.
    assert seen.on_disk is not None
    assert "Inauguration Recount" in seen.on_disk
    assert "__reload" not in seen.on_disk
    wait_until(lambda: "Still serving." in server.stdout.text(), 5, "the terminal report")
    terminal = server.stdout.text()
    assert "2021-07-28-inauguration.md" in terminal
    assert "invalid YAML" in terminal
    assert "Build failed: 1 problem. Still serving." in terminal
    wait_until(lambda: events.count("event: reload") > reloads, 5, "a reload after the failure")
    assert server.proc.poll() is None, "the server stopped on a failed build"


def fixed_file_recovers(server: Server, article: Path, original: str) -> None:
    title = "Inauguration Final Count"

    def recovered(seen: Seen) -> bool:
        built = seen.on_disk is not None and title in seen.on_disk
        return built and seen.status == 200 and title in seen.page

    fixed = original.replace(OLD_TITLE, f"title: {title}\n")
    seen = edit_until(server, article, fixed, recovered, "the page to recover")
    served_with_script_and_clean_on_disk(seen, title)


def ctrl_c_stops_cleanly(server: Server, events: Lines | None = None) -> None:
    """SIGINT: exit 0, "Stopped.", no traceback, even with a reload stream still open."""
    server.proc.send_signal(signal.SIGINT)
    try:
        code = server.proc.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve did not stop within {STOP_SECONDS:.0f} s of SIGINT")
    assert server.stdout.thread is not None and server.stderr.thread is not None
    server.stdout.thread.join(timeout=STOP_SECONDS)
    server.stderr.thread.join(timeout=STOP_SECONDS)
    output = server.stdout.text() + "\n" + server.stderr.text()
    assert code == 0, output
    assert server.stdout.snapshot()[-1] == "Stopped.", output
    assert "Traceback" not in output
    assert "Interrupted." not in output
    if events is not None:  # the open event stream ends with the server instead of hanging
        assert events.thread is not None
        events.thread.join(timeout=STOP_SECONDS)
        assert not events.thread.is_alive()


def test_serve_survives_a_build_that_crashes(server: Server, tmp_path: Path) -> None:
    """A bug in a build (not a content problem) is shown like one, and watching carries on."""
    base = tmp_path / "templates" / "base.html"
    template = base.read_text(encoding="utf-8")
    assert template.count("</body>") == 1

    def crash_shown(seen: Seen) -> bool:
        return seen.status == 500 and "internal error: InvalidOperation" in seen.page

    # What raises in this package's own code (here the `number` filter, given no number) is
    # no mistake of the template's line: an internal error.
    crashing = template.replace("</body>", '{{ "x" | number }}</body>')
    edit_until(server, base, crashing, crash_shown, "the internal error page")
    wait_until(lambda: "Still serving." in server.stdout.text(), 5, "the terminal report")
    assert "internal error: InvalidOperation" in server.stdout.text()
    assert "Traceback" not in server.stderr.text()

    def recovered(seen: Seen) -> bool:
        return seen.status == 200 and "Inauguration: ‘A New Era’" in seen.page

    edit_until(server, base, template, recovered, "the page to recover")
    ctrl_c_stops_cleanly(server)


def test_rebuild_keeps_going_after_an_unexpected_error() -> None:
    state = SiteState()
    said: list[str] = []

    def crash() -> None:
        raise ZeroDivisionError("integer division or modulo by zero")

    rebuild(crash, state, said.append)
    assert state.version == 1
    assert state.problems == [
        "internal error: ZeroDivisionError: integer division or modulo by zero\n"
        "  hint: run `peru-digest build -v` to see where it happened"
    ]
    assert said[-1].endswith("Build failed: 1 problem. Still serving.")

    rebuild(lambda: None, state, said.append)
    assert (state.version, state.problems, said[-1]) == (2, [], "Rebuilt.")


def test_the_search_index_waits_until_the_reloaded_pages_are_served() -> None:
    """Building it in the server's process would slow the pages the browsers reload."""
    state = SiteState()
    order: list[str] = []

    def index_search() -> None:
        state.wait_until_quiet(quiet=0.05, longest=30)
        order.append("search index")

    with state.listener(), state.request():  # a page open; reloaded, it is being served
        waiting = threading.Thread(target=index_search)
        waiting.start()
        waiting.join(0.3)
        order.append("page served")
    waiting.join(30)
    assert order == ["page served", "search index"]


def test_a_request_that_never_ends_holds_the_search_index_back_only_so_long() -> None:
    state = SiteState()
    with state.listener(), state.request():
        state.wait_until_quiet(quiet=0.01, longest=0.1)  # returns, the request still going


def test_with_no_page_open_the_search_index_waits_for_nothing() -> None:
    state = SiteState()
    with state.request():  # a download, say: no page will reload
        state.wait_until_quiet(quiet=30, longest=30)  # returns at once


@contextmanager
def serving(folder: Path, state: SiteState) -> Iterator[int]:
    """The preview server's handler on ``folder``, in a thread; its port."""
    server = make_server(folder, 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        state.stop()
        server.shutdown()
        server.server_close()


def requested(port: int, method: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_get_and_head_both_see_the_error_page_while_a_build_is_broken(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>old site</body></html>", "utf-8")
    state = SiteState()
    with serving(tmp_path, state) as port:

        def status(method: str) -> int:
            return requested(port, method, "/")[0]

        assert (status("GET"), status("HEAD")) == (200, 200)
        state.record(["content/articles/x.md:2: front matter is missing `date`"])
        assert (status("GET"), status("HEAD")) == (500, 500)
        state.record([])
        assert (status("GET"), status("HEAD")) == (200, 200)


@pytest.mark.parametrize(
    "path",
    ["/no-such-page/", "/missing.css", "/%00", "/a%00b/", "/" + "x" * 300 + "/", "/../etc/passwd"],
    ids=["page", "file", "nul", "nul-inside", "name-too-long", "above-the-site"],
)
def test_a_path_the_site_has_not_gets_its_404_page_never_a_traceback(
    tmp_path: Path, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "404.html").write_text("<html><body>not here</body></html>", "utf-8")
    with serving(tmp_path, SiteState()) as port:
        status, body = requested(port, "GET", path)
    assert status == 404
    assert body.startswith(b"<html><body>not here<script>")  # the site's page, reloading
    assert "Traceback" not in capsys.readouterr().err


def test_serve_keeps_watching_after_content_is_deleted_and_created_again(
    server: Server,
) -> None:
    """A watch dies with its folder: serve watches the new content/ and rebuilds from it."""
    article = server.content / NEWEST
    original = article.read_text(encoding="utf-8")

    def titled(title: str) -> Callable[[Seen], bool]:
        return lambda seen: seen.status == 200 and title in seen.page

    # The watcher is watching once a change shows (edit_until retries until it does).
    edit_until(
        server, article, original.replace(OLD_TITLE, "title: Before\n"), titled("Before"), ""
    )
    shutil.rmtree(server.content)
    wait_until(lambda: "Still serving." in server.stdout.text(), CHANGE_SECONDS, "the failure")
    assert "content folder not found" in server.stdout.text()
    builds = server.builds()
    shutil.copytree(FIXTURES / "site", server.content)
    wait_until(
        lambda: server.builds() > builds and titled("A New Era")(look(server)),
        CHANGE_SECONDS,
        "a rebuild from the new content/",
    )
    after = original.replace(OLD_TITLE, "title: After\n")
    edit_until(server, article, after, titled("After"), "a change in the new content/")
    ctrl_c_stops_cleanly(server)


def test_a_port_in_use_is_a_problem_to_fix_said_before_any_build(
    site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public = tmp_path / "public"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["serve", "--content", str(site_dir), "--templates", str(TEMPLATES)]
        status = main([*args, "--output", str(public), "--port", str(port), "--no-search"])
    assert status == 1
    assert capsys.readouterr().err == (
        f"--port: cannot serve on port {port}: it is in use (by another server, or another "
        "`serve`)\n  hint: stop what uses it, or pass another --port (--port 0 picks a free one)"
        "\n1 problem found. The server did not start.\n"
    )
    assert not public.exists()  # said before any build


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_that_is_no_port_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["serve", "--port", port])
    assert raised.value.code == 2
    assert capsys.readouterr().err.endswith(
        f"peru-digest serve: error: argument --port: {port!r} is no port: write a number from 0 "
        "to 65535\n"
    )


def test_ctrl_c_during_a_rebuild_stops_it_at_once(server: Server, tmp_path: Path) -> None:
    """The build stops where it is, as `peru-digest build` does: it does not run on, for
    seconds, after "Stopped." (nor is it cut off wherever it is when Python exits)."""
    base = tmp_path / "templates" / "base.html"
    template = base.read_text(encoding="utf-8")
    article = server.content / NEWEST
    original = article.read_text(encoding="utf-8")
    # The watcher is watching once a change shows (edit_until retries until it does).
    edit_until(server, article, original.replace(OLD_TITLE, "title: Watched\n"),
               lambda seen: "Watched" in seen.page, "a first change")  # fmt: skip
    marker = "Drawn slowly"
    slow = "{% for i in range(2000) %}{% set total = range(20000) | sum %}{% endfor %}" + marker
    base.write_text(template.replace("</body>", slow + "</body>"), encoding="utf-8")
    time.sleep(2)  # the rebuild has begun: each page now takes half a second to draw
    home = server.public / "index.html"
    assert marker not in home.read_text(encoding="utf-8"), "the rebuild should still be going"
    started = time.monotonic()
    ctrl_c_stops_cleanly(server)
    assert time.monotonic() - started < 4.5  # it used to wait 5 s for the build, then cut it off
    assert marker not in home.read_text(encoding="utf-8")
    beside = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".public"))
    assert beside == [".public-spare"]  # the interrupted build cleaned up after itself
