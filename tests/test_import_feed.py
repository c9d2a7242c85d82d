"""import-feed: RSS and Atom entries in, one new file per article; never overwrite, never
duplicate, always report. One fixture feed per case, in tests/fixtures/feeds."""

from __future__ import annotations

import io
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import feedparser
import pytest

from peru_digest.build import build
from peru_digest.cli import main
from peru_digest.errors import DigestError
from peru_digest.importers.entities import surrogates_joined, well_formed_references
from peru_digest.importers.existing import scanned
from peru_digest.importers.feed import ends_whole, feedparser_reading, import_feed
from peru_digest.importers.feedentries import GROUP_DESCRIPTION, unusable
from peru_digest.importers.fetch import Limits, time_limit
from peru_digest.importers.plan import plan_import, read_settings
from peru_digest.importers.records import NewArticle
from peru_digest.importers.summaries import SUMMARY_WORDS
from peru_digest.markup import MarkdownRenderer

from .conftest import FIXTURES, SEED_SITE, TEMPLATES, loaded
from .imported import front_matter_of, reported, serving, shown, snapshot

FEEDS = FIXTURES / "feeds"
NOW = datetime(2024, 5, 6, 12, tzinfo=UTC)  # the import day, passed in as the CLI would
EVENT_HANDLER_OR_SCRIPT = re.compile(r"<script|<[^>]*\son\w+\s*=", re.IGNORECASE)


def import_lines(name: str, content: Path, **options: Any) -> list[str]:
    """The report of importing a fixture feed, paths shown from the content folder."""
    options.setdefault("dry_run", False)
    report = import_feed(str(FEEDS / name), content, now=NOW, **options)
    return reported(report, content)


def import_error(source: str, content: Path, **options: Any) -> str:
    """The one problem that stopped an import, as the CLI prints it."""
    with pytest.raises(DigestError) as raised:
        import_feed(source, content, now=NOW, dry_run=False, **options)
    assert len(raised.value.problems) == 1
    return str(raised.value)


def article(content: Path, name: str) -> str:
    return (content / "articles" / name).read_text(encoding="utf-8")


def front_matter(content: Path, name: str) -> dict[str, Any]:
    return front_matter_of(content / "articles" / name)


def body(content: Path, name: str) -> str:
    return article(content, name).split("---\n", 2)[2].strip()


# --- the feed formats -----------------------------------------------------------------------


def test_rss_2_entries_become_article_files(site_dir: Path) -> None:
    assert import_lines("rss20.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-28-castillo-sworn-in-as-president.md",
        "imported: content/articles/2021/2021-07-29-cabinet-named.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped.",
    ]
    assert article(site_dir, "2021/2021-07-28-castillo-sworn-in-as-president.md") == (
        "---\n"
        "title: Castillo Sworn In As President\n"
        "date: 2021-07-28T09:30:00-05:00\n"
        "source: Andes Wire\n"
        "authors: [Ana Quispe, Luis Mamani]\n"
        "url: https://andes-wire.test/2021/07/castillo-sworn-in\n"
        "topics: []\n"
        "id: https://andes-wire.test/2021/07/castillo-sworn-in\n"
        "---\n"
        "\n"
        "<p>Pedro Castillo took office in <em>Lima</em>.</p>\n"
    )
    # A bare guid ("4711") is unique only within its feed: it is kept as a tag: URI of the
    # feed's site and the entry's year; the url is written without its tracking parameters.
    assert front_matter(site_dir, "2021/2021-07-29-cabinet-named.md") == {
        "title": "Cabinet Named",
        "date": "2021-07-29T18:00:00+00:00",
        "source": "Andes Wire",
        "authors": ["Rosa Huamán"],
        "url": "https://andes-wire.test/2021/07/cabinet",
        "topics": [],
        "id": "tag:andes-wire.test,2021:4711",
    }
    sources = (site_dir / "sources.yaml").read_text(encoding="utf-8")
    assert sources.endswith(
        "- name: Lima Weekly\n- name: Andes Wire\n  homepage: https://andes-wire.test/\n"
    )


def test_rss_1_rdf_entries_become_article_files(site_dir: Path) -> None:
    assert import_lines("rss10_rdf.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-20-water-protest-in-cusco.md",
        "imported: content/articles/2021/2021-07-21-harvest-report.md",
        "added to sources.yaml: Sierra News (homepage: https://sierra.test/)",
        "2 imported, 0 skipped.",
    ]
    assert front_matter(site_dir, "2021/2021-07-20-water-protest-in-cusco.md") == {
        "title": "Water Protest In Cusco",
        "date": "2021-07-20T14:00:00-05:00",
        "source": "Sierra News",
        "authors": ["Rosa Huamán"],
        "url": "https://sierra.test/water-protest",
        "topics": [],
        "id": "https://sierra.test/water-protest",
    }
    harvest = front_matter(site_dir, "2021/2021-07-21-harvest-report.md")
    assert (harvest["date"], harvest["authors"]) == ("2021-07-21", [])


def test_atom_entries_become_article_files(site_dir: Path) -> None:
    assert import_lines("atom.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-28-fishers-strike-in-paita.md",
        "imported: content/articles/2021/2021-07-30-port-reopens.md",
        "added to sources.yaml: Coast Review (homepage: https://coast.test/)",
        "added to sources.yaml: Pacific Daily (homepage: https://pacific-daily.test/)",
        "2 imported, 0 skipped.",
    ]
    # An HTML title becomes plain text; "published" wins over "updated"; a text summary is
    # escaped, not read as HTML.
    assert article(site_dir, "2021/2021-07-28-fishers-strike-in-paita.md") == (
        "---\n"
        "title: Fishers Strike In Paita\n"
        "date: 2021-07-28T09:30:00-05:00\n"
        "source: Coast Review\n"
        "authors: [Ana Quispe]\n"
        "url: https://coast.test/fishers-strike\n"
        "topics: []\n"
        "id: tag:coast.test,2021:fishers-strike\n"
        "---\n"
        "\n"
        "<p>Boats stayed in port; fuel rose 2 * 3 &lt; 7 percent.</p>\n"
    )
    # The entry's own <source> names its outlet; "updated" stands in for a missing "published".
    port = front_matter(site_dir, "2021/2021-07-30-port-reopens.md")
    assert (port["source"], port["date"], port["id"]) == (
        "Pacific Daily",
        "2021-07-30T08:15:00-05:00",
        "urn:uuid:6f9c1b2e-8d1a-4c5e-9f3a-2b7d4e6a8c10",
    )
    assert body(site_dir, "2021/2021-07-30-port-reopens.md") == (
        "<p>The port of Paita reopened.</p>"
    )


def test_imported_articles_load_with_their_times_and_outlets(site_dir: Path) -> None:
    import_lines("rss20.xml", site_dir)
    import_lines("atom.xml", site_dir)
    site = loaded(site_dir)
    moments = {a.title: a.date.isoformat() for a in site.articles}
    assert moments["Castillo Sworn In As President"] == "2021-07-28T09:30:00-05:00"
    assert moments["Cabinet Named"] == "2021-07-29T13:00:00-05:00"  # 18:00 UTC, in Lima
    assert moments["Port Reopens"] == "2021-07-30T08:15:00-05:00"


def test_the_source_option_names_the_outlet_of_entries_that_do_not(site_dir: Path) -> None:
    lines = import_lines("rss20.xml", site_dir, outlet="Wire Service")
    assert lines[-2:] == [
        "added to sources.yaml: Wire Service (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped.",
    ]
    assert front_matter(site_dir, "2021/2021-07-29-cabinet-named.md")["source"] == "Wire Service"


def test_a_feed_without_a_title_needs_the_source_option(site_dir: Path) -> None:
    source = str(FEEDS / "untitled_feed.xml")
    assert import_error(source, site_dir) == (
        f"{source}: the feed has no title to name its outlet\n  hint: name it with --source NAME"
    )
    assert import_lines("untitled_feed.xml", site_dir, outlet="Untitled Press")[-2:] == [
        "added to sources.yaml: Untitled Press (homepage: https://untitled.test/)",
        "1 imported, 0 skipped.",
    ]


# --- summaries --------------------------------------------------------------------------------

STRIKE = "2021/2021-07-26-strike-closes-the-center.md"


def test_summaries_lose_scripts_and_handlers_and_their_links_become_absolute(
    site_dir: Path,
) -> None:
    import_lines("unsafe_summaries.xml", site_dir)
    assert body(site_dir, STRIKE) == (
        '<p>Read <a href="https://lima-daily.test/news/2021/more" '
        'rel="nofollow noopener noreferrer">more</a> '
        "or <a>this</a>.</p>\n"
        '<p><img src="https://lima-daily.test/news/2021/photos/strike.jpg" alt="Strikers"> '
        "Workers *marched* to [the square](/plaza).</p>"
    )
    text = article(site_dir, STRIKE)
    for unsafe in ("script", "onclick", "onmouseover", "onerror", "javascript:", "iframe"):
        assert unsafe not in text
    assert "style" not in text
    assert "display" not in text


def test_loose_text_in_a_summary_is_not_read_as_markdown(site_dir: Path) -> None:
    import_lines("unsafe_summaries.xml", site_dir)
    html = MarkdownRenderer()(body(site_dir, STRIKE))
    assert "Workers *marched* to [the square](/plaza)." in html
    assert "<em>" not in html


# --- dates ------------------------------------------------------------------------------------


def test_an_entry_without_a_date_gets_the_feeds_date(site_dir: Path) -> None:
    assert import_lines("missing_dates_feed_date.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-31-congress-elects-its-president.md "
        "(no date; the feed's date was used)",
        "imported: content/articles/2021/2021-07-30-markets-calm.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped.",
    ]
    congress = front_matter(site_dir, "2021/2021-07-31-congress-elects-its-president.md")
    assert congress["date"] == "2021-07-31T07:00:00-05:00"


def test_an_entry_in_an_undated_feed_gets_the_import_day(site_dir: Path) -> None:
    assert import_lines("missing_dates_import_day.xml", site_dir) == [
        "imported: content/articles/2024/2024-05-06-undated-report.md "
        "(no date; the import day was used)",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "1 imported, 0 skipped.",
    ]
    assert front_matter(site_dir, "2024/2024-05-06-undated-report.md")["date"] == "2024-05-06"


def test_the_unix_epoch_is_no_date(site_dir: Path) -> None:
    assert import_lines("epoch_dates.xml", site_dir) == [
        "imported: content/articles/2024/2024-05-06-placeholder-report.md "
        "(no date; the import day was used)",
        "imported: content/articles/2021/2021-08-02-dated-report.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped.",
    ]


def test_the_import_day_is_the_day_where_the_site_is(site_dir: Path) -> None:
    evening_in_lima = datetime(2024, 5, 7, 2, tzinfo=UTC)  # 21:00 on 6 May in Lima
    import_feed(
        str(FEEDS / "missing_dates_import_day.xml"), site_dir, now=evening_in_lima, dry_run=False
    )
    assert front_matter(site_dir, "2024/2024-05-06-undated-report.md")["date"] == "2024-05-06"


# --- never twice, never overwritten -----------------------------------------------------------


def test_duplicate_entries_within_a_feed_are_imported_once(site_dir: Path) -> None:
    """The update is the same page; the agreement in full is another page, and the guid it
    shares with the first entry, given to two pages, identifies neither."""
    first = "content/articles/2021/2021-07-27-mine-dispute-settled.md"
    assert import_lines("duplicate_entries.xml", site_dir) == [
        f"imported: {first}",
        "imported: content/articles/2021/2021-07-27-mine-dispute-the-agreement-in-full.md",
        f"skipped: 'Mine Dispute Settled (Updated)': same url as {first}",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 1 skipped.",
    ]


def test_tracking_parameters_do_not_hide_an_article_already_there(site_dir: Path) -> None:
    assert import_lines("tracking_parameters.xml", site_dir) == [
        "skipped: 'Runoff Day: Polls Open': same url as "
        "content/articles/2021/2021-06-06-runoff-day.md",
        "skipped: 'Inauguration Day': same url as content/articles/2021/2021-07-28-inauguration.md",
        "0 imported, 2 skipped.",
    ]


def test_an_entry_whose_id_is_already_there_is_skipped(site_dir: Path) -> None:
    assert import_lines("entry_id_already_imported.xml", site_dir) == [
        "skipped: 'Inauguration: A New Era': same id as "
        "content/articles/2021/2021-07-28-inauguration.md",
        "0 imported, 1 skipped.",
    ]


def test_importing_the_same_feed_twice_adds_nothing(site_dir: Path) -> None:
    import_lines("rss20.xml", site_dir)
    before = snapshot(site_dir)
    assert import_lines("rss20.xml", site_dir) == [
        "skipped: 'Castillo Sworn In As President': same id as "
        "content/articles/2021/2021-07-28-castillo-sworn-in-as-president.md",
        "skipped: 'Cabinet Named': same id as content/articles/2021/2021-07-29-cabinet-named.md",
        "0 imported, 2 skipped.",
    ]
    assert snapshot(site_dir) == before


def test_an_article_turned_down_as_a_draft_stays_out_and_a_deleted_one_comes_back(
    site_dir: Path,
) -> None:
    import_lines("rss20.xml", site_dir)
    sworn = site_dir / "articles/2021/2021-07-28-castillo-sworn-in-as-president.md"
    cabinet = site_dir / "articles/2021/2021-07-29-cabinet-named.md"
    sworn.write_text(sworn.read_text("utf-8").replace("---\n", "---\ndraft: true\n", 1), "utf-8")
    cabinet.unlink()
    assert import_lines("rss20.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-29-cabinet-named.md",
        "skipped: 'Castillo Sworn In As President': same id as "
        "content/articles/2021/2021-07-28-castillo-sworn-in-as-president.md",
        "1 imported, 1 skipped.",
    ]


@pytest.mark.parametrize(
    ("line", "broken"),
    [
        ("title: Cabinet Named", 'title: "Cabinet Named: editing'),  # a quote left open
        ("title: Cabinet Named", "title: Cabinet Named\nauthors: ["),  # a list left open
    ],
)
def test_an_article_whose_front_matter_an_editor_is_fixing_is_not_imported_again(
    site_dir: Path, line: str, broken: str
) -> None:
    import_lines("rss20.xml", site_dir)
    path = site_dir / "articles/2021/2021-07-29-cabinet-named.md"
    path.write_text(path.read_text(encoding="utf-8").replace(line, broken), "utf-8")
    before = snapshot(site_dir)
    assert import_lines("rss20.xml", site_dir)[1:] == [
        "skipped: 'Cabinet Named': same id as content/articles/2021/2021-07-29-cabinet-named.md",
        "0 imported, 2 skipped.",
    ]
    assert snapshot(site_dir) == before


def test_what_a_broken_front_matter_says_is_read_from_its_own_lines_only() -> None:
    text = (
        '---\ntitle: "Open quote\nurl: https://a.pe/1\n\nFuente url: https://a.pe/2\nMadrid: id\n'
    )
    assert scanned(text) == {
        "title": "Open quote",
        "source": "",
        "url": "https://a.pe/1",
        "id": "",
        "slug": "",
        "date": "",
    }


def test_the_written_id_recognises_an_article_an_editor_changed(site_dir: Path) -> None:
    import_lines("atom.xml", site_dir)
    path = site_dir / "articles/2021/2021-07-30-port-reopens.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("coast.test/port-reopens", "coast.test/2021/port")
    path.write_text(text.replace("title: Port Reopens", "title: Paita Port Reopens"), "utf-8")
    assert import_lines("atom.xml", site_dir)[1:] == [
        "skipped: 'Port Reopens': same id as content/articles/2021/2021-07-30-port-reopens.md",
        "0 imported, 2 skipped.",
    ]


def test_an_existing_file_is_never_overwritten(site_dir: Path) -> None:
    taken = site_dir / "articles/2021/2021-07-28-castillo-sworn-in-as-president.md"
    taken.write_text("an editor's notes, not an article\n", encoding="utf-8")
    assert import_lines("rss20.xml", site_dir)[0] == (
        "imported: content/articles/2021/2021-07-28-castillo-sworn-in-as-president-2.md"
    )
    assert taken.read_text(encoding="utf-8") == "an editor's notes, not an article\n"
    written = front_matter(site_dir, "2021/2021-07-28-castillo-sworn-in-as-president-2.md")
    assert written["slug"] == "castillo-sworn-in-as-president-2"


def test_a_dry_run_writes_nothing(site_dir: Path) -> None:
    before = snapshot(site_dir)
    assert import_lines("rss20.xml", site_dir, dry_run=True) == [
        "would be imported: content/articles/2021/2021-07-28-castillo-sworn-in-as-president.md",
        "would be imported: content/articles/2021/2021-07-29-cabinet-named.md",
        "would be added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "Dry run, nothing written: 2 would be imported, 0 skipped.",
    ]
    assert snapshot(site_dir) == before


def test_the_shared_writer_compares_canonical_urls_whichever_importer_calls_it(
    site_dir: Path,
) -> None:
    shared = NewArticle(
        title="Runoff",
        date=date(2021, 6, 6),
        source="Daily Andes",
        authors=(),
        url="http://andes.test/runoff/?utm_source=digest",
        summary="Shared again.",
    )
    report = plan_import([shared], read_settings(site_dir), dry_run=False).report
    assert shown(report.skipped, site_dir) == [
        "'Runoff': same url as content/articles/2021/2021-06-06-runoff-day.md"
    ]


# --- entries that are not articles, feeds that are not feeds ---------------------------------


def test_entries_without_a_title_or_a_web_link_are_skipped_with_the_reason(
    site_dir: Path,
) -> None:
    untitled = "content/articles/2024/2024-05-06-a-link-without-a-title.md"
    assert import_lines("entries_without_title_or_link.xml", site_dir) == [
        f"imported: {untitled} (no title; the summary's first sentence was used: review it; "
        "no date; the import day was used)",
        "imported: content/articles/2021/2021-07-29-relative-link.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped, 3 refused.",
        "refused: 'Linkless Note': no link",
        "refused: entry 3: no title or link",
        "refused: 'Mail The Desk': the link must be an absolute http(s) URL: "
        "'mailto:desk@andes-wire.test'",
    ]
    relative = front_matter(site_dir, "2021/2021-07-29-relative-link.md")
    assert relative["url"] == "https://andes-wire.test/2021/07/relative"


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ('https://exitosa.pe/nota?q="Castillo"', "must not contain '\"'"),
        ("https://user:pass@gestion.pe/peru/x", "must not contain a user name or password"),
        ("https://gestion.pe\\evil.com/x", "must not contain a backslash"),
    ],
)
def test_a_link_the_build_would_refuse_is_refused_with_the_builds_reason(
    link: str, reason: str
) -> None:
    assert unusable(3, "Nota", link) == f"'Nota': the link {reason}: {link!r}"


def test_an_entry_refused_for_its_link_counts_as_there_once_an_editor_adds_it_by_hand(
    site_dir: Path,
) -> None:
    import_lines("entries_without_title_or_link.xml", site_dir)
    for title in ("Linkless Note", "Mail The Desk"):
        assert main([
            "new", "--content", str(site_dir), "--title", title, "--source", "Andes Wire",
            "--url", f"https://andes-wire.test/{title.lower().replace(' ', '-')}",
            "--date", "2021-07-29",
        ]) == 0  # fmt: skip
    assert import_lines("entries_without_title_or_link.xml", site_dir)[-2:] == [
        "0 imported, 4 skipped, 1 refused.",
        "refused: entry 3: no title or link",
    ]


def test_a_truncated_feed_imports_the_entries_it_recovered_and_says_so(site_dir: Path) -> None:
    assert import_lines("truncated_entries_recovered.xml", site_dir) == [
        "warning: the feed is not well-formed (line 22: no element found); 3 entries recovered",
        "imported: content/articles/2021/2021-07-26-first-complete-item.md",
        "imported: content/articles/2021/2021-07-27-second-complete-item.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped, 1 refused.",
        "refused: 'Third, Cut Off': no link",
    ]


def test_a_feed_truncated_before_its_entries_imports_nothing(site_dir: Path) -> None:
    before = snapshot(site_dir)
    source = str(FEEDS / "truncated_before_entries.xml")
    assert import_error(source, site_dir) == (
        f"{source}: the feed is not well-formed (line 5: no element found); "
        "no entries could be recovered"
    )
    assert snapshot(site_dir) == before


def test_a_web_page_is_not_a_feed(site_dir: Path) -> None:
    before = snapshot(site_dir)
    source = str(FEEDS / "not_a_feed.html")
    assert import_error(source, site_dir) == (
        f"{source}: not an RSS, Atom or JSON feed\n"
        "  hint: this is a web page; it links to its feed, /feed.xml: import that address"
    )
    assert snapshot(site_dir) == before


def test_a_missing_file_is_one_clear_line(site_dir: Path) -> None:
    source = (FEEDS / "no_such_feed.xml").as_posix()
    assert import_error(source, site_dir) == (
        f"{source}: cannot read the feed: No such file or directory"
    )


@pytest.mark.parametrize("name", sorted(path.name for path in FEEDS.iterdir()))
def test_every_fixture_feed_imports_valid_safe_articles_at_most_once(
    site_dir: Path, name: str
) -> None:
    before = snapshot(site_dir)
    try:
        first = import_feed(str(FEEDS / name), site_dir, now=NOW, dry_run=False)
    except DigestError:
        assert snapshot(site_dir) == before
        return
    again = import_feed(str(FEEDS / name), site_dir, now=NOW, dry_run=False)
    assert (again.imported, len(again.skipped)) == ([], len(first.imported) + len(first.skipped))
    loaded(site_dir)
    for path in first.imported:
        text = Path(path).read_text(encoding="utf-8")
        assert not EVENT_HANDLER_OR_SCRIPT.search(text)


MEDIA_RSS = b"search.yahoo.com/mrss"
MEDIA_TEXTS = frozenset({
    "title", "title_detail", "summary", "summary_detail", "content",
    GROUP_DESCRIPTION, f"{GROUP_DESCRIPTION}_detail",
})  # fmt: skip


# What feedparser's tolerant reader leaves encoded (outside content), read here as its strict
# reader reads it (see test_import_references: a `<br>` changed no link, id or name).
READ_AS_STRICT = frozenset({
    "link", "links", "id", "comments", "feedburner_origlink", "author", "author_detail",
    "authors", "tags", "category", "media_content",
})  # fmt: skip


def without(entry: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key not in keys}


@pytest.mark.parametrize("name", sorted(path.name for path in FEEDS.iterdir()))
def test_the_feed_is_read_as_feedparser_reads_it_its_ampersands_made_xml_but_for_media_texts(
    name: str,
) -> None:
    data = (FEEDS / name).read_bytes()
    ours = feedparser_reading(data, "")
    xml = well_formed_references(surrogates_joined(data).data)  # feedparser fails on halves
    theirs = feedparser.parse(io.BytesIO(xml), sanitize_html=False, resolve_relative_uris=False)
    assert (ours.version, ours.feed, ours.bozo) == (theirs.version, theirs.feed, theirs.bozo)
    assert repr(ours.get("bozo_exception")) == repr(theirs.get("bozo_exception"))
    kept_apart = MEDIA_TEXTS if MEDIA_RSS in data else frozenset()
    kept_apart |= READ_AS_STRICT if theirs.bozo else frozenset()
    assert [without(e, kept_apart) for e in ours.entries] == [
        without(e, kept_apart) for e in theirs.entries
    ]


# --- fetching from a URL ----------------------------------------------------------------------


@dataclass
class FeedServer:
    url: str  # http://127.0.0.1:PORT
    user_agents: list[str]


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """Serves the fixture feeds on 127.0.0.1; /slow.xml answers only when the test is over."""
    release = threading.Event()
    user_agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            user_agents.append(self.headers.get("User-Agent", ""))
            if self.path == "/slow.xml":
                release.wait(10)
                return
            path = FEEDS / self.path.lstrip("/")
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    with serving(Handler) as url:
        try:
            yield FeedServer(url, user_agents)
        finally:
            release.set()  # a request still waiting ends before the server stops


def test_a_feed_is_fetched_from_a_url(site_dir: Path, feed_server: FeedServer) -> None:
    report = import_feed(f"{feed_server.url}/rss20.xml", site_dir, now=NOW, dry_run=False)
    assert shown(report.lines(), site_dir)[-2:] == [
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "2 imported, 0 skipped.",
    ]
    assert feed_server.user_agents == ["peru-digest/0.1"]


def test_an_http_error_is_one_line_and_no_traceback(
    site_dir: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{feed_server.url}/missing.xml"
    assert main(["import-feed", url, "--content", str(site_dir)]) == 1
    assert capsys.readouterr().err == (
        f"{url}: HTTP error 404: Not Found\n"
        "  hint: check the address; if the outlet moved its feed, its home page links to the "
        "new one\n"
        "1 problem found. Nothing was imported.\n"
    )


def test_a_server_that_does_not_answer_in_time_is_one_line(
    site_dir: Path, feed_server: FeedServer
) -> None:
    url = f"{feed_server.url}/slow.xml"
    started = time.monotonic()
    limits = Limits(read_timeout=0.2)
    assert import_error(url, site_dir, limits=limits) == f"{url}: timed out after 0.2 s"
    assert time.monotonic() - started < 5


def test_a_refused_connection_is_one_line(site_dir: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    message = import_error(url, site_dir, limits=Limits(read_timeout=2))
    assert message.startswith(f"{url}: cannot connect: ")
    assert "\n" not in message


# --- the command ------------------------------------------------------------------------------


def test_the_command_prints_the_report(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed, content = str(FEEDS / "rss20.xml"), str(site_dir)
    assert main(["import-feed", feed, "--source", "Wire", "--dry-run", "--content", content]) == 0
    out = capsys.readouterr().out
    assert "would be added to sources.yaml: Wire (homepage: https://andes-wire.test/)\n" in out
    assert out.endswith("Dry run, nothing written: 2 would be imported, 0 skipped.\n")
    assert main(["import-feed", feed, "--content", content]) == 0
    assert capsys.readouterr().out.endswith("2 imported, 0 skipped.\n")


def test_the_commands_warnings_go_to_standard_error(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = str(FEEDS / "truncated_entries_recovered.xml")
    assert main(["import-feed", feed, "--dry-run", "--content", str(site_dir)]) == 1
    out, err = capsys.readouterr()
    assert not any(line.startswith("warning:") for line in out.splitlines())
    assert err.startswith(
        "warning: the feed is not well-formed (line 22: no element found); 3 entries recovered\n"
    )


def test_entries_that_cannot_be_imported_are_problems_with_a_hint_and_exit_1(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cron job must notice lost articles: the rest is imported, the refused are named on
    standard error, and the exit status says so (re-imports, which are normal, do not)."""
    feed = FEEDS / "date_unparseable.xml"
    assert main(["import-feed", str(feed), "--content", str(site_dir)]) == 1
    out, err = capsys.readouterr()
    assert out.endswith("1 imported, 0 skipped, 2 refused.\n")
    hint = "  hint: add it by hand (`peru-digest new`) if the digest needs it\n"
    assert err == (
        f"{feed}: entry 1 ('Dina Boluarte juramenta como presidenta'): "
        f"unreadable date '0000-00-00 00:00:00'\n{hint}"
        f"{feed}: entry 2 ('Pedro Castillo es trasladado a la Diroes'): "
        f"unreadable date 'hace 2 horas'\n{hint}"
        "2 problems found. The other entries were imported.\n"
    )
    assert main(["import-feed", str(feed), "--content", str(site_dir)]) == 1  # still refused
    out, err = capsys.readouterr()
    assert out.endswith("0 imported, 1 skipped, 2 refused.\n")
    assert err.endswith("2 problems found. None was imported.\n")
    content = str(site_dir)  # the editor follows the hint for one of them
    new = ["new", "--content", content, "--source", "Diario Correo", "--date", "2022-12-07"]
    title = "Dina Boluarte juramenta como presidenta"
    url = "https://diariocorreo.pe/politica/dina-boluarte-juramenta-como-presidenta-noticia/"
    assert main([*new, "--title", title, "--url", url]) == 0
    capsys.readouterr()
    assert main(["import-feed", str(feed), "--content", content]) == 1
    out, err = capsys.readouterr()
    assert out.endswith("0 imported, 2 skipped, 1 refused.\n")


# --- our own feed ---------------------------------------------------------------------------


def test_our_own_built_feed_imports_back(site_dir: Path, tmp_path: Path) -> None:
    public = tmp_path / "public"
    build(site_dir, TEMPLATES, public)
    feed = public / "feed.xml"
    empty = tmp_path / "empty"
    (empty / "articles").mkdir(parents=True)
    for name in ("site.yaml", "topics.yaml"):
        shutil.copy(site_dir / name, empty / name)

    report = import_feed(str(feed), empty, now=NOW, dry_run=False)

    entries = feedparser.parse(feed.read_bytes()).entries
    published = {(e.title, e.link, e.id) for e in entries}
    imported = {
        (data["title"], data["url"], data["id"])
        for path in (empty / "articles").rglob("*.md")
        if (data := front_matter_of(path))
    }
    assert imported == published
    assert {title for title, _, _ in imported} == {
        "Inauguration: ‘A New Era’",
        "The Count Begins",
        "Runoff Day",
    }
    assert report.new_sources == ["Daily Andes", "Lima Weekly"]
    assert (empty / "sources.yaml").exists()
    again = import_feed(str(feed), empty, now=NOW, dry_run=False)
    assert again.lines()[-1] == "0 imported, 3 skipped."


def test_the_real_sites_feed_recreates_its_15_titles_and_links(tmp_path: Path) -> None:
    public = tmp_path / "public"
    build(SEED_SITE, TEMPLATES, public, search=False)
    empty = tmp_path / "empty"
    (empty / "articles").mkdir(parents=True)
    for name in ("site.yaml", "topics.yaml"):
        shutil.copy(SEED_SITE / name, empty / name)
    feed = str(public / "feed.xml")

    assert import_feed(feed, empty, now=NOW, dry_run=False).lines()[-1] == (
        "15 imported, 0 skipped."
    )
    entries = feedparser.parse((public / "feed.xml").read_bytes()).entries
    imported = {
        (data["title"], data["url"])
        for path in (empty / "articles").rglob("*.md")
        if (data := front_matter_of(path))
    }
    assert imported == {(e.title, e.link) for e in entries}
    assert len(imported) == 15
    again = import_feed(feed, empty, now=NOW, dry_run=False)
    assert again.lines()[-1] == "0 imported, 15 skipped."


def test_spaces_in_a_link_are_encoded_not_a_reason_to_skip(site_dir: Path) -> None:
    assert import_lines("link_with_spaces.xml", site_dir)[-1] == "1 imported, 0 skipped."
    data = front_matter(site_dir, "2021/2021-07-30-budget-approved.md")
    assert data["url"] == "https://andes-wire.test/2021/07/budget%20approved.html"


def test_an_entry_whose_date_the_feed_breaks_off_in_is_refused_not_dated_today(
    site_dir: Path,
) -> None:
    """The date was there, cut off: the import day would put a 2021 story on top as news."""
    lines = import_lines("truncated_in_the_last_date.xml", site_dir)
    assert lines[1:] == [
        "imported: content/articles/2021/2021-07-26-first-complete-item.md",
        "added to sources.yaml: Andes Wire (homepage: https://andes-wire.test/)",
        "1 imported, 0 skipped, 1 refused.",
        "refused: entry 2 ('Ejecutivo presentó el proyecto de presupuesto'): no date, where the "
        "feed breaks off: the entry may be cut short",
    ]


def test_a_whole_feed_that_is_not_well_formed_breaks_off_nowhere(site_dir: Path) -> None:
    """A ``<br>`` left open makes the feed not well-formed, yet it ends with ``</rss>``: its
    last entry, without a date like the others, is not cut short."""
    assert import_lines("not_well_formed_but_whole.xml", site_dir) == [
        "warning: the feed is not well-formed (line 7: mismatched tag); 2 entries recovered",
        "imported: content/articles/2024/2024-05-06-castillo-cerron.md (no date; the import "
        "day was used)",
        "imported: content/articles/2024/2024-05-06-el-gabinete.md (no date; the import day was "
        "used)",
        "added to sources.yaml: Diario Sin Fechas (homepage: https://sinfechas.pe/)",
        "2 imported, 0 skipped.",
    ]


@pytest.mark.parametrize(
    ("ending", "whole"),
    [
        (b"</rss>", True),
        (b"</rss>\n<!-- cached -->\n<!-- 0.2 s -->\n", True),
        (b"</rdf:RDF>", True),
        (b"<item><title>Cut", False),
        (b"</rss>" + b"<!-- cached -->" * 40 + b"<!-- cut", False),  # linear, however many
        (b"</channel>", False),
    ],
)
def test_a_document_is_whole_when_its_root_ends_it(ending: bytes, whole: bool) -> None:
    with time_limit(5):
        assert ends_whole(b'<?xml version="1.0"?><rss><channel>' + ending) is whole


def test_a_whole_article_as_summary_keeps_its_opening_for_review(site_dir: Path) -> None:
    """A feed that gives the whole post (38 KB) is not refused: its opening is the summary."""
    cut = "the feed gives the whole article: its opening was kept as the summary: review it"
    assert import_lines("summary_too_long.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-17-cronologia-completa-de-las-protestas.md "
        f"({cut})",
        "imported: content/articles/2022/2022-12-14-lo-que-sabemos-del-estado-de-emergencia.md",
        "added to sources.yaml: Wayka (homepage: https://wayka.pe)",
        "2 imported, 0 skipped.",
    ]
    body = site_dir / "articles/2022/2022-12-17-cronologia-completa-de-las-protestas.md"
    summary = body.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert summary.lstrip().startswith("<p>Las protestas continuaron en el sur del país")
    assert len(summary.split()) <= SUMMARY_WORDS
    loaded(site_dir)


def test_a_description_with_no_words_gives_way_to_the_content(site_dir: Path) -> None:
    """WordPress describes a post that is all video or photos as ``[…]``: its content's
    words are the summary."""
    import_lines("wordpress_description_only_ellipsis.xml", site_dir)
    bodies = {
        name: (site_dir / "articles" / "2021" / name).read_text(encoding="utf-8").split("---\n")[2]
        for name in (
            "2021-08-02-video-castillo-en-puno.md",
            "2021-07-30-galeria-la-juramentacion-del-gabinete.md",
        )
    }
    assert list(bodies.values()) == [
        "\n<p>El presidente Castillo habló en Puno ante miles de campesinos sobre la segunda "
        "reforma agraria.</p>\n",
        '\n<ul><li><img src="https://wayka.pe/wp-content/uploads/2021/07/gabinete-1.jpg" '
        'alt=""></li></ul>\n<p>Guido Bellido juró como presidente del Consejo de Ministros en '
        "Ayacucho.</p>\n",
    ]
    loaded(site_dir)


def test_an_arc_xp_article_in_content_encoded_only_keeps_its_first_paragraphs(
    site_dir: Path,
) -> None:
    """Arc XP (Gestión, El Comercio, La República, Infobae): an empty description, the whole
    article with its links and emphasis in content:encoded (over the 100 `<` a summary may
    hold). Whole paragraphs are kept, with their markup, up to the word limit."""
    cut = "the feed gives the whole article: its opening was kept as the summary: review it"
    [line, *_] = import_lines("arc_whole_article_only.xml", site_dir)
    path = "2021/2021-11-25-mef-anuncia-medidas-para-reactivar-la-economia.md"
    assert line == f"imported: content/articles/{path} ({cut})"
    summary = (site_dir / "articles" / path).read_text(encoding="utf-8").split("---\n", 2)[2]
    paragraphs = summary.strip().split("\n")
    assert len(paragraphs) == 7  # 16 words each: 7 are 112, 8 would pass 120
    assert paragraphs[0] == (
        "<p>El <b>ministro</b> de Economía dijo el párrafo 1 sobre las <a "
        'href="https://gestion.pe/noticias/mef/" rel="nofollow noopener noreferrer">medidas</a> '
        "del <i>MEF</i> y el <strong>BCR</strong>.</p>"
    )
    assert "Foto: Andina" not in summary
    loaded(site_dir)
