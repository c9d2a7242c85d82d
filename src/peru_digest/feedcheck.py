"""Conformance check of a generated feed: a violation fails the build, naming feed and item."""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from .feeds import ATOM, DC, Feed
from .fields import is_uri
from .markup import urls_in

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RSS_AUTHOR = re.compile(r"^[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+( \(.+\))?$")
RFC822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
A = f"{{{ATOM}}}"


def conformance(feed: Feed, text: str) -> list[str]:
    """Every way ``text`` breaks its format's rules, as messages naming the item."""
    try:
        if feed.format == "json":
            return list(check_json(json.loads(text), feed.url))
        root = ET.fromstring(text)
    except (ET.ParseError, json.JSONDecodeError) as error:
        return [f"not well-formed: {error}"]
    checks = check_rss if feed.format == "rss" else check_atom
    return list(checks(root, feed.url))


def check_rss(root: ET.Element, self_url: str) -> Iterator[str]:
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        yield "not an RSS 2.0 document"
        return
    yield from required(channel, ("title", "link", "description"), "channel")
    yield from self_link(channel.findall(f"{A}link"), self_url)
    ids: set[str] = set()
    for number, item in enumerate(channel.findall("item"), start=1):
        name = f"item {number} ({item.findtext('guid') or 'no guid'})"
        yield from required(item, ("title", "link", "guid", "pubDate"), name)
        yield from unique_id(item.findtext("guid"), ids, name)
        yield from date_format(item.findtext("pubDate"), RFC822, "RFC 822", name)
        yield from absolute_urls([item.findtext("link") or ""], name)
        yield from absolute_urls([s.get("url", "") for s in item.findall("source")], name)
        yield from not_absolute_in(item.findtext("description"), name)
        yield from rss_authors(item, name)


def rss_authors(item: ET.Element, name: str) -> Iterator[str]:
    """The RSS profile's bylines: ``author`` is an email address (``ana@example.org (Ana)``),
    a name alone goes in ``dc:creator``, one element per author, never empty."""
    for author in item.findall("author"):
        if not RSS_AUTHOR.match(author.text or ""):
            yield f"{name}: author {author.text!r} is not an email address (a name: dc:creator)"
    for creator in item.findall(f"{{{DC}}}creator"):
        if not (creator.text or "").strip():
            yield f"{name}: empty dc:creator"


def check_atom(root: ET.Element, self_url: str) -> Iterator[str]:
    if root.tag != f"{A}feed":
        yield "not an Atom 1.0 document"
        return
    yield from required(root, (f"{A}id", f"{A}title", f"{A}updated"), "feed")
    yield from uri_id(root.findtext(f"{A}id"), "feed")
    yield from date_format(root.findtext(f"{A}updated"), RFC3339, "RFC 3339", "feed")
    yield from self_link(root.findall(f"{A}link"), self_url)
    feed_author = root.find(f"{A}author") is not None
    ids: set[str] = set()
    for number, entry in enumerate(root.findall(f"{A}entry"), start=1):
        name = f"entry {number} ({entry.findtext(f'{A}id') or 'no id'})"
        yield from required(entry, (f"{A}id", f"{A}title", f"{A}updated"), name)
        yield from unique_id(entry.findtext(f"{A}id"), ids, name)
        yield from uri_id(entry.findtext(f"{A}id"), name)
        for tag in (f"{A}updated", f"{A}published"):
            yield from date_format(entry.findtext(tag), RFC3339, "RFC 3339", name)
        yield from in_order(entry.findtext(f"{A}published"), entry.findtext(f"{A}updated"), name)
        if not feed_author and entry.find(f"{A}author") is None:
            yield f"{name}: no author"
        yield from absolute_urls([link.get("href", "") for link in entry.iter(f"{A}link")], name)
        yield from not_absolute_in(entry.findtext(f"{A}content"), name)


def check_json(document: object, self_url: str) -> Iterator[str]:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): its required keys, the type of
    every key it defines, and the dates and addresses our feeds hold to."""
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/1"
    ):
        yield "not a JSON Feed document"
        return
    for key in ("title", "items"):
        if key not in document:
            yield f"feed: missing `{key}`"
    yield from of_types(document, FEED_KEYS, "feed")
    if document.get("feed_url") != self_url:
        yield f"feed: feed_url is {document.get('feed_url')!r}, not its own URL {self_url!r}"
    yield from json_authors(document, "feed")
    items = document.get("items", [])
    ids: set[str] = set()
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        if not isinstance(item, dict):
            yield f"item {number}: not an object"
            continue
        name = f"item {number} ({item.get('id') or 'no id'})"
        yield from unique_id(item.get("id"), ids, name)
        yield from of_types(item, ITEM_KEYS, name)
        if "content_html" not in item and "content_text" not in item:
            yield f"{name}: missing content_html or content_text"
        yield from date_format(item.get("date_published"), RFC3339, "RFC 3339", name)
        if "date_modified" in item:
            yield from date_format(item["date_modified"], RFC3339, "RFC 3339", name)
            yield from in_order(item.get("date_published"), item["date_modified"], name)
        yield from json_authors(item, name)
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            yield f"{name}: `tags` is not a list of strings"
        links = [item.get("url", ""), *([item["external_url"]] if "external_url" in item else [])]
        yield from absolute_urls(links, name)
        yield from not_absolute_in(item.get("content_html"), name)


# The keys JSON Feed 1.1 defines, with their types (`authors`, `tags` and `items` apart).
FEED_KEYS: dict[str, type] = {
    "version": str,
    "title": str,
    "home_page_url": str,
    "feed_url": str,
    "description": str,
    "user_comment": str,
    "next_url": str,
    "icon": str,
    "favicon": str,
    "language": str,
    "expired": bool,
    "items": list,
}
ITEM_KEYS: dict[str, type] = {
    "id": str,
    "url": str,
    "external_url": str,
    "title": str,
    "content_html": str,
    "content_text": str,
    "summary": str,
    "image": str,
    "banner_image": str,
    "date_published": str,
    "date_modified": str,
    "language": str,
}


def of_types(found: dict[str, object], types: dict[str, type], name: str) -> Iterator[str]:
    for key, kind in types.items():
        if key in found and not isinstance(found[key], kind):
            yield f"{name}: `{key}` is not a {JSON_TYPE_NAMES[kind]}"


JSON_TYPE_NAMES = {str: "string", bool: "boolean", list: "list"}


def json_authors(found: dict[str, object], name: str) -> Iterator[str]:
    """JSON Feed 1.1's ``authors``: a list of objects, each with a name, url or avatar (the
    1.0 ``author``, one object, is deprecated: readers of 1.1 look for ``authors``)."""
    if "author" in found:
        yield f"{name}: `author` is JSON Feed 1.0's; 1.1 has `authors`, a list"
    authors = found.get("authors", [])
    if not isinstance(authors, list) or not all(
        isinstance(author, dict)
        and any(isinstance(author.get(key), str) for key in ("name", "url", "avatar"))
        for author in authors
    ):
        yield f"{name}: `authors` is not a list of objects with a name, url or avatar"


def required(parent: ET.Element, tags: Iterable[str], name: str) -> Iterator[str]:
    for tag in tags:
        if not (parent.findtext(tag) or "").strip():
            yield f"{name}: missing <{tag.replace(A, '')}>"


def self_link(links: list[ET.Element], self_url: str) -> Iterator[str]:
    found = [link.get("href") for link in links if link.get("rel") == "self"]
    if found != [self_url]:
        yield f"feed: rel=self link is {found}, not its own URL {self_url!r}"


def unique_id(value: object, seen: set[str], name: str) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"{name}: empty id"
    elif value in seen:
        yield f"{name}: id used twice"
    else:
        seen.add(value)


def uri_id(value: str | None, name: str) -> Iterator[str]:
    if value and not is_uri(value):
        yield f"{name}: id {value!r} is not a URI"


def in_order(published: str | None, updated: str | None, name: str) -> Iterator[str]:
    try:
        early = published and updated and _moment(updated) < _moment(published)
    except (ValueError, TypeError):  # not a date, or one without its time's offset
        return  # the dates' format is reported on its own
    if early:
        yield f"{name}: updated {updated!r} is earlier than published {published!r}"


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def date_format(value: object, pattern: re.Pattern[str], standard: str, name: str) -> Iterator[str]:
    text = value if isinstance(value, str) else ""
    if not pattern.match(text) or not _real_date(text, standard):
        yield f"{name}: date {value!r} is not {standard}"


def _real_date(text: str, standard: str) -> bool:
    """False for a well-shaped but impossible date such as 31 February."""
    try:
        if standard == "RFC 822":
            parsedate_to_datetime(text)
        else:
            _moment(text)
    except ValueError:
        return False
    return True


def not_absolute_in(html: object, name: str) -> Iterator[str]:
    """A problem for each address in ``html`` that is not absolute."""
    return absolute_urls(relative_urls(html) if isinstance(html, str) else (), name)


@functools.lru_cache(maxsize=4096)
def relative_urls(html: str) -> tuple[str, ...]:
    """The addresses in ``html`` that are not absolute; kept, since an article's HTML is in
    every feed it belongs to (eight or more)."""
    return tuple(value for value in urls_in(html) if not is_absolute(value))


def absolute_urls(values: Iterable[str], name: str) -> Iterator[str]:
    for value in values:
        if not is_absolute(value):
            yield f"{name}: URL {value!r} is not absolute"


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "mailto" or (parts.scheme in ("http", "https") and bool(parts.netloc))
