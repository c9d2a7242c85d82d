"""Feeds built from hostile text: valid for strict parsers and feed readers, no markup that
runs, every headline as written, the same bytes on every build."""

from __future__ import annotations

import json
import shutil
import xml.dom.minidom
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from peru_digest.build import build
from peru_digest.feeds import ATOM

from .conftest import FIXTURES, TEMPLATES

HOSTILE_TITLE = "A ]]> B <script>alert(1)</script> & <b>C</b> \u200f\u200e 🇵🇪 \u200b\ufeff"
ARTICLES = {
    "hostile-title.md": (
        f'title: "{HOSTILE_TITLE}"\n'
        'authors: ["<b>Ana</b> & ]]> Co", "Luis Mamani"]\n'
        "date: 2021-08-10T10:00:00-05:00\nupdated: 2021-08-20T09:00:00-05:00",
        "Text with ]]> and <![CDATA[ x ]]> and \u2028 a line \u2029 separator.",
    ),
    "hostile-markup.md": (
        "title: Markup\ndate: 2021-08-10T10:00:00-05:00",  # the same moment as the one above
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) <a href=' javascript:x'>c</a> "
        '<a href="data:text/html,x">d</a> <img src=x onerror=alert(3)> <b onclick=alert(4)>e</b>'
        "\n\n<svg onload=alert(5)>\n\n<math><mtext><table><mglyph><style><img src=x onerror=a>"
        "\n\n<script>alert(6)</script> <iframe src=https://x.test/></iframe> "
        '<form action="https://x.test/"><input></form>',
    ),
    "hostile-references.md": (
        "title: References\ndate: 2021-08-09",
        "A &#xD800; B &#0; C &#x85; D &#128; E &#x110000; F &#xFDD0; G &notanentity; H "
        + "x" * 3000,
    ),
}
XML_FEEDS = [
    "feed.xml",
    "atom.xml",
    "topics/election/feed.xml",
    "topics/election/atom.xml",
    "sources/lima-weekly/feed.xml",
    "sources/lima-weekly/atom.xml",
    "authors/luis-mamani/feed.xml",
    "authors/luis-mamani/atom.xml",
    "editions/feed.xml",
    "editions/atom.xml",
]


def build_hostile_site(content: Path, output: Path) -> Path:
    for name, (front, body) in ARTICLES.items():
        (content / "articles" / name).write_text(
            f"---\n{front}\nsource: Lima Weekly\nurl: https://l.test/{name}\n"
            f"topics: [election]\n---\n\n{body}\n",
            encoding="utf-8",
        )
    build(content, TEMPLATES, output, search=False)
    return output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with the hostile articles, built."""
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    shutil.copytree(FIXTURES / "site", content)
    return build_hostile_site(content, folder / "public")


class Markup(HTMLParser):
    """The tags, and the attributes that can run or load something, in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.risky: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            address = (value or "").strip().lower()
            if name.startswith("on") or address.startswith(("javascript:", "data:")):
                self.risky.append(f"<{tag} {name}={value!r}>")


def markup_of(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def bodies(root: ET.Element) -> list[str]:
    """The HTML each item carries: RSS ``description``, Atom ``content``."""
    found = [item.findtext("description") or "" for item in root.iter("item")]
    return found + [entry.text or "" for entry in root.iter(f"{{{ATOM}}}content")]


@pytest.mark.parametrize("path", XML_FEEDS)
def test_a_hostile_feed_is_well_formed_for_strict_parsers_and_feedparser(
    hostile: Path, path: str
) -> None:
    data = (hostile / path).read_bytes()
    xml.dom.minidom.parseString(data)
    parsed = feedparser.parse(data)
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.entries


@pytest.mark.parametrize("path", XML_FEEDS)
def test_no_summary_in_a_hostile_feed_holds_markup_that_runs(hostile: Path, path: str) -> None:
    for html in bodies(ET.fromstring((hostile / path).read_bytes())):
        markup = markup_of(html)
        assert markup.risky == []
        assert not markup.tags & {"script", "style", "iframe", "form", "input", "svg", "math"}


def test_no_summary_in_the_json_feed_holds_markup_that_runs(hostile: Path) -> None:
    feed = json.loads((hostile / "feed.json").read_text("utf-8"))
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        markup = markup_of(item["content_html"])
        assert markup.risky == []
        assert "script" not in markup.tags


def test_a_hostile_headline_and_byline_reach_readers_as_written(hostile: Path) -> None:
    atom = feedparser.parse((hostile / "atom.xml").read_bytes())
    rss = ET.fromstring((hostile / "feed.xml").read_bytes())
    feed = json.loads((hostile / "feed.json").read_text("utf-8"))
    assert atom.entries[0].title == HOSTILE_TITLE
    assert rss.findtext("channel/item/title") == HOSTILE_TITLE
    assert feed["items"][0]["title"] == HOSTILE_TITLE
    assert feed["items"][0]["authors"] == [{"name": "<b>Ana</b> & ]]> Co"}, {"name": "Luis Mamani"}]
    assert [entry.title for entry in atom.entries[:2]] == [HOSTILE_TITLE, "Markup"]


def test_a_hostile_site_builds_the_same_feeds_byte_for_byte(hostile: Path, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    again = build_hostile_site(tmp_path / "content", tmp_path / "public")
    for path in [*XML_FEEDS, "feed.json", "feeds.opml"]:
        assert (again / path).read_bytes() == (hostile / path).read_bytes(), path
