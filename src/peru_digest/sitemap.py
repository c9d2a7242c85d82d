"""``sitemap.xml`` (split into an index past 50,000 addresses, as the protocol asks) and
``robots.txt`` naming it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape

from .urls import SITEMAP, absolute, sitemap_part

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
MAX_URLS = 50_000
QUOTES = {"'": "&apos;", '"': "&quot;"}
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
) -> Iterator[tuple[str, bytes | bytearray]]:
    """``(path, bytes)`` pairs: one sitemap, or an index and its numbered parts, of the
    ``entry`` of each item. Each part is made only when it is reached, an entry at a time
    (165,000 pages' entries and texts held at once raised a build's peak by 23 MB)."""
    if len(items) <= MAX_URLS:
        yield SITEMAP, urlset(entry(item) for item in items)
        return
    parts = sitemap_paths(len(items))[1:]
    yield SITEMAP, document("sitemapindex", "sitemap", (absolute(base_url, p) for p in parts))
    for path, start in zip(parts, range(0, len(items), MAX_URLS), strict=True):
        yield path, urlset(entry(item) for item in items[start : start + MAX_URLS])


def urlset(entries: Iterable[SitemapEntry]) -> bytes | bytearray:
    """A sitemap of ``entries``."""
    return document("urlset", "url", entries)


def document(root: str, element: str, entries: Iterable[SitemapEntry | str]) -> bytes | bytearray:
    """The XML of a sitemap or its index, written out directly into one buffer (a tree, or a
    list of lines, of 50,000 addresses would cost memory). Values are entity-escaped, quotes
    included, as the sitemap protocol asks."""
    text = bytearray(f'{DECLARATION}<{root} xmlns="{SITEMAP_NS}">\n'.encode())
    empty = True
    for entry in entries:
        empty = False
        url, lastmod = (entry, None) if isinstance(entry, str) else (entry.url, entry.lastmod)
        text += f"  <{element}>\n    <loc>{escape(url, QUOTES)}</loc>\n".encode()
        if lastmod:
            text += f"    <lastmod>{escape(lastmod, QUOTES)}</lastmod>\n".encode()
        text += f"  </{element}>\n".encode()
    if empty:
        return f'{DECLARATION}<{root} xmlns="{SITEMAP_NS}" />\n'.encode()
    text += f"</{root}>\n".encode()
    return text  # not copied into a bytes object: 8 MB a part


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, SITEMAP)}\n"
