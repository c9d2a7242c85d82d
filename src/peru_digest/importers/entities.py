"""A guard before feedparser: a feed's own DTD entities may not expand beyond a budget.

feedparser expands the entities a feed declares in its DOCTYPE itself (its loose parser does
not go through expat's protection), so one entity referenced thousands of times can turn a
100 KB feed into gigabytes. The expansion is counted here, in one pass over the bytes, before
any of it happens.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections import Counter
from dataclasses import dataclass

_FIRST_ELEMENT = re.compile(rb"<\w")
_DECLARATION = re.compile(  # what follows "<!ENTITY", up to its ">"
    rb"\s+(?P<parameter>%\s+)?(?P<name>\S+)\s+(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)')"
)
_REFERENCE = re.compile(rb"&([^\s&;<>\"']{1,64});")


def entity_expansion(data: bytes) -> int:
    """How many bytes the feed's declared entities would add where they are referenced."""
    start = _FIRST_ELEMENT.search(data)
    head, body = (data[: start.start()], data[start.start() :]) if start else (data, b"")
    values = declared_entities(head)
    if not values:
        return 0
    sizes: dict[bytes, int] = {}
    references = Counter(_REFERENCE.findall(body))
    return sum(
        count * expanded_size(name, values, sizes, set())
        for name, count in references.items()
        if name in values
    )


def declared_entities(head: bytes) -> dict[bytes, bytes]:
    """Each general entity the DOCTYPE declares, and its value.

    Each declaration is read only up to its ``>`` (as feedparser reads it), so the work stays
    linear however the declarations are malformed.
    """
    values = {}
    for declaration in head.split(b"<!ENTITY")[1:]:
        end = declaration.find(b">")
        found = _DECLARATION.match(declaration if end < 0 else declaration[:end])
        if found and not found["parameter"]:
            values[found["name"]] = found["double"] or found["single"] or b""
    return values


def expanded_size(
    name: bytes, values: dict[bytes, bytes], sizes: dict[bytes, int], open_: set[bytes]
) -> int:
    """The length of an entity's value with the entities it refers to expanded in turn; an
    entity that refers to itself counts as endless."""
    if name in sizes:
        return sizes[name]
    if name in open_ or len(open_) > 32:  # a loop, or a chain too deep to be honest
        return 1 << 62
    open_.add(name)
    value = values[name]
    size = len(value)
    for inner in _REFERENCE.findall(value):
        if inner in values:
            size += expanded_size(inner, values, sizes, open_) - len(inner) - 2
    open_.discard(name)
    sizes[name] = min(size, 1 << 62)
    return sizes[name]


# --- References as outlets write them: HTML's, or a bare `&` -----------------------------------

XML_NAMED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_AMPERSAND = re.compile(
    rb"&(?:([A-Za-z][A-Za-z0-9]{0,31});|(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};))?"
)
_LITERAL_PARTS = re.compile(rb"<!\[CDATA\[.*?(?:\]\]>|$)|<!--.*?(?:-->|$)", re.DOTALL)
_XML_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def well_formed_references(data: bytes) -> bytes:
    """The feed with each ``&`` written as XML wants it, outside CDATA sections and comments:
    an HTML named character its DOCTYPE does not declare (``&nbsp;``) as a number
    (``&#160;``), and a bare ``&`` (``R&D``, ``?id=1&sec=2``) as ``&amp;``.

    Outlets write both, as if their feed were HTML. To XML the feed is then not well-formed,
    and feedparser's loose parser reads it: it leaves ``&amp;`` undecoded in guids (an address
    no outlet has, and the same entry another article next time), drops the ``;`` of one in a
    channel's link, and makes ``R&D`` ``R&D;``. Written so, they mean what a browser reads,
    and the strict parser reads the feed.
    """
    start = _FIRST_ELEMENT.search(data)
    if start is None or b"&" not in data:
        return data
    head, body = data[: start.start()], data[start.start() :]
    declared = set(declared_entities(head))

    def rewritten(reference: re.Match[bytes]) -> bytes:
        name, number = reference[1], reference[2]
        if number is not None or (name is not None and (name in XML_NAMED or name in declared)):
            return reference[0]
        if name is None:
            return b"&amp;"
        characters = html.entities.html5.get(name.decode("ascii") + ";")
        if characters is None:  # no character's name: the loose parser's to read
            return reference[0]
        return b"".join(b"&#%d;" % ord(character) for character in characters)

    parts, last = [], 0
    for literal in _LITERAL_PARTS.finditer(body):
        parts += [_AMPERSAND.sub(rewritten, body[last : literal.start()]), literal[0]]
        last = literal.end()
    parts.append(_AMPERSAND.sub(rewritten, body[last:]))
    return head + b"".join(parts)


# --- References to no character: half a UTF-16 surrogate pair, or beyond U+10FFFF ----------------

# A numbered reference, escaped again any number of times (`&amp;#55357;`, as feeds escape CDATA)
_NUMBERED = re.compile(rb"&((?:amp;)*)#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));")
HIGH_SURROGATES = range(0xD800, 0xDC00)
LOW_SURROGATES = range(0xDC00, 0xE000)
REPLACEMENT = 0xFFFD


@dataclass(frozen=True)
class Characters:
    data: bytes
    lost: tuple[bytes, ...]  # each reference to no character, as written


def surrogates_joined(data: bytes) -> Characters:
    """``data`` with each pair of references to the halves of a UTF-16 surrogate pair
    (``&#55357;&#56832;``, as Java's, JavaScript's and PHP's escapers write an emoji) made one
    reference to the character it encodes (``&#128512;``), and each other reference to no
    character (a lone half, ``&#xD800;``, or one beyond U+10FFFF) one to U+FFFD, in ``lost``.

    XML refuses both, and feedparser's tolerant reader fails on them; escaped again, a
    browser shows two U+FFFD for the pair. Done everywhere, CDATA too, where they are HTML's."""
    found = [number for number in _NUMBERED.finditer(data) if not is_character(code_of(number))]
    parts: list[bytes] = []
    lost: list[bytes] = []
    last = index = 0
    while index < len(found):
        number = found[index]
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and is_pair(number, following):
            high, low = code_of(number), code_of(following)
            joined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            parts += [data[last : number.start()], b"&%s#%d;" % (number[1], joined)]
            last, index = following.end(), index + 2
            continue
        parts += [data[last : number.start()], b"&%s#%d;" % (number[1], REPLACEMENT)]
        lost.append(number[0])
        last, index = number.end(), index + 1
    parts.append(data[last:])
    return Characters(b"".join(parts), tuple(lost))


def code_of(number: re.Match[bytes]) -> int:
    return int(number[2]) if number[2] is not None else int(number[3], 16)


def is_character(code: int) -> bool:
    """Whether ``code`` is a Unicode scalar value: not a surrogate, not beyond U+10FFFF."""
    return code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def is_pair(high: re.Match[bytes], low: re.Match[bytes]) -> bool:
    """Whether two references, the second right after the first and escaped as often, are the
    halves of one surrogate pair."""
    return (
        high.end() == low.start()
        and high[1] == low[1]
        and code_of(high) in HIGH_SURROGATES
        and code_of(low) in LOW_SURROGATES
    )


# A character reference, numbered or named, as HTML writes one.
_ANY_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def references_read(text: str) -> str:
    """``text`` with its character references read as HTML reads them (``&#8220;``,
    ``&hellip;``); text without one as it is."""
    return html.unescape(text) if _ANY_REFERENCE.search(text) else text


def xml_references_decoded(text: str) -> str:
    """``text`` with XML's own character references decoded: ``&amp;`` as ``&``."""
    return _XML_REFERENCE.sub(lambda reference: html.unescape(reference[0]), text)
