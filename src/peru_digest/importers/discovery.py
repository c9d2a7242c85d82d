"""The feeds a web page says it has: what to import when an editor gave the page instead.

Pages name their feeds in their head (``<link rel="alternate" type="application/rss+xml"
href="/feed/">``, as WordPress, Arc XP and most content systems write them); a relative address
is read against the page's ``<base>``, else its own address, else its canonical one.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .fetch import is_url
from .links import joined, web_address

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/rdf+xml",
})  # fmt: skip
HEAD_BYTES = 256 * 1024  # where a page's head ends, however long its inline scripts
SHOWN = 3


class FeedLinks(HTMLParser):
    """Collects a page's feed links, its ``<base>`` and its canonical address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.feeds: list[str] = []
        self.base = ""
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: (value or "").strip() for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        href = attributes.get("href", "")
        if tag == "base" and href and not self.base:
            self.base = href
        elif tag == "link" and "canonical" in rel and not self.canonical:
            self.canonical = href
        elif tag == "link" and "alternate" in rel and href:
            if attributes.get("type", "").lower().split(";")[0].strip() in FEED_TYPES:
                self.feeds.append(href)
        elif tag == "meta" and attributes.get("property") == "og:url" and not self.canonical:
            self.canonical = attributes.get("content", "")


def advertised_feeds(page: bytes, location: str) -> list[str]:
    """The addresses of the feeds the page at ``location`` links to, in its order, each once;
    relative ones made absolute where the page says against what."""
    reader = FeedLinks()
    reader.feed(page[:HEAD_BYTES].decode("utf-8", "replace"))
    reader.close()
    base = next(
        (
            web
            for page_base in (reader.base, location, reader.canonical)
            if (web := absolute(page_base))
        ),
        "",
    )
    found = (joined(base, href) if base else href for href in reader.feeds)
    return list(dict.fromkeys(found))


def absolute(address: str) -> str:
    """``address`` when it is an http(s) one (a file's path is none)."""
    return web_address(address) if is_url(address) else ""


def feeds_hint(feeds: list[str]) -> str:
    """What to do with a page that links to ``feeds``."""
    shown = ", ".join(feeds[:SHOWN]) + (", …" if len(feeds) > SHOWN else "")
    if len(feeds) == 1:
        return f"this is a web page; it links to its feed, {shown}: import that address"
    return (
        f"this is a web page; it links to its feeds, {shown}: "
        "import the one that carries its articles"
    )
