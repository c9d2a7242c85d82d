"""Feeds subscribers can trust: valid, complete, stable ids, absolute links, nothing unsafe."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import feedparser
import pytest

from peru_digest import render as render_module
from peru_digest.build import build
from peru_digest.errors import DigestError
from peru_digest.feedcheck import conformance
from peru_digest.feeds import Feed

from .conftest import TEMPLATES, WriteArticle

BASE = "https://digest.test/"
FEEDS = [
    "feed.xml",
    "atom.xml",
    "topics/election/feed.xml",
    "topics/election/atom.xml",
    "topics/quiet/feed.xml",
    "topics/quiet/atom.xml",
    "sources/daily-andes/feed.xml",
    "sources/daily-andes/atom.xml",
    "sources/lima-weekly/feed.xml",
    "sources/lima-weekly/atom.xml",
    "editions/feed.xml",
    "editions/atom.xml",
]


def parsed(public: Path, path: str) -> feedparser.FeedParserDict:
    return feedparser.parse((public / path).read_bytes())


def json_feed(public: Path) -> dict[str, object]:
    result: dict[str, object] = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("path", FEEDS)
def test_every_xml_feed_is_well_formed_for_feedparser(public: Path, path: str) -> None:
    feed = parsed(public, path)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.version in ("rss20", "atom10")


def test_each_feed_carries_the_same_articles_as_its_page(public: Path) -> None:
    expected = {
        "feed.xml": ["Inauguration: ‘A New Era’", "The Count Begins", "Runoff Day"],
        "topics/election/feed.xml": ["The Count Begins", "Runoff Day"],
        "topics/quiet/feed.xml": [],
        "sources/daily-andes/atom.xml": ["Inauguration: ‘A New Era’", "Runoff Day"],
        "sources/lima-weekly/atom.xml": ["The Count Begins"],
    }
    for path, titles in expected.items():
        assert [e.title for e in parsed(public, path).entries] == titles, path


def test_an_item_has_everything_a_reader_shows(public: Path) -> None:
    rss = parsed(public, "feed.xml").entries[1]
    atom = parsed(public, "atom.xml").entries[1]
    for entry in (rss, atom):
        assert entry.title == "The Count Begins"
        assert entry.link == "https://digest.test/2021/06/the-count-begins/"
        assert [a.name for a in entry.authors] == ["Ana Quispe", "Luis Mamani"]
        assert [t.term for t in entry.tags] in (["Election"], ["election"])
    assert rss.published == "Sun, 06 Jun 2021 22:30:00 -0500"
    assert atom.published == "2021-06-06T22:30:00-05:00"
    assert rss.source == {
        "href": "https://digest.test/sources/lima-weekly/feed.xml",
        "title": "Lima Weekly",
    }
    assert atom.source.title == "Lima Weekly"


def test_the_json_feed_of_a_site_without_a_description_has_none_not_an_empty_one(
    site_dir: Path, tmp_path: Path
) -> None:
    settings = site_dir / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("description: A small site for the tests.\n", ""), "utf-8")
    build(site_dir, TEMPLATES, tmp_path / "public", search=False)
    assert "description" not in json_feed(tmp_path / "public")
    assert json_feed(tmp_path / "public")["title"] == "Test Digest"


def test_the_json_feed_has_the_required_fields(public: Path) -> None:
    feed = json_feed(public)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Test Digest"
    assert feed["feed_url"] == "https://digest.test/feed.json"
    items = feed["items"]
    assert isinstance(items, list)
    assert [item["title"] for item in items] == [
        "Inauguration: ‘A New Era’",
        "The Count Begins",
        "Runoff Day",
    ]
    for item in items:
        assert item["id"] and ("content_html" in item or "content_text" in item)
    assert items[0]["external_url"] == "https://andes.test/inauguration?ref=1&x=2"
    assert items[0]["date_published"] == "2021-07-28T00:00:00-05:00"
    # JSON Feed 1.1: an item's authors are one or more, else the feed's stand for them; an
    # article without a byline is credited to its outlet, not to the digest.
    assert feed["authors"] == [{"name": "Test Digest"}]
    assert [item.get("authors") for item in items] == [
        [{"name": "Daily Andes"}],
        [{"name": "Ana Quispe"}, {"name": "Luis Mamani"}],
        [{"name": "Ana Quispe"}],
    ]


def test_the_item_limit_comes_from_site_yaml(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "extra.md",
        "title: Extra\ndate: 2021-08-02\nsource: Lima Weekly\nurl: https://lima-weekly.test/extra",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    assert len(parsed(tmp_path / "out", "feed.xml").entries) == 3  # feed_items: 3


def test_a_retitled_item_keeps_its_id_in_every_format(site_dir: Path, tmp_path: Path) -> None:
    def ids() -> tuple[str, str, str]:
        build(site_dir, TEMPLATES, tmp_path / "out", search=False)
        out = tmp_path / "out"
        return (
            parsed(out, "feed.xml").entries[2].id,
            parsed(out, "atom.xml").entries[2].id,
            json_feed(out)["items"][2]["id"],  # type: ignore[index]
        )

    before = ids()
    article = site_dir / "articles/2021/2021-06-06-runoff-day.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("title: Runoff Day", "title: Runoff Day In Peru\nslug: runoff")
        .replace("https://andes.test/runoff", "https://andes.test/2021/runoff")
        .replace("topics: [election]", "topics: [election]\nid: " + before[0]),
        encoding="utf-8",
    )
    assert ids() == before
    assert parsed(tmp_path / "out", "feed.xml").entries[2].title == "Runoff Day In Peru"


def test_summaries_in_feeds_have_absolute_links_and_no_script(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "links.md",
        "title: Links\ndate: 2021-08-03\nsource: Lima Weekly\nurl: https://lima-weekly.test/l",
        "See [the count](../../06/the-count-begins/) and ![a map](/img/map.png).\n\n"
        "<script>alert(1)</script><a href='javascript:alert(2)' onclick='alert(3)'>x</a>",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    html = parsed(out, "atom.xml").entries[0].content[0].value
    assert 'href="https://digest.test/2021/06/the-count-begins/"' in html
    assert 'src="https://digest.test/img/map.png"' in html
    for text in [
        html,
        (out / "feed.xml").read_text("utf-8"),
        (out / "feed.json").read_text("utf-8"),
    ]:
        assert "<script" not in text and "&lt;script" not in text
        assert "javascript:" not in text and "onclick" not in text


def test_feed_content_summary_gives_plain_text(site_dir: Path, tmp_path: Path) -> None:
    settings = site_dir / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "feed_content: summary\n", "utf-8")
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    entry = parsed(tmp_path / "out", "atom.xml").entries[0]
    assert entry.summary == "The president took office. A second paragraph with a link."
    assert "content_text" in json_feed(tmp_path / "out")["items"][0]  # type: ignore[index]


def test_plain_text_in_an_rss_description_stays_text_for_readers_that_take_it_for_html(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    settings = site_dir / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "feed_content: summary\n", "utf-8")
    for name in "ab":  # two articles, so that their author has a page and a feed
        write_article(
            f"{name}.md",
            f"title: Markup {name}\ndate: 2021-08-0{ord(name) - 96}\nsource: Lima Weekly\n"
            f"url: https://l.test/{name}\nauthors: ['<img src=x onerror=alert(1)> & Co']",
            "Text &lt;img src=x onerror=alert(2)&gt; end.",
        )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    out = tmp_path / "out"
    rss = parsed(out, "feed.xml")
    # as HTML, which shows the text as written
    assert rss.entries[0].summary == "Text &lt;img src=x onerror=alert(2)&gt; end."
    assert "<description>Text &amp;lt;img src=x onerror=alert(2)&amp;gt; end.</description>" in (
        out / "feed.xml"
    ).read_text("utf-8")
    [author_feed] = (out / "authors").glob("img-*/feed.xml")
    assert feedparser.parse(author_feed.read_bytes()).feed.subtitle == (
        "Test Digest: articles by &lt;img src=x onerror=alert(1)&gt; &amp; Co"
    )


def test_every_page_links_its_feeds_for_autodiscovery(public: Path) -> None:
    topic = (public / "topics/election/index.html").read_text("utf-8")
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Test Digest (RSS)" '
        'href="../../feed.xml">'
    ) in topic
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Election (Atom)" '
        'href="../../topics/election/atom.xml">'
    ) in topic
    article = (public / "2021/06/runoff-day/index.html").read_text("utf-8")
    assert 'type="application/feed+json" title="Test Digest (JSON Feed)"' in article


def test_the_feeds_page_lists_every_feed_and_the_opml_every_stream_once(public: Path) -> None:
    page = (public / "feeds/index.html").read_text("utf-8")
    opml = (public / "feeds.opml").read_text("utf-8")
    for path in [*FEEDS, "feed.json"]:
        assert f'href="../{path}"' in page
    # A reader that imports the OPML shows each item once: one format a stream, Atom.
    listed = re.findall(r'xmlUrl="([^"]+)"', opml)
    assert all(url.endswith("/atom.xml") for url in listed)
    assert "version=" not in opml.split("<body>")[1]  # OPML 2.0 names versions of RSS only
    assert len(set(listed)) == len(listed)
    assert {BASE + path for path in FEEDS if path.endswith("atom.xml")} <= set(listed)
    assert len(listed) == len({path for path in page.split('"') if path.endswith("atom.xml")})


FEED = Feed("feed.xml", "rss", "T", "", BASE, BASE + "feed.xml", (), "T", "en", None, True)


def test_the_conformance_check_names_each_violation_and_item() -> None:
    broken = """<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>T</title><link>https://digest.test/</link><description>d</description>
<atom:link rel="self" href="https://elsewhere.test/feed.xml"/>
<item><title>A</title><link>/relative/</link><guid>1</guid><pubDate>2021-06-06</pubDate>
<description>&lt;a href="../x"&gt;x&lt;/a&gt;</description></item>
<item><title>B</title><link>https://digest.test/b/</link><guid>1</guid>
<pubDate>Mon, 31 Feb 2021 00:00:00 -0500</pubDate></item>
</channel></rss>"""
    assert conformance(FEED, broken) == [
        "feed: rel=self link is ['https://elsewhere.test/feed.xml'], "
        "not its own URL 'https://digest.test/feed.xml'",
        "item 1 (1): date '2021-06-06' is not RFC 822",
        "item 1 (1): URL '/relative/' is not absolute",
        "item 1 (1): URL '../x' is not absolute",
        "item 2 (1): id used twice",
        "item 2 (1): date 'Mon, 31 Feb 2021 00:00:00 -0500' is not RFC 822",
    ]
    assert conformance(FEED, "<rss><channel>") == [
        "not well-formed: no element found: line 1, column 14"
    ]


def test_the_conformance_check_holds_rss_bylines_to_the_rss_profile() -> None:
    """``author`` is an email address; a name alone is a ``dc:creator``, never empty."""
    rss = f"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><link>{BASE}</link>
<description>d</description><atom:link rel="self" href="{FEED.url}"/>
<item><title>A</title><link>{BASE}a/</link><guid>1</guid>
<pubDate>Sun, 06 Jun 2021 00:00:00 -0500</pubDate><author>Ana Quispe</author>
<author>ana@example.org (Ana Quispe)</author><dc:creator> </dc:creator>
<dc:creator>Luis Mamani</dc:creator></item></channel></rss>"""
    assert conformance(FEED, rss) == [
        "item 1 (1): author 'Ana Quispe' is not an email address (a name: dc:creator)",
        "item 1 (1): empty dc:creator",
    ]


def test_the_conformance_check_holds_atom_ids_to_uris_and_updates_after_publication() -> None:
    atom = dataclasses.replace(FEED, format="atom")
    broken = f"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>feed 1</id><title>T</title>
<updated>2021-06-06T00:00:00Z</updated><link rel="self" href="{FEED.url}"/>
<author><name>D</name></author>
<entry><id>not a uri &lt;b&gt;</id><title>A</title><published>2021-08-01T00:00:00-05:00</published>
<updated>2020-01-01T00:00:00-05:00</updated></entry>
</feed>"""
    assert conformance(atom, broken) == [
        "feed: id 'feed 1' is not a URI",
        "entry 1 (not a uri <b>): id 'not a uri <b>' is not a URI",
        "entry 1 (not a uri <b>): updated '2020-01-01T00:00:00-05:00' is earlier than "
        "published '2021-08-01T00:00:00-05:00'",
    ]


def test_the_conformance_check_reports_a_date_without_its_time_rather_than_fail() -> None:
    atom = dataclasses.replace(FEED, format="atom")
    broken = f"""<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>T</title>
<updated>2021-06-06T00:00:00Z</updated><link rel="self" href="{FEED.url}"/>
<author><name>D</name></author><entry><id>urn:x:2</id><title>A</title>
<published>2021-08-01T00:00:00-05:00</published><updated>2021-08-01</updated></entry></feed>"""
    assert conformance(atom, broken) == ["entry 1 (urn:x:2): date '2021-08-01' is not RFC 3339"]


def test_the_conformance_check_holds_a_json_feed_to_json_feed_1_1() -> None:
    """No JSON Feed reader is at hand in Debian: the check is the spec's keys and types."""
    json_feed = dataclasses.replace(FEED, format="json", url=BASE + "feed.json")
    broken = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ["T"],
        "feed_url": BASE + "feed.json",
        "author": {"name": "D"},
        "items": [
            {
                "id": "1",
                "url": BASE + "a/",
                "title": "A",
                "content_html": "<p>a</p>",
                "date_published": "2021-08-01T00:00:00-05:00",
                "date_modified": "2021-08-01",
                "authors": {"name": "Ana"},
                "tags": ["x", 1],
            },
            {
                "id": "2",
                "url": BASE + "b/",
                "content_text": 2,
                "date_published": "2021-08-01T00:00:00-05:00",
                "date_modified": "2021-07-01T00:00:00-05:00",
                "authors": [{"email": "ana@example.org"}],
            },
            "an item",
        ],
    }
    assert conformance(json_feed, json.dumps(broken)) == [
        "feed: `title` is not a string",
        "feed: `author` is JSON Feed 1.0's; 1.1 has `authors`, a list",
        "item 1 (1): date '2021-08-01' is not RFC 3339",
        "item 1 (1): `authors` is not a list of objects with a name, url or avatar",
        "item 1 (1): `tags` is not a list of strings",
        "item 2 (2): `content_text` is not a string",
        "item 2 (2): updated '2021-07-01T00:00:00-05:00' is earlier than "
        "published '2021-08-01T00:00:00-05:00'",
        "item 2 (2): `authors` is not a list of objects with a name, url or avatar",
        "item 3: not an object",
    ]


def test_a_feed_that_fails_the_check_fails_the_build_and_keeps_the_old_site(
    site_dir: Path, public: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    monkeypatch.setattr(render_module, "render_feed", lambda feed, views: "<rss/>")
    with pytest.raises(DigestError) as raised:
        build(site_dir, TEMPLATES, public, search=False)
    assert (
        str(raised.value.problems[0])
        == f"{public.as_posix()}/atom.xml: invalid Atom feed: not an Atom 1.0 document"
    )
    assert len(raised.value.problems) == 15  # every feed, reported in one run
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before


def test_an_item_without_a_link_leads_to_its_own_page_in_every_format(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "nolink.md",
        "title: No Link Yet\ndate: 2021-08-02\nsource: Lima Weekly\ntopics: [election]",
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    own_page = "https://digest.test/2021/08/no-link-yet/"
    rss = parsed(tmp_path / "out", "feed.xml").entries[0]
    atom = parsed(tmp_path / "out", "atom.xml").entries[0]
    assert rss.link == atom.link == own_page
    assert [link.rel for link in atom.links] == ["alternate"]
    item = json_feed(tmp_path / "out")["items"][0]  # type: ignore[index]
    assert item["url"] == own_page
    assert "external_url" not in item


def test_an_atom_entry_names_its_outlet_as_rfc_4287_recommends(public: Path) -> None:
    atom = (public / "atom.xml").read_text("utf-8")
    assert (
        "<source>\n      <id>https://digest.test/sources/lima-weekly/</id>\n"
        "      <title>Lima Weekly</title>\n      <updated>2021-06-06T22:30:00-05:00</updated>\n"
        '      <link href="https://digest.test/sources/lima-weekly/" />\n    </source>'
    ) in atom


def test_an_article_without_a_byline_is_credited_to_its_outlet_not_to_the_digest(
    public: Path,
) -> None:
    """An Atom entry without an author of its own takes the feed's (RFC 4287, 4.2.1)."""
    feed = parsed(public, "atom.xml")
    inauguration = next(e for e in feed.entries if "Inauguration" in e.title)
    assert [author.name for author in inauguration.authors] == ["Daily Andes"]
    assert all(entry.authors for entry in feed.entries)


def test_an_rss_item_without_a_byline_credits_its_outlet_as_atom_and_json_feed_do(
    public: Path,
) -> None:
    """Readers show an RSS item's ``dc:creator`` as its author (one element per author): the
    same names in every format, the outlet's for an article whose byline names only it."""
    rss = parsed(public, "feed.xml")
    assert [[author.name for author in entry.get("authors", [])] for entry in rss.entries] == [
        ["Daily Andes"],
        ["Ana Quispe", "Luis Mamani"],
        ["Ana Quispe"],
    ]
    assert "<dc:creator>Daily Andes</dc:creator>" in (public / "feed.xml").read_text("utf-8")


def test_text_that_quotes_html_is_not_mistaken_for_a_link(
    site_dir: Path, write_article: WriteArticle, tmp_path: Path
) -> None:
    write_article(
        "quote.md",
        "title: Quoting\ndate: 2021-08-03\nsource: Lima Weekly\nurl: https://l.test/q\n"
        "topics: [election]",
        'The page said `<a href="/r/x">` and &lt;img src="/i.png"&gt; in plain text.',
    )
    build(site_dir, TEMPLATES, tmp_path / "out", search=False)
    rss = (tmp_path / "out" / "feed.xml").read_text("utf-8")
    assert '&lt;code&gt;&amp;lt;a href="/r/x"&amp;gt;&lt;/code&gt;' in rss  # text, twice escaped
