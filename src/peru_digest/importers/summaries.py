"""A feed entry's summary as the article's body: safe HTML blocks, without trackers.

Sanitized first (``markup.sanitize``: no script, no style, no frame survives); then tracking
images (1×1, or on a known tracker), links that only wrap them, FeedBurner's "flare", the
"The post … appeared first on …" footer and the blocks they leave empty are removed; then
relative addresses are made absolute against the entry's ``xml:base`` or its link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from ..inputfile import without_controls
from ..markup import absolutize, beyond_limits, plain_text, sanitize

TRACKERS = (
    "pixel.wp.com/",
    "stats.wordpress.com/",
    "google-analytics.com/",
    "feeds.feedburner.com/~r/",
    "feeds.feedburner.com/~ff/",
    "feedproxy.google.com/~r/",
    "blogger.googleusercontent.com/tracker/",
)
FEED_FOOTERS = (  # the words a blog's feed adds under every post (Yoast SEO, in three languages)
    ("The post ", " appeared first on "),
    ("La entrada ", " se publicó primero en "),
    ("O post ", " apareceu primeiro em "),
)
BLOCK_TAGS = frozenset({"blockquote", "h2", "h3", "h4", "hr", "ol", "p", "pre", "table", "ul"})
EMPTY_WHEN_BLANK = frozenset({"a", "blockquote", "h2", "h3", "h4", "li", "ol", "p", "ul"})
VOID_TAGS = frozenset({"br", "hr", "img"})
TITLE_LENGTH = 200  # characters of a title made from a summary's first sentence
# A digest summarises; it does not republish. A feed that gives the whole article (Arc XP's and
# Medium's content:encoded) gives its opening blocks up to this many words.
SUMMARY_WORDS = 120
FEWEST_WORDS = 30  # an opening of fewer words (a photo, a heading) takes in the next block's
_BLOCK_TAG = re.compile(
    r"</?(?:blockquote|br|caption|dd|div|dt|figcaption|h[1-6]|hr|li|ol|p|pre|table|td|th|tr|ul)\b[^>]*>"
)
_SENTENCE_END = re.compile(r"([.!?])\s+[¿¡\"“«(]?(\w)")


def summary_html(raw_html: str, base: str) -> str:
    """``raw_html`` as the body of an article file; relative links resolved against ``base``."""
    # After sanitizing, which writes a character reference (`&#x1F;`) as its character.
    shown = _SCREEN_READER_TEXT.sub("", raw_html)
    cleaned = without_controls(without_trackers(sanitize(with_breaks(shown))))
    return as_blocks(broken_at(absolutize(cleaned, base))) if not is_blank(cleaned) else ""


# Blocks the sanitizer does not keep: it keeps their text but nothing between them, so
# `<div>regional.</div><div>Los</div>` would read "regional.Los". They are kept bare through a
# first sanitizing (which parses the HTML as browsers do), each of their tags then marked as a
# break (a private-use character, which no outlet's text needs), and a break ends a paragraph;
# headings it does not keep become the nearest ones it does.
BREAK = "\ue000"
DROPPED_BLOCKS = frozenset(
    {"address", "article", "aside", "center", "dd", "details", "dialog", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "main", "nav",
     "section", "summary"}
)  # fmt: skip
_KEPT_HEADING = {"h1": "h2", "h5": "h4", "h6": "h4"}
_REWRITTEN = DROPPED_BLOCKS | frozenset(_KEPT_HEADING)  # kept bare, then rewritten


# What WordPress writes for screen readers only, hidden on its pages ("Seguir leyendo <span
# class="screen-reader-text">the title</span>"): the sanitizer would keep its words, shown.
_SCREEN_READER_TEXT = re.compile(
    r"<span\s[^<>]*class=[\"'][^\"'<>]*\bscreen-reader-text\b[^<>]*>[^<>]*</span>", re.IGNORECASE
)


def with_breaks(raw_html: str) -> str:
    """``raw_html`` sanitized, its headings as ones the sanitizer keeps, the tags of its other
    blocks as breaks."""
    bare = sanitize(raw_html.replace(BREAK, ""), bare=_REWRITTEN)
    pieces, at = [], 0
    for tag in _TAG.finditer(bare):
        name = tag[2].lower()
        if name in DROPPED_BLOCKS or name in _KEPT_HEADING:
            pieces.append(bare[at : tag.start()])
            kept = _KEPT_HEADING.get(name)
            pieces.append(f"<{tag[1]}{kept}>" if kept else BREAK)
            at = tag.end()
    return "".join([*pieces, bare[at:]])


def broken_at(html: str) -> str:
    """Sanitized HTML with its loose text parted into paragraphs at each break that no inline
    element spans; any other break is a space."""
    if BREAK not in html:
        return html
    pieces, at = [], 0
    for start, end in [*_TopLevelBlocks.spans_in(html), (len(html), len(html))]:
        pieces += [f"<p>{part}</p>" for part in _parted(html[at:start]) if _shows(part)]
        pieces += [_spaced(html[start:end])] if end > start else []
        at = end
    return "\n".join(pieces)


_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)[^"<>]*(?:"[^"]*"[^"<>]*)*>')  # as nh3 writes


def _shows(part: str) -> bool:
    """Whether a paragraph would show anything: text (an arrow, a dash), or an image."""
    return "<img" in part or bool(plain_text(part).strip())


def _spaced(block: str) -> str:
    """A block's breaks as the space that keeps two words apart, where one is needed."""

    def space(found: re.Match[str]) -> str:
        before = block[found.start() - 1] if found.start() else " "
        after = block[found.end()] if found.end() < len(block) else " "
        opened = before == ">" and block[block.rfind("<", 0, found.start()) + 1] != "/"
        apart = before.isspace() or after.isspace() or opened or block.startswith("</", found.end())
        return "" if apart else " "

    return _BREAKS.sub(space, block)


_BREAKS = re.compile(f"{BREAK}+")


def _parted(run: str) -> list[str]:
    """A run of sanitized inline HTML, parted at each break outside every element."""
    parts: list[list[str]] = [[]]
    depth, at = 0, 0
    for tag in [*_TAG.finditer(run), None]:
        text = run[at : tag.start() if tag else len(run)]
        first, *rest = text.split(BREAK) if not depth else [text]
        parts[-1].append(first)
        parts += [[part] for part in rest]
        if tag:
            parts[-1].append(tag.group())
            depth += 0 if tag[2].lower() in VOID_TAGS else -1 if tag[1] else 1
            at = tag.end()
    return [_spaced("".join(part)).strip() for part in parts]


_HEADING = re.compile(r"<h[1-6]\b")


def without_title(html: str, title: str) -> str:
    """The summary without a first heading that says the title again (Medium's, and many a
    theme's, content opens with it): the page shows the title already."""
    if not title or not _HEADING.match(html):
        return html
    first, *rest = _pieces(html)
    same = " ".join(plain_text(first).casefold().split()) == " ".join(title.casefold().split())
    return "\n".join(rest) if same and rest else html


def opening(html: str, most: int = SUMMARY_WORDS) -> str | None:
    """The opening of a summary (as :func:`summary_html` makes it) longer than ``most``
    words, or beyond the limits a summary must keep; None when it is short.

    Its first blocks, as many as fit. Where they hold fewer than ``FEWEST_WORDS`` (a photo, a
    heading), the next block's words follow, as text cut at ``most`` and marked ``[...]``; a
    block of no words that does not fit (a gallery) is passed over."""
    if len(plain_text(html).split()) <= most and not beyond_limits(html):
        return None
    kept: list[str] = []
    count = 0
    for block in _pieces(html):
        words = len(plain_text(block).split())
        if count + words <= most and not beyond_limits("\n".join([*kept, block])):
            kept.append(block)
            count += words
            continue
        if not words:
            continue
        if count < FEWEST_WORDS and (cut := words_of(block)[: most - count]):
            kept.append(f"<p>{as_text(cut)} [...]</p>")
        break
    text = "\n".join(kept)
    return text if not beyond_limits(text) else kept[-1]


def as_text(words: list[str]) -> str:
    """Words as the text of a paragraph: escaped, and brackets ("[1]" footnotes) written as
    entities, which Markdown does not scan for links."""
    return escape(" ".join(words), quote=False).replace("[", "&#91;").replace("]", "&#93;")


def words_of(html: str) -> list[str]:
    """The words of sanitized HTML, those of two list items or table cells kept apart."""
    return plain_text(_BLOCK_TAG.sub(" ", html)).split()


def is_blank(html: str) -> bool:
    """No words: an empty summary, however many tags, non-breaking spaces and marks it holds
    (WordPress's description of an article that is all video or photos is ``[…]``)."""
    return not any(character.isalnum() for character in plain_text(html))


def first_sentence(html: str) -> str:
    """The first sentence of the summary's text, without its final full stop; at most
    ``TITLE_LENGTH`` characters. A sentence ends at ``.``, ``!`` or ``?`` before a capital
    letter, so ``EE.UU. en Lima`` goes on."""
    text = plain_text(html)
    for found in _SENTENCE_END.finditer(text):
        if found[2].isupper():
            text = text[: found.start(1) + 1]
            break
    text = text.removesuffix(".").strip()
    if len(text) <= TITLE_LENGTH:
        return text
    return text[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"


@dataclass
class _Element:
    tag: str
    attributes: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[_Element | str] = field(default_factory=list)


def without_trackers(html: str) -> str:
    """Sanitized ``html`` without tracking images, FeedBurner flare, feed footers, and the
    links and blocks they leave empty."""
    root = _TreeBuilder.parse(html)
    root.children = _kept(root.children)
    if _end_plainly(root.children):  # the blocks a "read more" link leaves empty go too
        root.children = _kept(root.children, literal=True)
    return sanitize(_serialized(root.children))


# What the link that ends a blog's excerpt says ("Seguir leyendo", "Continue reading…"): the
# site's own link to the article follows every summary.
READ_MORE = (
    "read more", "continue reading", "keep reading", "read the full story",
    "read the full article", "read full article", "full story", "seguir leyendo",
    "sigue leyendo", "continuar leyendo", "continúa leyendo", "leer más", "lee más",
    "leer nota completa", "ver más", "leia mais", "continue lendo", "continuar lendo",
    "lire la suite", "continuer la lecture",
)  # fmt: skip
_ARROWS = r"[\s.…:»›→>\-–—\[\]()]*"  # around the words: "Leer más »", "[Read more…]"
_READ_MORE = re.compile(
    rf"{_ARROWS}(?:{'|'.join(map(re.escape, READ_MORE))}){_ARROWS}", re.IGNORECASE
)


def _end_plainly(nodes: list[_Element | str]) -> bool:
    """At the end of a summary: no "read more" link (one that says only that) and no line
    break, and a cut marked ``[...]``, as digests mark it, not ``[…]``. Whether anything was
    dropped."""
    _, dropped = _ended(nodes)
    return dropped


def _ended(nodes: list[_Element | str]) -> tuple[bool, bool]:
    """Whether ``nodes`` show anything (else the end is looked for before them), and whether
    a "read more" link or a line break was dropped from them."""
    dropped = False
    for index in reversed(range(len(nodes))):
        node = nodes[index]
        if isinstance(node, str):
            if node.replace(BREAK, "").strip():  # a block's edge (BREAK) shows nothing
                nodes[index] = _marked_cut(node, trimmed=dropped)
                return True, dropped
        elif node.tag == "br" or (
            node.tag == "a" and _READ_MORE.fullmatch(plain_text(_serialized(node.children)))
        ):
            del nodes[index]
            dropped = True
        elif node.tag in VOID_TAGS or node.tag == "a":
            return True, dropped
        else:
            shows, inner = _ended(node.children)
            dropped = dropped or inner
            if shows:
                return True, dropped
    return False, dropped


def _marked_cut(text: str, *, trimmed: bool) -> str:
    """``text`` with a last ``[…]`` written ``[...]``; ``trimmed``: without the spaces after
    what it shows (the blocks' edges stay)."""
    # Scanned back a character at a time: linear, where a pattern anchored at the end, or
    # stripping again after each edge, is not on a long run of spaces and edges.
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] == BREAK):
        end -= 1
    shown, after = text[:end], text[end:]
    if trimmed:
        after = BREAK * after.count(BREAK)
    return (shown.removesuffix("[…]") + "[...]" if shown.endswith("[…]") else shown) + after


def _kept(nodes: list[_Element | str], literal: bool = False) -> list[_Element | str]:
    kept: list[_Element | str] = []
    for node in nodes:
        if isinstance(node, str):
            kept.append(node if literal else read_once_more(node))
            continue
        if _is_tracker(node) or _is_feed_footer(node):
            continue
        node.children = _kept(node.children, literal or node.tag in LITERAL_TAGS)
        if node.tag in EMPTY_WHEN_BLANK and _is_empty(node):
            continue
        kept.append(node)
    return kept


LITERAL_TAGS = frozenset({"code", "pre"})  # where a reference may be what the text shows
_NUMBERED = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});")


def read_once_more(text: str) -> str:
    """Text with a numbered character reference left in it once read (``Cusco&#8217;s``, which
    no writer means to show): a feed that escaped its text once too often (HTML escaped again
    inside a CDATA section), read as it meant, its named references too (``AT&amp;T``). Text
    without one may mean the references it shows (``type &amp;amp;``), and stays."""
    return html.unescape(text) if _NUMBERED.search(text) else text


def _is_tracker(element: _Element) -> bool:
    if element.tag != "img":
        return False
    attributes = dict(element.attributes)
    src = (attributes.get("src") or "").lower()
    tiny = {attributes.get("width"), attributes.get("height")} <= {"0", "1"}
    return tiny or any(tracker in src for tracker in TRACKERS)


def _is_feed_footer(element: _Element) -> bool:
    if element.tag != "p":
        return False
    text = plain_text(_serialized(element.children))
    return any(text.startswith(start) and middle in text for start, middle in FEED_FOOTERS)


def _is_empty(element: _Element) -> bool:
    """No words and no image left inside."""
    for child in element.children:
        if isinstance(child, str):
            if child.replace(BREAK, " ").split():
                return False
        elif child.tag in ("img", "hr") or not _is_empty(child):
            return False
    return True


def _serialized(nodes: list[_Element | str]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(escape(node, quote=False))
            continue
        attributes = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in node.attributes
        )
        parts.append(f"<{node.tag}{attributes}>")
        if node.tag not in VOID_TAGS:
            parts.append(f"{_serialized(node.children)}</{node.tag}>")
    return "".join(parts)


class _TreeBuilder(HTMLParser):
    """Sanitized HTML (well-formed, known tags only) as a tree of elements, at most
    :data:`MAX_DEPTH` deep: the tags of elements deeper still are left out, their content
    kept (what walks the tree is recursive, and no summary means more)."""

    @classmethod
    def parse(cls, html: str) -> _Element:
        builder = cls()
        builder.feed(html)
        builder.close()
        return builder.root

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("")
        self.open = [self.root]
        self.left_out = 0  # elements open beyond MAX_DEPTH, their tags left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_TAGS and len(self.open) > MAX_DEPTH:
            self.left_out += 1
            return
        element = _Element(tag, attrs)
        self.open[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self.left_out:  # well-formed: the innermost open element ends
            self.left_out -= 1
        elif len(self.open) > 1 and self.open[-1].tag == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


MAX_DEPTH = 100  # elements within elements; outlets' summaries nest a handful


def as_blocks(html: str) -> str:
    """Sanitized HTML as block elements, one a line, loose inline runs wrapped in ``<p>``.

    Markdown passes a block of HTML through untouched, but reads ``*``, ``_`` or ``[a](b)``
    in loose text as its own markup.
    """
    return "\n".join(_pieces(html))


def _pieces(html: str) -> list[str]:
    """The top-level blocks of ``html``, loose inline runs wrapped in ``<p>``."""
    pieces, at = [], 0
    for start, end in [*_TopLevelBlocks.spans_in(html), (len(html), len(html))]:
        loose = html[at:start].strip()
        pieces += [f"<p>{loose}</p>"] if loose and _shows(loose) else []
        pieces += [html[start:end]] if end > start else []
        at = end
    return pieces


class _TopLevelBlocks(HTMLParser):
    """Finds where each top-level block element of well-formed HTML starts and ends."""

    @classmethod
    def spans_in(cls, html: str) -> list[tuple[int, int]]:
        finder = cls(html)
        finder.feed(html)
        finder.close()
        return finder.spans

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0, *(newline.end() for newline in re.finditer("\n", html))]
        self.spans: list[tuple[int, int]] = []
        self.depth = 0
        self.block_start: int | None = None

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.position()
        if self.depth == 0 and tag in BLOCK_TAGS:
            if tag in VOID_TAGS:
                self.spans.append((start, start + len(self.get_starttag_text() or "")))
            else:
                self.block_start = start
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        self.depth -= 1
        if self.depth == 0 and self.block_start is not None:
            self.spans.append((self.block_start, self.position() + len(f"</{tag}>")))
            self.block_start = None
