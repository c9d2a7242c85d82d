"""The feed's bytes, from a file or an http(s) address, within limits.

Each limit that is reached is one line naming the feed and the limit. feedparser never
fetches anything itself: it is handed these bytes.
"""

from __future__ import annotations

import re
import signal
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage, HTTPResponse
from pathlib import Path
from typing import IO
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .. import urls
from ..errors import DigestError, Problem
from ..yamlio import clip

USER_AGENT = "peru-digest/0.1"
CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
MAX_MEMBERS = 100
_WEB_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_REDIRECT_LOOP = urllib.request.HTTPRedirectHandler.inf_msg
_UNSENDABLE = re.compile(r'[\s"<>\\^`{|}]')  # what a request line cannot carry as it is


@dataclass(frozen=True)
class Limits:
    """How much of the machine one import may take."""

    bytes: int = 10 * 1024 * 1024  # a feed's size; feedparser needs about 7 times as much memory
    seconds: float = 60.0  # the whole download
    read_timeout: float = 20.0  # connecting, and waiting for any one part of the answer
    entries: int = 1000
    entity_expansion: int = 1_000_000  # bytes the feed's own DTD entities may add


_FILE_ADDRESS = re.compile(r"file:", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
OTHER_HOST = "cannot read the feed: a file on another machine"
OTHER_SCHEME_HINT = "download the feed, then import the file"


def is_url(location: str) -> bool:
    return _WEB_SCHEME.match(location) is not None


def read_feed(location: str, limits: Limits) -> tuple[bytes, str]:
    """The feed's bytes and its Content-Type ("" for a file, also one named by a ``file:``
    address); a feed still gzip-compressed (a ``feed.xml.gz`` saved as it came, a server
    that compresses without saying so, or twice) unpacked."""
    data, content_type = read_raw(location, limits)
    if data.startswith(GZIP_MAGIC):
        data = decoded(location, data, "gzip", limits)
    if not data.strip():
        hint = EMPTY_DOWNLOAD_HINT if is_url(location) else EMPTY_FILE_HINT
        raise DigestError([Problem(location, None, EMPTY, hint)])
    return data, content_type


EMPTY = "the feed is empty: it holds not one character"
EMPTY_DOWNLOAD_HINT = "check the address; if it is right, the server sent nothing: try again later"
EMPTY_FILE_HINT = "check the file's name; a feed saved before its download came is empty"


def read_raw(location: str, limits: Limits) -> tuple[bytes, str]:
    """The bytes at ``location``, as the file or the server gives them."""
    if is_url(location):
        return fetch(location, limits)
    if _FILE_ADDRESS.match(location):
        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            raise DigestError([Problem(location, None, OTHER_HOST, OTHER_SCHEME_HINT)])
        return read_file(Path(urllib.request.url2pathname(parts.path)), limits), ""
    if scheme := _OTHER_SCHEME.match(location):
        message = f"cannot read the feed: {scheme[1]!r} addresses are not read, only http(s)"
        hint = (  # a browser's link to a feed, for a feed reader to open
            f"write it with https:// instead of {scheme[0]}"
            if scheme[1].lower() == "feed"
            else OTHER_SCHEME_HINT
        )
        raise DigestError([Problem(location, None, message, hint)])
    return read_file(Path(location), limits), ""


def read_file(path: Path, limits: Limits) -> bytes:
    shown = path.as_posix()
    try:
        if path.exists() and not path.is_file():
            raise DigestError([Problem(shown, None, "cannot read the feed: not a file")])
        with path.open("rb") as handle:
            data = handle.read(limits.bytes + 1)
    except OSError as error:
        message = f"cannot read the feed: {error.strerror or error}"
        raise DigestError([Problem(shown, None, message)]) from None
    if len(data) > limits.bytes:
        raise too_large(shown, limits)
    return data


class WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an http(s) address. urllib's own follows ``ftp://`` too,
    where a hostile feed could send the importer to log in to any host, inside the editor's
    network as well."""

    def http_error_302(  # urllib's names, as it calls them
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
    ) -> IO[bytes] | None:
        target = headers.get("location") or headers.get("uri")
        if target is not None:
            address = urljoin(req.full_url, target)
            if not _WEB_SCHEME.match(address):
                reason = f"the feed redirects to {clip(address)}, which is not read: only http(s)"
                raise urllib.error.HTTPError(address, code, reason, headers, fp)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class OutOfTimeError(Exception):
    """The whole download's time is up (not an OSError: urllib would wrap that)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise OutOfTimeError in the block after ``seconds``, whatever it is waiting for: a server
    that sends its headers a byte at a time, or redirects slowly, never trips the socket's
    own timeout, which counts from one byte to the next. (Signals reach the main thread
    only: elsewhere the download's body is still timed, by :func:`read_body`.)"""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() != threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the caller's own timer: left be
        or signal.getsignal(signal.SIGALRM) is None  # a handler Python cannot put back
    ):
        yield
        return

    def expire(_signal: int, _frame: object) -> None:
        raise OutOfTimeError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fetch(url: str, limits: Limits) -> tuple[bytes, str]:
    """The body and Content-Type at ``url``; DigestError with one clear line when that fails."""
    deadline = time.monotonic() + limits.seconds
    hint = ""
    try:
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
        request = urllib.request.Request(iri_to_uri(url), headers=headers)
        timeout = min(limits.read_timeout, limits.seconds)
        opener = urllib.request.build_opener(WebOnlyRedirects)
        with (
            time_limit(limits.seconds),
            opener.open(request, timeout=timeout) as response,
        ):
            body = read_body(url, response, limits, deadline)
            body = decoded(url, body, str(response.headers.get("Content-Encoding", "")), limits)
            return body, str(response.headers.get("Content-Type", ""))
    except OutOfTimeError:
        reason = took_longer(limits)
    except urllib.error.HTTPError as error:
        error.close()
        reason = http_error(error)
        hint = http_hint(error.code) if reason.startswith("HTTP error") else ""
    except urllib.error.URLError as error:
        timed_out = isinstance(error.reason, TimeoutError)
        reason = timed_out_after(limits) if timed_out else f"cannot connect: {error.reason}"
    except TimeoutError:
        reason = timed_out_after(limits)
    except (OSError, HTTPException) as error:
        reason = f"cannot read the response: {error}"
    except ValueError as error:
        reason = f"not a valid URL: {error}"
    raise DigestError([Problem(url, None, one_line(reason), hint)])


def http_hint(status: int) -> str:
    """What to do about an HTTP error, by what its status says of the server."""
    if status in (401, 403):
        return (
            "the server refuses this program (some outlets let only browsers in): open the "
            "address in a browser, save the feed as a file, and import the file"
        )
    if status in (404, 410):
        return "check the address; if the outlet moved its feed, its home page links to the new one"
    if status == 429 or status >= 500:
        return "the outlet's server is busy or failing: try again later"
    return ""


def read_body(url: str, response: HTTPResponse, limits: Limits, deadline: float) -> bytes:
    """The body, a part at a time: stopped at the size limit and at the deadline."""
    declared = str(response.headers.get("Content-Length", ""))
    if declared.isdigit() and int(declared) > limits.bytes:
        raise too_large(url, limits)
    parts, size = [], 0
    while part := response.read1(CHUNK):
        size += len(part)
        if size > limits.bytes:
            raise too_large(url, limits)
        if time.monotonic() > deadline:
            raise DigestError([Problem(url, None, took_longer(limits))])
        parts.append(part)
    if declared.isdigit() and size < int(declared) and not getattr(response, "chunked", False):
        message = f"the download ended early: {size:,} of {int(declared):,} bytes came"
        raise DigestError([Problem(url, None, message, "try again later")])
    return b"".join(parts)


def decoded(url: str, body: bytes, encoding: str, limits: Limits) -> bytes:
    """The body as the server compressed it, uncompressed within the size limit (a small
    download may unpack to gigabytes); every gzip member, and each must be whole."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        message = f"the server sent the feed in an encoding this importer cannot read: {encoding}"
        raise DigestError([Problem(url, None, message)])
    try:
        return unpacked(url, body, zlib.MAX_WBITS | 32, limits)  # gzip or zlib, by its header
    except zlib.error:
        pass
    try:
        return unpacked(url, body, -zlib.MAX_WBITS, limits)  # "deflate" sent raw, as is common
    except zlib.error:
        message = f"the server's {encoding} compression of the feed cannot be read"
        raise DigestError([Problem(url, None, message)]) from None


def unpacked(url: str, body: bytes, wbits: int, limits: Limits) -> bytes:
    """Each gzip member in turn (what follows the last one that is no member is padding, as
    some servers send it)."""
    parts: list[bytes] = []
    size, rest = 0, body
    while rest:
        if len(parts) == MAX_MEMBERS:  # a feed is one; thousands would take quadratic time
            raise zlib.error
        unpacker = zlib.decompressobj(wbits)
        parts.append(unpacker.decompress(rest, limits.bytes + 1 - size))
        size += len(parts[-1])
        if size > limits.bytes:
            raise too_large(url, limits)
        if not unpacker.eof:
            message = "the download ended early: the compressed feed is cut short"
            raise DigestError([Problem(url, None, message, "try again later")])
        rest = unpacker.unused_data.lstrip(b"\0\t\n\r ")  # a server's padding
        if not rest.startswith(GZIP_MAGIC):
            break
    return b"".join(parts)


def iri_to_uri(url: str) -> str:
    """The address as HTTP sends it, as a browser would: letters outside ASCII (copied from
    an address bar, ``…?q=ñ``), spaces and the like percent-encoded, a host in its IDNA form."""
    if url.isascii() and not _UNSENDABLE.search(url):
        return url
    before, query = urls.split_at_query(url)
    parts = urlsplit(before.replace("\\", "/") + query)  # a backslash as browsers read it
    host = parts.hostname or ""
    ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    user, at, _ = parts.netloc.rpartition("@")
    bracketed = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    netloc = f"{user}{at}{bracketed}{f':{parts.port}' if parts.port else ''}" if host else ""
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe="/%:@!$&'()*+,;="),
            quote(parts.query, safe="/%:@!$&'()*+,;=?"),
            quote(parts.fragment, safe="/%:@!$&'()*+,;=?"),
        )
    )


def too_large(shown: str, limits: Limits) -> DigestError:
    message = f"the feed is larger than the limit of {limits.bytes:,} bytes"
    return DigestError([Problem(shown, None, message)])


def http_error(error: urllib.error.HTTPError) -> str:
    if str(error.reason).startswith(_REDIRECT_LOOP):
        return f"too many redirects: the server redirects in a loop (HTTP {error.code})"
    return f"HTTP error {error.code}: {error.reason}"


def took_longer(limits: Limits) -> str:
    return f"the download took longer than the limit of {limits.seconds:g} s"


def timed_out_after(limits: Limits) -> str:
    return f"timed out after {min(limits.read_timeout, limits.seconds):g} s"


def one_line(text: str) -> str:
    return " ".join(str(text).split())
