"""RSS 0.9x/1.0/2.0 and Atom feeds → new article files, through the shared writer.

The feed is read from a file or fetched from an http(s) address here, then handed to
feedparser as bytes, so a network failure is one clear problem and feedparser never fetches.
feedparser is tolerant: a feed that is not well-formed still gives the entries it could recover.
"""

from __future__ import annotations

import calendar
import io
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html import escape
from html.parser import HTMLParser
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser

from ..errors import DigestError, Problem
from ..markup import absolutize, plain_text, sanitize
from .write import ImportReport, NewArticle, without_tracking, write_articles

USER_AGENT = "peru-digest/0.1"
TIMEOUT = 20.0  # seconds
NOT_A_FEED_HINT = "give the feed's own address; a web page usually links to it as RSS or Atom"
FEED_DATE_NOTE = "no date; the feed's date was used"
IMPORT_DAY_NOTE = "no date; the import day was used"
BLOCK_TAGS = frozenset({"blockquote", "h2", "h3", "h4", "hr", "ol", "p", "pre", "table", "ul"})
VOID_TAGS = frozenset({"br", "hr", "img"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
_URI = re.compile(r"[a-z][a-z0-9+.-]*:\S+", re.IGNORECASE)
_WEB_SCHEME = re.compile(r"https?://", re.IGNORECASE)

Entry = Mapping[str, Any]  # one feedparser entry (or the feed's own header)


@dataclass(frozen=True)
class FeedDefaults:
    """What an entry takes from its feed when it does not say itself."""

    base: str  # the feed's link: relative entry links resolve against it
    outlet: str
    homepage: str
    feed_date: date | None
    today: date


def import_feed(
    source: str,
    content: Path,
    *,
    today: date,
    outlet: str | None = None,
    dry_run: bool,
    timeout: float = TIMEOUT,
) -> ImportReport:
    """Import each new entry of the feed at ``source``, a file or an http(s) URL.

    A feed that cannot be read, is no feed, or breaks off before its first entry raises
    DigestError and imports nothing.
    """
    parsed = parse_feed(source, timeout)
    warnings = check_feed(parsed, source)
    defaults = feed_defaults(parsed, source, outlet, today)
    articles, unusable = to_articles(parsed.entries, defaults)
    report = write_articles(articles, content, dry_run=dry_run)
    report.skipped[:0] = unusable
    report.warnings += warnings
    return report


# --- reading ----------------------------------------------------------------------------------


def parse_feed(source: str, timeout: float) -> Any:
    """feedparser's reading of the bytes at ``source``; HTML is sanitized later, by us."""
    if is_url(source):
        data, content_type = fetch(source, timeout)
    else:
        data, content_type = read_file(Path(source)), ""
    return feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": content_type} if content_type else None,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def is_url(source: str) -> bool:
    return _WEB_SCHEME.match(source) is not None


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        message = f"cannot read the feed: {error.strerror or error}"
        raise DigestError([Problem(path.as_posix(), None, message)]) from None


def fetch(url: str, timeout: float) -> tuple[bytes, str]:
    """The body and Content-Type at ``url``; DigestError with one clear line when that fails."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read()), str(response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        error.close()
        reason = f"HTTP error {error.code}: {error.reason}"
    except urllib.error.URLError as error:
        timed_out = isinstance(error.reason, TimeoutError)
        reason = timed_out_after(timeout) if timed_out else f"cannot connect: {error.reason}"
    except TimeoutError:
        reason = timed_out_after(timeout)
    except (OSError, HTTPException) as error:
        reason = f"cannot read the response: {error}"
    except ValueError as error:
        reason = f"not a valid URL: {error}"
    raise DigestError([Problem(url, None, reason)])


def timed_out_after(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def check_feed(parsed: Any, source: str) -> list[str]:
    """Warnings for a feed that can be imported; DigestError for one that cannot."""
    count = len(parsed.entries)
    if not count and not parsed.get("version") and not parsed.feed.get("title"):
        raise DigestError([Problem(source, None, "not an RSS or Atom feed", NOT_A_FEED_HINT)])
    fault = parse_fault(parsed)
    if fault is None:
        return []
    if not count:
        message = f"the feed is not well-formed ({fault}); no entries could be recovered"
        raise DigestError([Problem(source, None, message)])
    entries = "entry" if count == 1 else "entries"
    return [f"the feed is not well-formed ({fault}); {count} {entries} recovered"]


def parse_fault(parsed: Any) -> str | None:
    """Why the feed is not well-formed, or None; a wrong content type or charset is no fault."""
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is None or isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        return None
    if isinstance(error, SAXParseException):
        return f"line {error.getLineNumber()}: {error.getMessage()}"
    return str(error) or type(error).__name__


# --- entries → articles -----------------------------------------------------------------------


def feed_defaults(parsed: Any, source: str, outlet: str | None, today: date) -> FeedDefaults:
    """The feed's link, outlet, homepage and date; DigestError when no outlet can be named."""
    feed = parsed.feed
    base = joined(source if is_url(source) else "", str(feed.get("link") or "").strip())
    name = (outlet or "").strip() or text_of(feed, "title")
    if not name and not all(entry_outlet(entry) for entry in parsed.entries):
        problem = Problem(
            source, None, "the feed has no title to name its outlet", "name it with --source NAME"
        )
        raise DigestError([problem])
    feed_date = first_moment(feed, ("updated", "published"))
    return FeedDefaults(base, name, web_address(base), feed_date, today)


def to_articles(
    entries: Iterable[Entry], defaults: FeedDefaults
) -> tuple[list[NewArticle], list[str]]:
    """The entries as articles, and why each entry that cannot be one is skipped."""
    articles, unusable = [], []
    for number, entry in enumerate(entries, start=1):
        title, link = text_of(entry, "title"), str(entry.get("link") or "").strip()
        link = joined(defaults.base, link) if link else ""
        reason = unusable_reason(number, title, link)
        if reason:
            unusable.append(reason)
        else:
            articles.append(to_article(entry, title, link, defaults))
    return articles, unusable


def unusable_reason(number: int, title: str, link: str) -> str | None:
    if not title:
        return f"entry {number} ({link}): no title" if link else f"entry {number}: no title or link"
    if not link:
        return f"{title!r}: no link"
    if not web_address(link):
        return f"{title!r}: the link is not an http(s) address: {link!r}"
    return None


def to_article(entry: Entry, title: str, link: str, defaults: FeedDefaults) -> NewArticle:
    day, note = entry_date(entry, defaults)
    outlet, homepage = entry_outlet(entry) or (defaults.outlet, defaults.homepage)
    return NewArticle(
        title=title,
        date=day,
        source=outlet,
        authors=author_names(entry),
        url=without_tracking(link),
        summary=summary_html(entry, link),
        id=stable_id(entry),
        homepage=homepage,
        note=note,
    )


def entry_date(entry: Entry, defaults: FeedDefaults) -> tuple[date, str]:
    """Published, else updated; else the feed's date, else the import day, with a note."""
    found = first_moment(entry, ("published", "updated"))
    if found is not None:
        return found, ""
    if defaults.feed_date is not None:
        return defaults.feed_date, FEED_DATE_NOTE
    return defaults.today, IMPORT_DAY_NOTE


def first_moment(entry: Entry, keys: Iterable[str]) -> date | None:
    for key in keys:
        found = moment_of(str(entry.get(key) or ""), entry.get(f"{key}_parsed"))
        if found is not None:
            return found
    return None


def moment_of(text: str, parsed: Any) -> date | None:
    """The date or date-time as the feed wrote it, offset kept; else feedparser's UTC reading."""
    readers: tuple[Callable[[str], date], ...] = (
        date.fromisoformat,
        datetime.fromisoformat,
        rfc822_moment,
    )
    for read in readers:
        try:
            return read(text.strip())
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def rfc822_moment(text: str) -> datetime:
    moment = parsedate_to_datetime(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # "-0000": UTC


def entry_outlet(entry: Entry) -> tuple[str, str] | None:
    """The name and homepage of the outlet the entry's own ``source`` element names."""
    source = entry.get("source") or {}
    name = text_of(source, "title")
    return (name, web_address(str(source.get("link") or ""))) if name else None


def author_names(entry: Entry) -> tuple[str, ...]:
    names = (" ".join(str(a.get("name") or "").split()) for a in entry.get("authors") or ())
    return tuple(dict.fromkeys(name for name in names if name))


def stable_id(entry: Entry) -> str:
    """The guid or Atom id when it is a URI, unique beyond its feed; else "" (derived later)."""
    value = str(entry.get("id") or "").strip()
    return value if _URI.fullmatch(value) else ""


def text_of(entry: Entry, key: str) -> str:
    """A title as plain text on one line, whether the feed wrote it as text or HTML."""
    value = str(entry.get(key) or "")
    if (entry.get(f"{key}_detail") or {}).get("type") in HTML_TYPES:
        return plain_text(value)
    return " ".join(value.split())


def web_address(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def joined(base: str, link: str) -> str:
    """``link`` made absolute against ``base``; as it is when either cannot be parsed."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


# --- summaries --------------------------------------------------------------------------------


def summary_html(entry: Entry, link: str) -> str:
    """The summary (else the content) as sanitized HTML blocks, links absolute against ``link``."""
    return as_blocks(absolutize(sanitize(raw_summary(entry)), link))


def raw_summary(entry: Entry) -> str:
    """The summary, else the content, as HTML; plain text is escaped."""
    contents = entry.get("content") or [{}]
    detail = entry.get("summary_detail") or contents[0]
    value = str(entry.get("summary") or contents[0].get("value") or "")
    return text_as_html(value) if detail.get("type") == "text/plain" else value


def text_as_html(text: str) -> str:
    paragraphs = (part.strip() for part in re.split(r"\n\s*\n", text))
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs if part)


def as_blocks(html: str) -> str:
    """Sanitized HTML as block elements, one a line, loose inline runs wrapped in ``<p>``.

    Markdown passes a block of HTML through untouched, but reads ``*``, ``_`` or ``[a](b)``
    in loose text as its own markup.
    """
    pieces, at = [], 0
    for start, end in [*_TopLevelBlocks.spans_in(html), (len(html), len(html))]:
        loose = html[at:start].strip()
        pieces += [f"<p>{loose}</p>"] if loose else []
        pieces += [html[start:end]] if end > start else []
        at = end
    return "\n".join(pieces)


class _TopLevelBlocks(HTMLParser):
    """Finds where each top-level block element of well-formed HTML starts and ends."""

    @classmethod
    def spans_in(cls, html: str) -> list[tuple[int, int]]:
        finder = cls(html)
        finder.feed(html)
        finder.close()
        return finder.spans

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
        self.spans: list[tuple[int, int]] = []
        self.depth = 0
        self.block_start: int | None = None

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        if self.depth == 0 and tag in BLOCK_TAGS:
            if tag in VOID_TAGS:
                self.spans.append((start, start + len(self.get_starttag_text() or "")))
            else:
                self.block_start = start
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        self.depth -= 1
        if self.depth == 0 and self.block_start is not None:
            self.spans.append((self.block_start, self.position() + len(f"</{tag}>")))
            self.block_start = None
