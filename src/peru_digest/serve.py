"""``peru-digest serve``: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

The live-reload script is added to pages as they are served, never written into ``public/``,
so a served site and a built one stay byte-identical on disk.
"""

from __future__ import annotations

import contextlib
import errno
import html
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import urls
from .console import plural
from .errors import DigestError, Problem, os_reason
from .output import VERSION_CONTROL, check_output

RELOAD_PATH = "/__reload"
# Browsers open at most six connections to a host, and a reload stream holds one: with one
# stream a page, the seventh page open never loaded. So the page that holds a Web Lock keeps
# the only stream and tells the others through a BroadcastChannel. ``since`` is the build the
# page was served from: a build that ends before its stream opens is not missed.
RELOAD_SCRIPT = (
    "<script>(function(){{var url='/__reload?since={version}';"
    "function reload(){{location.reload();}}"
    "function listen(then){{new EventSource(url).addEventListener('reload',then);}}"
    "if(!navigator.locks||!window.BroadcastChannel){{listen(reload);return;}}"
    "var others=new BroadcastChannel('__reload');others.onmessage=reload;"
    "navigator.locks.request('__reload',function(){{return new Promise(function(){{"
    "listen(function(){{others.postMessage('reload');reload();}});}});}});}})();</script>"
)
HEARTBEAT_SECONDS = 10.0
# The names this server answers to. A web page elsewhere can have its own name point to
# 127.0.0.1 (DNS rebinding) and read the preview as its own; its requests carry its name.
LOCAL_NAMES = ("127.0.0.1", "localhost")
# After a reload, the search index waits until the browsers have fetched the reloaded pages:
# building in this process slows the server (one interpreter lock) as it answers them.
QUIET_SECONDS = 0.3  # no request for this long: the pages are in
LONGEST_WAIT_SECONDS = 3.0
WAIT_SECONDS = 0.5  # how often to look for a watched folder that was deleted
UTF_8 = "; charset=utf-8"  # as the build writes every text file
BINARY = "application/octet-stream"
# The types of the site's files, the same on every machine: Python would otherwise ask the
# system's list, which may lack one (.opml) or, on some Windows machines, call .js text/plain.
CONTENT_TYPES = {
    ".html": "text/html" + UTF_8,
    ".css": "text/css" + UTF_8,
    ".js": "text/javascript" + UTF_8,
    ".mjs": "text/javascript" + UTF_8,
    ".json": "application/json",  # UTF-8 by definition: no charset
    ".xml": "application/xml" + UTF_8,
    ".txt": "text/plain" + UTF_8,
    ".opml": "text/x-opml" + UTF_8,
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".pagefind": BINARY,
    ".pf_fragment": BINARY,
    ".pf_index": BINARY,
    ".pf_meta": BINARY,
    "": BINARY,
}


class SiteState:
    """The outcome of the latest build, shared by the watcher and the request handlers."""

    def __init__(self) -> None:
        self.version = 0
        self.problems: list[str] = []
        self.stopping = False
        self.changed = threading.Condition()
        self.answering = 0  # requests being answered (the reload streams are not counted)
        self.listening = 0  # reload streams open: pages that reload after a build
        self.last_answer = time.monotonic()

    def record(self, problems: list[str]) -> None:
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopping, timeout)
            return self.version

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    @contextmanager
    def request(self) -> Iterator[None]:
        """Count a request as being answered while it is."""
        with self.changed:
            self.answering += 1
        try:
            yield
        finally:
            with self.changed:
                self.answering -= 1
                self.last_answer = time.monotonic()
                self.changed.notify_all()

    @contextmanager
    def listener(self) -> Iterator[None]:
        """Count a reload stream as open while it is."""
        with self.changed:
            self.listening += 1
        try:
            yield
        finally:
            with self.changed:
                self.listening -= 1

    def wait_until_quiet(
        self, quiet: float = QUIET_SECONDS, longest: float = LONGEST_WAIT_SECONDS
    ) -> None:
        """Wait until no request has been answered (and none is being) for ``quiet`` seconds,
        counting from now, or for ``longest`` seconds at most; not at all when no page is
        open to reload."""
        calm_since = time.monotonic()
        end = calm_since + longest
        with self.changed:
            while not self.stopping and self.listening:
                now = time.monotonic()
                wake = end
                if not self.answering:
                    calm_since = max(calm_since, self.last_answer)
                    if now >= calm_since + quiet:
                        return
                    wake = min(end, calm_since + quiet)
                if now >= end:
                    return
                self.changed.wait(wake - now)


def rebuild(
    build: Callable[[], Any],
    state: SiteState,
    say: Callable[[str], None],
    then: Callable[[], Any] | None = None,
    done: str = "Rebuilt.",
) -> None:
    """Build once; a failure is kept for the browser and printed, and the server carries on;
    a success is said as ``done``.

    ``then`` runs after a build that worked and pages reloaded (the search index, which
    readers can wait a few seconds for); its failure is reported the same way.
    """
    problems = attempt(build)
    if problems:
        counted = plural(len(problems), "problem")
        say("\n".join(problems) + f"\nBuild failed: {counted}. Still serving.")
        state.record(problems)
        return
    say(done)
    state.record([])
    if then is None:
        return
    state.wait_until_quiet()  # the reloaded pages first
    if problems := attempt(then):
        say("\n".join(problems) + f"\nSearch index failed: {plural(len(problems), 'problem')}.")
        state.record(problems)


def attempt(build: Callable[[], Any]) -> list[str]:
    """Run a build; what went wrong, as the terminal and the browser show it."""
    try:
        build()
    except DigestError as error:
        return [str(problem) for problem in error.problems]
    except Exception as error:  # a bug, not bad content: still report it, and keep watching
        return [
            f"internal error: {type(error).__name__}: {error}\n"
            "  hint: run `peru-digest build -v` to see where it happened"
        ]
    return []


def with_reload(page: bytes, version: int) -> bytes:
    """The page with the script that reloads it after the next build (``version`` is the
    latest)."""
    script = RELOAD_SCRIPT.format(version=version).encode()
    return page.replace(b"</body>", script + b"</body>", 1)


class Handler(SimpleHTTPRequestHandler):
    """Serves the site; adds the reload script to HTML; shows the build error while there is one."""

    state: SiteState
    extensions_map = CONTENT_TYPES

    def parse_request(self) -> bool:
        """The standard checks, and the Host header names this machine (when there is one)."""
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if host is None or host_name(host) in LOCAL_NAMES:
            return True
        self.refuse_host(host)
        return False

    def refuse_host(self, host: str) -> None:
        port = self.connection.getsockname()[1]
        body = (
            f"This preview answers only to http://127.0.0.1:{port}/ and http://localhost:{port}/,"
            f" not to http://{host[:100]}/.\n"
        ).encode()
        self.send_page(HTTPStatus.FORBIDDEN, body, CONTENT_TYPES[".txt"], close=True)

    def do_GET(self) -> None:
        address = urllib.parse.urlsplit(self.path)
        if address.path == RELOAD_PATH:
            self.stream_reloads(since(address.query))
            return
        with self.state.request():
            super().do_GET()

    def do_HEAD(self) -> None:
        with self.state.request():
            super().do_HEAD()

    def wants_html(self) -> bool:
        path = self.path.split("?", 1)[0]
        return path.endswith(("/", ".html"))

    def send_head(self) -> Any:
        """Like the standard handler (for GET and HEAD alike), but HTML gets the reload script
        before ``</body>``, and while the last build failed, HTML is its error page."""
        del self.headers["If-Modified-Since"]  # file times count whole seconds: see end_headers
        if self.state.problems and self.wants_html():
            page = error_page(self.state.problems, self.state.version)
            self.send_page(HTTPStatus.INTERNAL_SERVER_ERROR, page)
            return None
        try:
            source = Path(self.translate_path(self.path))
            if self.in_version_control(source):
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            if source.is_dir():
                if not self.path.split("?", 1)[0].endswith("/"):
                    return super().send_head()  # the standard redirect to the slash form
                source = source / "index.html"
            if source.suffix != ".html" or not source.is_file():
                return super().send_head()
            body = source.read_bytes()
        except (OSError, ValueError):  # a NUL byte, a name too long for the file system
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        self.send_page(HTTPStatus.OK, with_reload(body, self.state.version))
        return None

    def in_version_control(self, source: Path) -> bool:
        """Whether ``source`` is in the `.git` (or `.hg`, `.svn`) a build keeps in the site:
        no web host serves it (a remote's address in its config may hold a token)."""
        top = source.relative_to(self.directory).parts[:1]
        return bool(top) and top[0].lower() in VERSION_CONTROL

    def list_directory(self, path: Any) -> None:
        """A folder without a page is not found, as on a web host: never a list of its files,
        which would hide a broken link until the site is published."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The site's own page for a page not found, as a web server serving it would send."""
        page = Path(self.directory) / urls.NOT_FOUND
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        self.send_page(HTTPStatus.NOT_FOUND, with_reload(page.read_bytes(), self.state.version))

    def end_headers(self) -> None:
        """Every answer is fetched anew: a style sheet a browser kept by its age, or took back
        as unchanged by its time (in whole seconds), would hide the change a rebuild made."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_page(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str = CONTENT_TYPES[".html"],
        *,
        close: bool = False,  # the connection ends with this answer
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def stream_reloads(self, seen: int | None) -> None:
        """Server-sent events: one ``reload`` event after each build since ``seen`` (None:
        since now), heartbeats between."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if seen is None:
            seen = self.state.version
        with self.state.listener(), contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while not self.state.stopping:
                version = self.state.wait_for_change(seen, HEARTBEAT_SECONDS)
                message = f"event: reload\ndata: {version}\n\n" if version != seen else ": -\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = version

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not every request."""


def since(query: str) -> int | None:
    """The build a page was served from, as its reload stream names it (None: not named)."""
    values = urllib.parse.parse_qs(query).get("since", [])
    return int(values[0]) if values and values[0].isdecimal() else None


def host_name(host: str) -> str:
    """The name in a Host header (``localhost:8000``), as DNS compares names."""
    name = host.rsplit(":", 1)[0] if ":" in host else host
    return name.rstrip(".").lower()


def error_page(problems: list[str], version: int) -> bytes:
    items = "".join(f"<li><pre>{html.escape(problem)}</pre></li>" for problem in problems)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
        "padding:0 1rem}pre{white-space:pre-wrap;background:#fde8e8;padding:.5rem}</style></head>"
        f"<body><h1>Build failed</h1><p>Fix these and save; this page reloads by itself.</p>"
        f"<ol>{items}</ol></body></html>"
    )
    return with_reload(page.encode(), version)


class PreviewServer(ThreadingHTTPServer):
    """Answers each request in a thread of its own."""

    daemon_threads = True
    # Room for the connections that wait to be accepted: when every open page reloads, each
    # asks for its files at once, and one turned away is tried again only a second later
    # (the standard 5 is no room at all while a build holds the interpreter).
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that hangs up (a page left, a reload) is no error; anything else is."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(output: Path, port: int, state: SiteState) -> ThreadingHTTPServer:
    """The server, its port taken (a port in use is a problem to fix, not a crash)."""
    handler = type("SiteHandler", (Handler,), {"state": state})
    try:
        return PreviewServer(("127.0.0.1", port), partial(handler, directory=str(output)))
    except OSError as error:
        raise DigestError([port_problem(port, error)]) from None


def port_problem(port: int, error: OSError) -> Problem:
    if error.errno == errno.EADDRINUSE:
        reason = "it is in use (by another server, or another `serve`)"
    elif error.errno == errno.EACCES:
        reason = "this user may not (ports below 1024 need more rights)"
    else:
        reason = os_reason(error)
    hint = "stop what uses it, or pass another --port (--port 0 picks a free one)"
    return Problem("--port", None, f"cannot serve on port {port}: {reason}", hint)


def watch(folders: list[Path], on_change: Callable[[], None], stop: threading.Event) -> None:
    """Call ``on_change`` after each batch of file changes, until ``stop`` is set.

    A watch dies with its folder: when a watched folder is deleted or replaced, build what is
    there (the error page, while it is gone), wait for it to be back, build, and watch it anew.
    """
    while wait_for(folders, stop) and watch_while_in_place(folders, on_change, stop):
        on_change()
        if not all(folder.is_dir() for folder in folders) and wait_for(folders, stop):
            on_change()


def watch_while_in_place(
    folders: list[Path], on_change: Callable[[], None], stop: threading.Event
) -> bool:
    """Watch until ``stop`` is set (False), or a watched folder is deleted or replaced (True)."""
    from watchfiles import watch as watch_files  # noqa: PLC0415 - only serve needs it

    watched = identities(folders)
    try:
        for _changes in watch_files(*folders, stop_event=stop, debounce=200, rust_timeout=500):
            if identities(folders) != watched:
                return True
            on_change()
    except FileNotFoundError:  # gone again before the watch began
        return True
    return False


def identities(folders: list[Path]) -> list[tuple[int, int] | None]:
    """Which folder each path names (None: none); a re-created folder is another one."""
    found: list[tuple[int, int] | None] = []
    for folder in folders:
        try:
            status = folder.stat()
        except OSError:
            found.append(None)
        else:
            found.append((status.st_dev, status.st_ino))
    return found


def wait_for(folders: list[Path], stop: threading.Event) -> bool:
    """Wait until every folder exists; False if ``stop`` is set first."""
    while not all(folder.is_dir() for folder in folders):
        if stop.wait(WAIT_SECONDS):
            return False
    return not stop.is_set()


def serve(
    build: Callable[[], Any],
    output: Path,
    watched: list[Path],
    port: int,
    say: Callable[[str], None],
    *,
    then: Callable[[], Any] | None = None,
) -> None:
    """Build, then serve and rebuild on change until interrupted (Ctrl-C, SIGTERM); ``then``
    runs after each build that worked (see :func:`rebuild`).

    Builds run in this thread and requests in others, so an interrupt stops a build where it
    is, as it stops ``peru-digest build``: none runs on after "Stopped.".
    """
    check_output(output, watched)
    state = SiteState()
    server = make_server(output, port, state)  # first: a port in use is said before a build
    try:
        rebuild(build, state, say, then, done="Built.")
        output.mkdir(parents=True, exist_ok=True)
        with answering(server, state):
            say(f"Serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                watch(watched, lambda: rebuild(build, state, say, then), threading.Event())
        say("Stopped.")
    finally:
        server.server_close()


@contextmanager
def answering(server: ThreadingHTTPServer, state: SiteState) -> Iterator[None]:
    """Answer requests in the background while the block runs."""
    thread = threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        state.stop()  # the reload streams end
        server.shutdown()
