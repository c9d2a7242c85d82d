"""Loading and validating articles: every rule reports file, line, problem and fix."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from peru_digest.content import load_site
from peru_digest.errors import Report

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
    assert site.summaries[evil.summary_key].html == (
        '<p>Hi  <a rel="nofollow noopener noreferrer">x</a> <b>bold</b></p>'
    )


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
            "  hint: check the quotes and indentation",
        ),
        (
            "---\n- a list\n---\n",
            "articles/bad.md:2: front matter must be `key: value` lines",
        ),
    ],
    ids=["no-fence", "unclosed-fence", "bad-yaml", "duplicate-key", "not-a-mapping"],
)
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
            ("source: Daily Andes\n", "source: Daily Andes\nsoruce: x\n"),
            "articles/bad.md:5: unknown key `soruce` in front matter\n"
            "  hint: did you mean `source`?",
        ),
        (
            ("title: A Good Article", "title: [a, b]"),
            "articles/bad.md:2: `title` must be text, not a list",
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
            ("source: Daily Andes\n", "source: Daily Andes\ntopics: [electon]\n"),
            "articles/bad.md:5: unknown topic `electon`\n"
            "  hint: declare it in topics.yaml, or did you mean `election`?",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\ntopics: election\n"),
            "articles/bad.md:5: `topics` must be a list, not str\n"
            "  hint: write it as [a, b] or one `- item` a line",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\nslug: Not A Slug\n"),
            "articles/bad.md:5: `slug` must be a slug, not 'Not A Slug'\n"
            "  hint: write it as `not-a-slug`",
        ),
        (
            ("source: Daily Andes\n", "source: Daily Andes\ndraft: maybe\n"),
            "articles/bad.md:5: `draft` must be true or false, not str",
        ),
    ],
    ids=[
        "missing-title",
        "unknown-key",
        "title-not-text",
        "impossible-date",
        "unparsable-date",
        "relative-url",
        "ftp-url",
        "undeclared-source",
        "undeclared-topic",
        "topics-not-a-list",
        "bad-slug",
        "draft-not-boolean",
    ],
)
def test_each_invalid_field_is_reported_exactly(
    site_dir: Path, write_article: WriteArticle, change: tuple[str, str], expected: str
) -> None:
    write_article("bad.md", GOOD.replace(*change))
    assert problems_for(site_dir) == [expected]


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
        + "\n  hint: give the newer article a new `id:`, or delete its `id:` line"
    ]


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
