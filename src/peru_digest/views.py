"""Plain data for templates: each article, topic and outlet serialised once per build."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import urls
from .markup import absolutize, plain_text
from .model import Article, Site

View = dict[str, Any]


@dataclass(frozen=True)
class Views:
    """The serialised site: shared by every page, so no page re-serialises an article."""

    site: View
    articles: tuple[View, ...]  # newest first, like Site.articles
    topics: Mapping[str, View]  # by slug
    sources: Mapping[str, View]  # by name


def make_views(site: Site, *, search: bool = True) -> Views:
    topic_counts = Counter(slug for a in site.articles for slug in a.topics)
    source_counts = Counter(a.source for a in site.articles)
    topics = {
        t.slug: {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "path": urls.topic_path(t.slug),
            "count": topic_counts[t.slug],
        }
        for t in site.topics.values()
    }
    base = site.config.base_url
    sources = {
        s.name: {
            "slug": s.slug,
            "name": s.name,
            "description": s.description,
            "homepage": s.homepage,
            "path": urls.source_path(s.slug),
            "abs_url": urls.absolute(base, urls.source_path(s.slug)),
            "feed_url": urls.absolute(base, urls.source_path(s.slug) + "feed.xml"),
            "count": source_counts[s.name],
        }
        for s in site.sources.values()
    }
    articles = tuple(article_view(a, site.config.base_url, topics, sources) for a in site.articles)
    return Views(site_view(site) | {"search": search}, articles, topics, sources)


def site_view(site: Site) -> View:
    config = site.config
    return {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "language": config.language,
        "newest": site.articles[0].date.isoformat() if site.articles else None,
    }


def article_view(
    article: Article, base_url: str, topics: Mapping[str, View], sources: Mapping[str, View]
) -> View:
    path = urls.article_path(article)
    excerpt = plain_text(article.summary_html)
    view = {
        "title": article.title,
        "path": path,
        "abs_url": urls.absolute(base_url, path),
        "id": article.id,
        "url": article.url,
        "date": moment_view(article),
        "updated": article.updated and urls.rfc3339(article.updated),
        "authors": list(article.authors),
        "source": sources[article.source],
        "topics": [topics[slug] for slug in article.topics],
        "summary": Markup(article.summary_html),  # already sanitized in markup.py
        "summary_abs": Markup(absolutize(article.summary_html, urls.absolute(base_url, path))),
        "excerpt": excerpt,
        "description": shorten(excerpt, 160),
        "timestamp": article.date.timestamp(),
    }
    view["json_ld"] = json_ld(view)
    return view


def json_ld(article: View) -> Markup:
    """schema.org NewsArticle data, safe inside a <script> element."""
    source = article["source"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article["title"],
        "datePublished": article["date"]["iso"],
        "author": [{"@type": "Person", "name": name} for name in article["authors"]],
        "publisher": {"@type": "Organization", "name": source["name"]}
        | ({"url": source["homepage"]} if source["homepage"] else {}),
        "isBasedOn": article["url"],
        "url": article["abs_url"],
        "description": article["description"],
    }
    if article["updated"]:
        data["dateModified"] = article["updated"]
    text = json.dumps(data, ensure_ascii=False)
    # "</script>" or "<!--" in a headline must not end the element early.
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(escaped)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def moment_view(article: Article) -> View:
    moment = article.date
    return {
        "iso": urls.rfc3339(moment),
        "day": moment.date().isoformat(),
        "label": urls.day_label(moment),
        "rfc822": urls.rfc822(moment),
    }
