"""Specification of the ampersands of feeds as outlets write them: HTML's named characters and
bare ``&``, read as a browser reads them, never left encoded in an address or an id."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from feedparser.api import convert_to_utf8, replace_doctype
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.importers.entities import surrogates_joined, well_formed_references
from peru_digest.importers.feed import (
    feedparser_reading,
    import_feed,
    loose_reading,
    strict_reading,
)

from .imported import front_matter_of, reported

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2021, 8, 3, 12, tzinfo=UTC)  # the import day, at noon


def test_html_named_characters_become_numbers_and_bare_ampersands_amp() -> None:
    feed = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY own "x">]><rss>'
        b'<a href="n?id=1&s=2">&nbsp;&eacute; R&D &amp; &#38; &#x26; &own; &nosuch;</a>'
        b"<![CDATA[&nbsp; & ]]><!-- &nbsp; & --></rss>"
    )
    assert well_formed_references(feed) == (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY own "x">]><rss>'
        b'<a href="n?id=1&amp;s=2">&#160;&#233; R&amp;D &amp; &#38; &#x26; &own; &nosuch;</a>'
        b"<![CDATA[&nbsp; & ]]><!-- &nbsp; & --></rss>"
    )


def test_a_feed_with_html_characters_and_escaped_addresses_is_read_whole_and_decoded() -> None:
    reading = feedparser_reading((FEEDS / "html_entities_and_escaped_guids.xml").read_bytes(), "")
    assert not reading.bozo
    assert reading.feed.title == "Agencia\xa0Andina"
    assert reading.feed.link == "https://andina.example/agencia/seccion.aspx?id=1&sec=2"
    assert [entry.get("feedburner_origlink") or entry.id for entry in reading.entries] == [
        "https://andina.example/agencia/noticia.aspx?id=123&sec=politica",
        "https://andina.example/agencia/noticia.aspx?id=125&sec=politica",
    ]


def test_a_guid_is_decoded_in_a_feed_that_is_not_well_formed_for_another_reason() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<link>https://a.example/</link><item><title>I</title>"
        b"<guid>https://a.example/n?id=1&amp;s=2</guid>"
        b"<comments>https://a.example/c?id=1&amp;s=2</comments>"
        b"<description>Uno.<br></description></item></channel></rss>"
    )
    reading = feedparser_reading(feed, "")
    assert reading.bozo
    entry = reading.entries[0]
    assert (entry.id, entry.comments) == (
        "https://a.example/n?id=1&s=2",
        "https://a.example/c?id=1&s=2",
    )


def test_an_agency_feed_imports_its_addresses_as_the_outlet_has_them(site_dir: Path) -> None:
    report = import_feed(
        str(FEEDS / "html_entities_and_escaped_guids.xml"), site_dir, now=NOW, dry_run=False
    )
    assert reported(report, site_dir)[0] == (
        "imported: content/articles/2021/2021-07-30-castillo-juramenta-con-su-gabinete.md"
    )
    made = sorted((site_dir / "articles" / "2021").glob("2021-07-30-*.md"))
    assert [front_matter_of(path)["url"] for path in made] == [
        "https://andina.example/agencia/noticia.aspx?id=123&sec=politica",
        "https://andina.example/agencia/noticia.aspx?id=125&sec=politica",
    ]
    again = import_feed(
        str(FEEDS / "html_entities_and_escaped_guids.xml"), site_dir, now=NOW, dry_run=False
    )
    assert reported(again, site_dir)[-1] == "0 imported, 2 skipped."


_PIECES = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="&<>"),
        max_size=8,
    ),
    st.just("&"),
    st.sampled_from(["&nbsp;", "&eacute;", "&hellip;", "&rsquo;", "&ntilde;", "&NotEqualTilde;"]),
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#233;", "&#xE9;"]),
)


@given(st.lists(_PIECES, max_size=12))
def test_any_text_of_words_and_ampersands_reads_as_a_browser_reads_it(pieces: list[str]) -> None:
    text = " ".join(pieces)  # a bare & never runs into a name, which HTML reads without `;`
    document = f"<?xml version='1.0'?><a>{text}</a>".encode()
    assert (ET.fromstring(well_formed_references(document)).text or "") == html.unescape(text)


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))))
def test_a_well_formed_feed_is_left_as_it_is(text: str) -> None:
    escaped = html.escape(text, quote=True)
    document = f'<?xml version="1.0"?><a title="{escaped}">{escaped}<![CDATA[&]]></a>'.encode()
    assert well_formed_references(document) == document


# --- references to no character: UTF-16 halves, and beyond U+10FFFF ---------------------------


def test_an_emoji_written_as_two_utf_16_halves_is_the_character_they_encode(site_dir: Path) -> None:
    """Java's, JavaScript's and PHP's escapers write an emoji as two references, one per
    UTF-16 half; XML refuses them and feedparser's tolerant reader failed on them. A lone half
    or a number beyond U+10FFFF names no character: it is read as U+FFFD, with a warning."""
    report = import_feed(
        str(FEEDS / "emoji_as_surrogate_references.xml"), site_dir, now=NOW, dry_run=False
    )
    assert reported(report, site_dir) == [
        "warning: the feed has 2 character references to no character (&#xD800;, &#x110000;): "
        "each read as \ufffd",
        "imported: content/articles/2021/2021-08-02-hinchas-celebran-el-triunfo.md",
        "imported: content/articles/2021/2021-08-02-la-seleccion-viaja-a-quito.md",
        "imported: content/articles/2021/2021-08-02-un-caracter-perdido.md",
        "added to sources.yaml: Depor (homepage: https://depor.com/)",
        "3 imported, 0 skipped.",
    ]
    made = sorted((site_dir / "articles" / "2021").glob("2021-08-02-*.md"))
    assert [front_matter_of(path)["title"] for path in made] == [
        "Hinchas celebran el triunfo 😀",
        "La selección viaja a Quito 🇵🇪",  # escaped once more: two pairs
        "Un carácter perdido",
    ]
    texts = [path.read_text(encoding="utf-8").split("---\n", 2)[2].strip() for path in made]
    assert texts == [
        "<p>La fiesta siguió en Lima 🎉 hasta la noche.</p>",  # CDATA: HTML's reference
        "<p>El plantel parte el martes.</p>",
        "<p>Texto \ufffd y \ufffd fin.</p>",
    ]


def utf_16_halves(text: str) -> str:
    """``text`` with each character written as references to its UTF-16 code units."""
    units = text.encode("utf-16-be")
    return "".join(f"&#{int.from_bytes(units[i : i + 2])};" for i in range(0, len(units), 2))


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn"))))
def test_references_to_utf_16_halves_read_as_the_characters_they_encode(text: str) -> None:
    """Written once, or escaped once more (as feeds escape CDATA): the character either way."""
    halves = utf_16_halves(text)
    mended = surrogates_joined(f"<a>{halves}|{halves.replace('&', '&amp;')}</a>".encode())
    assert mended.lost == ()
    once, _, twice = (ET.fromstring(mended.data).text or "").rpartition("|")
    assert (once, html.unescape(twice)) == (text, text)


@pytest.mark.parametrize(
    ("written", "lost"),
    [
        ("&#xD800;", ["&#xD800;"]),  # a lone high half
        ("&#56832; &#55357;", ["&#56832;", "&#55357;"]),  # halves apart, or in the wrong order
        ("&#56832;&#55357;", ["&#56832;", "&#55357;"]),
        ("&#x110000;", ["&#x110000;"]),  # beyond Unicode
        ("&#9999999;", ["&#9999999;"]),
    ],
)
def test_a_reference_to_no_character_is_read_as_the_replacement_character(
    written: str, lost: list[str]
) -> None:
    mended = surrogates_joined(f"<a>{written}</a>".encode())
    assert [reference.decode() for reference in mended.lost] == lost
    read = ET.fromstring(well_formed_references(mended.data)).text or ""
    assert read == re.sub("&#[^;]+;", "\ufffd", written)


# --- a feed that is not well-formed reads as its well-formed copy -----------------------------


def test_a_feed_not_well_formed_for_a_br_gives_the_articles_its_well_formed_copy_gives(
    site_dir: Path, tmp_path: Path
) -> None:
    """A ``<br>`` left open in a description (common) sends the feed to the tolerant reader:
    its addresses, ids and names are read all the same (feedparser's dropped the ``;`` of a
    link's ``&amp;``: ``?seccion=politica&amplang=es``)."""
    well_formed = (FEEDS / "query_links_escaped.xml").read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(well_formed.replace(b"urbano.</description>", b"urbano.<br></description>"))
    other = shutil.copytree(site_dir, tmp_path / "other")
    first = import_feed(str(FEEDS / "query_links_escaped.xml"), site_dir, now=NOW, dry_run=False)
    second = import_feed(str(broken), other, now=NOW, dry_run=False)
    assert second.warnings == [
        "the feed is not well-formed (line 27: mismatched tag); 2 entries recovered"
    ]
    assert (
        reported(first, site_dir)[-2:]
        == reported(second, other)[-2:]
        == [
            "added to sources.yaml: Diario Correo Sur "
            "(homepage: https://correosur.example/index.php?seccion=politica&lang=es)",
            "2 imported, 0 skipped.",
        ]
    )
    made = [
        sorted((folder / "articles" / "2021").glob("2021-08-02-*.md"))
        for folder in (site_dir, other)
    ]
    assert [path.read_text("utf-8") for path in made[0]] == [
        path.read_text("utf-8") for path in made[1]
    ]
    assert [
        {key: front_matter_of(path)[key] for key in ("url", "id", "authors")} for path in made[1]
    ] == [
        {
            "url": "https://correosur.example/index.php?id=2104&seccion=politica",
            "id": "https://correosur.example/?p=2104&lang=es",
            "authors": ["Ruiz", "Gómez"],
        },
        {
            "url": "https://correosur.example/index.php?id=2105&seccion=politica",
            "id": "tag:correosur.example,2021:index.php?seccion=politica&lang=es:2105",
            "authors": ["Luis Mamani", "Rosa Huamán"],
        },
    ]


def without_namespaces(value: Any) -> Any:
    """A reading without what only the tolerant reader notes: the namespace declarations
    it meets as attributes (``xmlns:atom10`` on a link, ``rdf:RDF``'s own)."""
    if isinstance(value, dict):
        return {
            key: without_namespaces(item)
            for key, item in value.items()
            if not key.startswith("xmlns") and key != "rdf_rdf"
        }
    if isinstance(value, list):
        return [without_namespaces(item) for item in value]
    return value


def both_readings(data: bytes) -> tuple[Any, Any]:
    """The strict and the tolerant reading of a well-formed feed, each as feed and entries."""
    result = feedparser.FeedParserDict(bozo=False)
    utf_8 = surrogates_joined(convert_to_utf8({}, data, result)).data
    _, data, entities = replace_doctype(well_formed_references(utf_8))
    strict = strict_reading(data, result)
    assert strict is not None, result.get("bozo_exception")
    loose = loose_reading(data, entities)
    strict_read, loose_read = (
        without_namespaces({"feed": reader.feeddata, "entries": reader.entries})
        for reader in (strict, loose)
    )
    return strict_read, loose_read


WELL_FORMED = [
    path.name
    for path in sorted(FEEDS.glob("*.xml"))
    if not feedparser_reading(path.read_bytes(), "").bozo
]


@pytest.mark.parametrize("name", WELL_FORMED)
def test_a_well_formed_fixture_reads_the_same_to_the_tolerant_reader(name: str) -> None:
    strict, loose = both_readings((FEEDS / name).read_bytes())
    assert loose == strict


# No "/>": feedparser's tolerant reader writes `<x/>` as `<x></x>` everywhere, CDATA too.
_TEXT = st.lists(
    st.sampled_from(
        ["a", "é", " ", "&", "<", ">", '"', "'", ";", "=", "?", "/a", "amp", "#38", "lang=es",
         "&amp;", "&lt;b&gt;", "&quot;", "&#38;", "&#233;", "&#x26;", "&nbsp;", "\u2019"]
    ),
    max_size=10,
).map("".join)  # fmt: skip


@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_text_and_attributes_read_the_same_to_the_tolerant_reader(
    link: str, name: str, text: str, cdata: str
) -> None:
    """Written escaped in elements and attributes, and as it is in CDATA: links, guids, names,
    titles, descriptions and media addresses read as the strict reader reads them."""

    def escaped(value: str) -> str:
        return html.escape(value, quote=True)

    cdata = cdata.replace("]]>", "")
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>{escaped(name)}</title><link>https://d.example/?s={escaped(link)}</link>"
        f"<item><title>{escaped(text)}</title><link>https://d.example/n?{escaped(link)}</link>"
        f'<guid isPermaLink="false">{escaped(link)}</guid><comments>{escaped(link)}</comments>'
        f"<dc:creator>{escaped(name)}</dc:creator><dc:creator><![CDATA[{cdata}]]></dc:creator>"
        f'<media:content url="https://d.example/f.jpg?{escaped(link)}" medium="image"/>'
        f"<description>{escaped(text)}</description><category><![CDATA[{cdata}]]></category>"
        "</item></channel></rss>"
    ).encode()
    strict, loose = both_readings(data)
    assert loose == strict
