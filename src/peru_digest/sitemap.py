"""``sitemap.xml`` (split into an index past 50,000 addresses, as the protocol asks) and
``robots.txt`` naming it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .feeds import xml_document
from .urls import SITEMAP, absolute, sitemap_part

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
MAX_URLS = 50_000


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None


def sitemap_paths(count: int) -> list[str]:
    """The files of a sitemap of ``count`` addresses: one, or an index and its parts."""
    if count <= MAX_URLS:
        return [SITEMAP]
    return [SITEMAP, *(sitemap_part(n) for n in range(1, -(-count // MAX_URLS) + 1))]


def sitemap_files(entries: Sequence[SitemapEntry], base_url: str) -> list[tuple[str, str]]:
    """``(path, text)`` pairs: one sitemap, or an index and its numbered parts."""
    if len(entries) <= MAX_URLS:
        return [(SITEMAP, urlset(entries))]
    chunks = [entries[i : i + MAX_URLS] for i in range(0, len(entries), MAX_URLS)]
    parts = [(sitemap_part(n), urlset(chunk)) for n, chunk in enumerate(chunks, start=1)]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for path, _ in parts:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = absolute(base_url, path)
    return [(SITEMAP, xml_document(index)), *parts]


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
