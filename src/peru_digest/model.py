"""The validated, immutable content of a site: pure data, no behaviour beyond lookups."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


def pickled_as_tuple(cls: type[T]) -> type[T]:
    """A slotted dataclass pickled as the tuple of its fields' values. Records like these go
    to worker processes and into the build cache by the hundred thousand, and the dataclass's
    own way looks its fields up again for every one: twice the cost of sending an article."""
    names = tuple(item.name for item in dataclasses.fields(cls))  # type: ignore[arg-type]
    values = operator.attrgetter(*names)

    def getstate(self: T) -> Any:
        return values(self) if len(names) > 1 else (values(self),)

    def setstate(self: T, state: tuple[Any, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)  # frozen: set once, as __init__ does

    setattr(cls, "__getstate__", getstate)  # noqa: B010 - mypy refuses assigning methods
    setattr(cls, "__setstate__", setstate)  # noqa: B010
    return cls


@dataclass(frozen=True)
class SiteConfig:
    """``content/site.yaml``."""

    title: str
    description: str
    base_url: str  # absolute, always ends with "/"
    language: str  # the pages' and the interface's
    time_zone: ZoneInfo
    feed_items: int
    page_size: int
    feed_content: str  # "full": the summary as HTML; "summary": its plain text
    articles_language: str  # of the articles' titles and summaries (default: ``language``)
    week_start: str = "monday"  # the first day of an edition's week (weeks.WEEKDAYS)


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()  # for automatic topics


@dataclass(frozen=True)
class Source:
    """An outlet that publishes the articles we summarise."""

    slug: str
    name: str
    homepage: str  # "" when the editor has not filled it in yet
    description: str


@dataclass(frozen=True)
class Author:
    """An entry of ``authors.yaml``: a person written in several ways, or a desk."""

    name: str  # as the site writes it
    slug: str
    aliases: tuple[str, ...]  # other ways article files write it
    description: str
    desk: bool  # a newsroom, an agency or an outlet: no author page


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Summary:
    """An article's summary: as the editor wrote it, and as it is published."""

    markdown: str
    html: str  # rendered and sanitized
    text: str  # the words of ``html`` on one line

    @property
    def key(self) -> str:
        """Where the summary is kept: the same text always has the same key."""
        return hashlib.blake2b(self.markdown.encode("utf-8"), digest_size=16).hexdigest()


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def derived_id(url: str, source: str, title: str) -> str:
    """The feed id of an article whose front matter has none: from its link, else its outlet
    and title (``uuid.uuid5(uuid.NAMESPACE_URL, seed).urn``, made 2.5 times as fast).
    Importers write it into the file, so later corrections never change it."""
    seed = url or f"{source}\n{title}"
    made = bytearray(hashlib.sha1(_URL_NAMESPACE + seed.encode(), usedforsecurity=False).digest())
    made[6] = made[6] & 0x0F | 0x50  # version 5
    made[8] = made[8] & 0x3F | 0x80  # the variant of RFC 4122
    hexed = made[:16].hex()
    return f"urn:uuid:{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


@pickled_as_tuple
@dataclass(frozen=True, slots=True, repr=False)
class Article:
    """One article summary's facts; ``date`` is time-zone aware.

    The summary itself is kept apart, under ``summary_key``: a large site's summaries need not
    all be in memory at once. An article's ``repr`` is a digest of all its fields, so that a
    page that shows it can tell cheaply whether anything it shows has changed; its ``shape``
    digests all but the summary: what sorting, grouping and ranking look at.
    """

    path: str  # the content file, relative to the content folder
    title: str
    date: datetime
    source: str  # a Source name
    authors: tuple[str, ...]
    url: str
    topics: tuple[str, ...]  # Topic slugs
    slug: str
    written_id: str  # the front matter's feed id; "" when none (then see ``id``)
    summary_key: str  # a digest of the summary's Markdown
    updated: datetime | None = None
    draft: bool = False
    auto_topics: bool = False  # topics came from keywords, not from the front matter
    # ``shape`` then ``digest``, as bytes: one object, not two strings of hex (8 MB at 100,000)
    digests: bytes = field(default=b"", compare=False)

    def __post_init__(self) -> None:
        facts = (
            self.path, self.title, self.date.isoformat(), self.source, self.authors, self.url,
            self.topics, self.slug, self.written_id,
            self.updated and self.updated.isoformat(), self.draft, self.auto_topics,
        )  # fmt: skip
        shape = hashlib.blake2b(repr(facts).encode(), digest_size=12).hexdigest()
        digest = hashlib.blake2b(f"{shape}{self.summary_key}".encode(), digest_size=12)
        object.__setattr__(self, "digests", bytes.fromhex(shape) + digest.digest())

    @property
    def id(self) -> str:
        """The feed id: set once, never changed by later edits. When the front matter has
        none, derived when asked (not kept: 9 MB at 100,000 articles)."""
        return self.written_id or derived_id(self.url, self.source, self.title)

    @property
    def shape(self) -> str:
        """A digest of all but the summary."""
        return self.digests[:12].hex()

    @property
    def digest(self) -> str:
        """A digest of everything, the summary's key included."""
        return self.digests[12:].hex()

    def __repr__(self) -> str:
        return f"Article<{self.digest}>"


@dataclass(frozen=True)
class Site:
    """Everything a build needs, loaded and validated."""

    config: SiteConfig
    topics: Mapping[str, Topic] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    articles: tuple[Article, ...] = ()  # newest first
    summaries: Mapping[str, Summary] = field(default_factory=lambda: MappingProxyType({}))
    authors: Mapping[str, Author] = field(default_factory=lambda: MappingProxyType({}))
