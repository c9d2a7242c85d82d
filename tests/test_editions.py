"""Editions on the site: a page per complete week, an index, editions/latest/, and a feed.

The fixture site has two editions with Monday weeks: 2021-W22 (31 May – 6 June: two election
articles on Sunday 6 June) and 2021-W30 (26 July – 1 August: one article with no topic).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from peru_digest.build import build
from peru_digest.cli import main
from peru_digest.errors import DigestError
from peru_digest.feedcheck import conformance
from peru_digest.feeds import render_feed
from peru_digest.group import plan_site
from peru_digest.urls import FEED_FILES, Format
from peru_digest.views import ArticleViews

from .conftest import FIXTURES, TEMPLATES, WriteArticle, loaded, read

BASE = "https://digest.test/"


def main_text(page: str) -> str:
    """What a reader reads in the page's <main>: tags dropped, spaces collapsed."""
    found = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert found is not None
    text = re.sub(r"</?(?:a|small|span|time|em|strong)\b[^>]*>", "", found.group(1))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def links_in_main(page: str) -> list[str]:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    return re.findall(r'<a (?:rel="\w+" )?href="([^"]+)"', main)


def set_week_start(site_dir: Path, day: str) -> None:
    settings = site_dir / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + f"week_start: {day}\n", "utf-8")


def test_an_edition_page_shows_its_week_by_topic_with_the_dates_in_its_heading(
    public: Path,
) -> None:
    page = read(public, "editions/2021-W22/index.html")
    assert "<h1>Edition 2021-W22 <small>31 May – 6 June 2021</small></h1>" in page
    assert main_text(page).startswith(
        "Edition 2021-W22 31 May – 6 June 2021 The week’s 2 articles, by topic. "
        "Election Runoff Day 6 June 2021 · by Ana Quispe · Daily Andes "
        "Voters went to the polls. Turnout was high. Election "
        "The Count Begins 6 June 2021 · by Ana Quispe, Luis Mamani · Lima Weekly"
    )
    assert '<h2><a href="../../topics/election/">Election</a></h2>' in page


def test_an_edition_links_the_editions_before_and_after_it(public: Path) -> None:
    older = read(public, "editions/2021-W22/index.html")
    newer = read(public, "editions/2021-W30/index.html")
    assert '<a rel="next" href="../../editions/2021-W30/">26 July – 1 August 2021 →</a>' in older
    assert 'rel="prev"' not in older
    assert '<a rel="prev" href="../../editions/2021-W22/">← 31 May – 6 June 2021</a>' in newer
    assert 'rel="next"' not in newer
    for page in (older, newer):
        assert '<a href="../../editions/">All editions</a>' in page


def test_articles_with_no_topic_are_other_news(public: Path) -> None:
    page = read(public, "editions/2021-W30/index.html")
    assert "<h2>Other news</h2>" in page
    assert "Inauguration: ‘A New Era’" in main_text(page)


def test_an_edition_page_has_the_head_metadata_of_every_page(public: Path) -> None:
    page = read(public, "editions/2021-W22/index.html")
    title = "Edition 2021-W22: 31 May – 6 June 2021"
    assert f"<title>{title} · Test Digest</title>" in page
    assert '<link rel="canonical" href="https://digest.test/editions/2021-W22/">' in page
    description = "2 articles from the week of 31 May – 6 June 2021, by topic."
    assert f'<meta name="description" content="{description}">' in page
    assert f'<meta property="og:title" content="{title}">' in page
    for feed in (
        '<link rel="alternate" type="application/rss+xml" title="Test Digest (RSS)" '
        'href="../../feed.xml">',
        '<link rel="alternate" type="application/rss+xml" title="Weekly editions (RSS)" '
        'href="../../editions/feed.xml">',
        '<link rel="alternate" type="application/atom+xml" title="Weekly editions (Atom)" '
        'href="../../editions/atom.xml">',
    ):
        assert feed in page


def test_latest_shows_the_newest_edition_and_names_its_own_address(public: Path) -> None:
    latest = read(public, "editions/latest/index.html")
    assert "<h1>Edition 2021-W30 <small>26 July – 1 August 2021</small></h1>" in latest
    assert (
        "The latest complete week: 1 article by topic. This edition’s own address is "
        "editions/2021-W30/."
    ) in main_text(latest)
    # A copy: search engines are sent to the edition's own address.
    assert '<link rel="canonical" href="https://digest.test/editions/2021-W30/">' in latest
    assert "editions/latest/" not in read(public, "sitemap.xml")


def test_the_editions_index_lists_each_edition_newest_first_with_its_count(
    public: Path,
) -> None:
    page = read(public, "editions/index.html")
    assert main_text(page) == (
        "Editions Each complete week’s articles, grouped by topic. The newest is always at "
        "editions/latest/. Follow them, one item a week: RSS, Atom. "
        "2021 26 July – 1 August 2021 2021-W30 · 1 article "
        "31 May – 6 June 2021 2021-W22 · 2 articles"
    )
    assert links_in_main(page) == [
        "../editions/latest/",
        "../editions/feed.xml",
        "../editions/atom.xml",
        "../editions/2021-W30/",
        "../editions/2021-W22/",
    ]


def test_the_site_nav_leads_to_the_editions(public: Path) -> None:
    assert '<li><a href="./editions/">Editions</a></li>' in read(public, "index.html")
    assert '<a href="../editions/" aria-current="page">Editions</a>' in read(
        public, "editions/index.html"
    )


def test_the_editions_feed_has_one_item_per_edition(public: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((public / "editions" / name).read_bytes())
        assert not feed.bozo
        assert feed.feed.title == "Test Digest: weekly editions"
        assert [entry.title for entry in feed.entries] == [
            "Edition 2021-W30: 26 July – 1 August 2021",
            "Edition 2021-W22: 31 May – 6 June 2021",
        ]
        assert [entry.link for entry in feed.entries] == [
            f"{BASE}editions/2021-W30/",
            f"{BASE}editions/2021-W22/",
        ]
    rss = read(public, "editions/feed.xml")
    assert "<pubDate>Mon, 07 Jun 2021 00:00:00 -0500</pubDate>" in rss  # when the week ended
    atom = feedparser.parse((public / "editions/atom.xml").read_bytes())
    body = atom.entries[1].content[0].value
    assert body.startswith(
        '<h2>Election</h2>\n<h3><a href="https://digest.test/2021/06/runoff-day/">Runoff Day</a>'
        "</h3>\n<p>6 June 2021 · Daily Andes</p>\n<p>Voters went to the polls."
    )


def test_editions_make_a_valid_feed_in_every_format() -> None:
    site = loaded(FIXTURES / "site")
    (atom,) = [f for f in plan_site(site, search=False).feeds if f.path == "editions/atom.xml"]
    views = ArticleViews(site, site.summaries)
    kinds: list[Format] = ["rss", "atom", "json"]
    for kind in kinds:
        name = FEED_FILES[kind]
        feed = replace(atom, format=kind, path=f"editions/{name}", url=f"{BASE}editions/{name}")
        text = render_feed(feed, views)
        assert conformance(feed, text) == [], kind
        assert "Edition 2021-W22: 31 May – 6 June 2021" in text


def test_an_edition_keeps_its_feed_id_when_its_articles_change(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    def ids() -> list[str]:
        build(site_dir, TEMPLATES, tmp_path / "out", search=False)
        feed = feedparser.parse((tmp_path / "out/editions/atom.xml").read_bytes())
        return [entry.id for entry in feed.entries]

    before = ids()
    write_article(
        "late.md",
        "title: Late\ndate: 2021-06-05\nsource: Daily Andes\nurl: https://andes.test/late",
    )
    runoff = site_dir / "articles/2021/2021-06-06-runoff-day.md"
    runoff.write_text(runoff.read_text("utf-8").replace("Runoff Day", "Runoff"), "utf-8")
    assert (
        ids()
        == before
        == [
            "urn:uuid:6595a801-77d3-5610-8560-8380745882c3",
            "urn:uuid:cf26d565-3afe-5c7d-ac63-ed657cdfb19e",
        ]
    )


def test_the_feeds_page_lists_the_editions_feeds(public: Path) -> None:
    page = read(public, "feeds/index.html")
    assert '<a href="../editions/feed.xml">Test Digest: weekly editions</a>' in page
    assert f'xmlUrl="{BASE}editions/atom.xml"' in read(public, "feeds.opml")


def test_a_week_still_under_way_has_no_edition_yet(site_dir: Path, tmp_path: Path) -> None:
    friday = datetime(2021, 7, 30, 12, tzinfo=UTC)
    build(site_dir, TEMPLATES, tmp_path / "out", search=False, now=friday)
    out = tmp_path / "out"
    assert not (out / "editions/2021-W30").exists()
    assert "Edition 2021-W22" in read(out, "editions/latest/index.html")
    assert "2021-W30" not in read(out, "editions/index.html")


def test_the_week_starts_on_the_day_site_yaml_names(site_dir: Path, tmp_path: Path) -> None:
    set_week_start(site_dir, "sunday")
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    page = read(tmp_path / "out", "editions/2021-W23/index.html")
    assert "<h1>Edition 2021-W23 <small>6–12 June 2021</small></h1>" in page


def test_a_week_start_that_is_no_day_is_reported_at_its_line(
    site_dir: Path, tmp_path: Path
) -> None:
    set_week_start(site_dir, "lunes")
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    assert [str(p).replace(f"{site_dir}/", "") for p in raised.value.problems] == [
        "site.yaml:8: `week_start` must be `monday` or `tuesday` or `wednesday` or `thursday` "
        "or `friday` or `saturday` or `sunday`, not 'lunes'\n  hint: write one of these words"
    ]


def test_a_site_with_no_complete_week_has_an_empty_index_and_no_latest(
    site_dir: Path, tmp_path: Path
) -> None:
    before_any = datetime(2021, 6, 1, tzinfo=UTC)
    build(site_dir, TEMPLATES, tmp_path / "out", search=False, now=before_any, future=True)
    out = tmp_path / "out"
    assert "No week is complete yet." in main_text(read(out, "editions/index.html"))
    assert "editions/latest/" not in read(out, "editions/index.html")
    assert not (out / "editions/latest").exists()


def test_the_edition_command_gives_the_week_of_the_edition_page(
    site_dir: Path, public: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["edition", "--week", "2021-W22", "--format", "text", "--content", str(site_dir)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith("Test Digest: 31 May – 6 June 2021\n")
    page = main_text(read(public, "editions/2021-W22/index.html"))
    assert page.index("Runoff Day") < page.index("The Count Begins")
    assert text.index("Runoff Day") < text.index("The Count Begins")


def test_the_edition_command_takes_a_week_or_a_period_not_both(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["edition", "--week", "2021-W22", "--from", "2021-06-01"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.endswith(
        "peru-digest edition: error: give either --week, or both --from and --to\n"
    )


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ["--from", "2021-09-01", "--to", "2021-08-01"],
            "--to 2021-08-01 is before --from 2021-09-01: the period runs from one to the other",
        ),
        (
            ["--from", "1/8/2021", "--to", "2021-08-07"],
            "argument --from: '1/8/2021' is not a date: write it as YYYY-MM-DD, such as 2021-07-28",
        ),
        (
            ["--week", "2021-35"],
            "argument --week: '2021-35' is not a week: write it as YYYY-Www, such as 2021-W35",
        ),
    ],
    ids=["backwards", "not-iso", "not-a-week-label"],
)
def test_a_period_must_run_forwards_between_two_written_dates(
    capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["edition", *argv])
    assert raised.value.code == 2
    assert capsys.readouterr().err.endswith(f"peru-digest edition: error: {error}\n")
