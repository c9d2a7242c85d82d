"""What each output shows: pages of lists, the archive, terms, editions and planned feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peru_digest import urls
from peru_digest.content import newest_first
from peru_digest.group import (
    ArchiveData,
    ArticleData,
    EditionData,
    LastRelated,
    ListData,
    NoData,
    Page,
    Plan,
    RelatedFinder,
    TermsData,
    YearData,
    find_collisions,
    list_pages,
    members_by,
    page_title,
    plan_site,
    shown_title,
    site_feed_links,
)
from peru_digest.i18n import interface
from peru_digest.model import Article, Site, Source, Topic
from peru_digest.views import Pager

from .conftest import LIMA, site_config

ENGLISH = interface("en")
CONFIG = site_config()
TOPICS = {
    "election": Topic("election", "Election", "Votes."),
    "economy": Topic("economy", "Economy", ""),
    "quiet": Topic("quiet", "Quiet", ""),
}
SOURCES = {
    "Daily Andes": Source("daily-andes", "Daily Andes", "https://andes.test/", ""),
    "Lima Weekly": Source("lima-weekly", "Lima Weekly", "", ""),
}


def article(
    slug: str,
    when: str,
    *topics: str,
    source: str = "Daily Andes",
    authors: tuple[str, ...] = (),
) -> Article:
    return Article(
        path=f"articles/{slug}.md",
        title=slug.replace("-", " ").title(),
        date=datetime.fromisoformat(when).replace(tzinfo=LIMA),
        source=source,
        authors=authors,
        url=f"https://andes.test/{slug}",
        topics=topics,
        slug=slug,
        written_id=f"urn:test:{slug}",
        summary_key=slug,
    )


def site(*articles: Article) -> Site:
    """A site of ``articles``, which must be given newest first."""
    return Site(
        CONFIG,
        MappingProxyType(TOPICS),
        MappingProxyType(SOURCES),
        tuple(articles),
    )


def page(plan: Plan, path: str) -> Page:
    return next(page for page in plan.pages if page.path == path)


def slugs(articles: tuple[Article, ...] | list[Article]) -> list[str]:
    return [a.slug for a in articles]


# Pagination --------------------------------------------------------------------------------

TWENTY_ONE = [article(f"a-{n:02d}", f"2021-06-{30 - n:02d}") for n in range(21)]


def test_a_list_of_21_articles_with_page_size_10_has_three_pages_newest_first() -> None:
    pages = list(list_pages("", "home", "Latest articles", TWENTY_ONE, ENGLISH, size=10))

    assert [p.path for p in pages] == ["", "page/2/", "page/3/"]
    data = [p.data for p in pages]
    assert all(isinstance(d, ListData) for d in data)
    lists = [d for d in data if isinstance(d, ListData)]
    assert [len(d.articles) for d in lists] == [10, 10, 1]
    assert lists[0].articles[0].slug == "a-00"
    assert lists[1].articles[0].slug == "a-10"
    assert slugs(lists[2].articles) == ["a-20"]


def test_page_one_is_titled_by_the_heading_and_later_pages_say_which_of_how_many() -> None:
    pages = list(list_pages("", "home", "Latest articles", TWENTY_ONE, ENGLISH, size=10))

    assert [shown_title(p, ENGLISH) for p in pages] == [
        "Latest articles",
        "Latest articles (page 2 of 3)",
        "Latest articles (page 3 of 3)",
    ]
    assert all(isinstance(p.data, ListData) and p.data.heading == "Latest articles" for p in pages)


def test_each_page_links_to_the_page_before_and_after_it() -> None:
    pages = list(list_pages("topics/x/", "topic", "X", TWENTY_ONE, ENGLISH, size=10))
    pagers = [p.data.pager for p in pages if isinstance(p.data, ListData)]

    assert pagers == [
        Pager(1, 3, prev_file=None, next_file="topics/x/page/2/index.html"),
        Pager(2, 3, prev_file="topics/x/index.html", next_file="topics/x/page/3/index.html"),
        Pager(3, 3, prev_file="topics/x/page/2/index.html", next_file=None),
    ]
    assert [(pager.prev, pager.next) for pager in pagers] == [
        (None, "topics/x/page/2/"),
        ("topics/x/", "topics/x/page/3/"),
        ("topics/x/page/2/", None),
    ]
    assert [p.file for p in pages] == [
        "topics/x/index.html",
        "topics/x/page/2/index.html",
        "topics/x/page/3/index.html",
    ]
    assert pagers[0].next_file is pages[1].file  # one string for both: 65,000 list pages


def test_a_list_that_fills_its_last_page_exactly_has_no_empty_page_after_it() -> None:
    pages = list(list_pages("", "home", "Latest", TWENTY_ONE[:20], ENGLISH, size=10))
    assert [p.path for p in pages] == ["", "page/2/"]


def test_a_page_is_planned_at_a_file_not_a_folder() -> None:
    with pytest.raises(ValueError, match="a page is written to a file, not to 'topics/'"):
        Page("topics/", "terms.html", "Topics", NoData())
    assert Page("topics/index.html", "terms.html", "Topics", NoData()).path == "topics/"


def test_an_empty_list_still_has_one_page_without_neighbours() -> None:
    (only,) = list_pages("topics/quiet/", "topic", "Quiet", [], ENGLISH, size=10)

    assert only.path == "topics/quiet/"
    assert isinstance(only.data, ListData)
    assert only.data.articles == ()
    assert only.data.pager == Pager(1, 1, prev_file=None, next_file=None)


def test_page_titles_follow_the_interface_language_and_its_digit_grouping() -> None:
    spanish = interface("es")
    assert page_title("Elección", 2, 1234, spanish) == "Elección (página 2 de 1.234)"
    assert page_title("Election", 2, 1234, ENGLISH) == "Election (page 2 of 1,234)"


# Members and terms -------------------------------------------------------------------------


def test_members_of_a_key_keep_the_newest_first_order_of_the_site() -> None:
    articles = [
        article("c", "2021-06-03", "election"),
        article("b", "2021-06-02", "economy", "election"),
        article("a", "2021-06-01", "election"),
    ]
    members = members_by(articles, lambda a: a.topics)

    assert {key: slugs(found) for key, found in members.items()} == {
        "election": ["c", "b", "a"],
        "economy": ["b"],
    }


def test_topic_and_outlet_indexes_list_every_declared_one_in_file_order_with_counts() -> None:
    plan = plan_site(
        site(
            article("c", "2021-06-03", "economy", source="Lima Weekly"),
            article("b", "2021-06-02", "economy", "election"),
            article("a", "2021-06-01", "election"),
        ),
        search=False,
    )
    topics, sources = page(plan, "topics/").data, page(plan, "sources/").data

    assert isinstance(topics, TermsData)
    assert [(t["name"], t["path"], t["count"]) for t in topics.terms] == [
        ("Election", "topics/election/", 2),
        ("Economy", "topics/economy/", 2),
        ("Quiet", "topics/quiet/", 0),
    ]
    assert isinstance(sources, TermsData)
    assert [(t["name"], t["homepage"], t["count"]) for t in sources.terms] == [
        ("Daily Andes", "https://andes.test/", 2),
        ("Lima Weekly", "", 1),
    ]


def test_a_topic_page_lists_its_members_newest_first_and_an_outlet_page_its_own() -> None:
    plan = plan_site(
        site(
            article("c", "2021-06-03", "election", source="Lima Weekly"),
            article("b", "2021-06-02", "economy"),
            article("a", "2021-06-01", "election"),
        ),
        search=False,
    )
    election = page(plan, "topics/election/").data
    weekly = page(plan, "sources/lima-weekly/").data
    quiet = page(plan, "topics/quiet/").data

    assert isinstance(election, ListData)
    assert (election.kind, election.heading, slugs(election.articles)) == (
        "topic",
        "Election",
        ["c", "a"],
    )
    assert election.term is not None and election.term["count"] == 2
    assert isinstance(weekly, ListData)
    assert (weekly.kind, slugs(weekly.articles)) == ("source", ["c"])
    assert isinstance(quiet, ListData)
    assert quiet.articles == ()


# The archive -------------------------------------------------------------------------------

SPREAD = (
    article("june", "2021-06-06"),
    article("jan-2", "2021-01-20"),
    article("jan-1", "2021-01-02"),
    article("dec", "2020-12-31T23:00:00"),
)


def test_the_archive_groups_months_by_year_newest_first_with_their_counts() -> None:
    archive = page(plan_site(site(*SPREAD), search=False), "archive/").data

    assert isinstance(archive, ArchiveData)
    assert list(archive.years) == [
        {
            "year": 2021,
            "path": "2021/",
            "count": 3,
            "months": [
                {"label": "June 2021", "path": "2021/06/", "count": 1},
                {"label": "January 2021", "path": "2021/01/", "count": 2},
            ],
        },
        {
            "year": 2020,
            "path": "2020/",
            "count": 1,
            "months": [{"label": "December 2020", "path": "2020/12/", "count": 1}],
        },
    ]


def test_each_year_and_month_has_a_page_and_a_month_links_back_to_its_year() -> None:
    plan = plan_site(site(*SPREAD), search=False)
    year = page(plan, "2020/")
    january = page(plan, "2021/01/")

    assert year.template == "year.html"
    assert isinstance(year.data, YearData) and year.data.year["count"] == 1
    assert january.title == "January 2021"
    assert isinstance(january.data, ListData)
    assert january.data.kind == "month"
    assert slugs(january.data.articles) == ["jan-2", "jan-1"]
    assert january.data.year == {"label": "2021", "path": "2021/"}


def test_month_names_in_the_archive_follow_the_interface_language() -> None:
    spanish = replace(site(*SPREAD), config=replace(CONFIG, language="es"))
    plan = plan_site(spanish, search=False)

    assert page(plan, "archive/").title == "Archivo"
    assert page(plan, "2021/01/").title == "Enero de 2021"
    assert page(plan, "").title == "Últimos artículos"


# Article pages -----------------------------------------------------------------------------


def test_each_article_has_a_page_at_its_path_titled_by_it_with_its_date_as_lastmod() -> None:
    plan = plan_site(site(article("runoff-day", "2021-06-06T22:30:00")), search=False)
    found = page(plan, "2021/06/runoff-day/")

    assert (found.template, found.title, found.lastmod) == (
        "article.html",
        "Runoff Day",
        datetime.fromisoformat("2021-06-06T22:30:00-05:00"),
    )


def test_related_articles_share_most_topics_first_then_are_nearest_in_time() -> None:
    articles = [
        article("near-none", "2021-06-10"),
        article("subject", "2021-06-09", "election", "economy"),
        article("near-one", "2021-06-08", "election"),
        article("far-both", "2021-01-01", "election", "economy"),
        article("far-one", "2020-01-01", "economy"),
    ]
    find = RelatedFinder(articles, members_by(articles, lambda a: a.topics), limit=3)

    assert slugs(find(1)) == ["far-both", "near-one", "far-one"]


def test_an_article_with_few_topic_neighbours_is_filled_in_with_its_neighbours_in_time() -> None:
    articles = [
        article("newer", "2021-06-10"),
        article("subject", "2021-06-09", "quiet"),
        article("older", "2021-06-08"),
        article("oldest", "2021-06-01"),
    ]
    find = RelatedFinder(articles, members_by(articles, lambda a: a.topics), limit=2)

    assert slugs(find(1)) == ["newer", "older"]  # a day apart each: by address


def found_by(finder: RelatedFinder) -> dict[str, list[str]]:
    return {a.slug: slugs(finder(i)) for i, a in enumerate(finder.articles)}


def last_found(articles: list[Article], limit: int, window: int) -> LastRelated:
    find = RelatedFinder(articles, members_by(articles, lambda a: a.topics), limit, window)
    found = {a.path: find(i) for i, a in enumerate(articles)}
    return LastRelated(articles, found, limit=limit, window=window)


def test_a_plan_keeps_what_it_found_related_where_no_article_near_changed() -> None:
    articles = [article(f"a-{n:02d}", f"2021-06-{30 - n:02d}", "election") for n in range(24)]
    last = last_found(articles, limit=2, window=2)
    edited = [*articles]
    edited[10] = replace(articles[10], slug="renamed")  # a new address: ranked anew
    topics = members_by(edited, lambda a: a.topics)

    find = RelatedFinder(edited, topics, limit=2, window=2, last=last, kept_until=1.0)

    assert found_by(find) == found_by(RelatedFinder(edited, topics, limit=2, window=2))
    ranked_anew = [a.slug for a in edited if a.path not in find.kept]
    assert ranked_anew == ["a-08", "a-09", "renamed", "a-11", "a-12"]  # 2 places either side


def test_a_plan_ranks_every_article_anew_when_many_changed_or_the_bounds_differ() -> None:
    articles = [article(f"a-{n:02d}", f"2021-06-{30 - n:02d}", "election") for n in range(20)]
    one_changed = [replace(articles[0], slug="renamed"), *articles[1:]]
    two_changed = [*one_changed[:-1], replace(articles[-1], slug="renamed-too")]

    def kept(edited: list[Article], last: LastRelated) -> int:
        topics = members_by(edited, lambda a: a.topics)
        return len(RelatedFinder(edited, topics, limit=2, window=2, last=last).kept)

    last = last_found(articles, limit=2, window=2)
    assert kept(one_changed, last) == 17  # 1 in 20 changed: its 2 neighbours are ranked anew
    assert kept(two_changed, last) == 0  # more than 1 in 20
    assert kept(one_changed, last_found(articles, limit=2, window=3)) == 0


RELATED_TOPICS = ("election", "economy", "quiet")
some_articles = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=12),  # the day: articles may share a moment
        st.lists(st.sampled_from(RELATED_TOPICS), max_size=3),
    ),
    max_size=24,
)
Edit = tuple[str, int, int, tuple[str, ...]]  # what, which article, a day, topics
edits = st.lists(
    st.tuples(
        st.sampled_from(["topics", "date", "slug", "add", "remove"]),
        st.integers(min_value=0, max_value=99),
        st.integers(min_value=1, max_value=12),
        st.lists(st.sampled_from(RELATED_TOPICS), max_size=3).map(tuple),
    ),
    max_size=4,
)


def edited_site(articles: list[Article], changes: list[Edit]) -> list[Article]:
    edited = list(articles)
    for number, (what, which, day, topics) in enumerate(changes):
        if what == "add" or not edited:
            edited.append(article(f"new-{number}", f"2021-06-{day:02d}", *topics))
            continue
        at = which % len(edited)
        if what == "remove":
            del edited[at]
        elif what == "topics":
            edited[at] = replace(edited[at], topics=topics)
        elif what == "date":
            edited[at] = replace(edited[at], date=edited[at].date.replace(day=day))
        else:
            edited[at] = replace(edited[at], slug=f"moved-{number}")
    return list(newest_first(edited))


@settings(max_examples=200, deadline=None)
@given(some_articles, edits, st.integers(min_value=1, max_value=3), st.integers(0, 3))
def test_what_a_plan_keeps_of_the_last_ones_related_articles_is_what_it_would_find(
    drawn: list[tuple[int, list[str]]], changes: list[Edit], limit: int, window: int
) -> None:
    made = (
        article(f"a-{n:02d}", f"2021-06-{day:02d}", *topics)
        for n, (day, topics) in enumerate(drawn)
    )
    before = list(newest_first(made))
    after = edited_site(before, changes)
    topics = members_by(after, lambda a: a.topics)
    last = last_found(before, limit, window)

    kept = RelatedFinder(after, topics, limit, window, last=last, kept_until=1.0)

    assert found_by(kept) == found_by(RelatedFinder(after, topics, limit, window))


# Authors -----------------------------------------------------------------------------------


def test_an_author_with_one_article_has_a_page_but_no_feed() -> None:
    plan = plan_site(
        site(
            article("b", "2021-06-02", authors=("Ana Quispe",)),
            article("a", "2021-06-01", authors=("Ana Quispe", "Luis Mamani")),
        ),
        search=False,
    )
    authors = page(plan, "authors/").data

    assert isinstance(authors, TermsData)
    assert [(t["name"], t["count"]) for t in authors.terms] == [
        ("Ana Quispe", 2),
        ("Luis Mamani", 1),
    ]
    assert [f["path"] for f in page(plan, "authors/ana-quispe/").feeds] == [
        "authors/ana-quispe/feed.xml",
        "authors/ana-quispe/atom.xml",
    ]
    assert page(plan, "authors/luis-mamani/").feeds == ()
    feeds = {feed.path for feed in plan.feeds}
    assert "authors/ana-quispe/feed.xml" in feeds
    assert not any(path.startswith("authors/luis-mamani/") for path in feeds)


def test_an_outlet_named_as_a_byline_is_a_desk_without_an_author_page() -> None:
    plan = plan_site(site(article("a", "2021-06-01", authors=("Daily Andes",))), search=False)

    authors = page(plan, "authors/").data
    assert isinstance(authors, TermsData)
    assert authors.terms == ()
    assert not any(p.path.startswith("authors/daily-andes") for p in plan.pages)


# Feeds -------------------------------------------------------------------------------------

THREE = (
    article("c", "2021-06-09", "election", source="Lima Weekly", authors=("Ana Quispe",)),
    article("b", "2021-06-08", "election", authors=("Ana Quispe",)),
    article("a", "2021-06-01", "economy", authors=("Luis Mamani",)),
)


def test_feeds_are_planned_for_the_site_each_topic_outlet_author_and_the_editions() -> None:
    plan = plan_site(site(*THREE), search=False)

    assert [(f.path, f.format) for f in plan.feeds] == [
        ("feed.xml", "rss"),
        ("atom.xml", "atom"),
        ("feed.json", "json"),
        ("topics/election/feed.xml", "rss"),
        ("topics/election/atom.xml", "atom"),
        ("topics/economy/feed.xml", "rss"),
        ("topics/economy/atom.xml", "atom"),
        ("topics/quiet/feed.xml", "rss"),
        ("topics/quiet/atom.xml", "atom"),
        ("sources/daily-andes/feed.xml", "rss"),
        ("sources/daily-andes/atom.xml", "atom"),
        ("sources/lima-weekly/feed.xml", "rss"),
        ("sources/lima-weekly/atom.xml", "atom"),
        ("authors/ana-quispe/feed.xml", "rss"),
        ("authors/ana-quispe/atom.xml", "atom"),
        ("editions/feed.xml", "rss"),
        ("editions/atom.xml", "atom"),
    ]


def test_feed_titles_name_the_site_and_what_the_feed_follows() -> None:
    plan = plan_site(site(*THREE), search=False)
    titles = {f.path: f.title for f in plan.feeds if f.format == "rss"}

    assert titles == {
        "feed.xml": "Test Digest",
        "topics/election/feed.xml": "Test Digest: Election",
        "topics/economy/feed.xml": "Test Digest: Economy",
        "topics/quiet/feed.xml": "Test Digest: Quiet",
        "sources/daily-andes/feed.xml": "Test Digest: articles from Daily Andes",
        "sources/lima-weekly/feed.xml": "Test Digest: articles from Lima Weekly",
        "authors/ana-quispe/feed.xml": "Test Digest: articles by Ana Quispe",
        "editions/feed.xml": "Test Digest: weekly editions",
    }


def test_a_feed_knows_its_absolute_address_and_its_page_under_the_base_path() -> None:
    plan = plan_site(site(*THREE), search=False)
    election = next(f for f in plan.feeds if f.path == "topics/election/atom.xml")

    assert election.url == "https://example.org/peru/topics/election/atom.xml"
    assert election.home == "https://example.org/peru/topics/election/"
    assert election.description == "Votes."


def test_only_a_feed_without_items_is_dated_by_the_newest_article_of_the_site() -> None:
    plan = plan_site(site(*THREE), search=False)
    newest = {f.path: f.newest for f in plan.feeds if f.format == "atom"}

    assert newest["topics/quiet/atom.xml"] == THREE[0].date
    assert newest["topics/election/atom.xml"] is None  # its own items date it


def test_a_newer_article_elsewhere_leaves_a_feed_as_it_was_planned() -> None:
    """Else every feed's fingerprint would change with each article added, and every feed
    be drawn again."""
    newer = article("newer", "2021-07-30", "economy")
    before = {f.path: f for f in plan_site(site(*THREE), search=False).feeds}
    after = {f.path: f for f in plan_site(site(newer, *THREE), search=False).feeds}

    assert after["topics/election/atom.xml"] == before["topics/election/atom.xml"]
    assert after["topics/economy/atom.xml"] != before["topics/economy/atom.xml"]


def test_a_feed_carries_at_most_feed_items_of_the_newest_articles() -> None:
    articles = [article(f"a-{n}", f"2021-06-{20 - n:02d}", "election") for n in range(5)]
    plan = plan_site(site(*articles), search=False)
    home = next(f for f in plan.feeds if f.path == "feed.xml")
    quiet = next(f for f in plan.feeds if f.path == "topics/quiet/feed.xml")

    assert [a.slug for a in home.items if isinstance(a, Article)] == ["a-0", "a-1", "a-2"]
    assert quiet.items == ()


def test_a_page_announces_its_own_feeds_and_the_site_feeds_are_named_once() -> None:
    plan = plan_site(site(*THREE), search=False)

    assert list(page(plan, "topics/election/").feeds) == [
        {
            "title": "Election (RSS)",
            "type": "application/rss+xml",
            "path": "topics/election/feed.xml",
        },
        {
            "title": "Election (Atom)",
            "type": "application/atom+xml",
            "path": "topics/election/atom.xml",
        },
    ]
    assert page(plan, "archive/").feeds == ()
    assert list(site_feed_links("Test Digest")) == [
        {"title": "Test Digest (RSS)", "type": "application/rss+xml", "path": "feed.xml"},
        {"title": "Test Digest (Atom)", "type": "application/atom+xml", "path": "atom.xml"},
        {"title": "Test Digest (JSON Feed)", "type": "application/feed+json", "path": "feed.json"},
    ]


# Editions ----------------------------------------------------------------------------------


def test_editions_are_complete_weeks_newest_first_and_the_newest_is_copied_to_latest() -> None:
    plan = plan_site(site(*THREE), search=False)
    paths = [p.path for p in plan.pages if p.path.startswith("editions/")]
    latest = page(plan, "editions/latest/")

    assert paths == ["editions/", "editions/2021-W23/", "editions/latest/", "editions/2021-W22/"]
    assert page(plan, "editions/2021-W23/").title == "Edition 2021-W23: 7–13 June 2021"
    assert (latest.canonical, latest.in_sitemap) == ("editions/2021-W23/", False)
    assert isinstance(latest.data, EditionData) and latest.data.latest is True


def test_an_edition_links_to_the_one_before_and_after_it() -> None:
    plan = plan_site(site(*THREE), search=False)
    newest, oldest = page(plan, "editions/2021-W23/").data, page(plan, "editions/2021-W22/").data

    assert isinstance(newest, EditionData) and isinstance(oldest, EditionData)
    assert newest.newer is None
    assert newest.older == {
        "label": "2021-W22",
        "dates": "31 May – 6 June 2021",
        "path": "editions/2021-W22/",
        "count": 1,
    }
    assert oldest.newer is not None and oldest.newer["path"] == "editions/2021-W23/"
    assert oldest.older is None


def test_a_week_that_has_not_ended_by_now_has_no_edition_yet() -> None:
    plan = plan_site(site(*THREE), search=False, now=datetime(2021, 6, 10, tzinfo=LIMA))

    assert [p.path for p in plan.pages if p.path.startswith("editions/")] == [
        "editions/",
        "editions/2021-W22/",
        "editions/latest/",
    ]


# Other pages -------------------------------------------------------------------------------


def test_the_search_page_exists_only_with_search_and_stays_out_of_the_sitemap() -> None:
    assert "search/" not in [p.path for p in plan_site(site(*THREE), search=False).pages]
    searching = page(plan_site(site(*THREE), search=True), "search/")
    assert (searching.template, searching.in_sitemap) == ("search.html", False)


def test_the_not_found_page_is_served_anywhere_and_stays_out_of_the_sitemap() -> None:
    missing = page(plan_site(site(), search=False), "404.html")

    assert (missing.title, missing.anywhere, missing.in_sitemap) == ("Page not found", True, False)


def test_an_article_page_carries_its_article_and_related_ones() -> None:
    plan = plan_site(site(*THREE), search=False)
    data = page(plan, "2021/06/c/").data

    assert isinstance(data, ArticleData)
    assert data.article is THREE[0]
    assert slugs(data.related) == ["b", "a"]


# Collisions --------------------------------------------------------------------------------


def test_two_paths_written_to_one_file_are_each_reported_after_the_first() -> None:
    problems = find_collisions(["topics/", "topics/index.html", "a/", "a/", "a/"], "public")

    assert [str(p) for p in problems] == [
        "public/topics/index.html: two outputs would be written to this file\n"
        "  hint: give one of the topics, outlets or articles behind it a different slug",
        "public/a/index.html: two outputs would be written to this file\n"
        "  hint: give one of the topics, outlets or articles behind it a different slug",
        "public/a/index.html: two outputs would be written to this file\n"
        "  hint: give one of the topics, outlets or articles behind it a different slug",
    ]


def test_nothing_but_the_search_index_may_be_written_in_its_folder() -> None:
    assert [
        str(p) for p in find_collisions(["pagefind/pagefind-ui.css", "pagefinder/"], "out")
    ] == [
        "out/pagefind/pagefind-ui.css: the search index is written in pagefind/: nothing else "
        "can be\n  hint: move the file out of pagefind/ in the templates' static files"
    ]


def test_a_file_where_the_site_writes_a_folder_is_reported_once_with_whose_it_is() -> None:
    paths = [
        "topics/",
        "topics/election/",
        "topics",
        "2021/07/a/",
        "2021",
        "robots.txt",
        "robots.txt",
    ]
    problems = find_collisions(paths, "public", static={"topics", "robots.txt"})
    assert [str(p) for p in problems] == [
        "public/robots.txt: two outputs would be written to this file\n"
        "  hint: rename or move the file in the templates' static files",
        "public/2021: files are written in the folder 2021/, so 2021 cannot be a file\n"
        "  hint: give one of the topics, outlets or articles behind it a different slug",
        "public/topics: files are written in the folder topics/, so topics cannot be a file\n"
        "  hint: rename or move the file in the templates' static files",
    ]


def test_a_file_named_as_the_search_index_s_folder_collides_only_with_search() -> None:
    assert find_collisions(["pagefind", "feed.xml"], "out") == []
    assert [p.message for p in find_collisions(["pagefind"], "out", search=True)] == [
        "the search index is written in pagefind/: nothing else can be"
    ]


@given(st.lists(st.sampled_from(["a", "a/", "a/b", "a-b", "a.b/", "a/b/c", "b", "ab/", "a//"])))
def test_collisions_are_what_comparing_every_two_files_finds(paths: list[str]) -> None:
    files = [urls.output_file(path) for path in paths]
    twice = [file for index, file in enumerate(files) if file in files[:index]]
    folders = sorted({f for f in files if any(other.startswith(f"{f}/") for other in files)})

    found = find_collisions(paths, "out")

    assert [p.path for p in found] == [f"out/{file}" for file in [*twice, *folders]]


def test_distinct_paths_do_not_collide() -> None:
    assert find_collisions(["", "page/2/", "feed.xml", "topics/"], "public") == []


def test_a_planned_site_has_no_colliding_pages() -> None:
    plan = plan_site(site(*THREE), search=True)
    assert find_collisions([p.path for p in plan.pages], "public") == []
