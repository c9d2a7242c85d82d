"""The last build's plan, brought up to date when only summaries changed (``serve``).

Sorting, grouping, paginating and ranking related articles look at every fact of an article
but its summary (its ``shape``). When no shape changed, nor anything else the plan and the
fingerprints depend on, the new plan is the last one with each edited article put in where the
old one was: only the pages and feeds that hold it are made, and fingerprinted, again.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from .feeds import Feed
from .group import Page, Plan
from .model import Article

Drawn = dict[str, Page | Feed]  # output file → what draws it
ATOMS = (str, int, float, bool, type(None), datetime, date)


class OpaquePartError(Exception):
    """A plan holds a value this module cannot look into: the plan is not reused."""


@dataclass
class KeptPlan:
    """A build's plan, by output file, with what it was made from."""

    key: str  # everything the plan depends on, summaries aside
    plan: Plan
    drawn: Drawn
    repeated: list[str]  # paths planned twice (a build with any fails)
    articles: tuple[Article, ...]
    holders: dict[str, list[int]] | None = None  # article path → items holding it (by index)
    # Output file → the item last fingerprinted there, and its fingerprint: kept for as long as
    # the plan is, so that an item ``replanned`` left as it was is not fingerprinted again.
    prints: dict[str, tuple[Page | Feed, str]] = field(default_factory=dict)


def replanned(kept: KeptPlan, articles: tuple[Article, ...]) -> KeptPlan | None:
    """The kept plan with ``articles`` (of the same shapes, in the same order) put in; None
    when it cannot be told where they are."""
    changed = {new.path: new for new, old in zip(articles, kept.articles, strict=True)
               if new.digest != old.digest}  # fmt: skip
    items: list[Page | Feed] = [*kept.plan.pages, *kept.plan.feeds]
    try:
        holders = kept.holders if kept.holders is not None else holders_of(items)
        renewed = {
            index: with_articles(items[index], changed)
            for index in sorted({index for path in changed for index in holders.get(path, ())})
        }
    except OpaquePartError:
        return None
    pages, feeds, drawn = list(kept.plan.pages), list(kept.plan.feeds), dict(kept.drawn)
    for index, item in renewed.items():
        if isinstance(item, Page):
            pages[index] = item
        else:
            feeds[index - len(pages)] = item
        drawn[output_path(item)] = item
    plan = Plan(pages, feeds)
    return KeptPlan(kept.key, plan, drawn, kept.repeated, articles, holders, kept.prints)


def output_path(item: Page | Feed) -> str:
    return item.file if isinstance(item, Page) else item.path


def holders_of(items: Sequence[Page | Feed]) -> dict[str, list[int]]:
    """For each article, the items (pages, feeds) that hold it, however deep."""
    holders: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for path in set(articles_in(item)):
            holders.setdefault(path, []).append(index)
    return holders


def articles_in(value: Any) -> Iterable[str]:
    """The path of every article in ``value``: a part of a plan."""
    if isinstance(value, Article):
        yield value.path
    elif isinstance(value, ATOMS):
        return
    elif isinstance(value, (tuple, list, frozenset, set)):
        for part in value:
            yield from articles_in(part)
    elif isinstance(value, Mapping):
        for part in value.values():
            yield from articles_in(part)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from articles_in(getattr(value, field.name))
    else:
        raise OpaquePartError(type(value).__name__)


def with_articles(value: Any, new: Mapping[str, Article]) -> Any:
    """``value`` (a part of a plan) with each article of ``new``'s paths in place of the
    one it holds."""
    if isinstance(value, Article):
        return new.get(value.path, value)
    if isinstance(value, ATOMS):
        return value
    if isinstance(value, (tuple, list, frozenset, set)):
        return type(value)(with_articles(part, new) for part in value)
    if isinstance(value, dict):
        copied = copy.copy(value)  # of the same kind (a Counter, a defaultdict…)
        for key, part in value.items():
            copied[key] = with_articles(part, new)  # (a Counter's update() would add)
        return copied
    if isinstance(value, MappingProxyType):
        return MappingProxyType({key: with_articles(part, new) for key, part in value.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: with_articles(getattr(value, field.name), new)
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    raise OpaquePartError(type(value).__name__)
