"""Editions: the articles of a period as an email-ready HTML page, plain text, or digest text."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import urls
from .errors import DigestError, Problem
from .importers.digest import DigestItem, format_digest
from .markup import plain_text
from .model import Article, Site
from .render import make_environment
from .views import make_views

FORMATS = ("html", "text", "digest")


def select_edition(site: Site, start: date, end: date, topic: str | None) -> list[Article]:
    """Published articles dated from ``start`` to ``end`` (inclusive, site time), newest first."""
    if topic is not None and topic not in site.topics:
        known = ", ".join(site.topics) or "none"
        raise DigestError([Problem("--topic", None, f"unknown topic `{topic}`", f"known: {known}")])
    return [
        article
        for article in site.articles
        if not article.draft
        and start <= article.date.date() <= end
        and (topic is None or topic in article.topics)
    ]


def edition_digest(articles: Sequence[Article]) -> str:
    """The digest text format, which ``import-digest`` reads back."""
    return format_digest(DigestItem(a.title, a.authors, a.source, a.body) for a in articles)


def edition_text(site: Site, articles: Sequence[Article], start: date, end: date) -> str:
    heading = f"{site.config.title}: {period(start, end)}"
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    for article in articles:
        byline = " · ".join(
            filter(None, [", ".join(article.authors), article.source, urls.day_label(article.date)])
        )
        summary = textwrap.fill(plain_text(article.summary_html), width=72)
        blocks.append(f"{article.title}\n{byline}\n\n{summary}\n\nRead it: {article.url}")
    if not articles:
        blocks.append("No articles in this period.")
    return "\n\n\n".join(blocks) + "\n"


def edition_html(
    site: Site, articles: Sequence[Article], start: date, end: date, templates: Path
) -> str:
    """A self-contained page for email: inline styles, no images, absolute links."""
    views = make_views(Site(site.config, site.topics, site.sources, tuple(articles)), search=False)
    template = make_environment(templates).get_template("edition.html")
    return template.render(site=views.site, period=period(start, end), articles=views.articles)


def period(start: date, end: date) -> str:
    first, last = urls.day_label(start), urls.day_label(end)
    return first if start == end else f"{first} to {last}"
