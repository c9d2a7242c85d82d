"""Whatever bytes a feed holds, reading it gives entries, or a problem that names the feed:
never an internal error (feedparser's own failures included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peru_digest.errors import DigestError
from peru_digest.importers.feed import check_feed, import_feed, parse_bytes
from peru_digest.importers.feedentries import entry_candidates, feed_context
from peru_digest.importers.fetch import Limits

from .imported import front_matter_of
from .test_import_feed import NOW, import_error, import_lines

LOCATION = "feed.xml"
TODAY = date(2024, 5, 6)

# What feeds are made of (whole elements, in items, or not), and what fuzzing found feedparser
# failing on: references to no character, a NUL or a no-break space where XML names things.
_DECLARATIONS = st.sampled_from([
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b"<?xml version='1.0' encoding='ISO-8859-1'?>",
    b'<?xml version="1.0" encoding="utf\x00-8"?>',
    b'<?xml version="1.0" encoding="bogus"?>',
    b'<?xml version="1.0" encoding="UTF-16"?>',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"",
])  # fmt: skip
_OPENINGS = st.sampled_from([
    b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
    b'<rss version="2.0" xmlns:dc="http:&nbsp;//purl.org/dc/elements/1.1/"><channel>',
    b'<rss version="2.0" xmlns:dc="http://purl.org/dc/ elements/1.1/"><channel>',
    b'<!DOCTYPE rss [<!ENTITY e "&#233;"><!ENTITY f "x">]><rss version="2.0"><channel>',
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://purl.org/rss/1.0/"><channel>',
    b"<channel>",
    b"",
])  # fmt: skip
_PIECES = st.sampled_from([
    b"<item>", b"</item>", b"<entry>", b"</entry>", b"</channel>", b"</rss>",
    b"https://diario.example/nota?id=1&amp;s=2", b"Mon, 02 Aug 2021 10:00:00 -0500",
    b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<br>", b"<p>", b"</p>", b"<", b">", b'"', b"&",
    b"&amp;", b"&amp;amp;", b"&nbsp;", b"&e;", b"&#55357;", b"&#56832;", b"&#xD800;",
    b"&#x110000;", b"&#0;", b"&#99999999999;", b"&amp;#55357;", b"\x00", b"\x93", b"\xd1\x80",
    b"Per\xc3\xba", b"Ana Ruiz", b" y ", b"https://twitter.com/anaruiz", b"@anaruiz",
])  # fmt: skip
_TEXT = st.lists(_PIECES | st.binary(max_size=4), max_size=6).map(b"".join)
_NAMES = [
    b"title", b"link", b'guid isPermaLink="false"', b"guid", b"dc:creator", b"author",
    b"description", b"content:encoded", b"pubDate", b"dc:date", b"comments", b"category",
]  # fmt: skip
_ELEMENT = st.builds(
    lambda name, text: b"<%s>%s</%s>" % (name, text, name.split(b" ")[0]),
    st.sampled_from(_NAMES),
    _TEXT,
)
_ITEM = st.lists(_ELEMENT | _PIECES, max_size=8).map(lambda parts: b"".join([b"<item>", *parts]))
FEEDISH = st.builds(
    lambda declaration, opening, channel, items, ending: (
        declaration + opening + b"".join(channel) + b"</item>".join(items) + ending
    ),
    _DECLARATIONS,
    _OPENINGS,
    st.lists(_ELEMENT, max_size=3),
    st.lists(_ITEM, max_size=4),
    st.sampled_from([b"</item></channel></rss>", b"</item></channel></rdf:RDF>", b"", b"</ite"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FEEDISH)
def test_any_feedish_bytes_give_entries_or_a_problem_naming_the_feed(data: bytes) -> None:
    try:
        parsed, _, _ = parse_bytes(data, "application/rss+xml", LOCATION, Limits())
        check_feed(parsed, LOCATION, Limits())
        context = feed_context(parsed, LOCATION, "Diario", TODAY, ())
        list(entry_candidates(parsed.entries, context))
    except DigestError as error:
        assert [problem.path for problem in error.problems] == [LOCATION]


def test_a_nul_in_the_encodings_name_is_a_feed_that_cannot_be_read(
    site_dir: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "nul.xml"
    feed.write_bytes(
        b'<?xml version="1.0" encoding="utf\x00-8"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Nota</title><link>https://t.example/1</link></item></channel></rss>"
    )
    assert import_error(str(feed), site_dir) == (
        f"{feed}: the feed cannot be read (ValueError: embedded null character)\n"
        "  hint: check that it is an RSS or Atom feed, whole and undamaged"
    )


def test_markup_expat_reads_but_feedparser_fails_on_is_read_by_the_tolerant_reader(
    site_dir: Path, tmp_path: Path
) -> None:
    """A namespace's address with a no-break space (``&nbsp;``, made ``&#160;``) is XML, yet
    feedparser's strict reader fails on it: the feed is read as one that is not well-formed."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<rss version="2.0" xmlns:dc="http:&nbsp;//purl.org/dc/elements/1.1/"><channel>'
        b"<title>Wayka</title><link>https://wayka.pe/</link><item><title>Nota</title>"
        b"<link>https://wayka.pe/nota/</link><dc:creator>Ana Ruiz</dc:creator>"
        b"<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate>"
        b"<description>Texto.</description></item></channel></rss>"
    )
    report = import_feed(str(feed), site_dir, now=NOW, dry_run=False)
    assert report.warnings == [
        "the feed is not well-formed (line 1: markup the XML reader cannot read); 1 entry recovered"
    ]
    assert [front_matter_of(Path(path))["authors"] for path in report.imported] == [["Ana Ruiz"]]


@pytest.mark.parametrize("name", ["emoji_as_surrogate_references.xml"])
def test_a_feed_feedparser_failed_on_imports(site_dir: Path, name: str) -> None:
    assert import_lines(name, site_dir)[-1] == "3 imported, 0 skipped."


def test_markup_the_tolerant_reader_fails_on_is_a_problem_at_the_first_error(
    site_dir: Path, tmp_path: Path
) -> None:
    """An item closed twice inside a link is more than feedparser's tolerant reader takes."""
    feed = tmp_path / "broken.xml"
    feed.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Diario'
        b"</title>\n<item><title>Nota</title><link>https://d.example/1\n</item></item></link>\n"
        b"</channel></rss>"
    )
    assert import_error(str(feed), site_dir) == (
        f"{feed}: the feed is not well-formed (line 4: mismatched tag) and cannot be read even "
        "so (KeyError: 'links')\n"
        "  hint: check that it is an RSS or Atom feed, whole and undamaged"
    )
