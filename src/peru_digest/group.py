"""Sort, group and paginate the site into pages and feeds: what each output file shows.

Each page and feed receives only its own slice of the serialised articles, so the work grows
with the number of list entries, never with pages × articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import urls
from .errors import Problem
from .feeds import FILE_NAMES, FORMAT_NAMES, MEDIA_TYPES, Feed, Format
from .model import SiteConfig
from .views import View, Views

Context = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template draws it, and its data."""

    path: str
    template: str
    title: str
    context: Context = field(default_factory=dict)
    feeds: tuple[View, ...] = ()  # the page's own feeds, besides the site's, for autodiscovery
    lastmod: str | None = None  # for the sitemap
    in_sitemap: bool = True
    anywhere: bool = False  # served at any address (404): links must be absolute


@dataclass(frozen=True)
class Plan:
    pages: list[Page]
    feeds: list[Feed]


def plan_site(views: Views, config: SiteConfig) -> Plan:
    """Every page and feed of the site, in a stable order."""
    topics = members_by(views.articles, lambda a: [t["slug"] for t in a["topics"]])
    sources = members_by(views.articles, lambda a: [a["source"]["name"]])
    feeds = plan_feeds(views, config, topics, sources)
    size = config.page_size
    pages = [
        *list_pages("", "home", "Latest articles", views.articles, size=size),
        *article_pages(views.articles, topics),
        *term_pages("topic", views.topics.values(), topics, "slug", size),
        *term_pages("source", views.sources.values(), sources, "name", size),
        *archive_pages(views, size),
        Page("feeds/", "feeds.html", "Feeds", {"all_feeds": feed_list(feeds)}),
        *(
            [Page("search/", "search.html", "Search", in_sitemap=False)]
            if views.site["search"]
            else []
        ),
        Page("404.html", "404.html", "Page not found", in_sitemap=False, anywhere=True),
    ]
    everywhere = feed_links("", views.site["title"], ("rss", "atom", "json"))
    return Plan([replace(page, feeds=everywhere + page.feeds) for page in pages], feeds)


def list_pages(
    path: str,
    kind: str,
    title: str,
    articles: Sequence[View],
    *,
    size: int,
    feeds: tuple[View, ...] = (),
    **extra: Any,
) -> Iterator[Page]:
    """A paginated list of articles, newest first, grouped under date headings."""
    total = max(1, -(-len(articles) // size))
    for number in range(1, total + 1):
        chunk = articles[(number - 1) * size : number * size]
        pager = {
            "number": number,
            "total": total,
            "prev": urls.numbered_page(path, number - 1) if number > 1 else None,
            "next": urls.numbered_page(path, number + 1) if number < total else None,
        }
        shown = title if number == 1 else f"{title} (page {number} of {total})"
        context = {"kind": kind, "heading": title, "sections": by_day(chunk), "pager": pager}
        yield Page(urls.numbered_page(path, number), "list.html", shown, context | extra, feeds)


def by_day(articles: Sequence[View]) -> list[View]:
    """Consecutive articles of the same day under one heading."""
    sections: list[View] = []
    for article in articles:
        day = article["date"]["day"]
        if not sections or sections[-1]["day"] != day:
            sections.append({"day": day, "label": article["date"]["label"], "articles": []})
        sections[-1]["articles"].append(article)
    return sections


def article_pages(articles: Sequence[View], topics: dict[str, list[View]]) -> Iterator[Page]:
    find = RelatedFinder(articles, topics)
    for index, article in enumerate(articles):
        context = {"article": article, "related": find(index)}
        lastmod = article["updated"] or article["date"]["iso"]
        yield Page(article["path"], "article.html", article["title"], context, lastmod=lastmod)


class RelatedFinder:
    """Articles to read next: most shared topics first, then nearest in time.

    Only a window of neighbours in each topic's date-ordered list is considered, so the cost per
    article stays fixed however large a topic grows.
    """

    def __init__(
        self,
        articles: Sequence[View],
        topics: dict[str, list[View]],
        limit: int = 3,
        window: int = 12,
    ) -> None:
        self.articles = articles
        self.topics = topics
        self.limit = limit
        self.window = window
        self.position = {
            slug: {article["path"]: i for i, article in enumerate(members)}
            for slug, members in topics.items()
        }

    def __call__(self, index: int) -> list[View]:
        article = self.articles[index]
        mine = {topic["slug"] for topic in article["topics"]}
        candidates: dict[str, View] = {}
        for slug in sorted(mine):
            members = self.topics[slug]
            at = self.position[slug][article["path"]]
            for other in members[max(0, at - self.window) : at + self.window + 1]:
                candidates[other["path"]] = other
        if len(candidates) <= self.limit:  # too few share a topic: fill in with neighbours in time
            for other in self.articles[max(0, index - self.limit) : index + self.limit + 1]:
                candidates.setdefault(other["path"], other)
        candidates.pop(article["path"], None)

        def rank(other: View) -> tuple[int, float, str]:
            shared = len(mine & {topic["slug"] for topic in other["topics"]})
            return (-shared, abs(other["timestamp"] - article["timestamp"]), other["path"])

        return sorted(candidates.values(), key=rank)[: self.limit]


def term_pages(
    kind: str, terms: Iterable[View], members: dict[str, list[View]], key: str, size: int
) -> Iterator[Page]:
    """The index of all topics (or outlets) with counts, then each one's list of articles."""
    listed = list(terms)
    heading = f"{kind.title()}s"
    yield Page(f"{kind}s/", "terms.html", heading, {"heading": heading, "terms": listed})
    for term in listed:
        yield from list_pages(
            term["path"],
            kind,
            term["name"],
            members[term[key]],
            size=size,
            feeds=feed_links(term["path"], term["name"]),
            term=term,
        )


def members_by(
    articles: Sequence[View], keys: Callable[[View], Iterable[str]]
) -> dict[str, list[View]]:
    """Articles under each key, keeping their newest-first order."""
    groups: dict[str, list[View]] = defaultdict(list)
    for article in articles:
        for key in keys(article):
            groups[key].append(article)
    return groups


def archive_pages(views: Views, size: int) -> Iterator[Page]:
    months = members_by(views.articles, lambda a: [a["date"]["day"][:7]])
    years: dict[int, list[View]] = defaultdict(list)
    for key in sorted(months, reverse=True):
        year, month = int(key[:4]), int(key[5:])
        entry = {"label": urls.month_label(year, month), "path": urls.month_path(year, month)}
        years[year].append(entry | {"count": len(months[key])})
    archive = [
        {
            "year": year,
            "path": urls.year_path(year),
            "count": sum(month["count"] for month in entries),
            "months": entries,
        }
        for year, entries in years.items()
    ]
    yield Page("archive/", "archive.html", "Archive", {"years": archive})
    for entry in archive:
        yield Page(entry["path"], "year.html", str(entry["year"]), {"year": entry})
    for key in sorted(months, reverse=True):
        year, month = int(key[:4]), int(key[5:])
        label = urls.month_label(year, month)
        path = urls.month_path(year, month)
        yield from list_pages(
            path, "month", label, months[key], size=size, year=urls.year_path(year)
        )


# Feeds -------------------------------------------------------------------------------------


def plan_feeds(
    views: Views,
    config: SiteConfig,
    topics: dict[str, list[View]],
    sources: dict[str, list[View]],
) -> list[Feed]:
    """The site's RSS, Atom and JSON feeds, then RSS and Atom for each topic and outlet."""
    site_title = views.site["title"]
    groups: list[tuple[str, str, str, Sequence[View], tuple[Format, ...]]] = [
        ("", site_title, config.description, views.articles, ("rss", "atom", "json"))
    ]
    for topic in views.topics.values():
        title = f"{site_title}: {topic['name']}"
        groups.append(
            (topic["path"], title, topic["description"], topics[topic["slug"]], ("rss", "atom"))
        )
    for source in views.sources.values():
        title = f"{site_title}: articles from {source['name']}"
        groups.append(
            (source["path"], title, source["description"], sources[source["name"]], ("rss", "atom"))
        )
    return [
        Feed(
            path=path + FILE_NAMES[kind],
            format=kind,
            title=title,
            description=description,
            home=urls.absolute(config.base_url, path),
            url=urls.absolute(config.base_url, path + FILE_NAMES[kind]),
            items=articles[: config.feed_items],
            site=views.site,
            full_content=config.feed_content == "full",
        )
        for path, title, description, articles, kinds in groups
        for kind in kinds
    ]


def feed_links(
    path: str, title: str, kinds: Iterable[Format] = ("rss", "atom")
) -> tuple[View, ...]:
    """``<link rel="alternate">`` data for a page's feeds."""
    return tuple(
        {
            "title": f"{title} ({FORMAT_NAMES[kind]})",
            "type": MEDIA_TYPES[kind],
            "path": path + FILE_NAMES[kind],
        }
        for kind in kinds
    )


def feed_list(feeds: Sequence[Feed]) -> list[View]:
    """The /feeds/ page: every feed with a line saying what it carries."""
    return [
        {
            "title": feed.title,
            "format": FORMAT_NAMES[feed.format],
            "path": feed.path,
            "description": feed.description,
        }
        for feed in feeds
    ]


def find_collisions(paths: Iterable[str], output: str) -> list[Problem]:
    """Two outputs that would be written to the same file, all reported at once."""
    seen: set[str] = set()
    problems = []
    for path in paths:
        target = urls.output_file(path)
        if target in seen:
            problems.append(
                Problem(
                    f"{output}/{target}",
                    None,
                    "two outputs would be written to this file",
                    "give one of the topics, outlets or articles behind it a different slug",
                )
            )
        seen.add(target)
    return problems
