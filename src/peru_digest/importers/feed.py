"""``import-feed``: an RSS 0.9x/1.0/2.0, Atom or JSON feed → new article files, all or nothing.

The feed is read (within ``Limits``) and checked for entity bombs here, then handed to
feedparser as bytes: feedparser never fetches. feedparser is tolerant: a feed that is not
well-formed still gives the entries it could recover, and the report says so. Its parsers are
used with one change: Media RSS's titles and descriptions (a photo's caption) are never taken
for the entry's own (see ``MediaTextsApart``).
"""

from __future__ import annotations

import contextlib
import io
import re
import xml.sax
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from xml.sax import SAXParseException
from xml.sax.xmlreader import Locator

import feedparser
from feedparser.api import (
    PREFERRED_XML_PARSERS,
    LooseFeedParser,
    StrictFeedParser,
    convert_to_utf8,
    replace_doctype,
)

from ..errors import DigestError, Problem
from .commit import commit
from .discovery import advertised_feeds, feeds_hint
from .encoding import repaired
from .entities import (
    REPLACEMENT,
    entity_expansion,
    is_character,
    surrogates_joined,
    well_formed_references,
    xml_references_decoded,
)
from .feedentries import GROUP_DESCRIPTION, entry_candidates, feed_context
from .fetch import Limits, is_url, read_feed
from .jsonfeed import is_json, json_feed_reading
from .plan import plan_import, read_settings
from .records import ImportReport

NOT_A_FEED = "not an RSS, Atom or JSON feed"
NOT_A_FEED_HINT = "give the feed's own address; a web page usually links to it as RSS or Atom"
NO_ENTRIES = "the feed has no entries"
UNREADABLE_HINT = "check that it is an RSS or Atom feed, whole and undamaged"
TOO_MANY_HINT = (
    "import a shorter feed of the same outlet (a section's or a tag's, or one page of it: "
    "many sites take ?paged=2), or split the file"
)


def import_feed(
    location: str,
    content: Path,
    *,
    now: datetime,
    outlet: str | None = None,
    dry_run: bool,
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
) -> ImportReport:
    """Import each new entry of the feed at ``location``, a file or an http(s) URL.

    A feed that cannot be read, is no feed, breaks a limit, or breaks off before its first
    entry raises DigestError and imports nothing.
    """
    if is_url(location.strip()):  # an address pasted with a space or a line break
        location = location.strip()
    settings = read_settings(content)
    parsed, warnings, whole = parse_feed(location, limits)
    warnings += check_feed(parsed, location, limits)
    broken = parse_fault(parsed) is not None and not whole
    today = now.astimezone(settings.config.site.time_zone).date()  # the day where the site is
    context = feed_context(parsed, location, outlet, today, settings.config.sources, broken=broken)
    candidates = entry_candidates(parsed.entries, context)
    plan = plan_import(candidates, settings, dry_run=dry_run, origin=location)
    plan.report.warnings += warnings
    if not dry_run:
        commit(plan)
    return plan.report


def parse_feed(location: str, limits: Limits) -> tuple[Any, list[str], bool]:
    """feedparser's reading of the feed, media texts apart (HTML is sanitized later, by us);
    warnings of what was mended (a mislabelled encoding, references to no character); and
    whether the document ends as a whole one does (see :func:`ends_whole`).

    Bytes feedparser fails on raise DigestError naming the feed, never an internal error."""
    data, content_type = read_feed(location, limits)
    return parse_bytes(data, content_type, location, limits)


def parse_bytes(
    data: bytes, content_type: str, location: str, limits: Limits
) -> tuple[Any, list[str], bool]:
    """:func:`parse_feed` for the bytes read from ``location``."""
    mended = repaired(data, content_type)
    data, content_type = mended.data, mended.content_type
    warnings = [mended.warning] if mended.warning else []
    if is_json(data):
        return json_feed_reading(data, location), warnings, True
    expansion = entity_expansion(data)
    if expansion > limits.entity_expansion:
        message = (
            f"the feed's DTD entities would add {expansion:,} bytes; "
            f"the limit is {limits.entity_expansion:,}"
        )
        raise DigestError([Problem(location, None, message)])
    try:
        parsed = feedparser_reading(data, content_type)
    except Exception as error:  # feedparser failing on hostile bytes: the feed's problem
        raise DigestError([Problem(location, None, unreadable(error), UNREADABLE_HINT)]) from error
    if is_no_feed(parsed):  # a web page, most often: the feeds it names are what to import
        parsed["advertised_feeds"] = advertised_feeds(data, location)
    if parsed["lost_references"]:
        warnings.append(lost_references_warning(parsed["lost_references"]))
    return parsed, warnings, ends_whole(data)


class TolerantReadingError(Exception):
    """feedparser's tolerant reader failed on a feed its strict one refused for ``fault``."""

    def __init__(self, fault: str, error: Exception) -> None:
        super().__init__(fault, error)
        self.fault, self.error = fault, error


def unreadable(error: Exception) -> str:
    """Why feedparser could not read the feed; where the XML breaks first, when known."""
    cause = error.error if isinstance(error, TolerantReadingError) else error
    reason = f"{type(cause).__name__}: {' '.join(str(cause).split())}"
    if isinstance(error, TolerantReadingError):
        return f"the feed is not well-formed ({error.fault}) and cannot be read even so ({reason})"
    return f"the feed cannot be read ({reason})"


def lost_references_warning(lost: Sequence[bytes]) -> str:
    """What the report says of character references to no character, each read as U+FFFD."""
    written = list(dict.fromkeys(reference.decode("ascii") for reference in lost))
    shown = ", ".join(written[:3]) + (", …" if len(written) > 3 else "")
    if len(lost) == 1:
        return f"the feed has a character reference to no character ({shown}): read as \ufffd"
    return (
        f"the feed has {len(lost)} character references to no character ({shown}): "
        "each read as \ufffd"
    )


_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\Z")


def ends_whole(data: bytes) -> bool:
    """Whether the document ends with its root element's end tag, and after it only comments
    (a cache plugin's): a feed that is not well-formed for a stray ``&`` is whole, and its
    last entry not cut short in transfer."""
    tail = data[-4000:].replace(b"\x00", b"").rstrip()
    while tail.endswith(b"-->"):  # one comment at a time, from the end: linear
        start = tail.rfind(b"<!--")
        if start < 0:
            return False
        tail = tail[:start].rstrip()
    return _ROOT_END.search(tail) is not None


def check_feed(parsed: Any, location: str, limits: Limits) -> list[str]:
    """Warnings for a feed that can be imported; DigestError for one that cannot."""
    count = len(parsed.entries)
    if is_no_feed(parsed):
        feeds = parsed.get("advertised_feeds")
        hint = feeds_hint(feeds) if feeds else NOT_A_FEED_HINT
        raise DigestError([Problem(location, None, NOT_A_FEED, hint)])
    if count > limits.entries:
        message = f"the feed has {count:,} entries; the limit is {limits.entries:,}"
        raise DigestError([Problem(location, None, message, TOO_MANY_HINT)])
    fault = parse_fault(parsed)
    if fault is None:
        return [] if count else [NO_ENTRIES]
    if not count:
        message = f"the feed is not well-formed ({fault}); no entries could be recovered"
        raise DigestError([Problem(location, None, message)])
    entries = "entry" if count == 1 else "entries"
    return [f"the feed is not well-formed ({fault}); {count} {entries} recovered"]


def is_no_feed(parsed: Any) -> bool:
    """Whether feedparser found no feed at all: no entries, no version, no title."""
    return not parsed.entries and not parsed.get("version") and not parsed.feed.get("title")


def parse_fault(parsed: Any) -> str | None:
    """Why the feed is not well-formed, or None; a wrong content type or charset is no fault."""
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is None or isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        return None
    if isinstance(error, SAXParseException):
        return f"line {error.getLineNumber()}: {error.getMessage()}"
    return " ".join(str(error).split()) or type(error).__name__


# --- feedparser, with media texts apart -------------------------------------------------------


class MediaTextsApart:
    """feedparser's handlers for Media RSS, changed: ``media:title`` and ``media:description``
    name and caption a photo or a video, yet feedparser files them as the entry's own title
    and summary (before or instead of its ``description``: "Foto: Reuters" for the article).

    Here they are dropped, except the description a ``media:group`` holds directly: YouTube's
    entries have no other text. It is kept as the entry's ``media_group_description``, for an
    entry that says nothing itself.
    """

    media_group_depth = -1  # the depth of the open media:group, -1 outside one

    def _start_media_group(self: Any, attrs_d: dict[str, str]) -> None:
        self.media_group_depth = self.depth

    def _end_media_group(self: Any) -> None:
        self.media_group_depth = -1

    def _start_media_title(self: Any, attrs_d: dict[str, str]) -> None:
        self.push("media_title", 0)  # expecting no text: read, then dropped

    def _end_media_title(self: Any) -> None:
        self.pop("media_title")

    def _start_media_description(self: Any, attrs_d: dict[str, str]) -> None:
        if self.inentry and self.depth == self.media_group_depth + 1:
            self.push_content(GROUP_DESCRIPTION, attrs_d, "text/plain", 1)
        else:
            self.push("media_description", 0)

    def _end_media_description(self: Any) -> None:
        if self.elementstack and self.elementstack[-1][0] == GROUP_DESCRIPTION:
            self.pop_content(GROUP_DESCRIPTION)
        else:
            self.pop("media_description")


class StrictReader(MediaTextsApart, StrictFeedParser):  # type: ignore[misc]
    """feedparser's parser for well-formed XML, media texts apart."""


class LooseReader(MediaTextsApart, LooseFeedParser):  # type: ignore[misc]
    """feedparser's parser for the rest, media texts apart, reading what lies outside content
    (links, guids, names, attributes; CDATA too) as its strict parser does.

    feedparser's own leaves XML's references there as written (``&amp;``), then mends a link's
    query by dropping the ``;`` of what looks like one: ``?a=1&amp;b=2`` became
    ``?a=1&ampb=2``, so that a ``<br>`` left open in a description gave an article another
    link and id, and its outlet another homepage. In content (a title, a description),
    references stay for feedparser to read by the content's type, once.
    """

    def handle_charref(self, ref: str) -> None:
        """A reference to no character (half a surrogate pair, or beyond U+10FFFF) is U+FFFD,
        where feedparser's would fail (``chr``, or encoding what it gives)."""
        code = int(ref[1:], 16) if ref[:1] in "xX" else int(ref)
        code = code if is_character(code) else REPLACEMENT
        if self.incontent:
            super().handle_charref(str(code))
        elif self.elementstack:
            self.elementstack[-1][2].append(chr(code))

    def handle_entityref(self, ref: str) -> None:
        """XML's own, outside content, as their characters; a DTD's that stands for a character
        (``<!ENTITY eacute "&#233;">``) as that character (feedparser's gave ``&&#233;;``)."""
        own = ref in XML_ENTITIES
        declared = None if own else _NUMBER.fullmatch(self.entities.get(ref, ""))
        if declared:
            self.handle_charref(declared[1])
        elif own and not self.incontent and self.elementstack:
            self.elementstack[-1][2].append(XML_ENTITIES[ref])
        else:
            super().handle_entityref(ref)

    def decode_entities(self, element: str, data: str) -> str:
        """Content of a type that is not XML with XML's references decoded once (feedparser's
        decodes ``&amp;quot;`` twice, to ``"``); text outside content is decoded already."""
        if not self.incontent:
            return data
        if self.contentparams.get("type", "xml").endswith("xml"):
            return cast(str, super().decode_entities(element, data))
        return xml_references_decoded(data)

    def parse_declaration(self, i: int) -> int:
        """CDATA outside content is text as written (feedparser's escapes it, then leaves it
        escaped there: ``R&amp;D`` in a name)."""
        end: int = self.rawdata.find("]]>", i)
        if self.incontent or end < 0 or not self.rawdata.startswith("<![CDATA[", i):
            return cast(int, super().parse_declaration(i))
        self.handle_data(self.rawdata[i + len("<![CDATA[") : end], 0)
        return end + len("]]>")

    def _normalize_attributes(self, kv: tuple[str, str]) -> tuple[str, str]:
        """An attribute outside content with its references decoded once (feedparser's
        decodes ``&amp;`` alone: ``&#38;`` stayed in a photo's address)."""
        if self.incontent:
            return cast(tuple[str, str], super()._normalize_attributes(kv))
        name, value = kv[0].lower(), kv[1]
        return name, xml_references_decoded(value.lower() if name in ("rel", "type") else value)


XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_NUMBER = re.compile(r"&#([0-9]+|[xX][0-9a-fA-F]+);")


def feedparser_reading(data: bytes, content_type: str) -> Any:
    """What ``feedparser.parse`` gives for ``data`` (as its steps for bytes, without fetching,
    sanitizing or resolving), read by parsers that keep media texts apart; and, as
    ``lost_references``, the character references to no character it holds, each read as
    U+FFFD (see :func:`surrogates_joined`)."""
    result = feedparser.FeedParserDict(
        bozo=False, entries=[], feed=feedparser.FeedParserDict(), headers={}, lost_references=()
    )
    if not data:
        return result
    result["headers"].update({"content-type": content_type} if content_type else {})
    data = declaration_first(data)
    characters = surrogates_joined(convert_to_utf8(result["headers"], data, result))
    result["lost_references"] = characters.lost
    prolog = prolog_lines(data, result["encoding"])
    data = well_formed_references(characters.data)
    result["version"], data, entities = replace_doctype(data)
    data = with_prolog_lines(data, prolog)
    reader = strict_reading(data, result) if result["encoding"] else None
    if reader is None:
        try:
            reader = loose_reading(data, entities)
        except Exception as error:  # feedparser's handlers fail on some broken markup
            fault = parse_fault(result)
            if fault is None:
                raise
            raise TolerantReadingError(fault, error) from error
    result["feed"], result["entries"] = reader.feeddata, reader.entries
    result["version"] = result["version"] or reader.version
    result["namespaces"] = reader.namespaces_in_use
    return result


_SPACE_THEN_DECLARATION = re.compile(rb"(\xef\xbb\xbf)?([ \t\r\n]+)(<\?xml\s[^>]*\?>)")
_FIRST_ELEMENT = re.compile(rb"<\w")  # feedparser's own rule for where the prolog ends
PROLOG_BYTES = 64 * 1024


def declaration_first(data: bytes) -> bytes:
    """The feed with the blank lines or spaces before its XML declaration moved after it
    (WordPress's best-known fault: a plugin or theme that prints a line break before the
    feed): XML wants the declaration first, where the lines still count the same."""
    found = _SPACE_THEN_DECLARATION.match(data)
    if found is None:
        return data
    return (found[1] or b"") + found[3] + found[2] + data[found.end() :]


def prolog_lines(data: bytes, encoding: str) -> int | None:
    """How many line breaks the feed holds before its first element, as it was written."""
    try:
        head = data[:PROLOG_BYTES].decode(encoding or "utf-8", "replace").encode("utf-8")
    except (LookupError, ValueError):  # a codec no text is read with ("base64", "idna")
        return None
    found = _FIRST_ELEMENT.search(head)
    return head[: found.start()].count(b"\n") if found else None


def with_prolog_lines(data: bytes, lines: int | None) -> bytes:
    """``data`` with as many line breaks before its first element as the feed had, so that
    the XML reader's line numbers are the feed's: feedparser adds one after the declaration
    it writes when the feed has none, and drops those of the DOCTYPE it replaces."""
    found = _FIRST_ELEMENT.search(data[:PROLOG_BYTES])
    if lines is None or found is None:
        return data
    head = data[: found.start()]
    have = head.count(b"\n")
    if have > lines:
        head = head.replace(b"\n", b" ", have - lines)  # whitespace all the same, in a prolog
    return head + b"\n" * (lines - have) + data[found.start() :]


def loose_reading(data: bytes, entities: dict[str, str]) -> Any:
    """The tolerant parser's reading, of a feed that is not well-formed (``entities``: those
    its DTD declares)."""
    reader = LooseReader("", None, "utf-8", entities)
    reader.resolve_relative_uris = reader.sanitize_html = False
    reader.feed(data.decode("utf-8", "replace"))
    return reader


STRICT_FAILED = "markup the XML reader cannot read"


def strict_reading(data: bytes, result: Any) -> Any:
    """The strict parser's reading; None when the XML is not well-formed (noted in ``result``)."""
    reader = StrictReader("", None, "utf-8")
    reader.resolve_relative_uris = reader.sanitize_html = False
    parser = xml.sax.make_parser(PREFERRED_XML_PARSERS)
    parser.setFeature(xml.sax.handler.feature_namespaces, 1)
    with contextlib.suppress(xml.sax.SAXNotSupportedException):
        parser.setFeature(xml.sax.handler.feature_external_ges, 0)  # never fetch a DTD
    parser.setContentHandler(reader)
    parser.setErrorHandler(reader)
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except xml.sax.SAXException as error:
        result["bozo"] = 1
        result["bozo_exception"] = reader.exc or error
        return None
    except Exception as error:  # feedparser's handlers fail on some of what expat lets through
        result["bozo"] = 1  # (a namespace's address with a no-break space), as feedparser.parse
        where = parser if isinstance(parser, Locator) else Locator()  # expat's is its own
        result["bozo_exception"] = SAXParseException(STRICT_FAILED, error, where)
        return None
    return reader
