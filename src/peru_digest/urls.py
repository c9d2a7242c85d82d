"""Every rule for slugs, output paths and URLs, in one place so links and files agree.

A *path* is relative to the site root: ``""`` is the home page, ``"topics/"`` a folder page
(written as ``topics/index.html``), ``"feed.xml"`` a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Literal, TypedDict
from urllib.parse import urlsplit

from slugify import slugify

from .model import Article

Format = Literal["rss", "atom", "json"]
FEED_FILES: dict[Format, str] = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}

HOME = ""
TOPICS = "topics/"
SOURCES = "sources/"
ARCHIVE = "archive/"
EDITIONS = "editions/"
LATEST_EDITION = "editions/latest/"  # a copy of the newest edition's page, at a stable address
AUTHORS = "authors/"
FEEDS = "feeds/"
SEARCH = "search/"
NOT_FOUND = "404.html"
OPML = "feeds.opml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
SEARCH_INDEX = "pagefind"  # the folder Pagefind writes its index into
_IN_SEARCH_INDEX = SEARCH_INDEX + "/"

# Article pages are the only pages three folders deep (YYYY/MM/slug/); the search index reads
# just these, instead of every list page of the site.
ARTICLE_FILES_GLOB = "*/*/*/index.html"
MAX_SLUG = 200  # characters: a slug is a folder name, and file systems allow 255 bytes


class Nav(TypedDict):
    """The site's sections, for the header of every page."""

    home: str
    editions: str
    topics: str
    authors: str
    sources: str
    archive: str
    feeds: str
    search: str
    opml: str
    search_index: str


NAV = Nav(
    home=HOME,
    editions=EDITIONS,
    topics=TOPICS,
    authors=AUTHORS,
    sources=SOURCES,
    archive=ARCHIVE,
    feeds=FEEDS,
    search=SEARCH,
    opml=OPML,
    search_index=SEARCH_INDEX,
)


# Kinds of names with no `slug:` of their own: the editor cannot set another address.
NAMED = frozenset({"author", "source"})


def slug_for(name: str, kind: str) -> str:
    """The address part for a title or name: ``Perú: ¿qué pasa?`` → ``peru-que-pasa``.

    A name with no letters or digits (``🔥🔥🔥``, ``!!!``) still gets a slug of its own, so no
    page is ever written where another one belongs. An author's or outlet's name with letters
    that have no ASCII form but a spelling (``王伟`` and ``汪伟`` are both ``wang-wei``) ends in
    a digest of its letters: two names get one address only when written alike but for case,
    accents and punctuation, as authors are told apart.
    """
    if kind in NAMED and not (letters := fold(name)).isascii():  # not for titles: 6 µs
        short = slugify(name, max_length=MAX_SLUG - 9, word_boundary=True)
        return f"{short or kind}-{_digest(letters)}"
    slug = slugify(name, max_length=MAX_SLUG, word_boundary=True)
    return slug or f"{kind}-{_digest(name)}"


def fold(name: str) -> str:
    """A name as compared: no case, no accents, words apart (``José-Luis  PÉREZ`` →
    ``jose luis perez``): two authors are one when their names fold alike."""
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)
    )
    return " ".join("".join(c if c.isalnum() else " " for c in plain.casefold()).split())


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def article_path(article: Article) -> str:
    return f"{month_path(article.date.year, article.date.month)}{article.slug}/"


def topic_path(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def source_path(slug: str) -> str:
    return f"{SOURCES}{slug}/"


def author_path(slug: str) -> str:
    return f"{AUTHORS}{slug}/"


def edition_path(label: str) -> str:
    """An edition's page, by its week's label: ``editions/2021-W35/``."""
    return f"{EDITIONS}{label}/"


def year_path(year: int) -> str:
    return f"{year:04d}/"


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def feed_path(page: str, kind: Format) -> str:
    """The feed of kind ``kind`` that follows the page at ``page``."""
    return page + FEED_FILES[kind]


def sitemap_part(number: int) -> str:
    """Part ``number`` of a sitemap too large for one file."""
    return f"sitemap-{number}.xml"


def numbered_page(path: str, number: int) -> str:
    """Page ``number`` of a paginated list: the list's own path for page 1, then ``page/N/``."""
    return path if number == 1 else f"{path}page/{number}/"


INDEX = "index.html"  # the file a folder's page is written to


def output_file(path: str) -> str:
    """The file a path is written to."""
    return f"{path}{INDEX}" if path == "" or path.endswith("/") else path


def page_path(file: str) -> str:
    """The path of the page written to ``file``: what :func:`output_file` made it from."""
    if file == INDEX or file.endswith(f"/{INDEX}"):
        return file[: -len(INDEX)]
    return file


def folders_above(path: str) -> Iterator[str]:
    """The folders that hold ``path``, innermost first: ``a/b/c.html`` → ``a/b``, ``a``."""
    end = path.rfind("/")
    while end > 0:
        yield path[:end]
        end = path.rfind("/", 0, end)


def root_from(path: str) -> str:
    """The relative prefix that leads from the page at ``path`` back to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


def root_path(base_url: str) -> str:
    """The site root as an address on its own host, e.g. ``/peru/``: for pages served anywhere."""
    return urlsplit(base_url).path or "/"


def absolute(base_url: str, path: str) -> str:
    """The public URL of a path; ``base_url`` ends with ``/``."""
    return base_url + path


# What HTML's definition of a URL refuses after the host, though browsers follow such links:
# `|`, `^`, braces, brackets, a backquote, a `#` inside the fragment, a `%` that starts no
# escape.
_INVALID_IN_URL = re.compile(r"[|^{}`\[\]]|%(?![0-9A-Fa-f]{2})")


def valid_href(url: str) -> str:
    """An article's address as a valid URL, each character HTML refuses after its host
    percent-encoded (as a browser sends it): where it leads is unchanged."""
    authority = url.find("//") + 2 if "//" in url else 0
    host_end = min((i for c in "/?#" if (i := url.find(c, authority)) >= 0), default=len(url))
    rest, hash_, fragment = url[host_end:].partition("#")
    if not hash_ + fragment and not _INVALID_IN_URL.search(rest):
        return url
    return url[:host_end] + _encoded(rest) + hash_ + _encoded(fragment, "#")


def _encoded(text: str, also: str = "") -> str:
    pattern = _INVALID_IN_URL if not also else re.compile(f"{_INVALID_IN_URL.pattern}|[{also}]")
    return pattern.sub(lambda found: "".join(f"%{byte:02X}" for byte in found[0].encode()), text)


_BEFORE_QUERY = re.compile(r"([^?#]*)(.*)", re.DOTALL)


def split_at_query(url: str) -> tuple[str, str]:
    """An address's part before its query or fragment, and the rest (from ``?`` or ``#``)."""
    before, rest = _BEFORE_QUERY.match(url).group(1, 2)  # type: ignore[union-attr] # matches
    return before, rest


def has_host(url: str) -> bool:
    """Whether an absolute address names a host browsers can reach: not ``https://:80/``,
    ``https://@/`` or ``https:// host``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:  # a port that is no number, a broken IPv6 address ("//[::1")
        return False
    host = parts.hostname or ""
    return bool(host) and not any(c.isspace() or c in '"<>\\^`{|}' for c in host)


def in_search_index(path: str) -> bool:
    """Whether a path in the site is one of the search index's files."""
    return path.startswith(_IN_SEARCH_INDEX)
