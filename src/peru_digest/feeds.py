"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 output, and the conformance check every feed passes.

A feed's items are articles, or (the editions feed) editions: one item per week.

Feeds are written with ElementTree and json rather than templates: escaping and structure are
then right by construction, and the check below proves it for each feed of each build.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import rfc822
from .model import Article
from .urls import Format
from .views import ArticleViews, EditionEntry, FullArticleView
from .weeks import Edition

MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
EPOCH = "1970-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class Feed:
    """One feed file: which articles (or editions), in which format, for which page."""

    path: str  # e.g. "topics/election/atom.xml"
    format: Format
    title: str
    description: str
    home: str  # absolute URL of the page the feed follows
    url: str  # absolute URL of the feed itself
    items: tuple[Article | Edition, ...]
    site_title: str
    language: str
    newest: datetime | None  # a feed with no items: the site's newest article, its date
    full_content: bool


def render_feed(feed: Feed, views: ArticleViews) -> str:
    return RENDERERS[feed.format](feed, views)


def updated(feed: Feed) -> str:
    """The newest change among the items: a feed date that never reads the clock."""
    moments = [item.updated or item.date for item in feed.items]
    newest = max(moments, default=feed.newest)
    return EPOCH if newest is None else newest.isoformat()


def item_body(feed: Feed, item: FullArticleView) -> str:
    return str(item["summary_abs"]) if feed.full_content else item["excerpt"]


# RSS 2.0 -----------------------------------------------------------------------------------


def render_rss(feed: Feed, views: ArticleViews) -> str:
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": DC})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.home)
    _text(channel, "description", as_html(feed.description or feed.title))
    _text(channel, "language", feed.language)
    ET.SubElement(
        channel, "atom:link", {"href": feed.url, "rel": "self", "type": MEDIA_TYPES["rss"]}
    )
    _text(channel, "lastBuildDate", _rfc822(updated(feed)))
    for item in feed.items:
        element = ET.SubElement(channel, "item")
        if isinstance(item, Edition):
            rss_edition(element, feed, views.edition_entry(item))
        else:
            rss_item(element, feed, views.full(item))
    return xml_document(rss)


def rss_item(element: ET.Element, feed: Feed, item: FullArticleView) -> None:
    rss_head(element, item["title"], item["abs_url"], item["id"], item["rfc822"])
    for name in credited(item):
        _text(element, "dc:creator", name)
    for topic in item["topics"]:
        _text(element, "category", topic["name"])
    source = item["source"]
    ET.SubElement(element, "source", {"url": source["feed_url"]}).text = source["name"]
    _text(element, "description", rss_body(feed, item_body(feed, item)))


def rss_edition(element: ET.Element, feed: Feed, entry: EditionEntry) -> None:
    rss_head(element, entry["title"], entry["abs_url"], entry["id"], entry["rfc822"])
    for topic in entry["topics"]:
        _text(element, "category", topic["name"])
    _text(element, "description", rss_body(feed, edition_body(feed, entry)))


def rss_body(feed: Feed, body: str) -> str:
    """RSS has one kind of ``description``, which readers take for HTML: plain text is
    escaped for HTML too, so that ``&lt;img …&gt;`` written in a summary stays text."""
    return body if feed.full_content else as_html(body)


def as_html(text: str) -> str:
    return html.escape(text, quote=False)


def rss_head(element: ET.Element, title: str, link: str, guid: str, date: str) -> None:
    """What every RSS item starts with, article or edition."""
    _text(element, "title", title)
    _text(element, "link", link)
    ET.SubElement(element, "guid", {"isPermaLink": "false"}).text = guid
    _text(element, "pubDate", date)


def edition_body(feed: Feed, entry: EditionEntry) -> str:
    return str(entry["html"]) if feed.full_content else entry["text"]


# Atom 1.0 ----------------------------------------------------------------------------------


def render_atom(feed: Feed, views: ArticleViews) -> str:
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": feed.language})
    _text(root, "id", feed.url)
    _text(root, "title", feed.title)
    if feed.description:
        _text(root, "subtitle", feed.description)
    _text(root, "updated", updated(feed))
    ET.SubElement(root, "link", {"rel": "self", "type": MEDIA_TYPES["atom"], "href": feed.url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": feed.home})
    _text(ET.SubElement(root, "author"), "name", feed.site_title)
    for item in feed.items:
        element = ET.SubElement(root, "entry")
        if isinstance(item, Edition):
            atom_edition(element, feed, views.edition_entry(item))
        else:
            atom_entry(element, feed, views.full(item))
    return xml_document(root)


def atom_entry(entry: ET.Element, feed: Feed, item: FullArticleView) -> None:
    _text(entry, "id", item["id"])
    _text(entry, "title", item["title"])
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": item["abs_url"]})
    if item["url"]:
        ET.SubElement(entry, "link", {"rel": "related", "href": item["url"]})
    _text(entry, "published", item["date"]["iso"])
    _text(entry, "updated", item["updated"] or item["date"]["iso"])
    for name in credited(item):
        _text(ET.SubElement(entry, "author"), "name", name)
    for topic in item["topics"]:
        ET.SubElement(entry, "category", {"term": topic["slug"], "label": topic["name"]})
    source = item["source"]
    origin = ET.SubElement(entry, "source")
    _text(origin, "id", source["abs_url"])
    _text(origin, "title", source["name"])
    _text(origin, "updated", item["updated"] or item["date"]["iso"])  # the outlet, as of this entry
    ET.SubElement(origin, "link", {"href": source["homepage"] or source["abs_url"]})
    atom_body(entry, feed, item_body(feed, item))


def atom_edition(element: ET.Element, feed: Feed, entry: EditionEntry) -> None:
    _text(element, "id", entry["id"])
    _text(element, "title", entry["title"])
    ET.SubElement(
        element, "link", {"rel": "alternate", "type": "text/html", "href": entry["abs_url"]}
    )
    _text(element, "published", entry["date"])
    _text(element, "updated", entry["updated"] or entry["date"])
    for topic in entry["topics"]:
        ET.SubElement(element, "category", {"term": topic["slug"], "label": topic["name"]})
    atom_body(element, feed, edition_body(feed, entry))


def atom_body(element: ET.Element, feed: Feed, body: str) -> None:
    """The entry's HTML as ``content``, or its plain text as ``summary``."""
    kind, body_type = ("content", "html") if feed.full_content else ("summary", "text")
    ET.SubElement(element, kind, {"type": body_type}).text = body


# JSON Feed 1.1 -----------------------------------------------------------------------------


def render_json(feed: Feed, views: ArticleViews) -> str:
    document: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.url,
        **({"description": feed.description} if feed.description else {}),  # optional: no ""
        "language": feed.language,
        "authors": [{"name": feed.site_title}],
        "items": [
            json_edition(feed, views.edition_entry(item))
            if isinstance(item, Edition)
            else json_item(feed, views.full(item))
            for item in feed.items
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def json_item(feed: Feed, item: FullArticleView) -> dict[str, Any]:
    body_key = "content_html" if feed.full_content else "content_text"
    result: dict[str, Any] = {
        "id": item["id"],
        "url": item["abs_url"],
        **({"external_url": item["url"]} if item["url"] else {}),
        "title": item["title"],
        body_key: item_body(feed, item),
        "summary": item["excerpt"],
        "date_published": item["date"]["iso"],
    }
    if item["updated"]:
        result["date_modified"] = item["updated"]
    result["authors"] = [{"name": name} for name in credited(item)]
    result["tags"] = [topic["name"] for topic in item["topics"]]
    source = item["source"]
    result["_source"] = {"name": source["name"], "url": source["homepage"] or source["abs_url"]}
    return result


def credited(item: FullArticleView) -> list[str]:
    """Who an item names as its author, in every format: its authors, or without a byline its
    outlet. Atom and JSON Feed give an entry with no author of its own the feed's, and readers
    would show the digest as the writer of an outlet's article; an RSS item without one shows
    no author in newsboat and sfeed, and the placeholder ``<author>`` in rss2email's mail."""
    return [author["name"] for author in item["authors"]] or [item["source"]["name"]]


def json_edition(feed: Feed, entry: EditionEntry) -> dict[str, Any]:
    body_key = "content_html" if feed.full_content else "content_text"
    result: dict[str, Any] = {
        "id": entry["id"],
        "url": entry["abs_url"],
        "title": entry["title"],
        body_key: edition_body(feed, entry),
        "summary": entry["text"],
        "date_published": entry["date"],
    }
    if entry["updated"]:
        result["date_modified"] = entry["updated"]
    result["tags"] = [topic["name"] for topic in entry["topics"]]
    return result


# OPML --------------------------------------------------------------------------------------


def render_opml(feeds: Sequence[Feed], title: str) -> str:
    """Every stream of items in one file, for subscribing to all of them in one step: one
    format each (Atom), as a reader that imports it would show each item once per feed."""
    opml = ET.Element("opml", {"version": "2.0"})
    _text(ET.SubElement(opml, "head"), "title", title)
    body = ET.SubElement(opml, "body")
    for feed in one_per_stream(feeds):
        ET.SubElement(
            body,
            "outline",
            {
                "type": "rss",
                "text": feed.title,
                "title": feed.title,
                "xmlUrl": feed.url,
                "htmlUrl": feed.home,
                # OPML 2.0 names versions of RSS only: an Atom or JSON outline goes without one
                **({"version": "RSS2"} if feed.format == "rss" else {}),
            },
        )
    return xml_document(opml)


def one_per_stream(feeds: Sequence[Feed]) -> list[Feed]:
    """A stream's feeds follow one page under one title; its Atom feed stands for it."""
    chosen: dict[tuple[str, str], Feed] = {}
    for feed in feeds:
        stream = (feed.home, feed.title)
        if stream not in chosen or feed.format == "atom":
            chosen[stream] = feed
    return list(chosen.values())


RENDERERS: dict[str, Callable[[Feed, ArticleViews], str]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json,
}


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def xml_document(root: ET.Element) -> str:
    """Indented XML with its declaration: the same bytes for the same tree."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _rfc822(iso: str) -> str:
    return rfc822(datetime.fromisoformat(iso))
