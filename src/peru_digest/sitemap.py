"""``sitemap.xml`` (split into an index past 50,000 addresses, as the protocol asks) and
``robots.txt`` naming it."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape

from .urls import SITEMAP, absolute, sitemap_part

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
MAX_URLS = 50_000
CHUNK = 65_536  # bytes of a sitemap made at a time
QUOTES = {"'": "&apos;", '"': "&quot;"}
T = TypeVar("T")
Chunks = Callable[[], Iterator[bytes]]  # a file's bytes, made anew at each call


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
) -> Iterator[tuple[str, Chunks]]:
    """``(path, chunks)`` pairs: one sitemap, or an index and its numbered parts, of the
    ``entry`` of each item. A file's bytes are made, a chunk at a time, each time ``chunks``
    is called: a part of 50,000 addresses held whole raised a build's peak by 12 MB."""
    if len(items) <= MAX_URLS:
        yield SITEMAP, lambda: document("urlset", "url", map(entry, items))
        return
    parts = sitemap_paths(len(items))[1:]
    yield (
        SITEMAP,
        lambda: document("sitemapindex", "sitemap", (absolute(base_url, p) for p in parts)),
    )
    for path, start in zip(parts, range(0, len(items), MAX_URLS), strict=True):
        yield path, functools.partial(part, items, start, entry)


def part(items: Sequence[T], start: int, entry: Callable[[T], SitemapEntry]) -> Iterator[bytes]:
    """The sitemap of the items from ``start`` on, as many as a part holds."""
    return document("urlset", "url", map(entry, items[start : start + MAX_URLS]))


def urlset(entries: Iterable[SitemapEntry]) -> bytes:
    """A sitemap of ``entries``."""
    return b"".join(document("urlset", "url", entries))


def document(root: str, element: str, entries: Iterable[SitemapEntry | str]) -> Iterator[bytes]:
    """The XML of a sitemap or its index, in chunks of about 64 KB, written out directly (a
    tree, or a list of lines, of 50,000 addresses would cost memory). Values are
    entity-escaped, quotes included, as the sitemap protocol asks."""
    found = iter(entries)
    first = next(found, None)
    if first is None:
        yield f'{DECLARATION}<{root} xmlns="{SITEMAP_NS}" />\n'.encode()
        return
    text = bytearray(f'{DECLARATION}<{root} xmlns="{SITEMAP_NS}">\n'.encode())
    for entry in itertools.chain([first], found):
        url, lastmod = (entry, None) if isinstance(entry, str) else (entry.url, entry.lastmod)
        text += f"  <{element}>\n    <loc>{escape(url, QUOTES)}</loc>\n".encode()
        if lastmod:
            text += f"    <lastmod>{escape(lastmod, QUOTES)}</lastmod>\n".encode()
        text += f"  </{element}>\n".encode()
        if len(text) >= CHUNK:
            yield bytes(text)
            text.clear()
    text += f"</{root}>\n".encode()
    yield bytes(text)


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, SITEMAP)}\n"
