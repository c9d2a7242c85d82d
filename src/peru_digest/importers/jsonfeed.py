"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read into the shape feedparser
gives an RSS or Atom feed, so that its items are imported by the same rules.

feedparser 6.0 reads no JSON. Each item's ``url`` is its link (else its ``external_url``), its
``summary`` its description (plain text, as the spec has it), its ``content_html`` or
``content_text`` its content; ``authors`` (1.1) or ``author`` (1.0), else the feed's, its
authors. A value of the wrong type is read as missing, as a field a feed leaves out.
"""

from __future__ import annotations

import json
from typing import Any

import feedparser

from ..errors import DigestError, Problem
from .entities import references_read

VERSION_PREFIX = "https://jsonfeed.org/version/"
NOT_VALID_HINT = "check that it is a JSON Feed, whole and undamaged"
NOT_A_JSON_FEED = "JSON, but not a JSON Feed (its `version` is not https://jsonfeed.org/version/…)"
NOT_A_JSON_FEED_HINT = "give the address of the outlet's RSS, Atom or JSON Feed"
_BOM = "\ufeff"


def is_json(data: bytes) -> bool:
    """Whether the document is JSON rather than XML: an object is its first character."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{")


def json_feed_reading(data: bytes, location: str) -> Any:
    """The JSON Feed in ``data`` as feedparser's dictionary (``feed``, ``entries``, ``version``);
    DigestError when it is not valid JSON or not a JSON Feed."""
    document = json_document(data, location)
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIX):
        raise DigestError([Problem(location, None, NOT_A_JSON_FEED, NOT_A_JSON_FEED_HINT)])
    items = document.get("items")
    authors = people(document)
    entries = (
        [entry(item, authors) for item in items if isinstance(item, dict)]
        if isinstance(items, list)
        else []
    )
    return feedparser.FeedParserDict(
        bozo=False,
        entries=entries,
        feed=channel(document),
        headers={},
        lost_references=(),
        version=f"json{version.removeprefix(VERSION_PREFIX).replace('.', '')}",
        encoding="utf-8",
    )


def json_document(data: bytes, location: str) -> dict[str, Any]:
    """The JSON object ``data`` holds (JSON is UTF-8; a byte-order mark is let be)."""
    try:
        document = json.loads(data.decode("utf-8", "replace").removeprefix(_BOM))
    except json.JSONDecodeError as error:
        message = f"the feed is not valid JSON: {error.msg} (column {error.colno})"
        raise DigestError([Problem(location, error.lineno, message, NOT_VALID_HINT)]) from None
    except RecursionError:  # arrays in arrays, thousands deep
        message = "the feed is not valid JSON: it nests too deeply"
        raise DigestError([Problem(location, None, message, NOT_VALID_HINT)]) from None
    if not isinstance(document, dict):
        raise DigestError([Problem(location, None, NOT_A_JSON_FEED, NOT_A_JSON_FEED_HINT)])
    return document


def channel(document: dict[str, Any]) -> Any:
    """The feed's title, home page and own address, as feedparser names an RSS channel's."""
    feed = feedparser.FeedParserDict()
    if title := text(document.get("title")):
        feed["title"] = title
        feed["title_detail"] = {"type": "text/plain", "value": title}
    if home := text(document.get("home_page_url")):
        feed["link"] = home
    if own := text(document.get("feed_url")):
        feed["links"] = [{"rel": "self", "href": own}]
    return feed


def entry(item: dict[str, Any], feed_authors: list[dict[str, str]]) -> Any:
    """One item as feedparser's entry."""
    found = feedparser.FeedParserDict()
    identifier = item.get("id")
    if isinstance(identifier, str | int) and not isinstance(identifier, bool):
        found["id"] = str(identifier)  # 1.0 feeds write numbers, which 1.1 reads as text
    if link := text(item.get("url")) or text(item.get("external_url")):
        found["link"] = link
        found["links"] = [{"rel": "alternate", "href": link}]
    if title := text(item.get("title")):
        found["title"] = title
        found["title_detail"] = {"type": "text/plain", "value": title}
    if summary := text(item.get("summary")):
        # plain text by the spec, yet content systems write their excerpts in as HTML does
        found["summary"] = references_read(summary)
        found["summary_detail"] = {"type": "text/plain", "value": found["summary"]}
    if content := content_of(item):
        found["content"] = [content]
    for key, field in (("published", "date_published"), ("updated", "date_modified")):
        if moment := text(item.get(field)):
            found[key] = moment
    found["authors"] = people(item) or feed_authors
    return found


def content_of(item: dict[str, Any]) -> dict[str, str] | None:
    if markup := text(item.get("content_html")):
        return {"type": "text/html", "value": markup}
    if words := text(item.get("content_text")):
        return {"type": "text/plain", "value": words}
    return None


def people(holder: dict[str, Any]) -> list[dict[str, str]]:
    """The authors of a feed or an item: 1.1's list, else 1.0's one author."""
    listed = holder.get("authors")
    found = listed if isinstance(listed, list) else [holder.get("author")]
    return [{"name": name} for person in found if (name := name_of(person))]


def name_of(person: Any) -> str:
    return text(person.get("name")) if isinstance(person, dict) else ""


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
