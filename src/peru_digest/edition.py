"""The ``edition`` command: a week's (or any period's) articles as email HTML, text or digest.

What an edition holds is :mod:`weeks`' definition, the one the site's edition pages use:
published articles by day in the site's time zone, each once, under its first topic. An
article dated in the future is not published yet: its page is not on the site until then.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import jinja2

from . import urls
from .build import select_published
from .content import ARTICLES_DIR, load_site
from .digesttext import DigestItem, format_digest
from .errors import DigestError, Problem, Report, os_reason
from .i18n import Interface, interface
from .markup import paragraphs
from .model import Article, Site
from .render import check_templates, failing_template_line, make_environment
from .views import ArticleViews, site_view
from .weeks import Edition, edition_of, parse_week

FORMATS = ("html", "text", "digest")
EMAIL_TEMPLATE = "edition-email.html"


@dataclass(frozen=True)
class Request:
    """Which edition: a week by its label, or the days ``start`` to ``end`` (inclusive)."""

    start: date | None
    end: date | None
    week: str | None  # "2021-W35", as the site's edition pages are named
    topic: str | None
    format: str  # one of FORMATS


def make_edition(
    content: Path, templates: Path, request: Request, now: datetime | None
) -> tuple[str, int]:
    """The edition's text and how many articles it holds; articles dated after ``now`` are
    left out, as the site leaves them out (None: a preview that leaves out none)."""
    site = load_site(content, Report())
    start, end = period_of(site, request)
    edition = select_edition(site, start, end, request.topic, now)
    writers: dict[str, Callable[[], str]] = {
        "digest": lambda: edition_digest(site, edition),
        "text": lambda: edition_text(site, edition),
        "html": lambda: edition_html(site, edition, templates),
    }
    return writers[request.format](), edition.count


def period_of(site: Site, request: Request) -> tuple[date, date]:
    """The first and last day the request names."""
    if request.week is None:
        assert request.start is not None and request.end is not None
        return request.start, request.end
    try:
        first = parse_week(request.week, site.config.week_start)
    except ValueError as error:
        hint = "write a week as on the site's edition pages, like 2021-W35"
        raise DigestError([Problem("--week", None, str(error), hint)]) from None
    return first, first + timedelta(days=6)


def check_outside_articles(path: Path, content: Path) -> None:
    """An edition written among the articles would be read as one by the next build."""
    articles = (content / ARTICLES_DIR).resolve()
    if path.resolve().is_relative_to(articles):
        problem = Problem(
            path.as_posix(),
            None,
            "is in the articles folder: the next build would read the edition as an article",
            f"write it outside {(content / ARTICLES_DIR).as_posix()}/",
        )
        raise DigestError([problem])


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to a file that must not exist yet."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        problem = Problem(path.as_posix(), None, "already exists", "choose a new file name")
        raise DigestError([problem]) from None
    except OSError as error:  # no such folder, not allowed, a full disk
        hint = "write it into a folder that exists and that you may write to"
        problem = Problem(path.as_posix(), None, f"cannot write: {os_reason(error)}", hint)
        raise DigestError([problem]) from None


def select_edition(
    site: Site, start: date, end: date, topic: str | None, now: datetime | None = None
) -> Edition:
    """The articles of the days ``start`` to ``end`` (site time) published by ``now``, by
    topic; with ``topic``, only that topic's articles, all under it."""
    if topic is not None and topic not in site.topics:
        known = ", ".join(site.topics) or "none"
        raise DigestError([Problem("--topic", None, f"unknown topic `{topic}`", f"known: {known}")])
    shown, _ = select_published(site.articles, now, drafts=False, future=False)  # as the site
    published = [article for article in shown if topic is None or topic in article.topics]
    topics = list(site.topics) if topic is None else [topic]
    return edition_of(published, start, end, site.config.time_zone, topics)


def edition_digest(site: Site, edition: Edition) -> str:
    """The digest text format, which ``import-digest`` reads back; newest first, as the
    digests it comes from. An excerpt is the summary's text as readers see it, a paragraph a
    block: a digest is plain text (its Markdown, imported again, would show its marks)."""
    return format_digest(
        DigestItem(
            a.title,
            a.authors,
            a.source,
            "\n\n".join(paragraphs(site.summaries[a.summary_key].html)),
        )
        for a in edition.articles
    )


def edition_text(site: Site, edition: Edition) -> str:
    words = interface(site.config.language)
    views = ArticleViews(site, site.summaries)
    heading = f"{site.config.title}: {words.span(edition.first, edition.last)}"
    blocks = [f"{heading}\n{'=' * len(heading)}"]
    for section in edition.sections:
        name = views.section_heading(section.topic)["heading"]
        blocks.append(f"{name}\n{'-' * len(name)}")
        blocks += [text_article(site, article, words) for article in section.articles]
    if not edition.sections:
        blocks.append(words.gettext("No articles in this period."))
    return "\n\n\n".join(blocks) + "\n"


def text_article(site: Site, article: Article, words: Interface) -> str:
    """One article of the plain-text edition: title and byline, summary, link; an article
    without a summary has no empty paragraph, which would read as the end of its block."""
    day = words.day(article.date.date())
    byline = " · ".join(filter(None, [", ".join(article.authors), article.source, day]))
    summary = textwrap.fill(
        site.summaries[article.summary_key].text,
        width=72,
        break_long_words=False,  # an address cut in two is no link in a mail client
        break_on_hyphens=False,
    )
    link = article.url or urls.absolute(site.config.base_url, urls.article_path(article))
    # Translators: the plain-text edition's link to the whole article
    read = words.gettext("Read it: %(link)s", link=link)
    return "\n\n".join(part for part in (f"{article.title}\n{byline}", summary, read) if part)


def edition_html(site: Site, edition: Edition, templates: Path) -> str:
    """A self-contained page for email: inline styles, no images, absolute links."""
    views = ArticleViews(site, site.summaries)
    language = site.config.language
    env = make_environment(templates, language)
    if problems := check_templates(env, {EMAIL_TEMPLATE}):
        raise DigestError(problems)
    try:
        return env.get_template(EMAIL_TEMPLATE).render(
            site=site_view(site, search=False),
            period=interface(language).span(edition.first, edition.last),
            sections=views.email_sections(edition),
        )
    except jinja2.TemplateError as error:
        path, line = failing_template_line(error, env, EMAIL_TEMPLATE)
        raise DigestError([Problem(path, line, f"cannot render the edition: {error}")]) from None
