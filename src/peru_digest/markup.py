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
        if html is not None:
            return sanitize(html)
        html = self._md.reset().convert(text)
        raw = "<" in text  # Markdown's own markup is well nested, but for an empty heading
        html = sanitize(raw_html_as_read(html) if raw else html)
        return well_nested(html) if raw or "<h" in html else html


# Raw HTML in a summary is read by an HTML parser, as browsers read it. After these tags it
# reads what follows as text, up to their end tag; sanitizing then drops the tags (and a
# script's or a style's text, on purpose). Left unclosed, one would take in the rest of the
# summary, and one closed after other markup (a paragraph's end) would show that markup as
# text or hide it: such a tag is shown as text instead, as GitHub's Markdown shows it
# ("disallowed raw HTML"), so that "the page's <style> element" reads as written.
RAW_TEXT = frozenset({
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp",
})  # fmt: skip
# After these the parser never reads Markdown's HTML as written: everything after `plaintext`
# is text, a template's content is hidden, a `select` takes in only options, and SVG and
# MathML are markup of their own, which sanitizing drops with its text. They are always shown
# as text.
SHOWN_AS_TEXT = frozenset({"math", "plaintext", "select", "svg", "template"})
# Every element HTML has or had (WHATWG's, and the obsolete ones browsers still parse). A tag
# of another name, such as `<Nombre del ministro>` or the `<y and z>` of `x<y and z>w`, is
# text an editor wrote, which sanitizing would drop: it is shown as written. A name with a
# colon or a hyphen is markup all the same (a word processor's `<o:p>`, a custom element).
HTML_ELEMENTS = frozenset(
    """
    a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big
    blink blockquote body br button canvas caption center cite code col colgroup data datalist
    dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer
    form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input
    ins isindex kbd keygen label legend li link listing main map mark marquee menu menuitem
    meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option
    output p param picture plaintext pre progress q rb rp rt rtc ruby s samp script search
    section select slot small source spacer span strike strong style sub summary sup table
    tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp
    math svg
""".split()  # noqa: SIM905 - the names, as HTML's specification lists them
)
_MARKUP = re.compile("<(?=[!?/A-Za-z])")  # where an HTML parser reads markup, not text
_COMMENT_END = re.compile(r"-?>|.*?--!?>", re.DOTALL)  # past `<!--`, where HTML ends it
_SPACE = r"\t\n\f\r "  # what HTML's tokenizer takes for white space
# A start or end tag as HTML's tokenizer reads it: a quoted value may hold `>`, and a quote
# left open runs on to the next one; a tag the text ends in is no tag.
_TAG = re.compile(
    rf"</?([A-Za-z][^{_SPACE}/>]*+)"
    rf"(?>[{_SPACE}/]++"  # between attributes
    rf"|[^{_SPACE}/>][^{_SPACE}/>=]*+"  # an attribute's name, then its value if any
    rf"(?>[{_SPACE}]*+=[{_SPACE}]*+(?>\"[^\"]*+\"|'[^']*+'|[^{_SPACE}>\"'][^{_SPACE}>]*+|(?=>))"
    rf"|(?![{_SPACE}]*+=)))*+>"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def raw_html_as_read(html: str) -> str:
    """Markdown's HTML with each piece of raw HTML that would hide the text after it written
    as text (its `<` as ``&lt;``): a tag of :data:`SHOWN_AS_TEXT`, a start tag of
    :data:`RAW_TEXT` whose end tag is not the next markup, a tag or comment the text ends in,
    and markup that is neither (``<?php``, ``<!DOCTYPE``, ``</ x>``), which HTML drops up to
    its next `>`. Comments, and raw text elements that end, are left for the sanitizer."""
    pieces, kept, at = [], 0, 0
    while found := _MARKUP.search(html, at):
        end = _markup_end(html, found.start())
        if end:
            at = end
            continue
        pieces.append(html[kept : found.start()] + "&lt;")
        kept = at = found.start() + 1
    return "".join([*pieces, html[kept:]])


def _markup_end(html: str, start: int) -> int:
    """Where the comment or tag at ``start`` ends; 0 when it is to be shown as text."""
    if html.startswith("<!--", start):
        comment = _COMMENT_END.match(html, start + 4)
        return comment.end() if comment else 0
    tag = _TAG.match(html, start)
    name = tag[1].translate(_ASCII_LOWER) if tag else ""
    if tag is None or name in SHOWN_AS_TEXT or _MARKUP.search(tag[0], 1):
        return 0  # (a tag whose quote is left open takes in the next ones: `<a title="x>`)
    if name not in HTML_ELEMENTS and ":" not in name and "-" not in name:
        return 0
    if name in RAW_TEXT and html[start + 1] != "/":
        return _raw_text_end(html, tag.end(), name)
    return tag.end()


def _raw_text_end(html: str, start: int, name: str) -> int:
    """Where the element whose text begins at ``start`` ends: past its end tag (its name in
    any case of ASCII letters), when that is the next markup; else 0. Markup in its text
    would be shown as text, or hide what follows (a script's `<!--` may keep its end tag from
    ending it), and Markdown's own markup there means it runs on past the paragraph."""
    markup = _MARKUP.search(html, start)
    if markup is None or not _raw_text_end_tag(name).match(html, markup.start()):
        return 0
    tag = _TAG.match(html, markup.start())
    return tag.end() if tag else 0


@functools.cache
def _raw_text_end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[{_SPACE}/>])", re.IGNORECASE | re.ASCII)


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


# Where HTML allows the elements sanitizing keeps (raw HTML left open or closed out of turn
# puts them elsewhere: an unclosed `<b>` takes in the paragraphs after it).
_VOID = frozenset({"br", "hr", "img"})
_BLOCKS = frozenset({
    "blockquote", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
})  # fmt: skip
_PHRASING_ONLY = frozenset({  # elements that hold text and inline elements, never a block
    "abbr", "b", "cite", "code", "em", "h2", "h3", "h4", "i", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup",
})  # fmt: skip
_TRANSPARENT = frozenset({"a", "del", "ins"})  # each may hold what its parent may
_HEADINGS = frozenset({"h2", "h3", "h4"})
_PARENTS = {
    "li": {"ol", "ul"}, "tbody": {"table"}, "thead": {"table"}, "tr": {"table", "tbody", "thead"},
    "td": {"tr"}, "th": {"tr"},
}  # fmt: skip
_CHILDREN = {
    "ol": {"li"}, "ul": {"li"}, "table": {"tbody", "thead", "tr"}, "tbody": {"tr"},
    "thead": {"tr"}, "tr": {"td", "th"},
}  # fmt: skip
_SAYS_SOMETHING = re.compile(r'<img\s(?:.*?\s)?alt="[^"]')  # an image with text (no " in values)
_SANITIZED_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)[^"<>]*(?:"[^"]*"[^"<>]*)*>')  # nh3's way


@dataclass(slots=True)
class _Element:
    name: str
    start_tag: str
    children: list[_Element | str]


def well_nested(html: str) -> str:
    """Sanitized HTML with each element HTML does not allow where it stands, or that holds
    what HTML does not allow in it, replaced by its content: a `<b>` around paragraphs, a list
    item outside a list, a row without cells, an empty heading; a link in a link."""
    root = _Element("", "", [])
    open_elements = [root]
    at = 0
    for tag in _SANITIZED_TAG.finditer(html):
        if tag.start() > at:
            open_elements[-1].children.append(html[at : tag.start()])
        at = tag.end()
        if tag[1]:
            open_elements.pop()
            continue
        element = _Element(tag[2], tag[0], [])
        open_elements[-1].children.append(element)
        if element.name not in _VOID:
            open_elements.append(element)
    root.children.append(html[at:])
    removed: list[str] = []
    _nest_content(root, removed)
    return "".join(_written(root.children)) if removed else html


def _nest_content(element: _Element, removed: list[str]) -> None:
    """Nest the element's content as HTML allows; ``removed`` is given the name of each
    element replaced by its content."""
    children: list[_Element | str] = []
    for child in element.children:
        for node in [child] if isinstance(child, str) else _nested(child, removed):
            children += _placed(node, element.name, removed)
    element.children = _unlinked(children, removed) if element.name == "a" else children


def _nested(element: _Element, removed: list[str]) -> list[_Element | str]:
    """The element with its content nested as HTML allows, or that content in its place."""
    _nest_content(element, removed)
    if not _misfit(element):
        return [element]
    removed.append(element.name)
    return _content(element)


def _placed(node: _Element | str, parent: str, removed: list[str]) -> list[_Element | str]:
    """The node, or its content when it may not stand in ``parent`` (a list item outside a
    list, a cell outside a row)."""
    if isinstance(node, str) or parent in _PARENTS.get(node.name, (parent,)):
        return [node]
    removed.append(node.name)
    return [placed for child in _content(node) for placed in _placed(child, parent, removed)]


def _content(element: _Element) -> list[_Element | str]:
    """What stands in an element's place without it: its content, set apart from the text
    around it by line breaks where it is a block (so that no two words join)."""
    if element.name in _BLOCKS:
        return ["\n", *element.children, "\n"]
    return element.children


def _unlinked(nodes: list[_Element | str], removed: list[str]) -> list[_Element | str]:
    """The nodes with each link among them replaced by its content."""
    kept: list[_Element | str] = []
    for node in nodes:
        if isinstance(node, str):
            kept.append(node)
        elif node.name == "a":
            removed.append(node.name)
            kept += _unlinked(node.children, removed)
        else:
            node.children = _unlinked(node.children, removed)
            kept.append(node)
    return kept


def _misfit(element: _Element) -> bool:
    """Whether the element holds what HTML does not allow in it, or lacks what it needs."""
    name, children = element.name, element.children
    if name in _PHRASING_ONLY and _holds_block(children):
        return True
    if name in _HEADINGS:
        return not _shows_something(children)
    if name not in _CHILDREN:
        return False
    elements = [child for child in children if not isinstance(child, str)]
    names = [child.name for child in elements]
    return (
        any(isinstance(child, str) and child.strip() for child in children)
        or not set(names) <= _CHILDREN[name]
        or (name not in ("ol", "ul") and not elements)  # a table without rows, a row without cells
        or (name == "table" and not _rows_in_order(names))
    )


def _holds_block(nodes: list[_Element | str]) -> bool:
    return any(
        not isinstance(node, str)
        and (node.name in _BLOCKS or (node.name in _TRANSPARENT and _holds_block(node.children)))
        for node in nodes
    )


def _shows_something(nodes: list[_Element | str]) -> bool:
    """Whether there is text among the nodes, or an image that says something."""
    return any(
        node.strip()
        if isinstance(node, str)
        else _SAYS_SOMETHING.match(node.start_tag) or _shows_something(node.children)
        for node in nodes
    )


def _rows_in_order(names: list[str]) -> bool:
    """A table's rows: a head first if any, then either row groups or rows, not both."""
    body = names[1:] if names[:1] == ["thead"] else names
    return len(set(body)) <= 1


def _written(nodes: list[_Element | str]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, str):
            yield node
            continue
        yield node.start_tag
        if node.name not in _VOID:
            yield from _written(node.children)
            yield f"</{node.name}>"


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
