"""import-feed against feeds shaped as outlets publish them: JSON Feed (WordPress's plugin,
micro.blog's 1.0), and what a hostile or careless feed puts where an id or a feed belongs.
One fixture per case, in tests/fixtures/outlets."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from peru_digest.build import build
from peru_digest.errors import DigestError
from peru_digest.importers.feed import import_feed
from peru_digest.model import derived_id

from .conftest import FIXTURES, TEMPLATES, loaded
from .imported import front_matter_of, reported, serving, snapshot

OUTLETS = FIXTURES / "outlets"
NOW = datetime(2024, 5, 6, 12, tzinfo=UTC)
AYACUCHO = "2022-12-10-ayacucho-nos-dijeron-que-era-un-paro-pacifico.md"
EMERGENCIA = "2022-12-14-gobierno-declara-estado-de-emergencia-nacional.md"
FEEDS = frozenset({".xml", ".json"})  # what the build publishes feeds as
NOTE = "2022-12-11-nadie-en-el-mercado-sabe-cuando-vuelven-los-buses-a-lima.md"


def import_lines(source: str | Path, content: Path) -> list[str]:
    """The report of importing a feed, paths shown from the content folder."""
    report = import_feed(str(source), content, now=NOW, dry_run=False)
    return reported(report, content)


def import_error(source: str | Path, content: Path) -> str:
    """The one problem that stopped an import, as the CLI prints it; content/ untouched."""
    before = snapshot(content)
    with pytest.raises(DigestError) as raised:
        import_feed(str(source), content, now=NOW, dry_run=False)
    assert len(raised.value.problems) == 1
    assert snapshot(content) == before
    return str(raised.value)


def written(content: Path, name: str) -> tuple[dict[str, Any], str]:
    """An imported file's front matter and summary."""
    path = content / "articles" / name
    return front_matter_of(path), path.read_text(encoding="utf-8").split("---\n", 2)[2].strip()


# --- JSON Feed --------------------------------------------------------------------------------


def test_a_wordpress_json_feed_imports_as_its_rss_feed_would(site_dir: Path) -> None:
    """The jsonfeed-wp plugin: guid as id, a custom excerpt as `summary` (with WordPress's
    `[&hellip;]`), the whole post in `content_html`, `authors` and 1.0's `author` both."""
    assert import_lines(OUTLETS / "json_feed_wordpress.json", site_dir) == [
        f"imported: content/articles/2022/{AYACUCHO}",
        f"imported: content/articles/2022/{EMERGENCIA}",
        "added to sources.yaml: Wayka (homepage: https://wayka.pe/)",
        "2 imported, 0 skipped.",
    ]
    assert written(site_dir, f"2022/{AYACUCHO}") == (
        {
            "title": "Ayacucho: “Nos dijeron que era un paro pacífico”",
            "date": "2022-12-10T10:30:00-05:00",
            "source": "Wayka",
            "authors": ["Rosa Huamán"],
            "url": "https://wayka.pe/ayacucho-nos-dijeron-que-era-un-paro-pacifico/",
            "topics": [],
            "id": "https://wayka.pe/?p=61022",
        },
        "<p>Familiares de los heridos relatan cómo empezó la jornada en Huamanga [...]</p>",
    )
    matter, summary = written(site_dir, f"2022/{EMERGENCIA}")
    assert matter["authors"] == ["Luis Mamani", "Ana Quispe"]
    assert summary == (
        "<p>El Gobierno declaró el estado de emergencia nacional por 30 días.</p>\n"
        "<p>Quedan suspendidos los derechos de reunión y de libre tránsito.</p>"
    )
    loaded(site_dir)
    assert import_lines(OUTLETS / "json_feed_wordpress.json", site_dir)[-1] == (
        "0 imported, 2 skipped."
    )


def test_a_json_feed_1_0_gives_its_number_ids_its_feeds_author_and_its_untitled_notes(
    site_dir: Path,
) -> None:
    """micro.blog's 1.0 feed: one `author` for the feed, numbers as ids, untitled notes in
    `content_text`, an `external_url` beside the post's own `url` (the post is the link)."""
    assert import_lines(OUTLETS / "json_feed_1_0.json", site_dir) == [
        f"imported: content/articles/2022/{NOTE}"
        " (no title; the summary's first sentence was used: review it)",
        "imported: content/articles/2022/2022-12-12-la-plaza-de-armas-de-noche.md",
        "added to sources.yaml: Apuntes desde Huamanga"
        " (homepage: https://apuntesdesdehuamanga.micro.blog/)",
        "2 imported, 0 skipped.",
    ]
    note, _ = written(site_dir, f"2022/{NOTE}")
    assert (note["id"], note["authors"]) == (
        "tag:apuntesdesdehuamanga.micro.blog,2022:71354",
        ["Marisol Ccahuana"],
    )
    post, summary = written(site_dir, "2022/2022-12-12-la-plaza-de-armas-de-noche.md")
    assert post["url"] == "https://apuntesdesdehuamanga.micro.blog/2022/12/12/la-plaza.html"
    assert 'src="https://apuntesdesdehuamanga.micro.blog/2022/12/12/uploads/2022/plaza.jpg"' in (
        summary
    )
    loaded(site_dir)


def test_our_own_built_json_feed_imports_back(site_dir: Path, tmp_path: Path) -> None:
    public = tmp_path / "public"
    build(site_dir, TEMPLATES, public, search=False)
    empty = tmp_path / "empty"
    (empty / "articles").mkdir(parents=True)
    for name in ("site.yaml", "topics.yaml"):
        shutil.copy(site_dir / name, empty / name)

    assert import_lines(public / "feed.json", empty)[-1] == "3 imported, 0 skipped."
    assert import_lines(public / "feed.json", empty)[-1] == "0 imported, 3 skipped."
    loaded(empty)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            b'{"version": "https://jsonfeed.org/version/1.1",\n "title": "Wayka",\n'
            b' "items": [{"id": 1,',
            ":3: the feed is not valid JSON: Expecting property name enclosed in double quotes"
            " (column 21)\n  hint: check that it is a JSON Feed, whole and undamaged",
        ),
        (
            b'{"posts": [{"title": "Castillo juramenta"}]}',
            ": JSON, but not a JSON Feed (its `version` is not https://jsonfeed.org/version/…)\n"
            "  hint: give the address of the outlet's RSS, Atom or JSON Feed",
        ),
        (
            b'{"version": "1.1", "items": []}',
            ": JSON, but not a JSON Feed (its `version` is not https://jsonfeed.org/version/…)\n"
            "  hint: give the address of the outlet's RSS, Atom or JSON Feed",
        ),
        (
            b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            ": the feed is not valid JSON: it nests too deeply\n"
            "  hint: check that it is a JSON Feed, whole and undamaged",
        ),
    ],
    ids=["cut-short", "an-api-not-a-feed", "version-not-jsonfeed", "nested-too-deep"],
)
def test_json_that_is_no_json_feed_is_one_problem_naming_the_feed(
    site_dir: Path, tmp_path: Path, document: bytes, problem: str
) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(document)
    assert import_error(feed, site_dir) == f"{feed}{problem}"


def test_a_json_feeds_values_of_the_wrong_type_are_read_as_missing(
    site_dir: Path, tmp_path: Path
) -> None:
    """Hand-written and templated feeds put numbers, nulls, lists where text belongs: each is
    a field the item leaves out, and the item is refused or imported as it would be without."""
    feed = tmp_path / "feed.json"
    feed.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": ["Wayka"],'
        ' "home_page_url": 7, "items": [null, 3, "x",'
        ' {"id": true, "url": {"href": "x"}, "title": "Sin enlace", "summary": "Texto."},'
        ' {"id": null, "url": "https://wayka.pe/nota/", "title": 12, "content_html": ["<p>x</p>"],'
        '  "summary": "Una nota.", "date_published": 20221210, "authors": "Ana",'
        '  "author": {"name": ["Ana"]}}]}',
        encoding="utf-8",
    )
    report = import_feed(str(feed), site_dir, now=NOW, dry_run=False, outlet="Wayka")
    assert reported(report, site_dir) == [
        "imported: content/articles/2024/2024-05-06-una-nota.md"
        " (no title; the summary's first sentence was used: review it;"
        " no date; the import day was used)",
        "added to sources.yaml: Wayka (fill in its homepage)",
        "1 imported, 0 skipped, 1 refused.",
        "refused: 'Sin enlace': no link",
    ]
    loaded(site_dir)


# --- what a feed puts where an id belongs ------------------------------------------------------


def test_a_guid_that_runs_script_or_holds_a_document_is_no_id(
    site_dir: Path, tmp_path: Path
) -> None:
    """`javascript:alert(…)`, `data:text/html;…` are URIs, yet kept as ids the build would
    publish them in every feed, where a reader that opens an id as a link would run them: the
    id is made from the link instead."""
    assert import_lines(OUTLETS / "guids_that_run_script.xml", site_dir)[-2:] == [
        "added to sources.yaml: Diario Costeño (homepage: https://diariocosteno.pe/)",
        "4 imported, 0 skipped.",
    ]
    ids = {
        matter["url"]: matter["id"]
        for path in (site_dir / "articles" / "2022").glob("*.md")
        if (matter := front_matter_of(path))
    }
    assert ids == {url: derived_id(url, "", "") for url in ids}
    public = tmp_path / "public"
    build(site_dir, TEMPLATES, public, search=False)
    published = "".join(
        path.read_text(encoding="utf-8") for path in public.rglob("*") if path.suffix in FEEDS
    )
    assert not re.search(r"(?i)javascript:|vbscript:|data:text", published)
    assert import_lines(OUTLETS / "guids_that_run_script.xml", site_dir)[-1] == (
        "0 imported, 4 skipped."
    )


# --- outlets named in a channel's title ----------------------------------------------------------


def test_a_channel_titled_as_a_breadcrumb_names_its_outlet_at_its_sites_home(
    site_dir: Path, tmp_path: Path
) -> None:
    """The New York Times titles its section feeds `NYT > World > Americas`, linked to the
    section's page: the outlet is `NYT`, at the site's home, whichever section's feed is read;
    the photo's `media:credit` and `media:description` are neither author nor summary."""
    feed = OUTLETS / "nyt_section_breadcrumb.xml"
    assert import_lines(feed, site_dir) == [
        "imported: content/articles/2022/2022-12-07-perus-president-is-ousted-and-arrested-after"
        "-trying-to-dissolve-congress.md",
        "added to sources.yaml: NYT (homepage: https://www.nytimes.com/)",
        "1 imported, 0 skipped.",
    ]
    matter, summary = written(
        site_dir,
        "2022/2022-12-07-perus-president-is-ousted-and-arrested-after-trying-to-dissolve-congress.md",
    )
    assert (matter["source"], matter["authors"]) == ("NYT", ["Mitra Taj", "Julie Turkewitz"])
    assert summary.startswith("<p>Pedro Castillo was removed by lawmakers")
    world = tmp_path / "World.xml"
    world.write_text(
        feed.read_text(encoding="utf-8")
        .replace("NYT &gt; World &gt; Americas", "NYT &gt; World News")
        .replace("/section/world/americas", "/section/world")
        .replace("peru-president-pedro-castillo", "peru-dina-boluarte"),
        encoding="utf-8",
    )
    assert import_lines(world, site_dir)[-1] == "1 imported, 0 skipped."
    assert (site_dir / "sources.yaml").read_text(encoding="utf-8").count("name: NYT") == 1


# --- a web page given for its feed ----------------------------------------------------------------


@pytest.fixture
def pages() -> Iterator[tuple[str, dict[str, tuple[str, bytes]]]]:
    """A local web server, and the answers it gives: path → (Content-Type, body); at
    /status/NNN, an error page with that status."""
    answers: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            content_type, body = answers.get(self.path, ("text/html", b"<title>Error</title>"))
            status = self.path.removeprefix("/status/")
            self.send_response(
                200 if self.path in answers else int(status) if status.isdigit() else 404
            )
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as url:
        yield url, answers


def test_a_web_page_given_for_its_feed_names_the_feeds_it_links_to(site_dir: Path) -> None:
    """WordPress's home page names its articles' feed and its comments' (and, as
    `application/json`, its REST API, which is no feed)."""
    page = OUTLETS / "wordpress_home_page.html"
    assert import_error(page, site_dir) == (
        f"{page}: not an RSS, Atom or JSON feed\n"
        "  hint: this is a web page; it links to its feeds, https://wayka.pe/feed/, "
        "https://wayka.pe/comments/feed/: import the one that carries its articles"
    )


def test_a_fetched_pages_feed_links_are_given_as_addresses_to_import(
    site_dir: Path, pages: tuple[str, dict[str, tuple[str, bytes]]]
) -> None:
    """A link relative to the page is read against the page's address, or its `<base>`."""
    server, answers = pages
    head = '<link rel="alternate" type="application/rss+xml" title="RSS" href="{}">'
    answers["/politica/"] = ("text/html", head.format("feed/").encode())
    answers["/based/"] = (
        "text/html; charset=utf-8",
        (head.format("/rss/portada.xml") + '<base href="https://andina.pe/agencia/">').encode(),
    )
    answers["/politica/feed/"] = (
        "application/rss+xml",
        (FIXTURES / "feeds" / "rss20.xml").read_bytes(),
    )
    assert import_error(f"{server}/politica/", site_dir) == (
        f"{server}/politica/: not an RSS, Atom or JSON feed\n"
        f"  hint: this is a web page; it links to its feed, {server}/politica/feed/: "
        "import that address"
    )
    assert import_error(f"{server}/based/", site_dir).endswith(
        "it links to its feed, https://andina.pe/rss/portada.xml: import that address"
    )
    assert import_lines(f"{server}/politica/feed/", site_dir)[-1] == "2 imported, 0 skipped."


def test_a_page_that_names_no_feed_says_where_feeds_are_found(
    site_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "portada.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>El Comercio Perú</title></head><body></body></html>",
        encoding="utf-8",
    )
    assert import_error(page, site_dir) == (
        f"{page}: not an RSS, Atom or JSON feed\n"
        "  hint: give the feed's own address; a web page usually links to it as RSS or Atom"
    )


def test_a_page_whose_feed_links_are_broken_is_still_one_problem(
    site_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(
        b'<base href="http://[broken/"><link rel="alternate" type="application/atom+xml"'
        b' href="http://[x/feed\x1b[2J">'
    )
    assert import_error(page, site_dir) == (
        f"{page}: not an RSS, Atom or JSON feed\n"
        "  hint: this is a web page; it links to its feed, http://[x/feed\\x1b[2J: "
        "import that address"
    )


# --- where a feed that is not well-formed breaks -----------------------------------------------


def test_blank_lines_before_the_xml_declaration_are_no_fault(
    site_dir: Path, tmp_path: Path
) -> None:
    """WordPress's best-known fault (a plugin that prints a line break before the feed): read
    as if the lines were not there, strictly, with no warning, into the same file."""
    feed = OUTLETS / "wordpress_blank_lines_before_declaration.xml"
    assert import_lines(feed, site_dir) == [
        f"imported: content/articles/2022/{AYACUCHO}",
        "added to sources.yaml: Wayka (homepage: https://wayka.pe)",
        "1 imported, 0 skipped.",
    ]
    mended = (site_dir / "articles" / "2022" / AYACUCHO).read_bytes()
    clean = tmp_path / "clean"
    shutil.copytree(FIXTURES / "site", clean)
    without = tmp_path / "feed.xml"
    without.write_bytes(feed.read_bytes().lstrip())
    import_lines(without, clean)
    assert (clean / "articles" / "2022" / AYACUCHO).read_bytes() == mended


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("no_declaration_not_well_formed.xml", 9),
        ("rss091_doctype_on_two_lines_not_well_formed.xml", 12),
    ],
)
def test_the_line_where_a_feed_breaks_is_the_line_of_the_feed_as_written(
    site_dir: Path, name: str, line: int
) -> None:
    """feedparser writes a declaration on a line of its own before a feed without one, and
    replaces a DOCTYPE (Netscape's RSS 0.91, on two lines) with nothing: the XML reader's lines
    were one off, and an editor who told the outlet sent it to the wrong line."""
    assert import_lines(OUTLETS / name, site_dir)[0] == (
        f"warning: the feed is not well-formed (line {line}: mismatched tag); 1 entry recovered"
    )


# --- what a server sends instead of a feed --------------------------------------------------------

RSS = (FIXTURES / "feeds" / "rss20.xml").read_bytes()


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (
            403,
            "the server refuses this program (some outlets let only browsers in): open the "
            "address in a browser, save the feed as a file, and import the file",
        ),
        (
            410,
            "check the address; if the outlet moved its feed, its home page links to the new one",
        ),
        (429, "the outlet's server is busy or failing: try again later"),
        (503, "the outlet's server is busy or failing: try again later"),
    ],
)
def test_an_http_error_says_what_to_do_about_it(
    site_dir: Path, pages: tuple[str, dict[str, tuple[str, bytes]]], status: int, hint: str
) -> None:
    server, _ = pages
    url = f"{server}/status/{status}"  # with a page, as Cloudflare's "Just a moment..."
    assert import_error(url, site_dir).endswith(f"\n  hint: {hint}")


def test_an_empty_download_or_file_is_named_empty(
    site_dir: Path, tmp_path: Path, pages: tuple[str, dict[str, tuple[str, bytes]]]
) -> None:
    server, answers = pages
    answers["/feed/"] = ("application/rss+xml", b"")
    assert import_error(f"{server}/feed/", site_dir) == (
        f"{server}/feed/: the feed is empty: it holds not one character\n"
        "  hint: check the address; if it is right, the server sent nothing: try again later"
    )
    saved = tmp_path / "feed.xml"
    saved.write_bytes(b"\r\n")
    assert import_error(saved, site_dir) == (
        f"{saved}: the feed is empty: it holds not one character\n"
        "  hint: check the file's name; a feed saved before its download came is empty"
    )


def test_a_feed_still_gzip_compressed_is_read(
    site_dir: Path, tmp_path: Path, pages: tuple[str, dict[str, tuple[str, bytes]]]
) -> None:
    """A server that compresses without saying so (or twice), and a `feed.xml.gz` saved."""
    server, answers = pages
    answers["/feed/"] = ("application/rss+xml", gzip.compress(RSS))
    assert import_lines(f"{server}/feed/", site_dir)[-1] == "2 imported, 0 skipped."
    saved = tmp_path / "feed.xml.gz"
    saved.write_bytes(gzip.compress(RSS))
    assert import_lines(saved, site_dir)[-1] == "0 imported, 2 skipped."


def test_dates_a_script_wrote_with_javascripts_to_string_are_read_offset_kept(
    site_dir: Path,
) -> None:
    """A feed a Node script writes by hand (`new Date().toString()`): the zone is its offset;
    its name, in the writer's language, says nothing more."""
    import_lines(OUTLETS / "javascript_dates_node_script.xml", site_dir)
    dates = sorted(
        front_matter_of(path)["date"] for path in (site_dir / "articles" / "2022").glob("*.md")
    )
    assert dates == ["2022-12-12T19:45:00-05:00", "2022-12-14T01:10:00+00:00"]


def test_a_windows_1252_feed_that_names_no_encoding_is_not_said_to_name_one(
    site_dir: Path, tmp_path: Path
) -> None:
    """A feed saved from Excel or a Windows script, with no XML declaration and no server to
    say its charset: XML reads it as UTF-8, yet the feed never said so."""
    feed = tmp_path / "andina.xml"
    feed.write_bytes(
        "<rss version='2.0'><channel><title>Agencia Andina</title><link>https://andina.pe/agencia/"
        "</link><item><title>Cañete: agricultores piden «diálogo»</title><link>"
        "https://andina.pe/agencia/noticia-canete-agricultores-920001.aspx</link><pubDate>"
        "Wed, 14 Dec 2022 09:00:00 -0500</pubDate><description>Los agricultores de Cañete "
        "piden diálogo.</description></item></channel></rss>".encode("cp1252")
    )
    assert import_lines(feed, site_dir)[0] == (
        "warning: the feed names no encoding (so UTF-8), but it is Windows-1252: it was read so"
    )
