"""What templates receive: typed plain data, one context type per template.

Templates never see the model: each article, topic and outlet is serialised here, so a
template only reads keys that are always there.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Literal, TypedDict, TypeVar

from markupsafe import Markup

from . import dates, urls
from .authors import AuthorBook
from .i18n import Interface, interface, parse_tag
from .markup import absolutize
from .model import Article, Site, SiteConfig, Source, Summary, Topic, pickled_as_tuple
from .weeks import Edition

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ListKind = Literal["home", "topic", "source", "author", "month"]


class SiteView(TypedDict):
    title: str
    description: str
    base_url: str
    language: str  # a BCP 47 tag, for <html lang>
    og_locale: str  # Open Graph's language_TERRITORY
    articles_lang: str  # the lang of articles' titles and summaries; "" when it is ``language``
    articles_dir: str  # their direction, "ltr" or "rtl", where ``articles_lang`` is given; else ""
    dir: str  # "rtl" for a language written right to left; "" for left to right, HTML's default
    # ` lang="…"` and ` dir="…"` for the articles' titles and summaries, where they differ
    articles_attributes: Markup
    search: bool  # whether the site has a search page
    nav: urls.Nav


class DateView(TypedDict):
    iso: str  # RFC 3339
    day: str  # YYYY-MM-DD
    label: str  # 28 July 2021, 28 de julio de 2021


class TopicLink(TypedDict):
    slug: str
    name: str
    path: str


class AuthorLink(TypedDict):
    name: str
    path: str  # the author's page; "" for a desk ("Staff", an agency), which has none


class SourceLink(TypedDict):
    name: str
    path: str
    homepage: str  # "" when unknown
    abs_url: str  # our page for the outlet
    feed_url: str  # our RSS feed of the outlet


class ArticleView(TypedDict):
    """An article as pages show it."""

    title: str
    path: str
    url: str  # the whole article, at its outlet; "" when the editor has no link
    date: DateView
    authors: list[AuthorLink]
    source: SourceLink
    topics: list[TopicLink]
    summary: Markup  # sanitized HTML
    description: str  # the summary's words, shortened for meta tags


class FullArticleView(ArticleView):
    """An article as feeds and emails show it, away from the site."""

    abs_url: str
    id: str
    updated: str | None  # RFC 3339
    rfc822: str
    summary_abs: Markup  # the summary with every link absolute
    excerpt: str  # the summary's words on one line


class TermView(TypedDict):
    """A topic, an outlet or an author, with its article count."""

    name: str
    description: str
    homepage: str  # "" for topics and for outlets without one
    path: str
    count: int


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of a list is among its pages: a slotted record, half the size of a dict
    (one for each of 65,000 list pages at 100,000 articles)."""

    number: int
    total: int
    prev_file: str | None  # the file of the page before: that page holds the same string
    next_file: str | None

    @property
    def prev(self) -> str | None:
        return None if self.prev_file is None else urls.page_path(self.prev_file)

    @property
    def next(self) -> str | None:
        return None if self.next_file is None else urls.page_path(self.next_file)


class DaySection(TypedDict):
    day: str
    label: str
    articles: list[ArticleView]


class FeedLink(TypedDict):
    """A ``<link rel="alternate">`` to a feed."""

    title: str
    type: str
    path: str


class FeedListing(TypedDict):
    """A line of the /feeds/ page."""

    title: str
    format: str
    path: str
    description: str


class MonthEntry(TypedDict):
    label: str
    path: str
    count: int


class YearView(TypedDict):
    year: int
    path: str
    count: int
    months: list[MonthEntry]


class YearLink(TypedDict):
    label: str
    path: str


class EditionLink(TypedDict):
    """An edition as lists and neighbours name it."""

    label: str  # 2021-W35
    dates: str  # 30 August – 5 September 2021
    path: str
    count: int


class EditionYear(TypedDict):
    year: str
    editions: list[EditionLink]


class SectionHeading(TypedDict):
    heading: str  # the topic's name, or “Other news”
    path: str  # the topic's page; "" for the articles with no topic


class EditionSection(SectionHeading):
    articles: list[ArticleView]


class EmailSection(SectionHeading):
    articles: list[FullArticleView]


class EditionEntry(TypedDict):
    """An edition as feeds show it: one item."""

    id: str
    title: str
    abs_url: str
    date: str  # RFC 3339: when the week was complete
    rfc822: str
    updated: str | None  # RFC 3339: an article corrected after that
    html: Markup  # each topic's articles with their summaries, every link absolute
    text: str  # the articles' titles on one line
    topics: list[TopicLink]


class PageInfo(TypedDict):
    path: str
    title: str
    url: str


class BaseContext(TypedDict):
    """What every template receives."""

    site: SiteView
    root: str  # the relative way back to the site root: "./", "../../"
    page: PageInfo
    feeds: list[FeedLink]


class ListContext(BaseContext):
    kind: ListKind
    heading: str
    sections: list[DaySection]
    pager: Pager
    term: TermView | None  # the topic or outlet whose articles these are
    year: YearLink | None  # the year of a month's list


class ArticleContext(BaseContext):
    article: ArticleView
    related: list[ArticleView]
    json_ld: Markup  # schema.org data, safe inside its <script> element


class TermsContext(BaseContext):
    heading: str
    terms: list[TermView]


class ArchiveContext(BaseContext):
    years: list[YearView]


class YearContext(BaseContext):
    year: YearView


class FeedsContext(BaseContext):
    all_feeds: list[FeedListing]


class EditionContext(BaseContext):
    edition: EditionLink
    sections: list[EditionSection]
    newer: EditionLink | None
    older: EditionLink | None
    latest: bool  # the page at editions/latest/, a copy of the newest edition's


class EditionsContext(BaseContext):
    years: list[EditionYear]
    latest: str | None  # editions/latest/, when there is an edition
    edition_feeds: list[FeedListing]


Context = (
    BaseContext
    | ListContext
    | ArticleContext
    | TermsContext
    | ArchiveContext
    | YearContext
    | FeedsContext
    | EditionContext
    | EditionsContext
)


def articles_lang(config: SiteConfig) -> str:
    """The ``lang`` of the articles' titles and summaries; "" when it is the pages' own."""
    return "" if config.articles_language == config.language else config.articles_language


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (``ar``, ``he``, ``fa-IR``), else ``ltr``."""
    locale = parse_tag(language)
    return "ltr" if locale is None else str(locale.text_direction)


def articles_attributes(config: SiteConfig) -> Markup:
    """The articles' ``lang`` and ``dir``, where they are not the pages' own."""
    lang = articles_lang(config)
    if not lang:
        return Markup("")
    written = direction(config.articles_language)
    if written == direction(config.language):
        return Markup(' lang="{}"').format(lang)
    return Markup(' lang="{}" dir="{}"').format(lang, written)


def site_view(site: Site, *, search: bool) -> SiteView:
    config = site.config
    return SiteView(
        title=config.title,
        description=config.description,
        base_url=config.base_url,
        language=config.language,
        og_locale=interface(config.language).og_locale,
        articles_lang=articles_lang(config),
        articles_dir=direction(config.articles_language) if articles_lang(config) else "",
        dir="rtl" if direction(config.language) == "rtl" else "",
        articles_attributes=articles_attributes(config),
        search=search,
        nav=urls.NAV,
    )


def topic_term(topic: Topic, count: int) -> TermView:
    path = urls.topic_path(topic.slug)
    return TermView(
        name=topic.name, description=topic.description, homepage="", path=path, count=count
    )


def author_term(name: str, description: str, slug: str, count: int) -> TermView:
    path = urls.author_path(slug)
    return TermView(name=name, description=description, homepage="", path=path, count=count)


def source_term(source: Source, count: int) -> TermView:
    path = urls.source_path(source.slug)
    return TermView(
        name=source.name,
        description=source.description,
        homepage=source.homepage,
        path=path,
        count=count,
    )


def kept(memory: OrderedDict[K, V], key: K, size: int, make: Callable[[], V]) -> V:
    """``memory[key]``, made if missing; the ``size`` last used are kept."""
    found = memory.get(key)
    if found is not None:
        memory.move_to_end(key)
        return found
    made = memory[key] = make()
    if len(memory) > size:
        memory.popitem(last=False)
    return made


class ArticleViews:
    """Serialises articles for templates and feeds, from the site and its summaries."""

    MEMORY = 4096  # articles whose views are kept: pages drawn together share articles

    def __init__(self, site: Site, summaries: Mapping[str, Summary]) -> None:
        self.base_url = site.config.base_url
        self.words = interface(site.config.language)
        self.articles_attributes = articles_attributes(site.config)
        self.summaries = summaries
        self.kept: OrderedDict[str, ArticleView] = OrderedDict()
        self.kept_full: OrderedDict[str, FullArticleView] = OrderedDict()
        self.topics = {
            slug: TopicLink(slug=slug, name=topic.name, path=urls.topic_path(slug))
            for slug, topic in site.topics.items()
        }
        self.sources = {name: self.source_link(source) for name, source in site.sources.items()}
        self.book = AuthorBook(site.authors.values(), site.sources)

    def source_link(self, source: Source) -> SourceLink:
        path = urls.source_path(source.slug)
        return SourceLink(
            name=source.name,
            path=path,
            homepage=source.homepage,
            abs_url=urls.absolute(self.base_url, path),
            feed_url=urls.absolute(self.base_url, urls.feed_path(path, "rss")),
        )

    def __call__(self, article: Article) -> ArticleView:
        """The article's view; the same for every page, so made once while it is in use."""
        return kept(self.kept, article.digest, self.MEMORY, lambda: self.make(article))

    def make(self, article: Article) -> ArticleView:
        summary = self.summaries[article.summary_key]
        return ArticleView(
            title=article.title,
            path=urls.article_path(article),
            url=urls.valid_href(article.url),
            date=date_view(article, self.words),
            authors=[AuthorLink(name=name, path=self.book.path(name)) for name in article.authors],
            source=self.sources[article.source],
            topics=[self.topics[slug] for slug in article.topics],
            summary=Markup(summary.html),  # already sanitized in markup.py
            description=shorten(summary.text, 160),
        )

    def full(self, article: Article) -> FullArticleView:
        """The article as feeds carry it (in eight or more of them): made once while in use."""
        return kept(self.kept_full, article.digest, self.MEMORY, lambda: self.make_full(article))

    def make_full(self, article: Article) -> FullArticleView:
        view = self(article)
        abs_url = urls.absolute(self.base_url, view["path"])
        summary = self.summaries[article.summary_key]
        return FullArticleView(
            **view,
            abs_url=abs_url,
            id=article.id,
            updated=None if article.updated is None else dates.rfc3339(article.updated),
            rfc822=dates.rfc822(article.date),
            summary_abs=Markup(absolutize(summary.html, abs_url)),
            excerpt=summary.text,
        )

    def json_ld_author(self, author: AuthorLink) -> dict[str, str]:
        if not author["path"]:
            return {"@type": "Organization", "name": author["name"]}
        url = urls.absolute(self.base_url, author["path"])
        return {"@type": "Person", "name": author["name"], "url": url}

    def section_heading(self, topic: str | None) -> SectionHeading:
        if topic is None:
            # Translators: the heading of an edition's articles that have no topic
            return SectionHeading(heading=self.words.gettext("Other news"), path="")
        link = self.topics[topic]
        return SectionHeading(heading=link["name"], path=link["path"])

    def sections(self, edition: Edition) -> list[EditionSection]:
        """An edition's articles under their topics, for its page."""
        return [
            EditionSection(
                **self.section_heading(section.topic),
                articles=[self(article) for article in section.articles],
            )
            for section in edition.sections
        ]

    def email_sections(self, edition: Edition) -> list[EmailSection]:
        """An edition's articles under their topics, every link absolute."""
        return [
            EmailSection(
                **self.section_heading(section.topic),
                articles=[self.full(article) for article in section.articles],
            )
            for section in edition.sections
        ]

    def edition_entry(self, edition: Edition) -> EditionEntry:
        """One feed item for an edition: its page, and its articles in full."""
        sections = self.email_sections(edition)
        return EditionEntry(
            id=edition.id,
            title=edition_title(edition, self.words),
            abs_url=urls.absolute(self.base_url, urls.edition_path(edition.label)),
            date=dates.rfc3339(edition.date),
            rfc822=dates.rfc822(edition.date),
            updated=None if edition.updated is None else dates.rfc3339(edition.updated),
            html=edition_html(sections, self.articles_attributes),
            text=" · ".join(a["title"] for section in sections for a in section["articles"]),
            topics=[self.topics[s.topic] for s in edition.sections if s.topic is not None],
        )

    def json_ld(self, article: Article, view: ArticleView) -> Markup:
        """schema.org NewsArticle data, safe inside a <script> element."""
        source = view["source"]
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": view["date"]["iso"],
            "author": [self.json_ld_author(author) for author in view["authors"]],
            "publisher": {"@type": "Organization", "name": source["name"]}
            | ({"url": source["homepage"]} if source["homepage"] else {}),
            **({"isBasedOn": view["url"]} if view["url"] else {}),
            "url": urls.absolute(self.base_url, view["path"]),
            "description": view["description"],
        }
        if article.updated:
            data["dateModified"] = dates.rfc3339(article.updated)
        text = json.dumps(data, ensure_ascii=False)
        # "</script>" or "<!--" in a headline must not end the element early.
        escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(escaped)


def edition_title(edition: Edition, words: Interface) -> str:
    # Translators: a weekly edition's title, as in "Edition 2021-W31: 2–8 August 2021"
    return words.gettext(
        "Edition %(label)s: %(dates)s",
        label=edition.label,
        dates=words.span(edition.first, edition.last),
    )


def edition_link(edition: Edition, words: Interface) -> EditionLink:
    return EditionLink(
        label=edition.label,
        dates=words.span(edition.first, edition.last),
        path=urls.edition_path(edition.label),
        count=edition.count,
    )


def edition_html(sections: list[EmailSection], lang: Markup) -> Markup:
    """Each topic's heading, then its articles: linked title, outlet, summary (with ``lang``,
    their own ``lang`` and ``dir`` when the articles are written in another language than the
    interface)."""
    parts = []
    for section in sections:
        parts.append(Markup("<h2>{}</h2>").format(section["heading"]))
        for article in section["articles"]:
            parts.append(
                Markup('<h3{}><a href="{}">{}</a></h3>\n<p>{} · {}</p>\n{}').format(
                    lang,
                    article["abs_url"],
                    article["title"],
                    article["date"]["label"],
                    article["source"]["name"],
                    Markup("<div{}>{}</div>").format(lang, article["summary_abs"])
                    if lang
                    else article["summary_abs"],
                )
            )
    return Markup("\n").join(parts)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut, after = text[: limit - 1], text[limit - 1]
    if not (cut[-1].isspace() or after.isspace() or after in ",.;:!?"):
        cut = cut.rsplit(None, 1)[0]  # the cut falls inside a word: leave the word out
    return cut.rstrip(" \t\n,.;:") + "…"


def date_view(article: Article, words: Interface) -> DateView:
    moment = article.date
    return DateView(
        iso=dates.rfc3339(moment),
        day=moment.date().isoformat(),
        label=words.day(moment.date()),
    )
