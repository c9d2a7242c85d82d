"""Markdown → HTML that is safe to publish, whoever wrote the Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

import markdown
import nh3

# What a summary may contain: text formatting, links, lists, quotes, simple tables, images.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h2", "h3", "h4",
    "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "th": {"scope"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
_RELATIVE_URL = re.compile(r'(?:href|src|cite)="(?![a-z][a-z0-9+.-]*:)', re.IGNORECASE)


class MarkdownRenderer:
    """Renders one summary at a time; reuses one parser for speed."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def __call__(self, text: str) -> str:
        html = self._md.reset().convert(text)
        return sanitize(html)


def sanitize(html: str) -> str:
    """Drop every tag, attribute and URL scheme that could run script or restyle the page."""
    return _clean(html, None)


def absolutize(html: str, base: str) -> str:
    """Sanitized HTML with every relative link and image made absolute against ``base``.

    Feed readers show items away from the site, where a relative URL leads nowhere.
    """
    if not _RELATIVE_URL.search(html):
        return html

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in URL_ATTRIBUTES:
            return value
        try:
            return urljoin(base, value)
        except ValueError:  # not a URL at all (e.g. "//[::1"): drop the attribute
            return None

    return _clean(html, absolute)


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None] | None) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=attribute_filter,
    )


class _AttributeUrls(HTMLParser):
    """The values of URL-bearing attributes, as a browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in URL_ATTRIBUTES and value]


def urls_in(html: str) -> list[str]:
    """Every link, image and citation address in ``html``: markup, never text that quotes it."""
    parser = _AttributeUrls()
    parser.feed(html)
    parser.close()
    return parser.found


def plain_text(html: str) -> str:
    """The words of sanitized HTML, on one line."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())
