"""``sitemap.xml`` (split into an index past 50,000 addresses, as the protocol asks) and
``robots.txt`` naming it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape

from .feeds import xml_document
from .urls import SITEMAP, absolute, sitemap_part

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
MAX_URLS = 50_000
T = TypeVar("T")


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None


def sitemap_paths(count: int) -> list[str]:
    """The files of a sitemap of ``count`` addresses: one, or an index and its parts."""
    if count <= MAX_URLS:
        return [SITEMAP]
    return [SITEMAP, *(sitemap_part(n) for n in range(1, -(-count // MAX_URLS) + 1))]


def sitemap_files(
    items: Sequence[T], base_url: str, entry: Callable[[T], SitemapEntry]
) -> Iterator[tuple[str, str]]:
    """``(path, text)`` pairs: one sitemap, or an index and its numbered parts, of the
    ``entry`` of each item. Each part's entries and text are made only when it is reached
    (165,000 pages' entries and texts held at once raised a build's peak by 23 MB)."""
    if len(items) <= MAX_URLS:
        yield SITEMAP, urlset([entry(item) for item in items])
        return
    parts = sitemap_paths(len(items))[1:]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for path in parts:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = absolute(base_url, path)
    yield SITEMAP, xml_document(index)
    for path, start in zip(parts, range(0, len(items), MAX_URLS), strict=True):
        yield path, urlset([entry(item) for item in items[start : start + MAX_URLS]])


def urlset(entries: Sequence[SitemapEntry]) -> str:
    """The sitemap's text, written out directly: a tree of 150,000 pages would cost memory."""
    if not entries:
        return f'{DECLARATION}<urlset xmlns="{SITEMAP_NS}" />\n'
    lines = [f'{DECLARATION}<urlset xmlns="{SITEMAP_NS}">\n']
    for entry in entries:
        lines.append(f"  <url>\n    <loc>{escape(entry.url)}</loc>\n")
        if entry.lastmod:
            lines.append(f"    <lastmod>{escape(entry.lastmod)}</lastmod>\n")
        lines.append("  </url>\n")
    lines.append("</urlset>\n")
    return "".join(lines)


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, SITEMAP)}\n"
