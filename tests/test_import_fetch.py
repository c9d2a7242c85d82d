"""Reading a feed within limits: size, time, entries and DTD entities; each limit one line
naming the feed and the limit. The server is local; the limits are made small for speed."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from peru_digest.cli import main
from peru_digest.errors import DigestError
from peru_digest.importers.entities import entity_expansion
from peru_digest.importers.feed import import_feed
from peru_digest.importers.fetch import Limits, iri_to_uri

from .conftest import FIXTURES
from .imported import front_matter_of, serving, snapshot

FEEDS = FIXTURES / "feeds"
RSS = (FEEDS / "rss20.xml").read_bytes()
ACCENTED = (FEEDS / "utf8_mislabelled_wordpress.xml").read_bytes()
NOW = datetime(2024, 5, 6, 12, tzinfo=UTC)  # the import day, at noon


def refused(location: str, content: Path, limits: Limits) -> str:
    """The one problem that stopped the import; content/ is left as it was."""
    before = snapshot(content)
    with pytest.raises(DigestError) as raised:
        import_feed(location, content, now=NOW, dry_run=False, limits=limits)
    assert len(raised.value.problems) == 1
    assert snapshot(content) == before
    return str(raised.value)


HALF = len(RSS) // 2
WHOLE_BODIES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "/gzip.xml": lambda: ("gzip", gzip.compress(RSS)),
    "/bomb.xml": lambda: ("gzip", gzip.compress(b" " * 50_000_000)),
    "/two-members.xml": lambda: ("gzip", gzip.compress(RSS[:HALF]) + gzip.compress(RSS[HALF:])),
    "/cut-gzip.xml": lambda: ("gzip", gzip.compress(RSS)[:-20]),
    "/padded-gzip.xml": lambda: ("gzip", gzip.compress(RSS) + b"\n<!-- 0.2 s -->\n"),
    "/spaced-members.xml": lambda: (
        "gzip",
        gzip.compress(RSS[:HALF]) + b"\n" + gzip.compress(RSS[HALF:]),
    ),
    "/many-members.xml": lambda: ("gzip", b"".join(gzip.compress(bytes([c])) for c in RSS)),
    "/%C3%B1and%C3%BA.xml?q=%C3%B1": lambda: ("identity", RSS),  # /ñandú.xml?q=ñ
}


@pytest.fixture
def server() -> Iterator[str]:
    """/feed.xml, /big.xml (says it is big), /endless.xml, /drip.xml (a byte every 50 ms),
    /slow-headers.xml (its headers so), /loop.xml (redirects to itself), /redirect?to=ADDRESS,
    /mislabelled.xml
    (UTF-8, said to be ISO-8859-1), /short.xml (cut halfway), and WHOLE_BODIES."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: PLR0911 - a route each
            if self.path == "/slow-headers.xml":  # a byte of its headers every 50 ms
                for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"x" * 10_000:
                    if stop.is_set():
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            if self.path == "/loop.xml":
                self.send_response(302)
                self.send_header("Location", "/loop.xml")
                self.end_headers()
                return
            if self.path.startswith("/redirect?to="):  # to the address after "to="
                self.send_response(301)
                self.send_header("Location", self.path.removeprefix("/redirect?to="))
                self.end_headers()
                return
            self.send_response(200)
            if self.path in WHOLE_BODIES:  # (Content-Encoding, body), with its length
                encoding, body = WHOLE_BODIES[self.path]()
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path == "/short.xml":  # the connection drops halfway
                self.send_header("Content-Length", str(len(RSS)))
                self.end_headers()
                self.wfile.write(RSS[: len(RSS) // 2])
                self.close_connection = True
                return
            if self.path == "/mislabelled.xml":
                self.send_header("Content-Type", "application/rss+xml; charset=ISO-8859-1")
                self.end_headers()
                self.wfile.write(ACCENTED)
                return
            self.send_header("Content-Type", "application/rss+xml")
            if self.path == "/big.xml":
                self.send_header("Content-Length", str(10**9))
            if self.path == "/feed.xml":
                self.send_header("Content-Length", str(len(RSS)))
            self.end_headers()
            self.stream()

        def stream(self) -> None:
            try:
                if self.path == "/feed.xml":
                    self.wfile.write(RSS)
                while self.path in ("/endless.xml", "/big.xml") and not stop.is_set():
                    self.wfile.write(b"<!-- more -->" * 1000)
                while self.path == "/drip.xml" and not stop.is_set():
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the importer hung up, as it should
                pass

    with serving(Handler) as url:
        try:
            yield url
        finally:
            stop.set()  # endless answers end before the server stops


def test_the_default_limits_are_generous_for_real_feeds_and_finite() -> None:
    limits = Limits()
    assert (limits.bytes, limits.seconds, limits.read_timeout) == (10 * 1024 * 1024, 60.0, 20.0)
    assert (limits.entries, limits.entity_expansion) == (1000, 1_000_000)


def test_a_feed_within_the_limits_is_fetched(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/feed.xml", site_dir, now=NOW, dry_run=True)
    assert report.lines()[-1] == "Dry run, nothing written: 2 would be imported, 0 skipped."


def test_a_utf_8_feed_its_server_says_is_iso_8859_1_is_read_as_utf_8(
    site_dir: Path, server: str
) -> None:
    """WordPress behind a misconfigured server: the header's charset garbled every accent."""
    report = import_feed(f"{server}/mislabelled.xml", site_dir, now=NOW, dry_run=False)
    assert report.warnings == [
        "the server says the feed is iso-8859-1, but it is UTF-8: it was read as UTF-8"
    ]
    [path] = report.imported
    assert front_matter_of(site_dir.parent / path)["title"] == "Minería ilegal: la “fiebre del oro”"


def test_a_download_that_says_it_is_too_large_is_refused_at_once(
    site_dir: Path, server: str
) -> None:
    url = f"{server}/big.xml"
    limits = Limits(bytes=100_000)
    assert refused(url, site_dir, limits) == (
        f"{url}: the feed is larger than the limit of 100,000 bytes"
    )


def test_an_endless_download_stops_at_the_size_limit(site_dir: Path, server: str) -> None:
    url = f"{server}/endless.xml"
    tracemalloc.start()
    started = time.monotonic()
    message = refused(url, site_dir, Limits(bytes=1_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert message == f"{url}: the feed is larger than the limit of 1,000,000 bytes"
    assert time.monotonic() - started < 5
    assert peak < 20_000_000  # a few times the limit, never the stream


def test_a_server_that_drips_is_stopped_at_the_time_limit(site_dir: Path, server: str) -> None:
    url = f"{server}/drip.xml"
    started = time.monotonic()
    message = refused(url, site_dir, Limits(seconds=0.5, read_timeout=5))
    assert message == f"{url}: the download took longer than the limit of 0.5 s"
    assert time.monotonic() - started < 2


def test_a_server_that_drips_its_headers_is_stopped_at_the_time_limit(
    site_dir: Path, server: str
) -> None:
    url = f"{server}/slow-headers.xml"
    started = time.monotonic()
    message = refused(url, site_dir, Limits(seconds=0.5, read_timeout=5))
    assert message == f"{url}: the download took longer than the limit of 0.5 s"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("https://a.pe/ok?x=1", "https://a.pe/ok?x=1"),
        ("https://a.pe/x y|z", "https://a.pe/x%20y%7Cz"),
        ("https://a.pe/ñ?q=ñ#ñ", "https://a.pe/%C3%B1?q=%C3%B1#%C3%B1"),
        ("https://Ñandú.pe:8080/a", "https://xn--and-6ma2c.pe:8080/a"),
        ("https://[::1]:8000/a b", "https://[::1]:8000/a%20b"),
        ("https://a.pe/ya%20escrito", "https://a.pe/ya%20escrito"),
        ("https://a.pe\\nota\\1?q=a\\b", "https://a.pe/nota/1?q=a%5Cb"),  # \ read as /
    ],
)
def test_an_address_is_sent_as_a_browser_sends_it(url: str, sent: str) -> None:
    assert iri_to_uri(url) == sent


def test_a_timer_the_caller_set_is_left_as_it_was(site_dir: Path, server: str) -> None:
    signal.setitimer(signal.ITIMER_REAL, 1000)
    try:
        import_feed(f"{server}/feed.xml", site_dir, now=NOW, dry_run=True)
        assert 990 < signal.getitimer(signal.ITIMER_REAL)[0] <= 1000
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def test_a_feed_the_server_compressed_is_read(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/gzip.xml", site_dir, now=NOW, dry_run=True)
    assert report.imported


def test_a_feed_compressed_in_two_gzip_members_is_read_whole(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/two-members.xml", site_dir, now=NOW, dry_run=True)
    assert len(report.imported) == len(
        import_feed(f"{server}/feed.xml", site_dir, now=NOW, dry_run=True).imported
    )


def test_what_follows_the_last_gzip_member_is_padding(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/padded-gzip.xml", site_dir, now=NOW, dry_run=True)
    assert report.imported


def test_gzip_members_apart_are_read_and_thousands_refused(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/spaced-members.xml", site_dir, now=NOW, dry_run=True)
    assert report.imported
    url = f"{server}/many-members.xml"  # a byte a member: quadratic to unpack
    assert refused(url, site_dir, Limits()) == (
        f"{url}: the server's gzip compression of the feed cannot be read"
    )


def test_an_address_pasted_with_spaces_around_is_fetched(site_dir: Path, server: str) -> None:
    report = import_feed(f"  {server}/feed.xml\n", site_dir, now=NOW, dry_run=True)
    assert (
        report.imported
        == import_feed(f"{server}/feed.xml", site_dir, now=NOW, dry_run=True).imported
    )


def test_a_compressed_feed_cut_short_is_refused(site_dir: Path, server: str) -> None:
    url = f"{server}/cut-gzip.xml"
    assert refused(url, site_dir, Limits()) == (
        f"{url}: the download ended early: the compressed feed is cut short\n"
        "  hint: try again later"
    )


def test_a_compressed_feed_that_unpacks_past_the_size_limit_is_refused(
    site_dir: Path, server: str
) -> None:
    url = f"{server}/bomb.xml"
    assert refused(url, site_dir, Limits(bytes=1_000_000)) == (
        f"{url}: the feed is larger than the limit of 1,000,000 bytes"
    )


def test_a_download_that_ends_early_is_refused_not_taken_for_a_broken_feed(
    site_dir: Path, server: str
) -> None:
    url = f"{server}/short.xml"
    half, whole = len(RSS) // 2, len(RSS)
    assert refused(url, site_dir, Limits()) == (
        f"{url}: the download ended early: {half:,} of {whole:,} bytes came\n"
        "  hint: try again later"
    )


def test_an_address_with_letters_outside_ascii_is_fetched(site_dir: Path, server: str) -> None:
    report = import_feed(f"{server}/ñandú.xml?q=ñ", site_dir, now=NOW, dry_run=True)
    assert report.imported


def test_a_redirect_loop_is_one_line(
    site_dir: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{server}/loop.xml"
    assert main(["import-feed", url, "--content", str(site_dir)]) == 1
    assert capsys.readouterr().err == (
        f"{url}: too many redirects: the server redirects in a loop (HTTP 302)\n"
        "1 problem found. Nothing was imported.\n"
    )


@pytest.mark.parametrize("scheme", ["ftp", "file", "gopher", "data"])
def test_a_redirect_to_an_address_that_is_not_http_is_refused_before_any_connection(
    site_dir: Path, server: str, scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile feed's server cannot send the importer to log in to a host of its choice."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    target = f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/feed.xml"
    url = f"{server}/redirect?to={target}"
    with listener:
        assert main(["import-feed", url, "--content", str(site_dir)]) == 1
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing connected
    assert capsys.readouterr().err == (
        f"{url}: HTTP error 301: the feed redirects to {target}, which is not read: only "
        "http(s)\n"
        "1 problem found. Nothing was imported.\n"
    )


def test_a_file_larger_than_the_limit_is_refused(site_dir: Path) -> None:
    location = str(FEEDS / "rss20.xml")
    assert refused(location, site_dir, Limits(bytes=1000)) == (
        f"{location}: the feed is larger than the limit of 1,000 bytes"
    )


def test_a_device_or_a_pipe_is_not_a_feed_file(site_dir: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.xml"
    os.mkfifo(pipe)
    for location in ("/dev/zero", str(pipe)):
        assert refused(location, site_dir, Limits()) == (
            f"{location}: cannot read the feed: not a file"
        )


def test_a_file_address_is_the_file_it_names(site_dir: Path) -> None:
    address = (FEEDS / "rss20.xml").as_uri()
    for location in (address, address.replace("file://", "FILE://localhost")):
        report = import_feed(location, site_dir, now=NOW, dry_run=True)
        assert report.imported


def test_other_addresses_are_refused_with_what_to_do(site_dir: Path) -> None:
    hint = "  hint: download the feed, then import the file"
    assert refused("ftp://andes.test/feed.xml", site_dir, Limits()) == (
        "ftp://andes.test/feed.xml: cannot read the feed: 'ftp' addresses are not read, only "
        f"http(s)\n{hint}"
    )
    assert refused("feed://andes.test/rss", site_dir, Limits()) == (
        "feed://andes.test/rss: cannot read the feed: 'feed' addresses are not read, only "
        "http(s)\n  hint: write it with https:// instead of feed://"
    )
    assert refused("file://server/feed.xml", site_dir, Limits()) == (
        f"file://server/feed.xml: cannot read the feed: a file on another machine\n{hint}"
    )


def test_a_feed_with_more_entries_than_the_limit_is_refused(site_dir: Path) -> None:
    location = str(FEEDS / "duplicate_entries.xml")
    assert refused(location, site_dir, Limits(entries=2)) == (
        f"{location}: the feed has 3 entries; the limit is 2\n"
        "  hint: import a shorter feed of the same outlet (a section's or a tag's, or one page "
        "of it: many sites take ?paged=2), or split the file"
    )


def test_an_entity_bomb_is_refused_before_it_expands(site_dir: Path) -> None:
    location = str(FEEDS / "entity_expansion_bomb.xml")
    started = time.monotonic()
    assert refused(location, site_dir, Limits()) == (
        f"{location}: the feed's DTD entities would add 2,000,000 bytes; the limit is 1,000,000"
    )
    assert time.monotonic() - started < 1


def test_entities_that_refer_to_entities_are_counted_expanded() -> None:
    nested = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "0123456789">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&c;">\n]>\n'
        b"<rss><channel><title>&b;&b;</title><description>&c;</description></channel></rss>"
    )
    assert entity_expansion(nested) > 10**18  # &c; refers to itself: endless
    assert entity_expansion(nested.replace(b"&c;</desc", b"</desc")) == 200


def test_a_feed_that_declares_a_few_entities_imports(site_dir: Path) -> None:
    report = import_feed(
        str(FEEDS / "entity_declared_and_used.xml"), site_dir, now=NOW, dry_run=False
    )
    assert report.lines()[-1] == "1 imported, 0 skipped."
    assert "Caf\u00e9 Lima reopens" in Path(report.imported[0]).read_text("utf-8")


@pytest.mark.parametrize(
    "head",
    [b'<!ENTITY a "' * 100_000, b"<!ENTITY a b " * 100_000, b"<!ENTITY" * 200_000],
)
def test_malformed_declarations_are_counted_in_linear_time(head: bytes) -> None:
    started = time.monotonic()
    assert entity_expansion(b"<!DOCTYPE rss [" + head + b"<rss/>") == 0
    assert time.monotonic() - started < 1
