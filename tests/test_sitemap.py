"""The sitemap, written out directly, is the XML an XML library would write."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest import sitemap
from peru_digest.feeds import xml_document
from peru_digest.output import write_file
from peru_digest.sitemap import SITEMAP_NS, SitemapEntry, sitemap_paths, urlset

# Characters XML 1.0 can carry (addresses and dates never hold the others).
XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
)


def with_elementtree(entries: list[SitemapEntry]) -> str:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for entry in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = entry.url
        if entry.lastmod:
            ET.SubElement(url, "lastmod").text = entry.lastmod
    return xml_document(root)


def quotes_escaped(xml: str) -> str:
    """``xml`` with the quotes in its elements' text entity-escaped, as the sitemap protocol
    asks (ElementTree leaves them as they are)."""
    return re.sub(
        ">[^<]*<", lambda text: text[0].replace("'", "&apos;").replace('"', "&quot;"), xml
    )


@given(st.lists(st.builds(SitemapEntry, XML_TEXT, st.none() | XML_TEXT), max_size=5))
def test_the_sitemap_text_is_what_elementtree_writes_with_quotes_escaped(
    entries: list[SitemapEntry],
) -> None:
    assert urlset(entries).decode() == quotes_escaped(with_elementtree(entries))


def test_an_address_with_quotes_is_entity_escaped_in_the_sitemap() -> None:
    text = urlset([SitemapEntry("https://example.org/x'y\"z/&a")]).decode()
    assert "<loc>https://example.org/x&apos;y&quot;z/&amp;a</loc>" in text


def test_a_sitemap_is_one_file_up_to_50000_addresses_then_an_index_and_parts() -> None:
    assert sitemap_paths(50_000) == ["sitemap.xml"]
    assert sitemap_paths(100_001) == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]


def test_a_sitemap_is_made_a_chunk_at_a_time_and_again_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sitemap, "CHUNK", 200)
    entries = [SitemapEntry(f"https://d.test/{n}/", "2021-06-07") for n in range(20)]
    ((path, chunks),) = sitemap.sitemap_files(entries, "https://d.test/", lambda entry: entry)

    made = list(chunks())
    assert path == "sitemap.xml" and len(made) > 5
    assert all(len(chunk) < 200 + 120 for chunk in made)
    assert b"".join(made) == b"".join(chunks()) == urlset(entries)


def test_a_file_whose_chunks_fail_is_not_left_half_written(tmp_path: Path) -> None:
    def failing() -> Iterator[bytes]:
        yield b"<urlset>"
        raise RuntimeError("an entry could not be made")

    (tmp_path / "sitemap.xml").write_bytes(b"the last build's")
    with pytest.raises(RuntimeError):
        write_file(tmp_path, "sitemap.xml", failing(), fresh=False)
    assert [p.name for p in tmp_path.iterdir()] == ["sitemap.xml"]
    assert (tmp_path / "sitemap.xml").read_bytes() == b"the last build's"
