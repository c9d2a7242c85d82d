"""A kept plan brought up to date: edited articles put in wherever the plan holds them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from types import MappingProxyType

from peru_digest.feeds import Feed
from peru_digest.group import Page, Plan, plan_site
from peru_digest.replan import KeptPlan, holders_of, replanned, with_articles

from .test_group import article, site

OLD = article("vote-count", "2021-06-10T09:00", "election")
OTHER = article("budget", "2021-06-09T09:00", "economy")
NEW = replace(OLD, summary_key="edited")


@dataclass(frozen=True)
class Holder:
    articles: tuple[object, ...]
    by_name: dict[str, object]
    frozen: MappingProxyType[str, object]
    counted: Counter[str]
    listed: list[object]


def test_an_edited_article_is_put_in_wherever_it_is_held_and_nothing_else_changes() -> None:
    held = Holder(
        (OLD, OTHER, ("deeper", [OLD])),
        {"first": OLD},
        MappingProxyType({"first": OLD}),
        Counter({"a": 2}),
        [OTHER, OLD],
    )
    renewed = with_articles(held, {OLD.path: NEW})
    assert renewed == Holder(
        (NEW, OTHER, ("deeper", [NEW])),
        {"first": NEW},
        MappingProxyType({"first": NEW}),
        Counter({"a": 2}),
        [OTHER, NEW],
    )
    assert renewed.articles[1] is OTHER
    assert held.articles[0] is OLD  # the kept plan itself is left as it was


def test_each_article_is_known_by_the_pages_and_feeds_that_hold_it() -> None:
    plan = plan_site(site(OLD, OTHER), search=False)
    items: list[Page | Feed] = [*plan.pages, *plan.feeds]
    holders = holders_of(items)
    holding = {item.path for index, item in enumerate(items) if index in holders[OLD.path]}
    assert {"", "2021/06/vote-count/", "topics/election/", "2021/06/"} <= holding
    assert "topics/election/feed.xml" in holding
    assert "topics/economy/" not in holding


def test_a_plan_holding_what_cannot_be_looked_into_is_not_reused() -> None:
    plan = plan_site(site(OLD, OTHER), search=False)
    odd = Page("odd/index.html", "list.html", "Odd", object())  # type: ignore[arg-type]
    kept = KeptPlan("key", Plan([*plan.pages, odd], plan.feeds), {}, [], (OLD, OTHER))
    assert replanned(kept, (NEW, OTHER)) is None
