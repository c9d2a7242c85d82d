"""The feeds and sitemaps as real validators and real feed readers take them.

Validators: RFC 4287's RELAX NG schema of Atom (Debian's ``jing``) and the sitemaps.org XML
Schemas (``xmllint``, from libxml2-utils), copied into tests/fixtures/schemas/ (its README
names their sources). Readers, all from Debian: newsboat (a terminal reader: what it stores in
its SQLite cache is what it shows), sfeed (a feed to TSV parser that feed tools are built on)
and rss2email (feeds as mail, on Debian's own feedparser). Each tool missing skips its tests
loudly; in CI, which installs them (.ci/run), nothing may skip.

Sites: the seed collection; the seed in Spanish (``es-PE``) under a sub-path of its host; and
the small fixture site with hostile headlines and bylines (``&``, ``<``, quotes, emoji, RTL
text, ``]]>``, invisible marks).
"""

from __future__ import annotations

import calendar
import email
import email.policy
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import feedparser
import pytest

from peru_digest import sitemap
from peru_digest.build import build
from peru_digest.sitemap import SitemapEntry

from .conftest import FIXTURES, SEED_SITE, TEMPLATES, require_tool
from .test_feeds_hostile import HOSTILE_TITLE, build_hostile_site

SCHEMAS = FIXTURES / "schemas"
SPANISH_BASE = "https://example.org/noticias/peru/"
# A headline and byline of every kind that trips feed readers, on top of the hostile site's.
HOSTILE_MORE = (
    "---\n"
    'title: "Tom & Jerry <3 \\"Quotes\\" \'single\' — مرحبا بالعالم 🇵🇪 AT&amp;T"\n'
    "date: 2021-08-11T10:00:00-05:00\n"
    "source: Lima Weekly\n"
    'authors: ["O\'Brien & <Sons>", José Pérez]\n'
    "url: https://l.test/tom-and-jerry\n"
    "topics: [election]\n"
    "---\n\n"
    'Tom & Jerry <3 says "hi" — مرحبا.\n'
)
MORE_TITLE = "Tom & Jerry <3 \"Quotes\" 'single' — مرحبا بالعالم 🇵🇪 AT&amp;T"
# The seed's article without a byline that the edit tests change.
EDITED = "articles/2021/2021-06-12-peru-electoral-authorities-extend-deadline-for-"
EDITED += "fujimori-fraud-claims.md"
EDITED_ID = "urn:uuid:0f81d85a-1b65-5e5f-bab2-c5580e5c2cfa"


def tool(name: str, package: str) -> str:
    """The path of the command ``name``; skipped loudly (failed in CI) without it."""
    path = shutil.which(name)
    require_tool(path is not None, f"`{name}` is not installed (apt-get install {package})")
    assert path is not None
    return path


def run(
    *command: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def seed_copy(folder: Path, **settings: str) -> Path:
    """A copy of the seed content in ``folder``, with ``settings`` changed in its site.yaml."""
    content = folder / "content"
    shutil.copytree(SEED_SITE, content)
    path = content / "site.yaml"
    text = path.read_text("utf-8")
    for key, value in settings.items():
        text, count = re.subn(rf"^{key}: *\S+", f"{key}: {value}", text, flags=re.M)
        text += "" if count else f"{key}: {value}\n"
    path.write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each site's output folder, built once: ``seed``, ``spanish`` (its feeds carry each
    summary's plain text, ``feed_content: summary``), ``hostile``."""
    seed = tmp_path_factory.mktemp("seed")
    build(seed_copy(seed), TEMPLATES, seed / "public", search=False)
    spanish = tmp_path_factory.mktemp("spanish")
    content = seed_copy(spanish, language="es-PE", base_url=SPANISH_BASE, feed_content="summary")
    build(content, TEMPLATES, spanish / "public", search=False)
    hostile = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "site", hostile / "content")
    (hostile / "content/articles/tom-and-jerry.md").write_text(HOSTILE_MORE, encoding="utf-8")
    build_hostile_site(hostile / "content", hostile / "public")
    return {"seed": seed / "public", "spanish": spanish / "public", "hostile": hostile / "public"}


SITES = ["seed", "spanish", "hostile"]


# Validators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_every_atom_feed_is_valid_for_the_rfc_4287_schema(
    sites: dict[str, Path], site: str
) -> None:
    jing = tool("jing", "jing")
    feeds = sorted(sites[site].rglob("atom.xml"))
    assert len(feeds) >= 8  # the site's, each topic's, outlet's and author's, the editions'
    result = run(jing, "-c", SCHEMAS / "atom.rnc", *feeds)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_atom_schema_rejects_a_date_without_its_time_and_an_entry_without_an_id(
    tmp_path: Path,
) -> None:
    """The schema bites: what RFC 4287 forbids, jing reports, line by line."""
    jing = tool("jing", "jing")
    broken = tmp_path / "atom.xml"
    broken.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>T</title>\n'
        "<updated>2021-06-06</updated>\n"
        "<entry><title>A</title><updated>2021-06-06T00:00:00Z</updated></entry></feed>\n",
        encoding="utf-8",
    )
    result = run(jing, "-c", SCHEMAS / "atom.rnc", broken)
    assert result.returncode == 1
    assert re.findall(r":(\d+):\d+: error: (.*)", result.stdout) == [
        ("2", 'character content of element "updated" invalid; must be an ISO date and time'),
        ("3", 'element "entry" incomplete; missing required element "id"'),
    ]


@pytest.mark.parametrize("site", SITES)
def test_every_sitemap_is_valid_for_the_sitemaps_org_schema(
    sites: dict[str, Path], site: str
) -> None:
    xmllint = tool("xmllint", "libxml2-utils")
    path = sites[site] / "sitemap.xml"
    result = run(xmllint, "--noout", "--schema", SCHEMAS / "sitemap.xsd", path)
    assert (result.returncode, result.stderr) == (0, f"{path} validates\n")


def test_a_sitemap_index_and_its_parts_are_valid_for_the_sitemaps_org_schemas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_URLS addresses (here 2) the sitemap is an index of parts: each is valid."""
    xmllint = tool("xmllint", "libxml2-utils")
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    entries = [SitemapEntry(f"https://d.test/{n}/?a=1&b='{n}'", "2021-06-07") for n in range(5)]
    files = dict(sitemap.sitemap_files(entries, "https://d.test/", lambda entry: entry))
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    for path, chunks in files.items():
        (tmp_path / path).write_bytes(b"".join(chunks()))
        schema = "siteindex.xsd" if path == "sitemap.xml" else "sitemap.xsd"
        result = run(xmllint, "--noout", "--schema", SCHEMAS / schema, tmp_path / path)
        assert (result.returncode, result.stderr) == (0, f"{tmp_path / path} validates\n")


# newsboat ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """An item as newsboat shows it in its list and article view."""

    id: str
    title: str
    author: str
    link: str
    published: int  # seconds since the epoch
    unread: bool


class Newsboat:
    """One newsboat subscribed to one feed, with its own configuration and cache."""

    def __init__(self, folder: Path, url: str) -> None:
        self.binary = tool("newsboat", "newsboat")
        folder.mkdir(parents=True, exist_ok=True)
        self.urls, self.config, self.cache = folder / "urls", folder / "config", folder / "cache.db"
        self.urls.write_text(url + "\n", encoding="utf-8")
        self.config.write_text("", encoding="utf-8")
        self.env = {**os.environ, "HOME": str(folder), "LC_ALL": "C.UTF-8"}

    def reload(self) -> list[Shown]:
        """Fetch the feed as `r` in newsboat does; its items, newest first."""
        options = ("-u", self.urls, "-C", self.config, "-c", self.cache, "-x", "reload")
        result = run(self.binary, *options, env=self.env)
        assert (result.returncode, result.stderr) == (0, ""), result.stdout
        with sqlite3.connect(self.cache) as cache:
            rows = cache.execute(
                "SELECT guid, title, author, url, pubDate, unread FROM rss_item"
                " WHERE deleted = 0 ORDER BY pubDate DESC, id"
            ).fetchall()
        return [
            Shown(guid, title, author, link, published, bool(unread))
            for guid, title, author, link, published, unread in rows
        ]

    def read_all(self) -> None:
        """What a subscriber does: read every item."""
        with sqlite3.connect(self.cache) as cache:
            cache.execute("UPDATE rss_item SET unread = 0")


def expected_items(public: Path, kind: str) -> list[Shown]:
    """The site's own JSON Feed, as newsboat should show its ``kind`` feed: newest first, every
    item unread. Of an RSS item's several ``dc:creator`` (one per author, as the RSS profile
    asks) newsboat keeps the last; of an Atom entry's authors it shows all."""
    feed = json.loads((public / "feed.json").read_text("utf-8"))
    return [
        Shown(
            id=item["id"],
            title=item["title"],
            author=(
                ", ".join(author["name"] for author in item["authors"])
                if kind == "atom"
                else item["authors"][-1]["name"]
            ),
            link=item["url"],
            published=int(datetime.fromisoformat(item["date_published"]).timestamp()),
            unread=True,
        )
        for item in feed["items"]
    ]


FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml"}


@pytest.mark.parametrize("site", ["seed", "spanish"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_newsboat_shows_every_article_as_the_site_does(
    sites: dict[str, Path], site: str, kind: str, tmp_path: Path
) -> None:
    public = sites[site]
    shown = Newsboat(tmp_path, (public / FEED_FILES[kind]).as_uri()).reload()
    assert shown == expected_items(public, kind)
    assert len(shown) == 15
    if site == "spanish":  # every link under the sub-path
        assert all(item.link.startswith(SPANISH_BASE) for item in shown)
    # An article whose byline names only its outlet is credited to it, not left blank.
    assert next(item.author for item in shown if item.id == EDITED_ID) == "Kawsachun News"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_hostile_headline_and_byline_reach_newsboat_as_written(
    sites: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    shown = Newsboat(tmp_path, (sites["hostile"] / FEED_FILES[kind]).as_uri()).reload()
    by_title = {item.title: item.author for item in shown}
    first_authors = "<b>Ana</b> & ]]> Co, Luis Mamani" if kind == "atom" else "Luis Mamani"
    second_authors = "O'Brien & <Sons>, José Pérez" if kind == "atom" else "José Pérez"
    assert by_title == {
        MORE_TITLE: second_authors,
        HOSTILE_TITLE: first_authors,
        "Markup": "Lima Weekly",
    }


@pytest.fixture
def seed_site(tmp_path: Path) -> Path:
    """A copy of the seed content, built into ``public`` beside it: the content folder."""
    content = seed_copy(tmp_path)
    rebuild(content)
    return content


@pytest.fixture
def subscribed(seed_site: Path, tmp_path: Path) -> dict[str, Newsboat]:
    """A newsboat subscribed to each of the seed site's two site-wide feeds (RSS, Atom), that
    has read every item."""
    readers = {
        kind: Newsboat(tmp_path / kind, (seed_site.parent / "public" / name).as_uri())
        for kind, name in FEED_FILES.items()
    }
    for reader in readers.values():
        assert len(reader.reload()) == 15
        reader.read_all()
    return readers


def rebuild(content: Path) -> None:
    build(content, TEMPLATES, content.parent / "public", search=False)


def test_a_rebuild_with_no_change_gives_newsboat_no_new_item(
    seed_site: Path, subscribed: dict[str, Newsboat]
) -> None:
    content, readers = seed_site, subscribed
    rebuild(content)
    for reader in readers.values():
        shown = reader.reload()
        assert len(shown) == 15
        assert [item for item in shown if item.unread] == []


def test_an_edited_article_is_corrected_in_newsboat_not_shown_twice(
    seed_site: Path, subscribed: dict[str, Newsboat]
) -> None:
    """Its title corrected, its summary edited and ``updated:`` set: the item keeps its id, so
    newsboat corrects the one it has, read as it was."""
    content, readers = seed_site, subscribed
    path = content / EDITED
    text = path.read_text("utf-8")
    text = text.replace("title: Peru Electoral", "title: Peru’s Electoral").replace(
        "date: 2021-06-12\n", "date: 2021-06-12\nupdated: 2021-06-20\n"
    )
    path.write_text(text.replace("has extended", "has again extended"), encoding="utf-8")
    rebuild(content)
    for reader in readers.values():
        shown = reader.reload()
        assert len(shown) == 15
        [edited] = [item for item in shown if item.id == EDITED_ID]
        assert (
            edited.title == "Peru’s Electoral Authorities Extend Deadline For Fujimori Fraud Claims"
        )
        assert not edited.unread
        assert [item for item in shown if item.unread] == []


def test_a_deleted_article_stays_in_newsboat_and_nothing_else_is_new(
    seed_site: Path, subscribed: dict[str, Newsboat]
) -> None:
    """A reader keeps what it has fetched: the deleted article's item stays, its page gone;
    none of the others comes back as new."""
    content, readers = seed_site, subscribed
    (content / EDITED).unlink()
    rebuild(content)
    assert (
        not (content.parent / "public/2021/06")
        .joinpath("peru-electoral-authorities-extend-deadline-for-fujimori-fraud-claims")
        .exists()
    )
    for reader in readers.values():
        shown = reader.reload()
        assert len(shown) == 15
        assert [item for item in shown if item.unread] == []


def test_a_site_moved_under_a_sub_path_gives_newsboat_new_links_and_no_new_item(
    seed_site: Path, subscribed: dict[str, Newsboat]
) -> None:
    """The site's base_url gains a sub-path; a subscriber who follows the feed to its new
    address (a redirect, or subscribing again) keeps every item, read, at its new link."""
    moved = seed_site.parent / "moved"
    build(seed_site, TEMPLATES, moved, search=False, base_url=SPANISH_BASE)
    for kind, reader in subscribed.items():
        reader.urls.write_text((moved / FEED_FILES[kind]).as_uri() + "\n", encoding="utf-8")
        shown = reader.reload()
        assert len(shown) == 15
        assert [item for item in shown if item.unread] == []
        assert all(item.link.startswith(SPANISH_BASE) for item in shown)


def test_newsboat_imports_every_stream_of_the_opml_once(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    newsboat = tool("newsboat", "newsboat")
    opml = sites["spanish"] / "feeds.opml"
    urls = tmp_path / "urls"
    urls.write_text("", encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    options = ("-u", urls, "-C", tmp_path / "config", "-c", tmp_path / "cache.db")
    result = run(newsboat, *options, "-i", opml, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = re.findall(r'xmlUrl="([^"]+)"', opml.read_text("utf-8"))
    assert urls.read_text("utf-8").splitlines() == listed
    assert len(listed) == len(set(listed)) == len(list(sites["spanish"].rglob("atom.xml")))
    assert all(url.startswith(SPANISH_BASE) and url.endswith("/atom.xml") for url in listed)


# sfeed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_sfeed_reads_every_item_of_every_feed_as_feedparser_does(
    sites: dict[str, Path], site: str
) -> None:
    """sfeed's fields: time, title, link, content, its type, id, author (the first), enclosure,
    categories. Every RSS and Atom feed of the site, item for item."""
    sfeed = tool("sfeed", "sfeed")
    feeds = sorted([*sites[site].rglob("feed.xml"), *sites[site].rglob("atom.xml")])
    for path in feeds:
        data = path.read_bytes()
        result = subprocess.run([sfeed], input=data, capture_output=True, check=False)
        assert result.returncode == 0, path
        lines = result.stdout.decode().split("\n")[:-1]  # not splitlines(): U+2028 is text
        rows = [line.split("\t") for line in lines]
        expected = [
            [
                str(calendar.timegm(entry.published_parsed)),
                entry.title,
                entry.link,
                "plain" if entry.get("summary_detail", {}).get("type") == "text/plain" else "html",
                entry.id,
                entry.authors[0].name if entry.get("authors") else "",
            ]
            for entry in feedparser.parse(data).entries
        ]
        assert [[row[0], row[1], row[2], row[4], row[5], row[6]] for row in rows] == expected, path


# rss2email -----------------------------------------------------------------------------------


class Rss2email:
    """rss2email subscribed to feeds, its mail kept as files by a stand-in for sendmail."""

    def __init__(self, folder: Path) -> None:
        self.binary = tool("r2e", "rss2email")
        self.mail = folder / "mail"
        self.mail.mkdir(parents=True)
        sendmail = folder / "sendmail"
        sendmail.write_text(
            '#!/bin/sh\ncat > "$(mktemp -p ' + str(self.mail) + ' mail.XXXXXXXX)"\n', "utf-8"
        )
        sendmail.chmod(0o755)
        self.config = folder / "r2e.cfg"
        self.config.write_text(
            "[DEFAULT]\nto = reader@example.org\nemail-protocol = sendmail\n"
            f"sendmail = {sendmail}\nuse-8bit = True\n",
            encoding="utf-8",
        )
        self.data = folder / "r2e.json"
        self.env = {**os.environ, "HOME": str(folder), "LC_ALL": "C.UTF-8"}

    def command(self, *arguments: str) -> None:
        options = ("-c", self.config, "-d", self.data)
        result = run(self.binary, *options, *arguments, env=self.env)
        assert result.returncode == 0, result.stdout + result.stderr

    def run(self) -> list[tuple[str, str, str]]:
        """Fetch every feed; each new mail's subject, sender's name and the item's id."""
        for old in self.mail.iterdir():
            old.unlink()
        self.command("run")
        mails = [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in self.mail.iterdir()
        ]
        return sorted(
            (str(m["Subject"]), m["From"].addresses[0].display_name, str(m["X-RSS-ID"]))
            for m in mails
        )


def test_rss2email_mails_each_article_once_under_its_headline_and_byline(
    seed_site: Path, tmp_path: Path
) -> None:
    """One mail per article and feed, its subject the headline, its sender the feed's title
    and the item's author (the first of an RSS item's, the last of an Atom entry's, as Debian's
    feedparser reads them; an article without a byline, its outlet); no mail after a rebuild
    or an edit."""
    public = seed_site.parent / "public"
    r2e = Rss2email(tmp_path / "r2e")
    r2e.command("add", "rss", (public / "feed.xml").as_uri())
    r2e.command("add", "atom", (public / "atom.xml").as_uri())
    feed = json.loads((public / "feed.json").read_text("utf-8"))
    mails = r2e.run()
    assert mails == sorted(
        (item["title"], f"Peru Digest: {item['authors'][position]['name']}", item["id"])
        for item in feed["items"]
        for position in (0, -1)
    )
    assert (
        "Peru Electoral Authorities Extend Deadline For Fujimori Fraud Claims",
        "Peru Digest: Kawsachun News",
        EDITED_ID,
    ) in mails
    rebuild(seed_site)
    assert r2e.run() == []
    path = seed_site / EDITED
    path.write_text(path.read_text("utf-8").replace("has extended", "has again extended"), "utf-8")
    rebuild(seed_site)
    assert r2e.run() == []


def test_rss2email_mails_a_hostile_headline_as_written(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    r2e = Rss2email(tmp_path / "r2e")
    r2e.command("add", "rss", (sites["hostile"] / "feed.xml").as_uri())
    r2e.command("add", "atom", (sites["hostile"] / "atom.xml").as_uri())
    subjects = sorted(subject for subject, _, _ in r2e.run())
    assert subjects == sorted(2 * [MORE_TITLE, HOSTILE_TITLE, "Markup"])
