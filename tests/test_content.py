"""Loading and validating articles: every rule reports file, line, problem and fix."""

from __future__ import annotations

import errno
import os
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from peru_digest.content import load_site
from peru_digest.errors import DigestError, Report
from peru_digest.importers.fetch import OutOfTimeError, time_limit
from peru_digest.urls import MAX_SLUG

from .conftest import WriteArticle, loaded, problems_for

GOOD = """
title: A Good Article
date: 2021-07-01
source: Daily Andes
url: https://andes.test/good
"""


def test_the_fixture_site_loads_newest_first(site_dir: Path) -> None:
    site = loaded(site_dir)
    assert [a.title for a in site.articles] == [
        "Draft Note",
        "Inauguration: ‘A New Era’",
        "The Count Begins",
        "Runoff Day",
    ]


def test_a_date_without_offset_is_midnight_in_the_site_time_zone(site_dir: Path) -> None:
    runoff = next(a for a in loaded(site_dir).articles if a.slug == "runoff-day")
    assert runoff.date == datetime(2021, 6, 6, tzinfo=ZoneInfo("America/Lima"))
    assert runoff.date.isoformat() == "2021-06-06T00:00:00-05:00"


def test_a_date_with_another_offset_is_shown_in_the_site_time_zone(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("late.md", GOOD.replace("2021-07-01", "2021-07-01T03:00:00+00:00"))
    late = next(a for a in loaded(site_dir).articles if a.slug == "a-good-article")
    assert late.date.isoformat() == "2021-06-30T22:00:00-05:00"


def test_the_slug_comes_from_the_title_without_accents(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("peru.md", GOOD.replace("A Good Article", "Perú On The Lima Group"))
    assert "peru-on-the-lima-group" in {a.slug for a in loaded(site_dir).articles}


def test_the_summary_is_markdown_with_script_removed(
    site_dir: Path, write_article: WriteArticle
) -> None:
    body = "Hi <script>alert(1)</script> [x](javascript:alert(1)) <b onclick='x()'>bold</b>"
    write_article("evil.md", GOOD, body)
    site = loaded(site_dir)
    evil = next(a for a in site.articles if a.slug == "a-good-article")
    assert site.summaries[evil.summary_key].html == "<p>Hi  <a>x</a> <b>bold</b></p>"


def test_an_article_without_an_id_gets_one_derived_from_its_url(site_dir: Path) -> None:
    runoff = next(a for a in loaded(site_dir).articles if a.slug == "runoff-day")
    assert runoff.id == uuid.uuid5(uuid.NAMESPACE_URL, "https://andes.test/runoff").urn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\n",
            "articles/bad.md:1: missing front matter: the file must start with a `---` line\n"
            "  hint: did you forget to add `---` above the title?",
        ),
        (  # pasted with a blank line above
            "\n---\ntitle: x\n---\nText.\n",
            "articles/bad.md:2: the front matter's `---` must be the file's first line\n"
            "  hint: delete the blank line above it",
        ),
        (
            "\n \n\n---\ntitle: x\n---\nText.\n",
            "articles/bad.md:4: the front matter's `---` must be the file's first line\n"
            "  hint: delete the blank lines above it",
        ),
        (  # pasted from a web page: U+2028, which editors show as nothing, YAML as a break
            "---\ntitle: Castillo\u2028jura\ndate: 2021-07-28\nsource: Daily Andes\n---\nText.\n",
            "articles/bad.md:2: invalid YAML: this line holds an invisible line break, "
            "U+2028 LINE SEPARATOR, read as its end\n"
            "  hint: delete it: it shows as nothing in most editors, so delete the character "
            "after the word before it, or write the line again",
        ),
        (
            "---\ntitle: x\n",
            "articles/bad.md:1: front matter is not closed\n"
            "  hint: add a `---` line after the last front-matter key, before the summary",
        ),
        (
            '---\ntitle: "x\ndate: 2021-01-01\n---\n',
            "articles/bad.md:2: invalid YAML: found unexpected end of stream"
            " while scanning a quoted scalar\n"
            "  hint: check the quotes and indentation",
        ),
        (
            "---\ntitle: x\ndate: 2021-01-01\ntitle: y\n---\n",
            "articles/bad.md:4: invalid YAML: found duplicate key `title`\n"
            "  hint: keep one of the two lines",
        ),
        (
            "---\n- a list\n---\n",
            "articles/bad.md:2: front matter must be `key: value` lines\n"
            "  hint: write one `key: value` a line between the two `---` lines, such as `title: …`",
        ),
        (
            '---\ntitle: "Line\u2028separator"\ndate: 2021-01-01\ndate: 2021-01-02\n---\n',
            "articles/bad.md:4: invalid YAML: found duplicate key `date`\n"
            "  hint: keep one of the two lines",
        ),
        (
            "---\ntitle: Peru #1 in exports\n---\n",
            "articles/bad.md:2: invalid YAML: `title` stops before `#1 in exports`: YAML reads "
            "` #` and what follows as a comment\n"
            "  hint: put the whole value in quotes (a comment is written with a space after "
            "its #: `  # …`)",
        ),
    ],
    ids=[
        "no-fence", "blank-line-above", "blank-lines-above", "invisible-break",
        "unclosed-fence", "bad-yaml", "duplicate-key", "not-a-mapping", "line-separator",
        "hashtag",
    ],
)  # fmt: skip
def test_a_broken_file_is_reported_with_its_line(site_dir: Path, text: str, expected: str) -> None:
    (site_dir / "articles" / "bad.md").write_text(text, encoding="utf-8")
    assert problems_for(site_dir) == [expected]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("title: A Good Article\n", ""),
            "articles/bad.md:2: front matter is missing `title`\n"
            "  hint: add `title: The article's headline`",
        ),
        (
            ("title: A Good Article\n", "title: null\n"),
            "articles/bad.md:2: `title` has no value\n  hint: add `title: The article's headline`",
        ),
        (
            ("date: 2021-07-01\n", "date:\n"),
            "articles/bad.md:3: `date` has no value\n  hint: add `date: 2021-07-28`",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\nsoruce: x\n"),
            "articles/bad.md:5: unknown key `soruce` in front matter\n"
            "  hint: did you mean `source`?",
        ),
        (
            ("title: A Good Article", "title: [a, b]"),
            "articles/bad.md:2: `title` must be text, not a list\n"
            "  hint: write the text after the colon, in quotes if it starts with [ or { or holds "
            "`: `",
        ),
        (
            ("2021-07-01", "2021-13-01"),
            "articles/bad.md:3: `date` is not a valid date: '2021-13-01'\n"
            "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        ),
        (
            ("2021-07-01", "last tuesday"),
            "articles/bad.md:3: `date` is not a valid date: 'last tuesday'\n"
            "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        ),
        (
            ("https://andes.test/good", "/good"),
            "articles/bad.md:5: `url` must be an absolute http(s) URL, not '/good'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            ("https://andes.test/good", "ftp://andes.test/good"),
            "articles/bad.md:5: `url` must be an absolute http(s) URL, not 'ftp://andes.test/good'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            ("Daily Andes", "Daily Ande"),
            "articles/bad.md:4: unknown source `Daily Ande`\n"
            "  hint: declare it in sources.yaml, or did you mean `Daily Andes`?",
        ),
        (
            ("Daily Andes", "Daily\u00a0Andes"),  # pasted from a web page
            "articles/bad.md:4: unknown source `Daily\u00a0Andes`\n"
            "  hint: it differs from `Daily Andes` only in its spaces: "
            "write them as ordinary spaces",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\ntopics: [electon]\n"),
            "articles/bad.md:5: unknown topic `electon`\n"
            "  hint: declare it in topics.yaml, or did you mean `election`?",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\ntopics: election\n"),
            "articles/bad.md:5: `topics` must be a list, not the text 'election'\n"
            "  hint: write it as [a, b] or one `- item` a line",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\nslug: Not A Slug\n"),
            "articles/bad.md:5: `slug` must be a slug, not 'Not A Slug'\n"
            "  hint: write it as `not-a-slug`",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\ndraft: maybe\n"),
            "articles/bad.md:5: `draft` must be true or false, not the text 'maybe'\n"
            "  hint: write true or false",
        ),
        (
            ("https://andes.test/good", '"https://[::1"'),
            "articles/bad.md:5: `url` must be an absolute http(s) URL, not 'https://[::1'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            ("https://andes.test/good", '"https://andes .test/good"'),
            "articles/bad.md:5: `url` must not contain spaces or control characters, "
            "not 'https://andes .test/good'\n"
            "  hint: write a space in a path as %20; a host name has none",
        ),
        (  # pasted from a web page: a no-break space, which shows as a space
            ("https://andes.test/good", '"https://andes.test/la\u00a0nota"'),
            "articles/bad.md:5: `url` must not contain spaces or control characters, "
            "not 'https://andes.test/la\\xa0nota'\n"
            "  hint: write a space in a path as %20; a host name has none",
        ),
        (
            ("https://andes.test/good", '"https://andes.test/good\\nhttps://x.test/"'),
            "articles/bad.md:5: `url` must be one line\n  hint: join its lines into one",
        ),
        (
            ("title: A Good Article", "title: |\n  A Good\n  Article"),
            "articles/bad.md:2: `title` must be one line\n  hint: join its lines into one",
        ),
        (
            ("title: A Good Article", 'title: "A Good\u2029Article"'),
            "articles/bad.md:2: `title` holds an invisible line break, U+2029 PARAGRAPH "
            "SEPARATOR\n"
            "  hint: delete it: it shows as nothing in most editors, so delete the character "
            "after the word before it, or write the line again",
        ),
        (
            ("title: A Good Article", 'title: "A Good\\x01 Article"'),
            "articles/bad.md:2: `title` contains a control character (U+0001)\n"
            "  hint: delete it: it is invisible, and feeds cannot carry it",
        ),
        (
            ("source: Daily Andes\n", 'source: Daily Andes\nauthors: ["Ana\\nBo"]\n'),
            "articles/bad.md:5: `authors` item 1 must be one line\n  hint: join its lines into one",
        ),
        (
            ("source: Daily Andes\n", 'source: Daily Andes\nid: "urn:x\\ny"\n'),
            "articles/bad.md:5: `id` must be one line\n  hint: join its lines into one",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\nslug: " + "a" * 300 + "\n"),
            "articles/bad.md:5: `slug` must be at most 200 characters, not 300\n"
            "  hint: shorten it: it names a folder, and file systems allow 255 bytes",
        ),
        (
            ("2021-07-01", "0001-01-01T00:00:00+14:00"),
            "articles/bad.md:3: `date` has a year before 1000: 0001-01-01T00:00:00+14:00\n"
            "  hint: write the year with its four digits, such as 2021",
        ),
        (
            ("2021-07-01", "1889-12-31"),
            "articles/bad.md:3: `date` is too early for America/Lima: its offset then, "
            "-05:08:12, has seconds\n"
            "  hint: feeds need offsets in whole minutes; use a later date",
        ),
        (
            ("2021-07-01", "'" + "9" * 500 + "'"),
            "articles/bad.md:3: `date` is not a valid date: '" + "9" * 79 + "…'\n"
            "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        ),
        (
            (
                "source: Daily Andes\n",
                "source: Daily Andes\nauthors: [" + ", ".join(f"A{n}" for n in range(2000)) + "]\n",
            ),
            "articles/bad.md:5: `authors` lists 2,000 names; at most 30\n"
            "  hint: keep the article's own writers: each author named gets a page, which shows "
            "the whole byline",
        ),
    ],
    ids=[
        "missing-title",
        "null-title",
        "empty-date",
        "unknown-key",
        "title-not-text",
        "impossible-date",
        "unparsable-date",
        "relative-url",
        "ftp-url",
        "undeclared-source",
        "source-with-a-non-breaking-space",
        "undeclared-topic",
        "topics-not-a-list",
        "bad-slug",
        "draft-not-boolean",
        "url-with-unclosed-ipv6-bracket",
        "url-with-space-in-host",
        "url-with-no-break-space",
        "url-with-line-break",
        "title-over-two-lines",
        "title-with-invisible-line-break",
        "title-with-control-character",
        "author-with-line-break",
        "id-with-line-break",
        "slug-too-long",
        "date-overflowing-with-offset",
        "date-before-lima-standard-time",
        "long-date-quoted-short",
        "thousands-of-authors",
    ],
)
def test_each_invalid_field_is_reported_exactly(
    site_dir: Path, write_article: WriteArticle, change: tuple[str, str], expected: str
) -> None:
    write_article("bad.md", GOOD.replace(*change))
    assert problems_for(site_dir) == [expected]


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("title:", "add `title: The article's headline`"),
        ("date: ~", "add `date: 2021-07-28`"),
        ("source: null", "add `source:` with the outlet's name from sources.yaml"),
        ("url:", "write the link to the whole article, like https://example.org/page, or delete "
                 "the line"),
        ("authors:", "write the names as [Ana Quispe, Luis Mamani], or [] when the byline names "
                     "only the outlet"),
        ("topics:", "write the topics as [election-2021], or delete the line to have "
                    "topics.yaml's keywords choose them"),
        ("slug:", "write the slug, like `peru-2021`, or delete the line to have it made from "
                  "the title"),
        ("id: ~", "write the feed id, or delete the line to have one made from the article's "
                  "link"),
        ("updated:", "write when the summary last changed, like 2021-07-29, or delete the line"),
        ("draft:", "write `draft: true` to keep the article off the site, or delete the line"),
    ],
)  # fmt: skip
def test_a_key_with_no_value_is_reported_whichever_key_it_is(
    site_dir: Path, write_article: WriteArticle, line: str, hint: str
) -> None:
    """`draft:` alone published the article: no key takes its default from an empty value."""
    key = line.partition(":")[0]
    kept = [kept for kept in GOOD.strip().split("\n") if not kept.startswith(f"{key}:")]
    write_article("bad.md", "\n".join([*kept, line]))
    at = len(kept) + 2  # after the `---` line and the others
    assert problems_for(site_dir) == [f"articles/bad.md:{at}: `{key}` has no value\n  hint: {hint}"]


def test_every_wrong_item_of_a_list_is_reported_in_one_run(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("flow.md", GOOD + 'authors: [Ana, [x], "", "a\tb"]\n')
    write_article("block.md", GOOD + 'authors:\n  - Ana\n  - [x]\n  - ""\ntopics:\n  - electon\n'
                  "  - election\n  - quite\n")  # fmt: skip
    assert problems_for(site_dir) == [
        "articles/block.md:8: `authors` item 2 must be text, not a list\n"
        "  hint: write the text after the colon, in quotes if it starts with [ or { or holds `: `",
        "articles/block.md:9: `authors` item 3 must not be empty\n"
        "  hint: write the text after the colon",
        "articles/block.md:11: unknown topic `electon`\n"
        "  hint: declare it in topics.yaml, or did you mean `election`?",
        "articles/block.md:13: unknown topic `quite`\n"
        "  hint: declare it in topics.yaml, or did you mean `quiet`?",
        "articles/flow.md:6: `authors` item 2 must be text, not a list\n"
        "  hint: write the text after the colon, in quotes if it starts with [ or { or holds `: `",
        "articles/flow.md:6: `authors` item 3 must not be empty\n"
        "  hint: write the text after the colon",
        "articles/flow.md:6: `authors` item 4 contains a tab\n  hint: replace it with a space",
    ]


@pytest.mark.parametrize("line", ["url: ''\n", ""])
def test_an_article_without_a_link_loads_with_a_warning(
    site_dir: Path, write_article: WriteArticle, line: str
) -> None:
    write_article(
        "a.md", GOOD.replace("url: https://andes.test/good\n", line) + "topics: [election]"
    )
    report = Report()
    site = load_site(site_dir, report)
    article = next(a for a in site.articles if a.slug == "a-good-article")
    assert article.url == ""
    assert article.id == "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, "Daily Andes\nA Good Article")
    )
    assert [str(w).replace(f"{site_dir.as_posix()}/", "") for w in report.warnings][-1] == (
        f"articles/a.md:{5 if line else 2}: no link to the whole article\n"
        "  hint: add `url:` with the link to the whole article; until then its page has no link"
    )


def test_articles_without_links_do_not_share_one_but_may_share_a_title_elsewhere(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("a.md", GOOD.replace("url: https://andes.test/good\n", ""))
    other_outlet = GOOD.replace("Daily Andes", "Lima Weekly") + "slug: other"
    write_article("b.md", other_outlet.replace("url: https://andes.test/good\n", ""))
    assert len(loaded(site_dir).articles) == 6
    write_article("c.md", GOOD.replace("url: https://andes.test/good\n", "slug: again\n"))
    assert problems_for(site_dir) == [
        "articles/c.md:2: same id as articles/a.md: urn:uuid:"
        + str(uuid.uuid5(uuid.NAMESPACE_URL, "Daily Andes\nA Good Article"))
        + "\n  hint: its id is made from its outlet and title, as the other's is: add its "
        "`url:`, or write an `id:` of its own (like `urn:uuid:` and a new UUID)"
    ]


UNKNOWN_TITLE = "articles/bad.md:2: unknown key `{}` in front matter\n  hint: did you mean `title`?"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # A known key in capitals is one problem that names it, not that and "missing title".
        ("Title: A Good Article", [UNKNOWN_TITLE.format("Title")]),
        # A key only taken for it leaves the missing key reported.
        (
            'time: "10:30"',
            [
                "articles/bad.md:2: front matter is missing `title`\n"
                "  hint: add `title: The article's headline`",
                UNKNOWN_TITLE.format("time"),
            ],
        ),
    ],
)
def test_an_unknown_key_taken_for_title_stands_for_it_only_when_written_otherwise(
    site_dir: Path, write_article: WriteArticle, written: str, expected: list[str]
) -> None:
    write_article("bad.md", GOOD.replace("title: A Good Article", written))
    assert problems_for(site_dir) == expected


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])  # NEL is a control character
def test_a_line_separator_is_no_way_past_the_summary_s_limits(
    site_dir: Path, write_article: WriteArticle, separator: str
) -> None:
    """Markdown and the limits split lines at line feeds alike: a list nested 500 deep after a
    separator is text in a paragraph, not a list past the nesting limit (a RecursionError)."""
    write_article("deep.md", GOOD, body=f"Intro.\n\n{separator}" + "- " * 500 + "deep")
    site = loaded(site_dir)
    article = next(a for a in site.articles if a.path == "articles/deep.md")
    assert "<li>" not in site.summaries[article.summary_key].html


def test_two_articles_with_the_same_slug(site_dir: Path, write_article: WriteArticle) -> None:
    write_article(
        "z.md",
        GOOD.replace("https://andes.test/good", "https://andes.test/other") + "slug: runoff-day\n",
    )
    assert problems_for(site_dir) == [
        "articles/z.md:6: same slug as articles/2021/2021-06-06-runoff-day.md: runoff-day\n"
        "  hint: give one of them a distinct `slug:`"
    ]


def test_two_articles_with_the_same_url(site_dir: Path, write_article: WriteArticle) -> None:
    write_article("z.md", GOOD.replace("https://andes.test/good", "https://andes.test/runoff"))
    assert problems_for(site_dir) == [
        "articles/z.md:5: same url as articles/2021/2021-06-06-runoff-day.md: "
        "https://andes.test/runoff\n"
        "  hint: remove the duplicate article, or correct its `url:`"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "http://andes.test/runoff",
        "https://ANDES.test/runoff/",
        "https://www.andes.test/runoff?utm_source=twitter",
        "https://andes.test:443/runoff/amp/",
    ],
)
def test_two_articles_linking_one_page_however_written_share_a_url(
    site_dir: Path, write_article: WriteArticle, written: str
) -> None:
    write_article("z.md", GOOD.replace("https://andes.test/good", written))
    assert problems_for(site_dir) == [
        "articles/z.md:5: same url as articles/2021/2021-06-06-runoff-day.md: "
        f"{written} (https://andes.test/runoff there)\n"
        "  hint: remove the duplicate article, or correct its `url:`"
    ]


def test_an_international_host_and_its_xn_form_are_one_page(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("a.md", GOOD.replace("https://andes.test/good", "https://diariodelsurñ.pe/a"))
    url = "https://xn--diariodelsur-lhb.pe/a"
    write_article("z.md", GOOD.replace("https://andes.test/good", url) + "slug: z\n")
    assert problems_for(site_dir) == [
        f"articles/z.md:5: same url as articles/a.md: {url} (https://diariodelsurñ.pe/a there)\n"
        "  hint: remove the duplicate article, or correct its `url:`"
    ]


def test_two_anchors_into_one_page_or_two_pages_differing_in_case_are_two_urls(
    site_dir: Path, write_article: WriteArticle
) -> None:
    for name, url in [("y", "https://andes.test/runoff#one"), ("z", "https://andes.test/Runoff")]:
        write_article(f"{name}.md", GOOD.replace("https://andes.test/good", url) + f"slug: {name}")
    assert {"y", "z", "runoff-day"} <= {article.slug for article in loaded(site_dir).articles}


def test_every_problem_in_every_file_is_reported_in_one_run(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("a.md", GOOD.replace("Daily Andes", "Nobody").replace("2021-07-01", "soon"))
    write_article("b.md", "title: Only A Title")
    assert problems_for(site_dir) == [
        "articles/a.md:3: `date` is not a valid date: 'soon'\n"
        "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        "articles/a.md:4: unknown source `Nobody`\n"
        "  hint: declare it in sources.yaml (declared there: Daily Andes, Lima Weekly)",
        "articles/b.md:2: front matter is missing `date`\n  hint: add `date: 2021-07-28`",
        "articles/b.md:2: front matter is missing `source`\n"
        "  hint: add `source:` with the outlet's name from sources.yaml",
    ]


@pytest.mark.parametrize(
    ("written", "title"),
    [("3:0", "3:0"), ("1.10", "1.10"), ("010", "010"), ("0x1F", "0x1F"), ("1_000", "1_000"),
     ("2021", "2021"), ("-0.5", "-0.5"), (".5e3", ".5e3")],
)  # fmt: skip
def test_a_title_or_name_that_yaml_reads_as_a_number_is_kept_as_written(
    site_dir: Path, write_article: WriteArticle, written: str, title: str
) -> None:
    """YAML 1.1 reads `3:0` as 180 (base 60) and `010` as 8: a headline must stay as typed."""
    write_article("n.md", GOOD.replace("A Good Article", written) + f"authors: [{written}]\n")
    [article] = [a for a in loaded(site_dir).articles if a.path == "articles/n.md"]
    assert (article.title, article.authors) == (title, (title,))


def test_names_written_in_another_unicode_form_are_the_same_names(
    site_dir: Path, write_article: WriteArticle
) -> None:
    """``é`` may be one character or ``e`` and a combining accent: they look the same."""

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    sources = site_dir / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "- name: Página Doce\n", "utf-8")
    for name, source, author in [("a.md", nfd("Página Doce"), "José Pérez"),
                                 ("b.md", "Página Doce", nfd("José Pérez"))]:  # fmt: skip
        text = GOOD.replace("Daily Andes", source).replace("Good", name).replace("good", name)
        write_article(name, text + f"authors: [{author}]\n")
    report = Report()
    site = load_site(site_dir, report)
    mine = [a for a in site.articles if a.path in ("articles/a.md", "articles/b.md")]
    assert {(a.source, a.authors) for a in mine} == {("Página Doce", ("José Pérez",))}
    assert not [w for w in report.warnings if "looks like the same person" in w.message]


def test_a_topic_or_outlet_written_as_a_number_is_checked_like_any_name(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("n.md", GOOD.replace("Daily Andes", "1_000") + "topics: [010]\n")
    assert problems_for(site_dir) == [
        "articles/n.md:4: unknown source `1_000`\n"
        "  hint: declare it in sources.yaml (declared there: Daily Andes, Lima Weekly)",
        "articles/n.md:6: unknown topic `010`\n"
        "  hint: declare it in topics.yaml (declared there: election, quiet)",
    ]


def test_articles_are_checked_even_when_a_settings_file_has_problems(
    site_dir: Path, write_article: WriteArticle
) -> None:
    site_yaml = site_dir / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("America/Lima", "Mars/Olympus"))
    write_article("a.md", GOOD.replace("2021-07-01", "soon"))
    write_article("b.md", GOOD.replace("Daily Andes", "Nobody").replace("good", "b"))
    assert problems_for(site_dir) == [
        "articles/a.md:3: `date` is not a valid date: 'soon'\n"
        "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        "articles/b.md:4: unknown source `Nobody`\n"
        "  hint: declare it in sources.yaml (declared there: Daily Andes, Lima Weekly)",
        "site.yaml:5: `time_zone` is not a known time zone: 'Mars/Olympus'\n"
        "  hint: use an IANA name such as America/Lima",
    ]


def test_beside_broken_settings_dates_are_still_read_in_the_sites_time_zone(
    site_dir: Path, write_article: WriteArticle
) -> None:
    """10:00 at -05:00 is before 12:00 in Lima; in UTC it would not be."""
    dates = "date: 2021-07-01T10:00:00-05:00\nupdated: 2021-07-01 12:00\n"
    write_article("a.md", GOOD.replace("date: 2021-07-01\n", dates))
    with pytest.raises(DigestError) as raised:
        load_site(site_dir, Report(), base_url="ftp://x")
    assert [p.path for p in raised.value.problems] == ["--base-url"]
    site_yaml = site_dir / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("America/Lima", "Mars/Olympus"))
    assert [p.split(":")[0] for p in problems_for(site_dir)] == ["site.yaml"]  # not checked


def test_names_are_not_checked_against_a_settings_file_that_cannot_be_read(
    site_dir: Path, write_article: WriteArticle
) -> None:
    (site_dir / "sources.yaml").write_text("- name: [\n")
    (site_dir / "topics.yaml").write_text("topics: not a list\n")
    write_article("a.md", GOOD.replace("Daily Andes", "Nobody") + "topics: [nowhere]\n")
    write_article("b.md", GOOD.replace("good", "b") + "slug: runoff-day\n")
    assert problems_for(site_dir) == [
        "articles/b.md:6: same slug as articles/2021/2021-06-06-runoff-day.md: runoff-day\n"
        "  hint: give one of them a distinct `slug:`",
        "sources.yaml:2: invalid YAML: did not find expected node content while parsing a flow"
        " node\n  hint: check the quotes and indentation",
        "topics.yaml:1: must be a list of entries, each starting `- slug:`\n"
        "  hint: write each entry as a `- slug: …` line, its other keys below it, indented two "
        "spaces",
    ]


# Hostile and careless files: each is one clear problem at its file and line, never a crash or
# a hang, and never blamed on the output.

YAML_HINT = "  hint: check the quotes and indentation"


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\ntitle: *i\n"


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        (
            alias_bomb(),
            "articles/bad.md:2: YAML anchors and aliases (`&name`, `*name`) are not allowed\n"
            "  hint: write the value out in full where it is needed",
        ),
        (
            "title: " + "[" * 200 + "]" * 200,
            "articles/bad.md:2: YAML nested more than 10 levels deep\n"
            "  hint: write it flatter: no setting needs lists or mappings this deep",
        ),
        (
            "\n".join(" " * depth + "title:" for depth in range(200)) + " x",
            "articles/bad.md:12: YAML nested more than 10 levels deep\n"
            "  hint: write it flatter: no setting needs lists or mappings this deep",
        ),
        (
            "title: x\n? [a]\n: 1",
            "articles/bad.md:3: a YAML key must be plain text, not a list or a mapping\n"
            "  hint: write the key as a word, then a colon",
        ),
    ],
    ids=["alias-bomb", "nested-200-flow", "nested-200-block", "complex-key"],
)
def test_yaml_that_would_exhaust_or_crash_the_loader_is_one_problem(
    site_dir: Path, front_matter: str, expected: str
) -> None:
    (site_dir / "articles" / "bad.md").write_text(f"---\n{front_matter}\n---\n", "utf-8")
    hinted = expected if "\n  hint: " in expected else f"{expected}\n{YAML_HINT}"
    assert problems_for(site_dir) == [hinted]


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the test instead of hanging it (a FIFO opened for reading waits for a writer)."""
    try:
        with time_limit(seconds):
            yield
    except OutOfTimeError:
        raise TimeoutError(f"still running after {seconds} s") from None


def test_a_folder_named_like_an_article_is_a_folder_whose_articles_are_read(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("notes.md/inside.md", GOOD)
    assert "a-good-article" in {a.slug for a in loaded(site_dir).articles}


def test_a_dangling_symlink_named_like_an_article_is_reported(site_dir: Path) -> None:
    (site_dir / "articles" / "x.md").symlink_to(site_dir / "nowhere.md")
    assert problems_for(site_dir) == [
        "articles/x.md: broken symbolic link to nowhere.md\n"  # the path of content/ cut
        "  hint: point it at a file, or delete it"
    ]


def test_a_symlink_loop_is_reported(site_dir: Path) -> None:
    (site_dir / "articles" / "x.md").symlink_to("x.md")
    assert problems_for(site_dir) == [
        "articles/x.md: cannot read file: too many levels of symbolic links\n"
        "  hint: point the link at a file, or delete it"
    ]


def test_a_symlink_to_an_article_file_is_read(site_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(f"---\n{GOOD.strip()}\n---\n\nLinked.\n", "utf-8")
    (site_dir / "articles" / "linked.md").symlink_to(elsewhere)
    assert "a-good-article" in {a.slug for a in loaded(site_dir).articles}


def test_a_fifo_named_like_an_article_is_reported_without_waiting_for_it(site_dir: Path) -> None:
    os.mkfifo(site_dir / "articles" / "x.md")
    with deadline(10):
        problems = problems_for(site_dir)
    assert problems == [
        "articles/x.md: not a regular file\n  hint: content files must be plain files"
    ]


def test_an_unreadable_article_file_is_reported(
    site_dir: Path, write_article: WriteArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("locked.md", GOOD)
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any) -> int:
        if str(path).endswith("locked.md"):  # as root, chmod 000 would not stop a read
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr("peru_digest.inputfile.os.open", refuse)
    assert problems_for(site_dir) == [
        "articles/locked.md: cannot read file: permission denied\n  hint: check its permissions"
    ]


def test_an_article_file_larger_than_the_limit_is_reported(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("big.md", GOOD, ("Lorem ipsum dolor sit amet.\n\n" * 2400).strip())
    assert problems_for(site_dir) == [
        "articles/big.md: file larger than 32 KB\n  hint: shorten it, or split it"
    ]


def test_text_that_is_not_utf8_is_reported_at_its_line(site_dir: Path) -> None:
    (site_dir / "articles" / "latin1.md").write_bytes(
        f"---\n{GOOD.strip()}\n---\n\nPer\xfa\n".encode("latin-1")
    )
    assert problems_for(site_dir) == [
        "articles/latin1.md:8: not UTF-8 text (invalid start byte)\n  hint: save it as UTF-8"
    ]


def test_a_control_character_in_the_summary_is_reported_at_its_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("bell.md", GOOD, "First paragraph.\n\nA bell\x07 rings.")
    assert problems_for(site_dir) == [
        "articles/bell.md:10: control character U+0007\n"
        "  hint: delete it: it is invisible, and feeds cannot carry it"
    ]


def test_every_line_with_control_characters_is_reported_in_one_run(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("c1.md", GOOD.replace("A Good", "A\x85Good"), "Text\x85 and\ufffe.\x85\n")
    hint = "  hint: delete it: it is invisible, and feeds cannot carry it"
    assert problems_for(site_dir) == [
        f"articles/c1.md:2: control character U+0085\n{hint}",
        f"articles/c1.md:8: control characters U+0085, U+FFFE\n{hint}",
    ]


def test_a_control_character_is_reported_at_its_line_whatever_ends_the_lines(
    site_dir: Path,
) -> None:
    text = "---\ntitle: CR only\ndate: 2021-08-01\nsource: Daily Andes\n---\n\nBody \x03.\n"
    for name, end in (("mac.md", "\r"), ("windows.md", "\r\n")):
        (site_dir / "articles" / name).write_text(text.replace("\n", end), newline="")
    (site_dir / "articles" / "latin1.md").write_bytes(text.replace("\n", "\r").encode("latin-1")
                                                      .replace(b"\x03", b"\xe9"))  # fmt: skip
    hint = "  hint: delete it: it is invisible, and feeds cannot carry it"
    assert problems_for(site_dir) == [
        "articles/latin1.md:7: not UTF-8 text (invalid continuation byte)\n"
        "  hint: save it as UTF-8",
        f"articles/mac.md:7: control character U+0003\n{hint}",
        f"articles/windows.md:7: control character U+0003\n{hint}",
    ]


def test_a_key_that_is_no_text_is_reported_at_its_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("null.md", GOOD + "null: 1\n")
    write_article("twice.md", GOOD + "null: 1\n~: 2\n")
    assert problems_for(site_dir) == [
        "articles/null.md:6: unknown key `null` in front matter\n"
        "  hint: known keys: title, date, source, authors, url, topics, slug, id, updated, draft",
        "articles/twice.md:7: invalid YAML: found duplicate key `~`\n"
        "  hint: keep one of the two lines",
    ]


def test_a_summary_past_a_limit_hides_no_problem_of_the_front_matter(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("a.md", GOOD + "draft: maybe\nupdated: nope", "x" * 5001)
    assert problems_for(site_dir) == [
        "articles/a.md:6: `draft` must be true or false, not the text 'maybe'\n"
        "  hint: write true or false",
        "articles/a.md:7: `updated` is not a valid date: 'nope'\n"
        "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        "articles/a.md:10: paragraph of 5,001 characters; at most 5,000\n"
        "  hint: split it with blank lines",
    ]


def test_a_summary_that_repeats_a_long_link_reference_is_refused_not_written_out_again_and_again(
    site_dir: Path, write_article: WriteArticle
) -> None:
    address = "https://example.org/" + "x" * 4_000
    write_article("echo.md", GOOD, f"[a]: {address}\n\n" + "[a]\n\n" * 20)
    assert problems_for(site_dir) == [
        "articles/echo.md:8: the summary makes 81,579 characters of HTML; at most 65,536\n"
        "  hint: a link reference is written out in full at each use: link a long address "
        "once, or shorten the summary"
    ]


def test_a_summary_that_makes_too_much_html_without_a_link_reference_is_told_to_shorten(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("code.md", GOOD, "\n\n".join(["&& " * 1_200] * 6))  # & is &amp;
    assert problems_for(site_dir) == [
        "articles/code.md:8: the summary makes 79,246 characters of HTML; at most 65,536\n"
        "  hint: shorten the summary"
    ]


def test_a_character_reference_to_a_control_character_is_refused_at_its_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("ref.md", GOOD, "First paragraph.\n\nThe vote&#x1F;s were counted.")
    write_article("euro.md", GOOD, "Costs &#x80;5 (`&#x1F;` is code), &#11;")
    write_article("code.md", GOOD, "Write `&#x1F;` to break a feed.")
    assert problems_for(site_dir) == [
        "articles/euro.md:8: the summary writes a control character (U+000B) as a character "
        "reference\n"
        "  hint: delete the reference: the character is invisible, and feeds cannot carry it",
        "articles/ref.md:10: the summary writes a control character (U+001F) as a character "
        "reference\n"
        "  hint: delete the reference: the character is invisible, and feeds cannot carry it",
    ]


def test_a_file_name_that_is_not_utf8_or_holds_a_control_character_is_shown_escaped(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article(os.fsdecode(b"bad\xffname.md"), GOOD)
    write_article("esc\x1b[31mred.md", GOOD + "draft: maybe")
    assert problems_for(site_dir) == [
        "articles/bad\\xffname.md: the file's name is not UTF-8 text\n"
        "  hint: rename the file (its name's bytes that are not UTF-8 are shown as \\xNN)",
        "articles/esc\\x1b[31mred.md:6: `draft` must be true or false, not the text 'maybe'\n"
        "  hint: write true or false",
    ]


def test_a_control_character_hides_no_other_problem_of_its_file(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article(
        "c.md", "title:\ndate: 2021-07-01\nsource: Daily Andes\nurl: ftp://x.org/a", "A\x01B"
    )
    assert problems_for(site_dir) == [
        "articles/c.md:2: `title` has no value\n  hint: add `title: The article's headline`",
        "articles/c.md:5: `url` must be an absolute http(s) URL, not 'ftp://x.org/a'\n"
        "  hint: write it like https://example.org/page",
        "articles/c.md:8: control character U+0001\n"
        "  hint: delete it: it is invisible, and feeds cannot carry it",
    ]


def test_a_file_full_of_control_characters_is_reported_on_its_first_twenty_lines(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("binary.md", GOOD, "\x01\n" * 500)
    problems = problems_for(site_dir)
    assert len(problems) == 20
    assert problems[-1].startswith("articles/binary.md:27: control character U+0001\n")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Intro.\n\n" + "Lorem ipsum. " * 500,
            "articles/slow.md:10: paragraph of 6,500 characters; at most 5,000\n"
            "  hint: split it with blank lines",
        ),
        (
            "Intro.\n\n" + "[" * 60,
            "articles/slow.md:10: paragraph with 60 `[`; at most 32\n"
            "  hint: write a bracket that is not a link as \\[, or split the paragraph",
        ),
        (
            "\n".join("    " * level + "- item" for level in range(20)),
            "articles/slow.md:24: line nested deeper than 64 columns of indentation and list "
            "markers\n"
            "  hint: Markdown nests a list or code block at every marker and every 4 columns",
        ),
    ],
    ids=["long-paragraph", "many-brackets", "deep-list"],
)
def test_a_summary_that_would_make_markdown_slow_or_crash_names_the_file_and_line(
    site_dir: Path, write_article: WriteArticle, body: str, expected: str
) -> None:
    write_article("slow.md", GOOD, body)
    started = time.process_time()
    assert problems_for(site_dir) == [expected]
    assert time.process_time() - started < 2


def test_an_explicit_id_equal_to_another_articles_derived_id_names_both_files(
    site_dir: Path, write_article: WriteArticle
) -> None:
    derived = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://andes.test/runoff").urn)
    for name in ("0-first.md", "z-last.md"):  # reported whichever file comes first
        path = write_article(name, GOOD + f"id: {derived}\n")
        assert problems_for(site_dir) == [
            f"articles/{name}:6: same id as articles/2021/2021-06-06-runoff-day.md: {derived}\n"
            "  hint: give the newer article a new `id:`, or delete its `id:` line"
        ]
        path.unlink()


def test_a_title_longer_than_a_folder_name_gets_a_slug_a_folder_can_have(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("long.md", GOOD.replace("A Good Article", "Perú " * 80))
    slugs = {a.slug for a in loaded(site_dir).articles}
    assert max(len(slug) for slug in slugs) <= MAX_SLUG


def test_an_article_that_names_a_topic_twice_is_filed_under_it_once(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("a.md", GOOD + "topics: [election, quiet, election]")
    article = next(a for a in loaded(site_dir).articles if a.slug == "a-good-article")
    assert article.topics == ("election", "quiet")


@pytest.mark.parametrize(
    "written",
    [
        "not a uri <b>",
        "article-17",
        "urn:uuid:with space",
        "1x:y",
        ":no-scheme",
        "http://e.test/<x>",  # RFC 3987's excluded characters: what validators refuse
        'tag:e.test,2021:"quoted"',
        "urn:x:{1}",
        "urn:x:a\\b",
        "urn:x:a^b",
        "urn:x:a`b",
        "https://e.test/100%",  # a percent sign that starts no escape
        "https://e.test/%zz",
    ],
)
def test_an_id_that_is_no_uri_is_refused_as_atom_needs_one(
    site_dir: Path, write_article: WriteArticle, written: str
) -> None:
    write_article("id.md", GOOD + f"id: '{written}'\n")
    assert problems_for(site_dir) == [
        f"articles/id.md:6: `id` must be a URI, not {written!r}\n"
        "  hint: write it like urn:uuid:… or tag:example.org,2021:name; if no feed has published "
        "this article yet, delete the line and one is made from its link"
    ]


@pytest.mark.parametrize(
    ("written", "scheme"),
    [
        ("javascript:alert(document.cookie)", "javascript"),
        ("JavaScript:void(0)", "JavaScript"),
        ("vbscript:msgbox(1)", "vbscript"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
    ],
)
def test_an_id_that_is_a_script_or_a_document_is_refused_as_no_feed_may_carry_it(
    site_dir: Path, write_article: WriteArticle, written: str, scheme: str
) -> None:
    """Feeds publish the id, as the RSS guid and the Atom id: a reader that opens one as a
    link would run it."""
    write_article("id.md", GOOD + f"id: '{written}'\n")
    assert problems_for(site_dir) == [
        f"articles/id.md:6: `id` must not be a `{scheme}:` address, which runs or shows itself\n"
        "  hint: write it like urn:uuid:… or tag:example.org,2021:name; if no feed has published "
        "this article yet, delete the line and one is made from its link"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "urn:uuid:0e0d8f4c-0a52-5d3b-9d4e-4d0b8e2f7a11",
        "tag:andes.test,2021:7",
        "https://andes.test/ñ",
        "urn:diarionuevo:noticia|123",  # as feeds give them, and imports kept them
        "https://e.test/a%20b?q=%C3%B1#part",
    ],
)
def test_an_id_that_is_a_uri_or_iri_is_kept(
    site_dir: Path, write_article: WriteArticle, written: str
) -> None:
    write_article("id.md", GOOD + f"id: {written}\n")
    assert next(a.id for a in loaded(site_dir).articles if a.path == "articles/id.md") == written


def test_an_update_before_the_article_appeared_is_refused(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("updated.md", GOOD + "updated: 2020-01-01\n")
    assert problems_for(site_dir) == [
        "articles/updated.md:6: `updated` must not be earlier than `date` "
        "(2021-07-01T00:00:00-05:00), not 2020-01-01T00:00:00-05:00\n"
        "  hint: `updated` is when the summary last changed: write that date, or delete the line"
    ]


@pytest.mark.parametrize("updated", ["2021-07-01", "'2021-07-01'"])
def test_an_update_written_as_the_day_an_article_with_a_time_appeared_is_that_moment(
    site_dir: Path, write_article: WriteArticle, updated: str
) -> None:
    """``updated: 2021-07-01`` is midnight, hours before ``date: 2021-07-01T10:30``; it means
    the same day, and is taken as the moment the article appeared."""
    dated = GOOD.replace("date: 2021-07-01", "date: 2021-07-01T10:30")
    write_article("updated.md", dated + f"updated: {updated}\n")
    article = next(a for a in loaded(site_dir).articles if a.path == "articles/updated.md")
    assert article.updated == article.date
    assert article.updated.isoformat() == "2021-07-01T10:30:00-05:00"


def test_an_update_with_a_time_before_the_article_appeared_is_refused_even_the_same_day(
    site_dir: Path, write_article: WriteArticle
) -> None:
    dated = GOOD.replace("date: 2021-07-01", "date: 2021-07-01T10:30")
    write_article("updated.md", dated + "updated: 2021-07-01T09:00\n")
    assert problems_for(site_dir) == [
        "articles/updated.md:6: `updated` must not be earlier than `date` "
        "(2021-07-01T10:30:00-05:00), not 2021-07-01T09:00:00-05:00\n"
        "  hint: `updated` is when the summary last changed: write that date, or delete the line"
    ]


def test_a_files_problems_in_its_front_matter_and_in_its_summary_are_all_told_at_once(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article(
        "both.md",
        "title: Both Wrong\ndate: 2021-02-30\nsource: Daily Andes\nupdated: 2020-01-01",
        "Words &#x1F; here.",
    )
    write_article("untitled.md", "date: 2021-07-01\nsource: Daily Andes\nupdated: 2020-01-01")
    assert problems_for(site_dir) == [
        "articles/both.md:3: `date` is not a valid date: '2021-02-30'\n"
        "  hint: write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
        "articles/both.md:8: the summary writes a control character (U+001F) as a character "
        "reference\n"
        "  hint: delete the reference: the character is invisible, and feeds cannot carry it",
        "articles/untitled.md:2: front matter is missing `title`\n"
        "  hint: add `title: The article's headline`",
        "articles/untitled.md:4: `updated` must not be earlier than `date` "
        "(2021-07-01T00:00:00-05:00), not 2020-01-01T00:00:00-05:00\n"
        "  hint: `updated` is when the summary last changed: write that date, or delete the line",
    ]


def test_a_tab_in_the_front_matter_is_named_at_its_line_in_the_file(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("tab.md", GOOD + "\tupdated: 2021-07-02\n")
    assert problems_for(site_dir) == [
        "articles/tab.md:6: invalid YAML: a tab on this line: YAML indents with spaces only\n"
        "  hint: replace the tab with spaces"
    ]


def test_a_non_breaking_space_after_a_key_is_named_at_its_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article("nbsp.md", GOOD.replace("title: ", "title:\u00a0"))
    assert problems_for(site_dir) == [
        "articles/nbsp.md:2: invalid YAML: a no-break space after `title:`, where YAML needs "
        "an ordinary space\n  hint: replace it with an ordinary space"
    ]


@pytest.mark.parametrize("body", ["", "<!-- write the summary here -->", "[...]"])
def test_an_article_that_says_nothing_loads_with_a_warning_after_its_front_matter(
    site_dir: Path, write_article: WriteArticle, body: str
) -> None:
    write_article("a.md", GOOD + "topics: [election]", body)
    report = Report()
    load_site(site_dir, report)
    warned = [str(w).replace(f"{site_dir.as_posix()}/", "") for w in report.warnings]
    line = 9 if body else 8  # where the summary's text is, else right after the front matter
    assert [w for w in warned if w.startswith("articles/a.md")] == [
        f"articles/a.md:{line}: no summary\n"
        "  hint: write what the article reports below the front matter"
    ]
