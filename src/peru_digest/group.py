"""Sort, group and paginate the site into pages: what each output file shows.

Each page receives only its own slice of the serialised articles, so the work grows with the
number of list entries, never with pages × articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import urls
from .errors import Problem
from .views import View, Views

Context = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template draws it, and its data."""

    path: str
    template: str
    title: str
    context: Context = field(default_factory=dict)
    origin: str = ""  # what asked for the page, for collision reports


def plan_pages(views: Views, page_size: int, feed_items: int) -> list[Page]:
    """Every page of the site, in a stable order."""
    return [
        *list_pages("", "home", views.site["title"], views.articles, page_size),
        *article_pages(views.articles),
        *topic_pages(views, page_size),
        *source_pages(views, page_size),
        *archive_pages(views, page_size),
        Page("feed.xml", "feed.xml", views.site["title"], feed_context(views, feed_items)),
        Page("404.html", "404.html", "Page not found"),
    ]


def list_pages(
    path: str, kind: str, title: str, articles: Sequence[View], size: int, **extra: Any
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
        yield Page(urls.numbered_page(path, number), "list.html", shown, context | extra, path)


def by_day(articles: Sequence[View]) -> list[View]:
    """Consecutive articles of the same day under one heading."""
    sections: list[View] = []
    for article in articles:
        day = article["date"]["day"]
        if not sections or sections[-1]["day"] != day:
            sections.append({"day": day, "label": article["date"]["label"], "articles": []})
        sections[-1]["articles"].append(article)
    return sections


def article_pages(articles: Sequence[View]) -> Iterator[Page]:
    for article in articles:
        yield Page(article["path"], "article.html", article["title"], {"article": article})


def topic_pages(views: Views, size: int) -> Iterator[Page]:
    topics = list(views.topics.values())
    yield Page("topics/", "topics.html", "Topics", {"topics": topics})
    members = members_by(views.articles, lambda a: [t["slug"] for t in a["topics"]])
    for topic in topics:
        yield from list_pages(
            topic["path"], "topic", topic["name"], members[topic["slug"]], size, topic=topic
        )


def source_pages(views: Views, size: int) -> Iterator[Page]:
    sources = list(views.sources.values())
    yield Page("sources/", "sources.html", "Sources", {"sources": sources})
    members = members_by(views.articles, lambda a: [a["source"]["name"]])
    for source in sources:
        yield from list_pages(
            source["path"], "source", source["name"], members[source["name"]], size, source=source
        )


def members_by(articles: Sequence[View], keys: Any) -> dict[str, list[View]]:
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
        years[year].append(
            {
                "label": urls.month_label(year, month),
                "path": urls.month_path(year, month),
                "count": len(months[key]),
            }
        )
    archive = [
        {
            "year": year,
            "path": urls.year_path(year),
            "count": sum(m["count"] for m in ms),
            "months": ms,
        }
        for year, ms in years.items()
    ]
    yield Page("archive/", "archive.html", "Archive", {"years": archive})
    for entry in archive:
        yield Page(entry["path"], "year.html", str(entry["year"]), {"year": entry})
    for key in sorted(months, reverse=True):
        year, month = int(key[:4]), int(key[5:])
        label = urls.month_label(year, month)
        path = urls.month_path(year, month)
        yield from list_pages(path, "month", label, months[key], size, year=urls.year_path(year))


def feed_context(views: Views, limit: int) -> Context:
    return {"items": views.articles[:limit], "self_url": views.site["base_url"] + "feed.xml"}


def find_collisions(pages: Sequence[Page], output: str) -> list[Problem]:
    """Two pages that would be written to the same file, all reported at once."""
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        target = urls.output_file(page.path)
        if target in seen:
            first = seen[target]
            problems.append(
                Problem(
                    f"{output}/{target}",
                    None,
                    f"two pages would be written here: {first.origin or first.title!r} "
                    f"and {page.origin or page.title!r}",
                    "give one of them a different slug",
                )
            )
        seen[target] = page
    return problems
