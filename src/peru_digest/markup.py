"""Markdown → HTML that is safe to publish, whoever wrote the Markdown."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import markdown
import nh3

from . import urls

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
# A link or image tag as nh3 writes it: each attribute `name="value"`, no `"` in a value.
_LINK_OR_IMAGE = re.compile(r'<(a|img)((?:\s[\w-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s([\w-]+)="[^"]*"')
_SITE = "https://site.invalid/"  # the site's root, to resolve a link written on one of its pages
# An href, src or cite attribute whose value has no scheme. Written to start with `="`, so the
# regex engine skips ahead by that literal (a case-blind alternation first made it test every
# position: 25 µs a summary, where this takes 0.6 µs; it runs for every card drawn).
_RELATIVE_URL = re.compile(
    r'="(?:(?<=(?i:href)=")|(?<=(?i:src)=")|(?<=(?i:cite)="))(?!(?i:[a-z][a-z0-9+.-]*):)'
)
# How a browser finds a URL's scheme: leading spaces and controls go, tabs and newlines too.
_URL_IGNORED = re.compile("^[\x00-\x20]+|[\t\n\r]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# An http(s) address without the two slashes before its host: browsers read it as a path on
# the page's own host when the page's scheme is the same, and as the host otherwise, so it
# leads somewhere else from each page that shows it.
_HOSTLESS = re.compile(r"h\s*t\s*t\s*p\s*s?\s*:(?!\s*[/\\]\s*[/\\])", re.IGNORECASE)
# Two slashes followed by no host's first character: `///host` (browsers skip the third slash,
# Python's urljoin reads a path), `//@/`, `//:80/`, `// host` (no host at all to browsers).
_ODD_AUTHORITY = re.compile(r"[/\\]\s*[/\\](?![A-Za-z0-9])")
# The scheme and the slashes before an address's host, however many.
_AUTHORITY = re.compile(r"((?i:https?:)?)/{2,}")

# Python-Markdown's inline work grows with the square of a paragraph's length (worse for each
# `[`, which it matches by scanning ahead), its HTML pre-parser scans the rest of the text for
# the end of each `<`, and its list parser recurses once per list marker or 4 columns of
# indentation. Within these limits the worst summary renders in well under a second.
MAX_PARAGRAPH = 5_000  # characters between two blank lines
MAX_BRACKETS = 32  # unescaped `[` in one paragraph
MAX_ANGLE_BRACKETS = 100  # `<` in the whole text
MAX_INDENT = 64  # columns of white space and list markers before a line's text (a tab counts 4)
# A link reference, an abbreviation or a footnote is written out again at each use: a short
# file could otherwise make megabytes of HTML on every page and feed that shows it.
MAX_SUMMARY_HTML = 64 * 1024  # characters of HTML; a long summary makes a few thousand


@dataclass(frozen=True)
class MarkdownLimit:
    """Where a text passes one of the limits above, and how to stay within it."""

    line: int  # 1-based, in the text checked
    message: str
    hint: str


def beyond_limits(text: str) -> list[MarkdownLimit]:
    """Every place ``text`` passes a limit that keeps Markdown fast and its recursion shallow."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = list(_angle_bracket_limit(text))
    for line, paragraph in _paragraphs(text):
        found += _paragraph_limits(line, paragraph)
    return sorted(found, key=lambda limit: limit.line)


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
# White space, list markers ("- ", "1. ") and quote markers before a line's text: a long run of
# them may be too deep.
_NESTING = re.compile(r"^(?:[ \t>]|(?:[-*+]|[0-9]{1,9}[.)])[ \t])+", re.MULTILINE)


def _angle_bracket_limit(text: str) -> Iterator[MarkdownLimit]:
    if text.count("<") > MAX_ANGLE_BRACKETS:
        beyond = 0
        for _ in range(MAX_ANGLE_BRACKETS + 1):
            beyond = text.index("<", beyond) + 1
        yield MarkdownLimit(
            text.count("\n", 0, beyond) + 1,
            f"more than {MAX_ANGLE_BRACKETS} `<` in the summary",
            "write a `<` that starts no HTML tag as &lt;",
        )


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Each run of non-blank lines, with the number of its first line."""
    start = _LEADING_BLANK_LINES.match(text).end()  # type: ignore[union-attr] # always matches
    line = 1 + text.count("\n", 0, start)
    for gap in _BLANK_LINES.finditer(text):
        yield line, text[start : gap.start()]
        line += text.count("\n", start, gap.end())
        start = gap.end()
    yield line, text[start:].rstrip("\n")


def _paragraph_limits(line: int, paragraph: str) -> Iterator[MarkdownLimit]:
    if len(paragraph) > MAX_PARAGRAPH:
        yield MarkdownLimit(
            line,
            f"paragraph of {len(paragraph):,} characters; at most {MAX_PARAGRAPH:,}",
            "split it with blank lines",
        )
    brackets = paragraph.count("[") - paragraph.count("\\[")
    if brackets > MAX_BRACKETS:
        yield MarkdownLimit(
            line,
            f"paragraph with {brackets} `[`; at most {MAX_BRACKETS}",
            "write a bracket that is not a link as \\[, or split the paragraph",
        )
    for nesting in _NESTING.finditer(paragraph):
        if len(nesting.group().expandtabs(4)) > MAX_INDENT:
            yield MarkdownLimit(
                line + paragraph.count("\n", 0, nesting.start()),
                f"line nested deeper than {MAX_INDENT} columns of indentation and list markers",
                "Markdown nests a list or code block at every marker and every 4 columns",
            )
            return


class MarkdownRenderer:
    """Renders one summary at a time; reuses one parser for speed."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")

    def __call__(self, text: str) -> str:
        html = simple_paragraphs(text)
        if html is None:
            html = self._md.reset().convert(text)
        return sanitize(html)


# A character Markdown leaves as it is: none that marks up text (emphasis, code, links,
# images, HTML, entities, escapes), and neither of the two it deletes (U+0002, U+0003).
_PLAIN = r"(?:[^\\`*_\[\]!<>&\t\x02\x03]|!(?!\[))"
# Runs of it at once, where nothing follows that could make the pattern backtrack into them.
_PLAIN_RUN = r"(?:[^\\`*_\[\]!<>&\t\x02\x03]+|!(?!\[))"
_WORDS = rf"(?![\s*]){_PLAIN}(?:{_PLAIN}*(?<![\s*]))?"  # no space or star at either end
# The simple markup most summaries hold, each piece on one line: text ("[...]" is text as
# long as no reference of that name is defined, and a definition would need a line starting
# "["), emphasis and strong emphasis of plain words, and links with a plain label and an
# address of URL characters that Markdown writes as they are.
_PIECE = re.compile(
    rf"(?P<text>(?:{_PLAIN_RUN}|\[(?:\.\.\.|…)\](?!\())+)"
    rf"|(?<!\*)\*\*(?P<strong>{_WORDS})\*\*(?!\*)"
    rf"|(?<!\*)\*(?P<em>{_WORDS})\*(?!\*)"
    rf"|\[(?P<label>{_PLAIN}+)\]\((?P<href>[A-Za-z0-9/:.~%?=#+@-]+)\)"
)
# How blocks start (headings, quotes, underlines, lists, rules, reference definitions).
_BLOCK_START = re.compile(r"[#>=+-]|\d+[.)]|\*(?:\s|\*\*)|\[[^\]]*\]:")


def simple_paragraphs(text: str) -> str | None:
    """What Markdown makes of paragraphs of plain text, emphasis and simple links, without
    running it (most summaries are just that); None when the text holds anything else.

    A property test holds this to Markdown's own output.
    """
    if "\r" in text:  # Markdown reads it as a line break (files reach us without one)
        return None
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if line != line.strip() or _BLOCK_START.match(line):
            return None
        html = _simple_line(line)
        if html is None:
            return None
        paragraphs[-1].append(html)
    return "\n".join("<p>" + "\n".join(lines) + "</p>" for lines in paragraphs if lines)


def _simple_line(line: str) -> str | None:
    parts, at = [], 0
    for piece in _PIECE.finditer(line):
        if piece.start() != at:
            return None
        at = piece.end()
        kind = piece.lastgroup or ""
        if kind == "text":
            parts.append(piece.group())
        elif kind == "href":
            parts.append(f'<a href="{piece["href"]}">{piece["label"]}</a>')
        else:
            parts.append(f"<{kind}>{piece[kind]}</{kind}>")
    return "".join(parts) if at == len(line) else None


def sanitize(html: str, *, bare: frozenset[str] = frozenset()) -> str:
    """Drop every tag, attribute and URL scheme that could run script or restyle the page;
    keep the tags ``bare`` too, without attributes (for a caller to rewrite)."""
    # The filter costs a Python call per attribute: only text that may hold a `cite` or a
    # backslash (written as itself or as a character reference) pays it.
    filtered = (
        "cite" in html
        or "\\" in html
        or "&#" in html
        or "&bsol;" in html
        or _HOSTLESS.search(html) is not None
        or _ODD_AUTHORITY.search(html) is not None
    )
    return _clean(html, _url_policy if filtered else None, bare)


def _url_policy(tag: str, attribute: str, value: str) -> str | None:
    """nh3 checks the scheme of ``href`` and ``src`` only: ``cite`` gets the same policy. A
    backslash before the query is written as the slash browsers read it as (``\\host/x``
    leads to another host), so that a link leads to the same place from every page that
    shows it."""
    if attribute not in URL_ATTRIBUTES:
        return value
    read = _URL_IGNORED.sub("", value)
    scheme = _SCHEME.match(read)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return None
    if scheme and scheme.group(1).lower() == "mailto":
        return value
    if scheme and read[scheme.end() : scheme.end() + 2].replace("\\", "/") != "//":
        return None  # `https:host`: a path on this site where the page's scheme is https
    path, query = urls.split_at_query(value)
    return _with_host(path.replace("\\", "/"), query)


def _with_host(path: str, query: str) -> str | None:
    """An address with a host written with the two slashes browsers read before it
    (``https:///host`` is ``https://host``), so that a feed's absolute address is the page's;
    None when browsers would find no host in it."""
    read = _URL_IGNORED.sub("", path)
    authority = _AUTHORITY.match(read)
    if authority is None:
        return path + query
    address = f"{authority[1]}//{read[authority.end() :]}{query}"
    return address if urls.has_host(address if authority[1] else f"https:{address}") else None


def absolutize(html: str, base: str) -> str:
    """Sanitized HTML with every relative link and image made absolute against ``base``.

    Feed readers show items away from the site, where a relative URL leads nowhere.
    """
    return _relinked(html, lambda value: urljoin(base, value))


def rebased(html: str, page: str, root: str) -> str:
    """The summary of the article at ``page`` (a path in the site) as another page shows it:
    each relative link, written for the article's page, made to lead to the same place from a
    page whose way back to the site root is ``root`` ("../../")."""

    def moved(value: str) -> str:
        if value.startswith("/") or _SCHEME.match(_URL_IGNORED.sub("", value)):
            return value  # the same from every page of the host
        joined = urljoin(_SITE + page, value)
        return root + joined.removeprefix(_SITE) if joined.startswith(_SITE) else joined

    return _relinked(html, moved)


def _relinked(html: str, relink: Callable[[str], str]) -> str:
    """Sanitized HTML with each link's address as ``relink`` makes it; unchanged when it has
    no relative one. A link no URL parser reads (e.g. "//[::1") is dropped."""
    if not _RELATIVE_URL.search(html):
        return html

    def relinked(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in URL_ATTRIBUTES:
            return value
        if _url_policy(tag, attribute, value) is None:
            return None
        try:
            return relink(value)
        except ValueError:
            return None

    return _clean(html, relinked)


def _clean(
    html: str,
    attribute_filter: Callable[[str, str, str], str | None] | None,
    bare: frozenset[str] = frozenset(),
) -> str:
    if attribute_filter is None or attribute_filter is _url_policy:
        cleaned = _cleaner(attribute_filter, frozenset(bare)).clean(html)
    else:  # a filter made for this text alone
        cleaned = nh3.clean(html, attribute_filter=attribute_filter, **_cleaning(bare))
    return _valid(cleaned) if "<a" in cleaned or "<img" in cleaned else cleaned


def _cleaning(bare: frozenset[str]) -> dict[str, Any]:
    return {
        "tags": ALLOWED_TAGS | bare,
        "attributes": ALLOWED_ATTRIBUTES,
        "url_schemes": URL_SCHEMES,
        "link_rel": LINK_REL,
        "strip_comments": True,
    }


@functools.cache
def _cleaner(
    attribute_filter: Callable[[str, str, str], str | None] | None, bare: frozenset[str]
) -> nh3.Cleaner:
    """A sanitizer made once: ``nh3.clean`` converts its sets of tags and attributes anew on
    every call, which took two thirds of a short summary's 36 µs."""
    return nh3.Cleaner(attribute_filter=attribute_filter, **_cleaning(bare))


_TEXT_ONLY = nh3.Cleaner(tags=set())  # every tag dropped, script and style with their text


def _valid(html: str) -> str:
    """What sanitizing leaves made valid HTML: a link whose address was dropped keeps no
    ``rel`` (HTML allows it only with ``href``), an image whose source was dropped goes (HTML
    requires ``src``), and an image without ``alt`` gets an empty one (it says nothing a
    screen reader should read)."""
    return _LINK_OR_IMAGE.sub(_valid_tag, html)


def _valid_tag(tag: re.Match[str]) -> str:
    name, attributes = tag[1], tag[2]
    present = set(_ATTRIBUTE.findall(attributes))
    if name == "a":
        if "href" in present:
            return tag[0]
        return "<a" + attributes.replace(f' rel="{LINK_REL}"', "") + ">"
    if "src" not in present:
        return ""
    return tag[0] if "alt" in present else '<img alt=""' + tag[0][len("<img") :]


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
    return " ".join(unescape(_TEXT_ONLY.clean(html)).split())


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|td|th)>|<br>|<hr>")
_LINE_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # not a non-breaking space: that is the text's


def paragraphs(html: str) -> list[str]:
    """The text of sanitized HTML, a paragraph (each on one line) a block."""
    texts = (unescape(_TEXT_ONLY.clean(block)) for block in _BLOCK_END.split(html))
    return [line for text in texts if (line := _LINE_SPACE.sub(" ", text).strip(" "))]
