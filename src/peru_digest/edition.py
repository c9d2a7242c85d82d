"""Editions: the articles of a period as an email-ready HTML page, plain text, or digest text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import urls
from .content import load_site
from .digesttext import DigestItem, format_digest
from .errors import DigestError, Problem, Report
from .i18n import Interface, interface
from .model import Article, Site
from .render import make_environment
from .views import ArticleViews, site_view

FORMATS = ("html", "text", "digest")


@dataclass(frozen=True)
class Request:
    """Which edition: the articles dated from ``start`` to ``end`` (inclusive), in a format."""

    start: date
    end: date
    topic: str | None
    format: str  # one of FORMATS


def make_edition(content: Path, templates: Path, request: Request) -> tuple[str, int]:
    """The edition's text and how many articles it holds."""
    site = load_site(content, Report())
    articles = select_edition(site, request.start, request.end, request.topic)
    writers: dict[str, Callable[[], str]] = {
        "digest": lambda: edition_digest(site, articles),
        "text": lambda: edition_text(site, articles, request.start, request.end),
        "html": lambda: edition_html(site, articles, request.start, request.end, templates),
    }
    return writers[request.format](), len(articles)


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to a file that must not exist yet."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        problem = Problem(path.as_posix(), None, "already exists", "choose a new file name")
        raise DigestError([problem]) from None


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


def edition_digest(site: Site, articles: Sequence[Article]) -> str:
    """The digest text format, which ``import-digest`` reads back."""
    return format_digest(
        DigestItem(a.title, a.authors, a.source, site.summaries[a.summary_key].markdown)
        for a in articles
    )


def edition_text(site: Site, articles: Sequence[Article], start: date, end: date) -> str:
    words = interface(site.config.language)
    heading = f"{site.config.title}: {period(start, end, words)}"
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    for article in articles:
        day = words.day(article.date.date())
        byline = " · ".join(filter(None, [", ".join(article.authors), article.source, day]))
        summary = textwrap.fill(site.summaries[article.summary_key].text, width=72)
        link = article.url or urls.absolute(site.config.base_url, urls.article_path(article))
        # Translators: the plain-text edition's link to the whole article
        read = words.gettext("Read it: %(link)s", link=link)
        blocks.append(f"{article.title}\n{byline}\n\n{summary}\n\n{read}")
    if not articles:
        blocks.append(words.gettext("No articles in this period."))
    return "\n\n\n".join(blocks) + "\n"


def edition_html(
    site: Site, articles: Sequence[Article], start: date, end: date, templates: Path
) -> str:
    """A self-contained page for email: inline styles, no images, absolute links."""
    views = ArticleViews(site, site.summaries)
    language = site.config.language
    template = make_environment(templates, language).get_template("edition.html")
    return template.render(
        site=site_view(site, search=False),
        period=period(start, end, interface(language)),
        articles=[views.full(article) for article in articles],
    )


def period(start: date, end: date, words: Interface) -> str:
    first, last = words.day(start), words.day(end)
    if start == end:
        return first
    # Translators: a period of days, as in "1 August 2021 to 7 August 2021"
    return words.gettext("%(first)s to %(last)s", first=first, last=last)
