"""What templates and feeds receive: articles, terms and the site, serialised as plain data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

import pytest
from markupsafe import Markup

from peru_digest.model import Article, Author, Site, Source, Summary, Topic
from peru_digest.views import (
    ArticleViews,
    author_term,
    shorten,
    site_view,
    source_term,
    topic_term,
)

from .conftest import LIMA, site_config

CONFIG = site_config()
SITE = Site(
    CONFIG,
    MappingProxyType({"election": Topic("election", "Election", "Votes.")}),
    MappingProxyType(
        {
            "Daily Andes": Source("daily-andes", "Daily Andes", "https://andes.test/", ""),
            "Lima Weekly": Source("lima-weekly", "Lima Weekly", "", ""),
        }
    ),
    authors=MappingProxyType(
        {"Andina": Author("Andina", "andina", (), "A news agency.", desk=True)}
    ),
)
LONG = (
    "Voters went to the polls on Sunday, and the count began late at night in every region "
    "of the country, from the coast to the highlands and the Amazon, where turnout was high."
)

SUMMARIES = {
    "runoff": Summary(
        "Voters went to the polls. [More](../more/)",
        '<p>Voters went to the polls. <a href="../more/">More</a></p>',
        "Voters went to the polls. More",
    ),
    "long": Summary(LONG, f"<p>{LONG}</p>", LONG),
}


def article(**changes: Any) -> Article:
    facts: dict[str, Any] = {
        "path": "articles/runoff.md",
        "title": "Runoff Day",
        "date": datetime(2021, 6, 6, 22, 30, tzinfo=LIMA),
        "source": "Daily Andes",
        "authors": ("Ana Quispe", "Andina"),
        "url": "https://andes.test/runoff",
        "topics": ("election",),
        "slug": "runoff-day",
        "written_id": "urn:test:runoff",
        "summary_key": "runoff",
    }
    return Article(**(facts | changes))


def views(site: Site = SITE) -> ArticleViews:
    return ArticleViews(site, SUMMARIES)


def json_ld(target: Article) -> dict[str, Any]:
    made = views()
    data: dict[str, Any] = json.loads(made.json_ld(target, made(target)))
    return data


# An article's view -------------------------------------------------------------------------


def test_an_article_view_has_its_title_paths_date_people_outlet_topics_and_summary() -> None:
    view = views()(article())

    assert view == {
        "title": "Runoff Day",
        "path": "2021/06/runoff-day/",
        "url": "https://andes.test/runoff",
        "date": {
            "iso": "2021-06-06T22:30:00-05:00",
            "day": "2021-06-06",
            "label": "6 June 2021",
        },
        "authors": [
            {"name": "Ana Quispe", "path": "authors/ana-quispe/"},
            {"name": "Andina", "path": ""},
        ],
        "source": {
            "name": "Daily Andes",
            "path": "sources/daily-andes/",
            "homepage": "https://andes.test/",
            "abs_url": "https://example.org/peru/sources/daily-andes/",
            "feed_url": "https://example.org/peru/sources/daily-andes/feed.xml",
        },
        "topics": [{"slug": "election", "name": "Election", "path": "topics/election/"}],
        "summary": '<p>Voters went to the polls. <a href="../more/">More</a></p>',
        "description": "Voters went to the polls. More",
    }


def test_an_article_summary_is_markup_that_templates_do_not_escape_again() -> None:
    summary = views()(article())["summary"]

    assert isinstance(summary, Markup)
    assert Markup("{}").format(summary) == summary


def test_an_article_date_label_follows_the_interface_language() -> None:
    spanish = replace(SITE, config=replace(CONFIG, language="es"))

    assert views(spanish)(article())["date"]["label"] == "6 de junio de 2021"


def test_an_article_for_feeds_has_absolute_links_its_id_and_rfc_dates() -> None:
    full = views().full(article(updated=datetime(2021, 6, 7, 9, 0, tzinfo=LIMA)))

    assert full["abs_url"] == "https://example.org/peru/2021/06/runoff-day/"
    assert full["id"] == "urn:test:runoff"
    assert full["rfc822"] == "Sun, 06 Jun 2021 22:30:00 -0500"
    assert full["updated"] == "2021-06-07T09:00:00-05:00"
    assert full["summary_abs"] == (
        '<p>Voters went to the polls. <a href="https://example.org/peru/2021/06/more/"'
        ' rel="nofollow noopener noreferrer">More</a></p>'
    )
    assert full["excerpt"] == "Voters went to the polls. More"


def test_an_article_never_corrected_has_no_updated_date() -> None:
    assert views().full(article())["updated"] is None


# Descriptions ------------------------------------------------------------------------------


def test_a_text_within_the_limit_is_kept_whole_without_an_ellipsis() -> None:
    assert shorten("Voters went to the polls.", 25) == "Voters went to the polls."


def test_a_longer_text_is_cut_before_the_word_that_does_not_fit_with_an_ellipsis() -> None:
    assert shorten("Voters went to the polls.", 23) == "Voters went to the…"


def test_a_word_that_ends_just_before_the_ellipsis_is_kept() -> None:
    assert shorten("one two three", 8) == "one two…"


def test_punctuation_before_the_cut_is_dropped_before_the_ellipsis() -> None:
    assert shorten("Voters went to the polls, and turnout was high.", 28) == (
        "Voters went to the polls…"
    )


def test_a_single_word_longer_than_the_limit_is_cut_inside_it() -> None:
    assert shorten("a" * 20, 10) == "aaaaaaaaa…"


def test_an_article_description_is_its_summary_shortened_to_160_characters() -> None:
    description = views()(article(summary_key="long"))["description"]

    assert description == (
        "Voters went to the polls on Sunday, and the count began late at night in every region "
        "of the country, from the coast to the highlands and the Amazon, where…"
    )
    assert len(description) == 156


# JSON-LD -----------------------------------------------------------------------------------


def test_json_ld_describes_a_news_article_with_its_people_and_outlet() -> None:
    assert json_ld(article()) == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Runoff Day",
        "datePublished": "2021-06-06T22:30:00-05:00",
        "author": [
            {
                "@type": "Person",
                "name": "Ana Quispe",
                "url": "https://example.org/peru/authors/ana-quispe/",
            },
            {"@type": "Organization", "name": "Andina"},
        ],
        "publisher": {"@type": "Organization", "name": "Daily Andes", "url": "https://andes.test/"},
        "isBasedOn": "https://andes.test/runoff",
        "url": "https://example.org/peru/2021/06/runoff-day/",
        "description": "Voters went to the polls. More",
    }


def test_json_ld_cannot_end_its_script_element_early() -> None:
    headline = "</script><script>alert(1)</script> <!-- & -->"
    made = views()
    target = article(title=headline)
    text = str(made.json_ld(target, made(target)))

    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003e" in text
    assert "\\u003c!-- \\u0026 --\\u003e" in text
    assert json.loads(text)["headline"] == headline


def test_json_ld_keeps_accents_as_they_are() -> None:
    made = views()
    target = article(title="Perú elige")

    assert '"headline": "Perú elige"' in made.json_ld(target, made(target))


def test_an_article_without_a_link_is_based_on_nothing() -> None:
    assert "isBasedOn" not in json_ld(article(url=""))


def test_an_outlet_without_a_homepage_is_a_publisher_without_a_url() -> None:
    assert json_ld(article(source="Lima Weekly"))["publisher"] == {
        "@type": "Organization",
        "name": "Lima Weekly",
    }


def test_json_ld_has_a_modified_date_only_for_a_corrected_article() -> None:
    corrected = article(updated=datetime(2021, 6, 7, 9, 0, tzinfo=LIMA))

    assert json_ld(corrected)["dateModified"] == "2021-06-07T09:00:00-05:00"
    assert "dateModified" not in json_ld(article())


# Views kept for reuse ----------------------------------------------------------------------


def test_the_same_article_gets_the_very_same_view_each_time() -> None:
    made = views()
    first = made(article())

    assert made(article()) is first  # an equal article, made anew: the same digest


def test_a_changed_article_gets_a_new_view() -> None:
    made = views()
    first = made(article())
    changed = made(article(title="Runoff Night"))

    assert changed is not first
    assert changed["title"] == "Runoff Night"


def test_the_view_used_least_recently_is_forgotten_first() -> None:
    made = views()
    made.MEMORY = 2
    one, two, three = (article(slug=f"a-{n}") for n in range(3))
    kept_one, kept_two = made(one), made(two)
    made(one)  # used again: now the most recent
    made(three)  # over the limit: `two` goes

    assert list(made.kept) == [one.digest, three.digest]
    assert made(one) is kept_one
    assert made(two) is not kept_two


# Terms and the site ------------------------------------------------------------------------


def test_terms_carry_their_name_page_and_count() -> None:
    election = Topic("election", "Election", "Votes.")
    andes = Source("daily-andes", "Daily Andes", "https://andes.test/", "A paper.")

    assert topic_term(election, 2) == {
        "name": "Election",
        "description": "Votes.",
        "homepage": "",
        "path": "topics/election/",
        "count": 2,
    }
    assert source_term(andes, 5) == {
        "name": "Daily Andes",
        "description": "A paper.",
        "homepage": "https://andes.test/",
        "path": "sources/daily-andes/",
        "count": 5,
    }
    assert author_term("Ana Quispe", "", "ana-quispe", 1)["path"] == "authors/ana-quispe/"


@pytest.mark.parametrize(
    ("language", "articles_language", "og_locale", "articles_lang"),
    [("en", "en", "en_US", ""), ("es", "es", "es_ES", ""), ("es-PE", "qu", "es_PE", "qu")],
)
def test_the_site_view_names_its_languages(
    language: str, articles_language: str, og_locale: str, articles_lang: str
) -> None:
    config = replace(CONFIG, language=language, articles_language=articles_language)
    view = site_view(replace(SITE, config=config), search=True)

    assert (view["language"], view["og_locale"], view["articles_lang"]) == (
        language,
        og_locale,
        articles_lang,
    )
    assert (view["title"], view["base_url"], view["search"]) == (
        "Test Digest",
        "https://example.org/peru/",
        True,
    )


@pytest.mark.parametrize(
    ("language", "articles_language", "dir", "articles_attributes"),
    [
        ("en", "en", "", ""),
        ("es-PE", "qu", "", ' lang="qu"'),
        ("ar", "ar", "rtl", ""),
        ("ar-PE", "es", "rtl", ' lang="es" dir="ltr"'),
        ("en", "he", "", ' lang="he" dir="rtl"'),
        ("fa", "ar", "rtl", ' lang="ar"'),
    ],
)
def test_the_site_view_says_which_way_its_languages_are_written(
    language: str, articles_language: str, dir: str, articles_attributes: str
) -> None:
    config = replace(CONFIG, language=language, articles_language=articles_language)
    view = site_view(replace(SITE, config=config), search=True)

    assert view["dir"] == dir
    assert view["articles_attributes"] == articles_attributes
