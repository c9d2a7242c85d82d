"""Slugs, output paths and URLs: the one place where links and files must agree."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from peru_digest import urls
from peru_digest.model import Article

LIMA = ZoneInfo("America/Lima")


def article(slug: str, when: str) -> Article:
    moment = datetime.fromisoformat(when).replace(tzinfo=LIMA)
    return Article(
        path=f"articles/{slug}.md",
        title=slug,
        date=moment,
        source="Daily Andes",
        authors=(),
        url="",
        topics=(),
        slug=slug,
        written_id=f"urn:test:{slug}",
        summary_key=slug,
    )


# Slugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Perú: ¿qué pasa?", "peru-que-pasa"),
        ("Ñandú & Co.", "nandu-co"),
        ("Inauguration: ‘A New Era’", "inauguration-a-new-era"),
        ("  Runoff   Day  ", "runoff-day"),
    ],
)
def test_a_slug_is_the_title_in_lowercase_ascii_words_joined_by_hyphens(
    name: str, slug: str
) -> None:
    assert urls.slug_for(name, "article") == slug


def test_a_title_without_letters_or_digits_gets_a_slug_from_its_kind_and_a_digest() -> None:
    assert urls.slug_for("🔥🔥🔥", "article") == "article-03b6fa1d"
    assert urls.slug_for("!!!", "article") == "article-3894b0d5"
    assert urls.slug_for("🔥🔥🔥", "author") == "author-03b6fa1d"


def test_two_titles_without_letters_get_different_slugs() -> None:
    assert urls.slug_for("🔥", "article") != urls.slug_for("🔥🔥", "article")


@pytest.mark.parametrize("kind", ["author", "source"])
def test_names_spelt_alike_in_ascii_but_not_written_alike_get_addresses_of_their_own(
    kind: str,
) -> None:
    # Two people (or outlets) whose names both transliterate to "wang-wei": an address
    # shared would show one's articles under the other's name.
    assert urls.slug_for("王伟", kind) == "wang-wei-61454f33"
    assert urls.slug_for("汪伟", kind) == "wang-wei-5ef0dd31"
    assert urls.slug_for("Москва", kind) == "moskva-1e1d252e"


def test_a_name_written_alike_but_for_case_accents_and_punctuation_keeps_one_address() -> None:
    assert urls.slug_for("Łukasz Nowák", "author") == "lukasz-nowak-fd0087bf"
    assert urls.slug_for("ŁUKASZ NOWAK.", "author") == "lukasz-nowak-fd0087bf"
    assert urls.slug_for("José Pérez", "author") == "jose-perez"
    assert urls.slug_for("JOSE PEREZ", "author") == "jose-perez"
    assert urls.slug_for("Straße", "source") == "strasse"


def test_a_title_keeps_its_transliterated_slug_as_an_article_may_set_its_own() -> None:
    assert urls.slug_for("王伟说", "article") == "wang-wei-shuo"


def test_a_long_name_with_a_digest_is_still_at_most_200_characters() -> None:
    slug = urls.slug_for("王伟 " * 100, "author")
    assert len(slug) <= urls.MAX_SLUG
    assert slug.startswith("wang-wei-wang-wei-")


def test_a_slug_is_at_most_200_characters_and_ends_at_a_whole_word() -> None:
    slug = urls.slug_for("word " * 100, "article")
    assert len(slug) == 199  # 40 five-letter words with their hyphens
    assert slug == "-".join(["word"] * 40)


# Page paths --------------------------------------------------------------------------------


def test_an_article_lives_under_its_year_and_two_digit_month() -> None:
    assert urls.article_path(article("runoff-day", "2021-06-06")) == "2021/06/runoff-day/"


def test_an_article_of_the_first_century_keeps_a_four_digit_year() -> None:
    assert urls.article_path(article("old", "0999-01-31")) == "0999/01/old/"


def test_topic_source_author_and_edition_pages_are_folders_of_their_sections() -> None:
    assert urls.topic_path("election") == "topics/election/"
    assert urls.source_path("daily-andes") == "sources/daily-andes/"
    assert urls.author_path("ana-quispe") == "authors/ana-quispe/"
    assert urls.edition_path("2021-W35") == "editions/2021-W35/"


def test_year_and_month_pages_are_zero_padded_folders() -> None:
    assert urls.year_path(2021) == "2021/"
    assert urls.month_path(2021, 6) == "2021/06/"
    assert urls.month_path(2021, 12) == "2021/12/"


def test_page_one_of_a_list_is_the_list_itself_and_later_pages_are_under_page() -> None:
    assert urls.numbered_page("topics/election/", 1) == "topics/election/"
    assert urls.numbered_page("topics/election/", 2) == "topics/election/page/2/"
    assert urls.numbered_page("", 3) == "page/3/"


# Feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "path"),
    [("rss", "feed.xml"), ("atom", "atom.xml"), ("json", "feed.json")],
)
def test_each_feed_format_has_its_own_file_name_beside_the_page(
    kind: urls.Format, path: str
) -> None:
    assert urls.feed_path("", kind) == path
    assert urls.feed_path("topics/election/", kind) == f"topics/election/{path}"


# Files -------------------------------------------------------------------------------------


def test_a_folder_page_is_written_as_its_index_html_and_a_file_as_itself() -> None:
    assert urls.output_file("") == "index.html"
    assert urls.output_file("topics/") == "topics/index.html"
    assert urls.output_file("feed.xml") == "feed.xml"
    assert urls.output_file("404.html") == "404.html"


@pytest.mark.parametrize(
    "path", ["", "topics/", "2021/06/runoff-day/", "page/2/", "404.html", "feeds/rss.xml"]
)
def test_a_page_s_path_is_found_again_from_its_file(path: str) -> None:
    assert urls.page_path(urls.output_file(path)) == path


def test_a_file_named_like_an_index_but_not_one_is_its_own_path() -> None:
    assert urls.page_path("notindex.html") == "notindex.html"
    assert urls.page_path("topics/index.html") == "topics/"


def test_a_sitemap_part_is_numbered() -> None:
    assert urls.sitemap_part(3) == "sitemap-3.xml"


# URLs --------------------------------------------------------------------------------------


def test_an_absolute_url_keeps_the_path_of_the_base_url() -> None:
    base = "https://example.org/peru/"
    assert urls.absolute(base, "") == "https://example.org/peru/"
    assert urls.absolute(base, "topics/election/") == "https://example.org/peru/topics/election/"
    assert urls.absolute(base, "feed.xml") == "https://example.org/peru/feed.xml"


def test_the_root_path_is_the_path_of_the_base_url() -> None:
    assert urls.root_path("https://example.org/peru/") == "/peru/"
    assert urls.root_path("https://example.org/") == "/"
    assert urls.root_path("https://example.org") == "/"


@pytest.mark.parametrize(
    ("page", "root"),
    [
        ("", "./"),
        ("404.html", "./"),
        ("topics/", "../"),
        ("topics/election/", "../../"),
        ("topics/election/page/2/", "../../../../"),
        ("2021/06/runoff-day/", "../../../"),
    ],
)
def test_the_relative_root_climbs_one_level_per_folder_of_the_page(page: str, root: str) -> None:
    assert urls.root_from(page) == root


def test_every_navigation_target_is_a_folder_or_a_file_at_the_root() -> None:
    assert urls.NAV == {
        "home": "",
        "editions": "editions/",
        "topics": "topics/",
        "authors": "authors/",
        "sources": "sources/",
        "archive": "archive/",
        "feeds": "feeds/",
        "search": "search/",
        "opml": "feeds.opml",
        "search_index": "pagefind",
    }


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://a.pe/nota", "https://a.pe/nota"),
        ("https://a.pe/x|y?q=a^b#f#g", "https://a.pe/x%7Cy?q=a%5Eb#f%23g"),
        ("https://[::1]/a|b", "https://[::1]/a%7Cb"),  # a host's brackets stay
        ("https://a.pe/100%/x%20y", "https://a.pe/100%25/x%20y"),
        ("https://a.pe/{x}`[1]`", "https://a.pe/%7Bx%7D%60%5B1%5D%60"),
        ("https://a.pe/año|", "https://a.pe/año%7C"),  # letters outside ASCII are valid
        ("https://a.pe?x=|", "https://a.pe?x=%7C"),
    ],
)
def test_an_articles_address_is_written_as_a_valid_url_leading_to_the_same_place(
    url: str, href: str
) -> None:
    assert urls.valid_href(url) == href
