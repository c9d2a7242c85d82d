"""A guard before feedparser: a feed's own DTD entities may not expand beyond a budget.

feedparser expands the entities a feed declares in its DOCTYPE itself (its loose parser does
not go through expat's protection), so one entity referenced thousands of times can turn a
100 KB feed into gigabytes. The expansion is counted here, in one pass over the bytes, before
any of it happens.
"""

from __future__ import annotations

import re
from collections import Counter

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
