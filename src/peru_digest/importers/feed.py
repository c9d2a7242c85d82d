"""``import-feed``: an RSS 0.9x/1.0/2.0 or Atom feed → new article files, all or nothing.

The feed is read (within ``Limits``) and checked for entity bombs here, then handed to
feedparser as bytes: feedparser never fetches. feedparser is tolerant: a feed that is not
well-formed still gives the entries it could recover, and the report says so.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

import feedparser

from ..errors import DigestError, Problem
from .commit import commit
from .entities import entity_expansion
from .feedentries import entry_candidates, feed_context
from .fetch import Limits, read_feed
from .plan import plan_import, read_settings
from .records import ImportReport

NOT_A_FEED_HINT = "give the feed's own address; a web page usually links to it as RSS or Atom"
NO_ENTRIES = "the feed has no entries"


def import_feed(
    location: str,
    content: Path,
    *,
    today: date,
    outlet: str | None = None,
    dry_run: bool,
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
) -> ImportReport:
    """Import each new entry of the feed at ``location``, a file or an http(s) URL.

    A feed that cannot be read, is no feed, breaks a limit, or breaks off before its first
    entry raises DigestError and imports nothing.
    """
    settings = read_settings(content)
    parsed = parse_feed(location, limits)
    warnings = check_feed(parsed, location, limits)
    context = feed_context(parsed, location, outlet, today, settings.config.sources)
    plan = plan_import(entry_candidates(parsed.entries, context), settings, dry_run=dry_run)
    plan.report.warnings += warnings
    if not dry_run:
        commit(plan)
    return plan.report


def parse_feed(location: str, limits: Limits) -> Any:
    """feedparser's reading of the feed; HTML is sanitized later, by us."""
    data, content_type = read_feed(location, limits)
    expansion = entity_expansion(data)
    if expansion > limits.entity_expansion:
        message = (
            f"the feed's DTD entities would add {expansion:,} bytes; "
            f"the limit is {limits.entity_expansion:,}"
        )
        raise DigestError([Problem(location, None, message)])
    return feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": content_type} if content_type else None,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def check_feed(parsed: Any, location: str, limits: Limits) -> list[str]:
    """Warnings for a feed that can be imported; DigestError for one that cannot."""
    count = len(parsed.entries)
    if not count and not parsed.get("version") and not parsed.feed.get("title"):
        raise DigestError([Problem(location, None, "not an RSS or Atom feed", NOT_A_FEED_HINT)])
    if count > limits.entries:
        message = f"the feed has {count:,} entries; the limit is {limits.entries:,}"
        raise DigestError([Problem(location, None, message)])
    fault = parse_fault(parsed)
    if fault is None:
        return [] if count else [NO_ENTRIES]
    if not count:
        message = f"the feed is not well-formed ({fault}); no entries could be recovered"
        raise DigestError([Problem(location, None, message)])
    entries = "entry" if count == 1 else "entries"
    return [f"the feed is not well-formed ({fault}); {count} {entries} recovered"]


def parse_fault(parsed: Any) -> str | None:
    """Why the feed is not well-formed, or None; a wrong content type or charset is no fault."""
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is None or isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        return None
    if isinstance(error, SAXParseException):
        return f"line {error.getLineNumber()}: {error.getMessage()}"
    return " ".join(str(error).split()) or type(error).__name__
