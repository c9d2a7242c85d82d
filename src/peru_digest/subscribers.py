"""Subscriber safety: what feed readers will make of each feed that replaces a published one.

A feed reader knows an item by its id (RSS ``guid``, Atom ``id``, JSON Feed ``id``), never by
its link or title: an item whose id changes is a new item, shown again as unread to every
subscriber, and an item that leaves a feed stays in the readers that have it, its link broken
when its page is gone. So each build compares every feed it writes anew with the one it
replaces, in the worker that drew it (a feed not drawn again is byte for byte what it was), and
then names the article behind each finding, as a warning. A feed is compared only with one at
its own address: another site's feeds, or this site's before it moved, have other subscribers.
"""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from . import urls
from .articlefile import ArticleFileError, parse
from .errors import Problem
from .feeds import ATOM
from .inputfile import MAX_ARTICLE_BYTES, InputFileError, read_text
from .model import Article, SiteConfig
from .urls import Format
from .yamlio import Located, clip

A = f"{{{ATOM}}}"
LISTED = 3  # articles named in a hint before "and N more"


@dataclass(frozen=True)
class Item:
    """A feed item as a feed reader sees it."""

    id: str
    link: str
    title: str
    date: datetime | None  # when it was published: pushed out, or taken out?


@dataclass(frozen=True)
class Published:
    """A feed as a feed reader knows it: its address and its items."""

    url: str
    items: list[Item]


@dataclass(frozen=True)
class FeedChange:
    """What the subscribers of one feed will notice when it replaces the published one."""

    path: str  # the feed file, relative to the site
    size: int  # items in the new feed
    reids: tuple[tuple[Item, str], ...] = ()  # (the published item, its new id): link kept
    vanished: tuple[Item, ...] = ()  # published items gone while among the newest
    added: tuple[str, ...] = ()  # ids the published feed did not carry


# In the worker that draws the feed -----------------------------------------------------------


def feed_change(live: Path, path: str, kind: Format, data: bytes, window: int) -> FeedChange | None:
    """How the feed ``data`` differs, for its subscribers, from the one published at
    ``live/path``; None when nothing in it matters, or nothing is published there yet."""
    published = published_file(live / path)
    if published is None or published == data:
        return None
    old, new = read_feed(published, kind), read_feed(data, kind)
    if old is None or new is None or old.url != new.url:
        return None  # not a feed, or not this one (another site's, or this site moved)
    change = compare(path, old.items, new.items, window)
    flood = is_flood(len(change.added), window)
    return change if change.reids or change.vanished or flood else None


def is_flood(added: int, window: int) -> bool:
    """More than half of a full feed's items new at once. One new item never is: it is what
    a feed of one item (``feed_items: 1``) gets with each article, and each week's edition."""
    return added > max(window / 2, 1)


MAX_PUBLISHED = 64 * 1024 * 1024  # bytes of a published feed read: far more than ours make


def published_file(path: Path, limit: int = MAX_PUBLISHED) -> bytes | None:
    """The bytes of a published file when it is a regular file of at most ``limit`` bytes
    (a pipe there would never end, ``/dev/zero`` never stop); None otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as opened:
        found = os.fstat(opened.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_size > limit:
            return None
        data = opened.read(limit + 1)
    return data if len(data) <= limit else None


def compare(path: str, old: Sequence[Item], new: Sequence[Item], window: int) -> FeedChange:
    """Items that got a new id at the same link; items gone though no newer ones pushed them
    out (the feed is not full, or they are newer than its oldest item); the ids new to it.
    ``window`` is how many items a full feed carries."""
    old_ids, new_ids = {item.id for item in old}, {item.id for item in new}
    at_link = {item.link: item for item in new}
    oldest = min((item.date for item in new if item.date), default=None)
    pushed_out = len(new) >= window and oldest is not None
    reids, vanished = [], []
    for item in old:
        if item.id in new_ids:
            continue
        successor = at_link.get(item.link)
        if successor is not None and successor.id not in old_ids:
            reids.append((item, successor.id))
        elif not (pushed_out and item.date is not None and oldest and item.date < oldest):
            vanished.append(item)
    added = tuple(item.id for item in new if item.id not in old_ids)
    return FeedChange(path, len(new), tuple(reids), tuple(vanished), added)


def read_feed(data: bytes, kind: Format) -> Published | None:
    """The feed's address and items; None when it is not a feed of ``kind``."""
    try:
        if kind == "json":
            return json_feed(json.loads(data))
        root = ET.fromstring(data)
    except (ValueError, ET.ParseError):  # JSONDecodeError and UnicodeDecodeError included
        return None
    if kind == "rss" and root.tag == "rss":
        return Published(_self(root.iterfind(f"channel/{A}link")), list(rss_items(root)))
    if kind == "atom" and root.tag == f"{A}feed":
        return Published(_self(root.iterfind(f"{A}link")), list(atom_items(root)))
    return None


def _self(links: Iterable[ET.Element]) -> str:
    return next((link.get("href", "") for link in links if link.get("rel") == "self"), "")


def rss_items(root: ET.Element) -> Iterator[Item]:
    for item in root.iterfind("channel/item"):
        link = _text(item, "link")
        yield Item(
            _text(item, "guid") or link,  # readers without a guid know an item by its link
            link,
            _text(item, "title"),
            _moment(_text(item, "pubDate"), rfc822=True),
        )


def atom_items(root: ET.Element) -> Iterator[Item]:
    for entry in root.iterfind(f"{A}entry"):
        links = entry.findall(f"{A}link")
        alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
        yield Item(
            _text(entry, f"{A}id"),
            alternate[0].get("href", "") if alternate else "",
            _text(entry, f"{A}title"),
            _moment(_text(entry, f"{A}published") or _text(entry, f"{A}updated")),
        )


def json_feed(document: Any) -> Published | None:
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return None
    return Published(str(document.get("feed_url", "")), json_items(items))


def json_items(items: list[Any]) -> list[Item]:
    return [
        Item(
            str(item.get("id", "")),
            str(item.get("url", "")),
            str(item.get("title", "")),
            _moment(str(item.get("date_published", ""))),
        )
        for item in items
        if isinstance(item, dict)
    ]


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _moment(text: str, *, rfc822: bool = False) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text) if rfc822 else datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# In the build, once every feed is drawn ------------------------------------------------------


@dataclass(frozen=True)
class Articles:
    """The site's articles, found the ways a published feed item can be traced to one (each
    way worked out when first needed: most builds need none)."""

    content: Path
    config: SiteConfig
    every: Sequence[Article]  # drafts and articles dated in the future too
    published: Sequence[Article]

    @cached_property
    def published_ids(self) -> frozenset[str]:
        return frozenset(article.id for article in self.published)

    @cached_property
    def by_id(self) -> Mapping[str, Article]:
        return {article.id: article for article in self.every}

    @cached_property
    def by_link(self) -> Mapping[str, Article]:
        base = self.config.base_url
        return {urls.absolute(base, urls.article_path(a)): a for a in self.every}

    @cached_property
    def by_title(self) -> Mapping[str, Article]:
        return {article.title: article for article in reversed(self.every)}  # the first wins

    def file(self, article: Article) -> Path:
        return self.content / article.path


@dataclass
class Seen:
    """One published item across the feeds that carried it."""

    item: Item
    feeds: list[str] = field(default_factory=list)
    new_ids: set[str] = field(default_factory=set)  # ids new to those feeds


def subscriber_warnings(
    changes: Iterable[FeedChange], articles: Articles, live: str
) -> list[Problem]:
    """One warning per article whose subscribers will notice, counting the feeds it is in,
    and one per flood. ``live`` names the published site (``public``) in paths."""
    moved: dict[tuple[str, str, bool], Seen] = {}  # (old id, new id, link kept)
    gone: dict[str, Seen] = {}
    floods: dict[tuple[str, ...], list[FeedChange]] = defaultdict(list)
    for change in sorted(changes, key=lambda change: (change.path.count("/"), change.path)):
        for item, new_id in change.reids:
            moved.setdefault((item.id, new_id, True), Seen(item)).feeds.append(change.path)
        for item in change.vanished:
            seen = gone.setdefault(item.id, Seen(item))
            seen.feeds.append(change.path)
            seen.new_ids.update(change.added)
        if is_flood(len(change.added), articles.config.feed_items):
            floods[change.added].append(change)
    warnings = []
    for seen in gone.values():
        successor = _successor(seen, articles)
        if successor is not None:
            key = (seen.item.id, successor.id, successor is articles.by_link.get(seen.item.link))
            moved.setdefault(key, Seen(seen.item)).feeds.extend(seen.feeds)
        else:
            warnings += _vanished(seen, articles, live)
    warnings += [_moved(key, seen, articles, live) for key, seen in moved.items()]
    warnings += [_flood(group, articles, live) for group in floods.values()]
    return sorted(warnings)


def _successor(seen: Seen, articles: Articles) -> Article | None:
    """The article a vanished item became under a new id: at its link, else of its title,
    and new to the feeds it left."""
    for found in (articles.by_link.get(seen.item.link), articles.by_title.get(seen.item.title)):
        if found is not None and found.id != seen.item.id and found.id in seen.new_ids:
            return found
    return None


def _vanished(seen: Seen, articles: Articles, live: str) -> list[Problem]:
    """A published item no longer in feeds that still carry its peers, unless it is still
    published under its id (filed under another topic or outlet: nothing is lost)."""
    item, feeds = seen.item, seen.feeds
    article = articles.by_id.get(item.id)
    if article is None:
        if f"/{urls.EDITIONS}" in item.link:  # an edition: its week has no article left
            why = "no article of its week is left (deleted, or dated in another week)"
            hint = "if that was meant, nothing more is needed"
        else:
            why = "its article was deleted, or its id and title both changed"
            hint = (
                f"if its article moved, write `id: {item.id}` into its front matter; "
                "if it was deleted on purpose, nothing more is needed"
            )
        return [
            Problem(
                f"{live}/{feeds[0]}",
                None,
                f"{_quoted(item.title)} ({item.id}) is gone while among the newest items of "
                f"{_count(feeds)}: {why}; subscribers who have it find its page gone",
                hint,
            )
        ]
    if article.id in articles.published_ids:
        return []
    if article.draft:
        key, why = "draft", "as a draft"
        hint = "remove `draft: true` unless it is meant to leave the site (preview drafts "
        hint += "with --drafts in another --output)"
    else:
        key, why = "date", f"as dated in the future ({article.date.date().isoformat()})"
        hint = "correct `date:` unless it is meant to leave the site until then (preview "
        hint += "with --future in another --output)"
    return [
        Problem(
            articles.file(article).as_posix(),
            _line(_front_matter(articles.file(article)), key),
            f"left out {why} while among the newest items of {_count(feeds)}: "
            "subscribers who have it find its page gone",
            hint,
        )
    ]


def _moved(key: tuple[str, str, bool], seen: Seen, articles: Articles, live: str) -> Problem:
    old, new, link_kept = key
    how = "while its link stayed" if link_kept else "along with its address"
    message = (
        f"its feed id changed from `{old}` to `{new}` {how}: subscribers of "
        f"{_count(seen.feeds)} get it again as a new item"
    )
    article = articles.by_id.get(new)
    if article is None:  # an item that is no article (an edition, say)
        return Problem(f"{live}/{seen.feeds[0]}", None, f"{_quoted(seen.item.title)}: {message}")
    front = _front_matter(articles.file(article))
    return Problem(
        articles.file(article).as_posix(),
        _line(front, "id"),
        message,
        f"change `id:` back to `{old}`: an id is set once, never changed"
        if front is not None and "id" in front
        else f"add `id: {old}` to its front matter: the id it was published with",
    )


def _flood(group: list[FeedChange], articles: Articles, live: str) -> Problem:
    first = group[0]
    others = len(group) - 1
    also = f" (the same in {others} other feed{'s'[: others != 1]})" if others else ""
    names = [
        articles.file(articles.by_id[id]).as_posix() if id in articles.by_id else id
        for id in first.added
    ]
    more = len(names) - LISTED
    listed = ", ".join(names[:LISTED]) + (f" and {more} more" if more > 0 else "")
    return Problem(
        f"{live}/{first.path}",
        None,
        f"{len(first.added)} of its {first.size} items are new at once{also}: "
        "subscribers get them all as unread",
        f"new: {listed}; if they are not news (old articles imported, ids changed), "
        "check their dates and ids",
    )


def _front_matter(path: Path) -> Located | None:
    """An article's front matter, for the lines of its keys; None if it cannot be read."""
    try:
        return parse(read_text(path, MAX_ARTICLE_BYTES), path.as_posix()).front_matter
    except (InputFileError, ArticleFileError):
        return None


def _line(front: Located | None, key: str) -> int | None:
    """The line of ``key`` in the front matter (of its first key when it is not there)."""
    return None if front is None else front.line_of(key)


def _count(feeds: Sequence[object]) -> str:
    return "1 feed" if len(feeds) == 1 else f"{len(feeds)} feeds"


def _quoted(title: str) -> str:
    return f"“{clip(title)}”"
