"""Sort, group and paginate the site into pages and feeds: what each output file shows.

Pages hold articles, not their serialised views: each page takes only its own slice, so the
work grows with the number of list entries, never with pages × articles.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from . import urls
from .authors import AuthorBook, AuthorPage, author_pages
from .errors import Problem
from .feeds import FORMAT_NAMES, MEDIA_TYPES, Feed
from .i18n import Interface, interface
from .model import Article, Site, pickled_as_tuple
from .views import (
    EditionLink,
    EditionYear,
    FeedLink,
    FeedListing,
    ListKind,
    MonthEntry,
    Pager,
    TermView,
    YearLink,
    YearView,
    author_term,
    edition_link,
    edition_title,
    source_term,
    topic_term,
)
from .weeks import Edition, weekly_editions


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class ListData:
    """A page of a list of articles: the home page, a topic, an outlet, an author, a month."""

    kind: ListKind
    heading: str
    articles: tuple[Article, ...]
    pager: Pager
    term: TermView | None = None
    year: YearLink | None = None


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class ArticleData:
    article: Article
    related: tuple[Article, ...]


@dataclass(frozen=True)
class TermsData:
    heading: str
    terms: tuple[TermView, ...]


@dataclass(frozen=True)
class ArchiveData:
    years: tuple[YearView, ...]


@dataclass(frozen=True)
class YearData:
    year: YearView


@dataclass(frozen=True)
class FeedsData:
    feeds: tuple[FeedListing, ...]


@dataclass(frozen=True)
class EditionData:
    """A week's edition: its articles by topic, and the editions before and after it."""

    edition: Edition
    newer: EditionLink | None
    older: EditionLink | None
    latest: bool = False  # the copy at editions/latest/


@dataclass(frozen=True)
class EditionsData:
    years: tuple[EditionYear, ...]
    latest: bool  # whether there is an edition, and so editions/latest/
    feeds: tuple[FeedListing, ...]  # the editions feeds


@dataclass(frozen=True)
class NoData:
    """Pages that show nothing but the site's own frame (search, 404)."""


PageData = (
    ListData
    | ArticleData
    | TermsData
    | ArchiveData
    | YearData
    | FeedsData
    | EditionData
    | EditionsData
    | NoData
)


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page: the file it is written to, which template draws it, and its data.
    Its path is the file's: a page holds one string for both (17 MB at 100,000 articles)."""

    file: str  # see urls.output_file
    template: str
    title: str  # a list's heading on each of its pages (see shown_title)
    data: PageData
    feeds: tuple[FeedLink, ...] = ()  # its own, for autodiscovery (after the site's)
    lastmod: datetime | None = None  # for the sitemap (the article's own date: no copy)
    in_sitemap: bool = True
    anywhere: bool = False  # served at any address (404): links must be absolute
    canonical: str | None = None  # the path of the page this one copies (editions/latest/)

    def __post_init__(self) -> None:
        if self.file == "" or self.file.endswith("/"):
            raise ValueError(f"a page is written to a file, not to {self.file!r}")

    @property
    def path(self) -> str:
        """Where the page is, below the site's root ("" for the home page)."""
        return urls.page_path(self.file)


@dataclass(frozen=True)
class Plan:
    pages: list[Page]
    feeds: list[Feed]


Members = dict[str, list[Article]]


def plan_site(
    site: Site, *, search: bool, now: datetime | None = None, last: LastRelated | None = None
) -> Plan:
    """Every page and feed of the site, in a stable order, in the site's language.

    ``now`` decides which weeks are complete, and so which editions there are. ``last`` is
    what the last plan (of this process) found related: what cannot have changed is kept.
    """
    words = interface(site.config.language)
    topics = members_by(site.articles, lambda a: a.topics)
    sources = members_by(site.articles, lambda a: [a.source])
    topic_terms = [topic_term(t, len(topics[t.slug])) for t in site.topics.values()]
    source_terms = [source_term(s, len(sources[s.name])) for s in site.sources.values()]
    size = site.config.page_size
    editions = weekly_editions(site.articles, site.config, list(site.topics), now)
    authors = author_pages(site.articles, AuthorBook(site.authors.values(), site.sources))
    feeds = plan_feeds(site, topics, sources, authors, editions, words)
    topic_lists = [topics[t] for t in site.topics]
    source_lists = [sources[s] for s in site.sources]
    pages = [
        *list_pages(
            urls.HOME, "home", words.gettext("Latest articles"), site.articles, words, size=size
        ),
        *article_pages(site.articles, topics, last),
        *term_pages("topic", urls.TOPICS, words, topic_terms, topic_lists, size),
        *term_pages("source", urls.SOURCES, words, source_terms, source_lists, size),
        *authors_pages(authors, words, size),
        *archive_pages(site.articles, words, size),
        *edition_pages(editions, feed_list(feeds), words),
        Page(
            urls.output_file(urls.FEEDS),
            "feeds.html",
            words.gettext("Feeds"),
            FeedsData(feed_list(feeds)),
        ),
        *frame_pages(words, search=search),
    ]
    return Plan(pages, feeds)


def frame_pages(words: Interface, *, search: bool) -> Iterator[Page]:
    """The pages that show nothing but the site's own frame: search, if the site has it, and
    404, which is served at any address."""
    if search:
        yield Page(urls.output_file(urls.SEARCH), "search.html", words.gettext("Search"), NoData(),
                   in_sitemap=False)  # fmt: skip
    yield Page(urls.output_file(urls.NOT_FOUND), "404.html", words.gettext("Page not found"),
               NoData(), in_sitemap=False, anywhere=True)  # fmt: skip


def site_feed_links(title: str) -> tuple[FeedLink, ...]:
    """The site's feeds, which every page announces before its own."""
    return feed_links(urls.HOME, title, ("rss", "atom", "json"))


def list_pages(
    path: str,
    kind: ListKind,
    heading: str,
    articles: Sequence[Article],
    words: Interface,
    *,
    size: int,
    feeds: tuple[FeedLink, ...] = (),
    term: TermView | None = None,
    year: YearLink | None = None,
) -> Iterator[Page]:
    """A paginated list of articles, newest first."""
    total = max(1, -(-len(articles) // size))
    # Each page's file, made once: the pages before and after it hold the same string (two
    # copies a list page, 9 MB at 100,000 articles).
    files = [urls.output_file(urls.numbered_page(path, n)) for n in range(1, total + 1)]
    for number, file in enumerate(files, start=1):
        before = files[number - 2] if number > 1 else None
        after = files[number] if number < total else None
        pager = Pager(number, total, prev_file=before, next_file=after)
        chunk = tuple(articles[(number - 1) * size : number * size])
        data = ListData(kind, heading, chunk, pager, term, year)
        # Page 2 and on are titled when drawn (see shown_title): 7 MB at 100,000 articles.
        yield Page(file, "list.html", heading, data, feeds)


def shown_title(page: Page, words: Interface) -> str:
    """The title a page shows: page 2 and on of a list say which of how many they are."""
    match page.data:
        case ListData(heading=heading, pager=Pager(number=number, total=total)) if number > 1:
            return page_title(heading, number, total, words)
        case _:
            return page.title


def page_title(heading: str, number: int, total: int, words: Interface) -> str:
    """The title of page 2 (and on) of a list."""
    shown = {"number": words.number(number), "total": words.number(total)}
    # Translators: the title of page 2 (and on) of a list, as in browser tabs
    return words.gettext("%(heading)s (page %(number)s of %(total)s)", heading=heading, **shown)


def article_pages(
    articles: Sequence[Article], topics: Members, last: LastRelated | None = None
) -> Iterator[Page]:
    find = RelatedFinder(articles, topics, last=last)
    for index, article in enumerate(articles):
        data = ArticleData(article, find(index))
        lastmod = article.updated or article.date
        yield Page(
            urls.output_file(urls.article_path(article)),
            "article.html",
            article.title,
            data,
            lastmod=lastmod,
        )


RELATED = 3  # related articles per article page
RELATED_WINDOW = 12  # neighbours considered on either side in each of its topics' lists
# Beyond this share of articles changed, finding which were near costs more than ranking all.
RELATED_KEPT_UNTIL = 0.05


@dataclass(frozen=True)
class LastRelated:
    """What a plan found related to each article (by path), with the articles it ranked, in
    their order (newest first), and the bounds it ranked them with."""

    articles: Sequence[Article]
    related: dict[str, tuple[Article, ...]]
    limit: int = RELATED
    window: int = RELATED_WINDOW

    @classmethod
    def of(cls, articles: Sequence[Article], pages: Iterable[Page]) -> LastRelated:
        """What a plan of ``articles``, made by :func:`plan_site`, found."""
        found = {
            p.data.article.path: p.data.related for p in pages if isinstance(p.data, ArticleData)
        }
        return cls(articles, found)


class RelatedFinder:
    """Articles to read next: most shared topics first, then nearest in time.

    Only a window of neighbours in each topic's date-ordered list is considered, so the cost per
    article stays fixed however large a topic grows. Given what the ``last`` plan found, an
    article none of whose windows changed keeps what was found for it (``kept``).
    """

    def __init__(
        self,
        articles: Sequence[Article],
        topics: Members,
        limit: int = RELATED,
        window: int = RELATED_WINDOW,
        *,
        last: LastRelated | None = None,
        kept_until: float = RELATED_KEPT_UNTIL,
    ) -> None:
        self.articles = articles
        self.topics = topics
        self.limit = limit
        self.window = window
        self.by_path = {article.path: article for article in articles}
        self.positions: dict[str, dict[str, int]] = {}  # per topic, made when first needed
        self.kept = {} if last is None else self.unchanged(last, kept_until)
        facts = RankedFacts(self.by_path, sorted(topics))
        # When most articles are ranked, a plain dict: it is faster to look up in.
        self.facts = facts if self.kept else facts.every()

    def unchanged(self, last: LastRelated, until: float) -> dict[str, tuple[Article, ...]]:
        """What ``last`` found for each article that no change came near: none of the
        articles within its reach (``window`` places either side in its topics' lists, then
        and now, and ``limit`` places in the site's) changed, came or went. Those that
        stayed kept their order: an article's shape holds all that order and ranking read.
        Nothing is kept when more than the share ``until`` of the articles changed."""
        if (last.limit, last.window) != (self.limit, self.window):
            return {}
        shapes = {article.path: article.shape for article in last.articles}
        changed = {a.path for a in self.articles if shapes.get(a.path) != a.shape}
        changed |= shapes.keys() - self.by_path.keys()  # gone
        if len(changed) > until * len(self.articles):
            return {}
        dirty = set(changed)
        if changed:
            before = members_by(last.articles, lambda a: a.topics)
            for members in [*before.values(), *self.topics.values()]:
                dirty |= near(members, changed, self.window)
            dirty |= near(last.articles, changed, self.limit)
            dirty |= near(self.articles, changed, self.limit)
        return {
            path: tuple(self.by_path[other.path] for other in related)
            for path, related in last.related.items()
            if path not in dirty
        }

    def __call__(self, index: int) -> tuple[Article, ...]:
        article = self.articles[index]
        kept = self.kept.get(article.path)
        if kept is not None:
            return kept
        candidates: dict[str, Article] = {}
        for slug in sorted(set(article.topics)):
            members = self.topics[slug]
            at = (self.positions.get(slug) or self.positions_in(slug))[article.path]
            for other in around(members, at, self.window):
                candidates[other.path] = other
        if len(candidates) <= self.limit:  # too few share a topic: fill in with neighbours in time
            for other in around(self.articles, index, self.limit):
                candidates.setdefault(other.path, other)
        candidates.pop(article.path, None)
        facts = self.facts
        mask, moment, _ = facts[article.path]
        # (rank, article): addresses differ, so no two ranks are equal and articles are never
        # compared; built in one comprehension, as there are some 40 candidates per article.
        ranked = [
            (-(bits & mask).bit_count(), abs(when - moment), address, other)
            for path, other in candidates.items()
            for bits, when, address in (facts[path],)
        ]
        return tuple([found[-1] for found in heapq.nsmallest(self.limit, ranked)])

    def positions_in(self, slug: str) -> dict[str, int]:
        members = self.topics[slug]
        found = self.positions[slug] = {article.path: i for i, article in enumerate(members)}
        return found


Facts = tuple[int, float, str]


class RankedFacts(dict[str, Facts]):
    """What ranking compares of each article (by path), worked out once per article rather
    than once per comparison, and only for the articles ranked: topics as bits (shared
    topics: the bits in common), the moment, the address."""

    def __init__(self, articles: Mapping[str, Article], topics: Iterable[str]) -> None:
        super().__init__()
        self.articles = articles
        self.bits = {slug: 1 << number for number, slug in enumerate(topics)}

    def __missing__(self, path: str) -> Facts:
        found = self[path] = self.of(self.articles[path])
        return found

    def of(self, article: Article) -> Facts:
        topics = sum(self.bits[slug] for slug in set(article.topics))
        return topics, article.date.timestamp(), urls.article_path(article)

    def every(self) -> dict[str, Facts]:
        return {path: self.of(article) for path, article in self.articles.items()}


def around(articles: Sequence[Article], at: int, reach: int) -> Sequence[Article]:
    """The articles within ``reach`` places of the one ``at`` that place (itself included):
    whom ranking considers, and so whom a change reaches."""
    return articles[max(0, at - reach) : at + reach + 1]


def near(articles: Sequence[Article], changed: set[str], reach: int) -> set[str]:
    """The paths within ``reach`` places of a changed article in ``articles`` (a pass over
    them all: some 20,000 places at 10,000 articles, a few milliseconds)."""
    found: set[str] = set()
    for index, article in enumerate(articles):
        if article.path in changed:
            found.update(a.path for a in around(articles, index, reach))
    return found


def term_pages(  # noqa: PLR0917 - one list of each
    kind: ListKind,
    index: str,
    words: Interface,
    terms: list[TermView],
    members: list[list[Article]],
    size: int,
) -> Iterator[Page]:
    """The index of all topics (or outlets) with counts, then each one's list of articles."""
    heading = words.gettext("Topics") if kind == "topic" else words.gettext("Sources")
    yield Page(urls.output_file(index), "terms.html", heading, TermsData(heading, tuple(terms)))
    for term, articles in zip(terms, members, strict=True):
        feeds = feed_links(term["path"], term["name"])
        yield from list_pages(
            term["path"], kind, term["name"], articles, words, size=size, feeds=feeds, term=term
        )


def authors_pages(authors: Sequence[AuthorPage], words: Interface, size: int) -> Iterator[Page]:
    """The index of all authors with counts, then each one's articles; an author with one
    article has no feed."""
    terms = [author_term(author.name, author.description, author.slug, len(author.articles))
             for author in authors]  # fmt: skip
    heading = words.gettext("Authors")
    yield Page(
        urls.output_file(urls.AUTHORS), "terms.html", heading, TermsData(heading, tuple(terms))
    )
    for author, term in zip(authors, terms, strict=True):
        feeds = feed_links(term["path"], term["name"]) if has_feed(author) else ()
        yield from list_pages(
            term["path"], "author", term["name"], author.articles, words,
            size=size, feeds=feeds, term=term,
        )  # fmt: skip


def has_feed(author: AuthorPage) -> bool:
    return len(author.articles) > 1


def members_by(articles: Sequence[Article], keys: Callable[[Article], Iterable[str]]) -> Members:
    """Articles under each key, keeping their newest-first order."""
    groups: Members = defaultdict(list)
    for article in articles:
        for key in keys(article):
            groups[key].append(article)
    return groups


def archive_pages(articles: Sequence[Article], words: Interface, size: int) -> Iterator[Page]:
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        months[article.date.year, article.date.month].append(article)
    years: dict[int, YearView] = {}
    for (year, month), members in sorted(months.items(), reverse=True):
        view = years.setdefault(
            year, YearView(year=year, path=urls.year_path(year), count=0, months=[])
        )
        view["months"].append(
            MonthEntry(
                label=words.month(year, month),
                path=urls.month_path(year, month),
                count=len(members),
            )
        )
    for view in years.values():
        view["count"] = sum(month["count"] for month in view["months"])
    archive = ArchiveData(tuple(years.values()))
    yield Page(urls.output_file(urls.ARCHIVE), "archive.html", words.gettext("Archive"), archive)
    for view in years.values():
        yield Page(urls.output_file(view["path"]), "year.html", str(view["year"]), YearData(view))
    for (year, month), members in sorted(months.items(), reverse=True):
        link = YearLink(label=str(year), path=urls.year_path(year))
        label = words.month(year, month)
        yield from list_pages(
            urls.month_path(year, month), "month", label, members, words, size=size, year=link
        )


def edition_pages(
    editions: Sequence[Edition], all_feeds: Sequence[FeedListing], words: Interface
) -> Iterator[Page]:
    """The editions index, each edition's page, and the newest again at editions/latest/."""
    links = [edition_link(edition, words) for edition in editions]  # newest first
    feeds = feed_links(urls.EDITIONS, words.gettext("Weekly editions"))
    own = {feed["path"] for feed in feeds}
    years: dict[str, list[EditionLink]] = defaultdict(list)
    for link in links:
        years[link["label"][:4]].append(link)
    index = EditionsData(
        tuple(EditionYear(year=year, editions=found) for year, found in years.items()),
        latest=bool(editions),
        feeds=tuple(feed for feed in all_feeds if feed["path"] in own),
    )
    yield Page(
        urls.output_file(urls.EDITIONS), "editions.html", words.gettext("Editions"), index, feeds
    )
    for number, edition in enumerate(editions):
        newer = links[number - 1] if number > 0 else None
        older = links[number + 1] if number + 1 < len(links) else None
        data = EditionData(edition, newer, older)
        path = urls.edition_path(edition.label)
        yield Page(
            urls.output_file(path), "edition.html", edition_title(edition, words), data, feeds
        )
        if number == 0:
            yield Page(
                urls.output_file(urls.LATEST_EDITION),
                "edition.html",
                edition_title(edition, words),
                replace(data, latest=True),
                feeds,
                in_sitemap=False,
                canonical=path,
            )


# Feeds -------------------------------------------------------------------------------------


def plan_feeds(  # noqa: PLR0917 - one list of each
    site: Site,
    topics: Members,
    sources: Members,
    authors: Sequence[AuthorPage],
    editions: Sequence[Edition],
    words: Interface,
) -> list[Feed]:
    """The site's RSS, Atom and JSON feeds; RSS and Atom for each topic, outlet, author with
    more than one article, and of the editions (one item a week)."""
    config = site.config
    groups: list[
        tuple[str, str, str, Sequence[Article] | Sequence[Edition], tuple[urls.Format, ...]]
    ] = [(urls.HOME, config.title, config.description, site.articles, ("rss", "atom", "json"))]
    for topic in site.topics.values():
        groups.append(
            (
                urls.topic_path(topic.slug),
                f"{config.title}: {topic.name}",
                topic.description,
                topics[topic.slug],
                ("rss", "atom"),
            )
        )
    for source in site.sources.values():
        groups.append(
            (
                urls.source_path(source.slug),
                # Translators: the title of an outlet's feed, in feed readers
                words.gettext(
                    "%(site)s: articles from %(source)s", site=config.title, source=source.name
                ),
                source.description,
                sources[source.name],
                ("rss", "atom"),
            )
        )
    for author in filter(has_feed, authors):
        groups.append(
            (
                urls.author_path(author.slug),
                # Translators: the title of an author's feed, in feed readers
                words.gettext(
                    "%(site)s: articles by %(author)s", site=config.title, author=author.name
                ),
                author.description,
                author.articles,
                ("rss", "atom"),
            )
        )
    groups.append(
        (
            urls.EDITIONS,
            # Translators: the title of the weekly editions' feed, in feed readers
            words.gettext("%(site)s: weekly editions", site=config.title),
            words.gettext("Each complete week's articles, grouped by topic: one item a week."),
            editions,
            ("rss", "atom"),
        )
    )
    newest = site.articles[0].date if site.articles else None
    return [
        Feed(
            path=urls.feed_path(path, kind),
            format=kind,
            title=title,
            description=description,
            home=urls.absolute(config.base_url, path),
            url=urls.absolute(config.base_url, urls.feed_path(path, kind)),
            items=tuple(articles[: config.feed_items]),
            site_title=config.title,
            # What the items are written in: the articles' language, or for the editions (whose
            # titles and headings the interface writes) the interface's.
            language=config.language if path == urls.EDITIONS else config.articles_language,
            # Only a feed without items is dated by it: in any other, it would change the
            # fingerprint of every feed whenever an article is added, and draw them all again.
            newest=None if articles else newest,
            full_content=config.feed_content == "full",
        )
        for path, title, description, articles, kinds in groups
        for kind in kinds
    ]


def feed_links(
    path: str, title: str, kinds: Iterable[urls.Format] = ("rss", "atom")
) -> tuple[FeedLink, ...]:
    """``<link rel="alternate">`` data for a page's feeds."""
    return tuple(
        FeedLink(
            title=f"{title} ({FORMAT_NAMES[kind]})",
            type=MEDIA_TYPES[kind],
            path=urls.feed_path(path, kind),
        )
        for kind in kinds
    )


def feed_list(feeds: Sequence[Feed]) -> tuple[FeedListing, ...]:
    """The /feeds/ page: every feed with a line saying what it carries."""
    return tuple(
        FeedListing(
            title=feed.title,
            format=FORMAT_NAMES[feed.format],
            path=feed.path,
            description=feed.description,
        )
        for feed in feeds
    )


STATIC_HINT = "rename or move the file in the templates' static files"
SLUG_HINT = "give one of the topics, outlets or articles behind it a different slug"


def find_collisions(
    paths: Iterable[str], output: str, static: Collection[str] = (), *, search: bool = False
) -> list[Problem]:
    """Two outputs that would be written to the same file, a file where the site has a folder
    (a static file `topics`), and any file in the search index's folder (a static file there
    would replace a file of the index, or be taken for one), all reported at once.
    ``static`` are the templates' static files, whose problems say so."""
    files = [urls.output_file(path) for path in paths]
    ordered = sorted(files)  # rather than a set: 166,000 files at 100,000 articles, 8 MB
    seen = dict.fromkeys((a for a, b in itertools.pairwise(ordered) if a == b), False)
    problems = []
    for target in files:
        if urls.in_search_index(target) or (search and target == urls.SEARCH_INDEX):
            problems.append(
                Problem(
                    f"{output}/{target}",
                    None,
                    f"the search index is written in {urls.SEARCH_INDEX}/: nothing else can be",
                    f"move the file out of {urls.SEARCH_INDEX}/ in the templates' static files",
                )
            )
        if seen.get(target):
            problems.append(
                Problem(
                    f"{output}/{target}",
                    None,
                    "two outputs would be written to this file",
                    STATIC_HINT if target in static else SLUG_HINT,
                )
            )
        if target in seen:
            seen[target] = True
    return problems + files_in_place_of_folders(ordered, output, static)


def files_in_place_of_folders(
    ordered: Sequence[str], output: str, static: Collection[str]
) -> list[Problem]:
    """Each file (of ``ordered``, sorted) whose name is a folder other files are written in,
    once."""
    clashes = set()
    for file in ordered:
        inside = f"{file}/"
        at = bisect.bisect_left(ordered, inside)
        if at < len(ordered) and ordered[at].startswith(inside):
            clashes.add(file)
    return [
        Problem(
            f"{output}/{clash}",
            None,
            f"files are written in the folder {clash}/, so {clash} cannot be a file",
            STATIC_HINT if clash in static else SLUG_HINT,
        )
        for clash in sorted(clashes)
    ]
