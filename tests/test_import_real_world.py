"""Feeds and digests as outlets really publish them: every case of
tests/fixtures/README-real-world.md, imported as that file expects."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from peru_digest import articlefile
from peru_digest.authors import AuthorBook
from peru_digest.build import build
from peru_digest.digesttext import parse_digest
from peru_digest.errors import DigestError
from peru_digest.importers.digest import import_digest
from peru_digest.importers.feed import import_feed
from peru_digest.importers.feedentries import above, outlet_name, wordpress_section
from peru_digest.model import derived_id

from .conftest import FIXTURES, TEMPLATES, loaded
from .imported import front_matter_of, reported

FEEDS = FIXTURES / "feeds"
DIGESTS = FIXTURES / "digests"
NOW = datetime(2024, 5, 6, 12, tzinfo=UTC)  # the import day, at noon
SITE_FILES = {path.name for path in (FIXTURES / "site" / "articles").rglob("*.md")}


def imported(name: str, content: Path, **options: Any) -> list[str]:
    options.setdefault("now", NOW)
    report = import_feed(str(FEEDS / name), content, dry_run=False, **options)
    return reported(report, content)


def imported_rss(content: Path, folder: Path, channel: str, items: str) -> list[str]:
    """The report of importing an RSS feed written out here: the channel's own elements,
    then its items (``dc:`` declared)."""
    feed = folder / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>{channel}{items}</channel></rss>',
        encoding="utf-8",
    )
    return reported(import_feed(str(feed), content, now=NOW, dry_run=False), content)


def files(content: Path) -> dict[str, dict[str, Any]]:
    """The new article files' front matter, by name; the fixture site's own files left out."""
    return {
        path.name: front_matter_of(path)
        for path in sorted((content / "articles").rglob("*.md"))
        if path.name not in SITE_FILES
    }


def bodies(content: Path) -> list[str]:
    return [
        articlefile.parse(path.read_text("utf-8"), "x").body
        for path in sorted((content / "articles").rglob("*.md"))
        if path.name not in SITE_FILES
    ]


def values(content: Path, key: str) -> list[Any]:
    return [data.get(key) for data in files(content).values()]


# --- long titles --------------------------------------------------------------------------


def test_titles_too_long_for_a_file_name_keep_their_words_and_get_a_short_slug(
    site_dir: Path, tmp_path: Path
) -> None:
    spanish = (
        "2022-12-07-congreso-aprueba-con-101-votos-la-vacancia-presidencial-de-pedro-castillo-"
        "por-permanente-incapacidad"
    )
    japanese = (
        "2022-12-08-hetorokasuteisiyoda-tong-ling-kayi-hui-noyi-shi-jie-san-tofei-chang-shi-tai-"
        "zheng-fu-noshu-li-wofa"
    )
    assert imported("long_titles.xml", site_dir) == [
        f"imported: content/articles/2022/{spanish}.md",
        f"imported: content/articles/2022/{japanese}.md",
        "added to sources.yaml: Perú Shimpo (homepage: https://www.perushimpo.com/)",
        "2 imported, 0 skipped.",
    ]
    first, second = files(site_dir).values()
    assert len(first["title"]) == 302
    assert first["slug"] == spanish.removeprefix("2022-12-07-")
    assert len(first["slug"]) == 100
    assert (first["date"], first["id"], first["authors"]) == (
        "2022-12-07T16:40:00-05:00",
        "https://www.perushimpo.com/?p=48211",
        ["Redacción Perú Shimpo"],
    )
    assert (
        second["title"].startswith("ペドロ・カスティージョ大統領が") and len(second["title"]) == 127
    )
    assert (second["slug"], second["authors"]) == (japanese.removeprefix("2022-12-08-"), ["編集部"])
    build(site_dir, TEMPLATES, tmp_path / "public", search=False)


@pytest.mark.parametrize("name", sorted(path.name for path in FEEDS.glob("*.xml")))
def test_every_written_file_name_fits_the_file_system_and_every_slug_is_short(
    site_dir: Path, name: str
) -> None:
    try:
        imported(name, site_dir)
    except DigestError:  # feeds that import nothing are tested elsewhere
        return
    for path in (site_dir / "articles").rglob("*.md"):
        assert len(path.name.encode("utf-8")) <= 255
    assert all(len(slug) <= 100 for slug in values(site_dir, "slug") if slug)


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dates"),
    [
        (
            "dates_spanish.xml",
            ["2018-12-05T08:30:00-05:00", "2018-12-05", "2018-12-06T10:00:00-05:00"],
        ),
        (
            "dates_portuguese.xml",
            ["2018-09-24T10:00:00-03:00", "2018-09-25T18:30:00-03:00", "2018-12-02T09:00:00-02:00"],
        ),
        (
            "dates_named_zones.xml",
            ["2018-12-05T10:30:00-03:00", "2018-12-05T08:30:00-05:00", "2018-12-05T08:30:00-05:00"],
        ),
        (
            "dates_french_named_zones.xml",
            ["2018-09-24T16:00:00+02:00", "2018-12-05T14:30:00+01:00"],
        ),
        (
            "dates_dc_date_iso8601.xml",
            ["2018-12-05T08:30:00-05:00", "2018-12-05T13:30:00+00:00", "2018-12-10T20:15:00-05:00"],
        ),
    ],
)
def test_dates_are_read_as_outlets_write_them_offset_kept(
    site_dir: Path, name: str, dates: list[str]
) -> None:
    lines = imported(name, site_dir)
    assert lines[-1] == f"{len(dates)} imported, 0 skipped."
    assert not any("no date" in line for line in lines)
    assert values(site_dir, "date") == dates  # in file-name order


def test_dates_that_cannot_be_read_skip_their_entry_and_are_named(site_dir: Path) -> None:
    assert imported("date_unparseable.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-07-congreso-convoca-a-sesion-extraordinaria.md",
        "added to sources.yaml: Diario Correo (homepage: https://diariocorreo.pe/)",
        "1 imported, 0 skipped, 2 refused.",
        "refused: entry 1 ('Dina Boluarte juramenta como presidenta'): "
        "unreadable date '0000-00-00 00:00:00'",
        "refused: entry 2 ('Pedro Castillo es trasladado a la Diroes'): "
        "unreadable date 'hace 2 horas'",
    ]
    assert values(site_dir, "date") == ["2022-12-07T21:10:00-05:00"]


def test_a_year_written_with_a_leading_zero_is_unreadable_never_moved_to_another(
    site_dir: Path,
) -> None:
    assert imported("dates_padded_years.xml", site_dir) == [
        "imported: content/articles/2021/2021-08-11-castillo-viaja-a-mexico-para-la-cumbre-de-"
        "la-celac.md",
        "added to sources.yaml: Kawsachun News (homepage: https://kawsachunnews.com/)",
        "1 imported, 0 skipped, 4 refused.",
        "refused: entry 1 ('Castillo presenta su primer gabinete'): "
        "unreadable date 'Wed, 11 Aug 0000 10:00:00 -0500'",
        "refused: entry 2 ('Bellido responde a las críticas del Congreso'): "
        "unreadable date 'Wed, 11 Aug 0021 10:00:00 -0500'",
        "refused: entry 3 ('La Cancillería cambia de titular'): "
        "unreadable date 'Mié, 11 Ago 0099 10:00:00 PET'",
        "refused: entry 4 ('El voto de confianza se debatirá en agosto'): "
        "unreadable date '0021-08-11T10:00:00-05:00'",
    ]
    assert values(site_dir, "date") == ["2021-08-11T10:00:00-05:00"]


def test_atom_dates_with_padded_years_are_unreadable_and_so_is_the_feeds_own(
    site_dir: Path,
) -> None:
    assert imported("dates_padded_years_atom.xml", site_dir) == [
        "imported: content/articles/2024/2024-05-06-las-rondas-campesinas-y-el-nuevo-gobierno.md "
        "(no date; the import day was used)",
        "added to sources.yaml: Ojo Público (homepage: https://ojo-publico.com/)",
        "1 imported, 0 skipped, 2 refused.",
        "refused: entry 1 ('Los contratos del puente Tarata'): "
        "unreadable date '0021-08-11T08:00:00-05:00'",
        "refused: entry 2 ('Quién financia a los partidos nuevos'): "
        "unreadable date '0099-08-11T08:00:00Z'",
    ]


# --- identity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (  # zero-width spaces, word joiners, byte-order marks, direction controls
            (
                "\ufeffRPP Noticias",
                "Castillo\u200b juramenta \u2060en\u202e Ayacucho",
                "Ana\u200b Ruiz",
            ),
            ("RPP Noticias", "Castillo juramenta en Ayacucho", "Ana Ruiz"),
        ),
        (  # soft hyphens, and letters written as a letter and an accent (macOS, PDFs)
            ("Diario Uno", "Con\u00adgreso de Peru\u0301", "In\u0303igo Nu\u0301n\u0303ez"),
            ("Diario Uno", "Congreso de Perú", "Iñigo Núñez"),
        ),
    ],
)
def test_what_content_systems_leave_in_titles_and_names_goes(
    site_dir: Path, tmp_path: Path, written: tuple[str, str, str], read: tuple[str, str, str]
) -> None:
    """Characters a reader never sees where they are, but which split words or keep two
    spellings of one title apart."""
    outlet, title, author = written
    imported_rss(
        site_dir,
        tmp_path,
        f"<title>{outlet}</title><link>https://rpp.pe/</link>",
        f"<item><title>{title}</title><link>https://rpp.pe/politica/castillo-1</link>"
        f"<dc:creator>{author}</dc:creator>"
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
        "</item>",
    )
    assert (values(site_dir, "source"), values(site_dir, "title"), values(site_dir, "authors")) == (
        [read[0]],
        [read[1]],
        [[read[2]]],
    )


def test_titles_and_names_a_feed_double_encoded_are_read_as_written(
    site_dir: Path, tmp_path: Path
) -> None:
    """A content system that took its UTF-8 for Windows-1252 and encoded it again writes
    ``PerÃº`` for Perú; the words are read back. Text that only looks so (``SÃO PAULO``)
    stays."""

    def twice(text: str) -> str:  # each byte as Windows-1252 reads it, else as Latin-1
        return "".join(
            bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in text.encode()
        )

    imported_rss(
        site_dir,
        tmp_path,
        "<title>Diario Uno</title><link>https://diariouno.pe/</link>",
        f"<item><title>{twice('Perú: Castillo “juramenta” ante niños')}</title>"
        f"<link>https://diariouno.pe/politica/a-1</link><dc:creator>{twice('Iñigo Núñez')}"
        "</dc:creator><pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate>"
        "<description>Texto.</description></item>"
        "<item><title>SÃO PAULO recibe a Castillo</title>"
        "<link>https://diariouno.pe/politica/b-2</link>"
        "<pubDate>Mon, 02 Aug 2021 09:00:00 -0500</pubDate>"
        "<description>Texto.</description></item>",
    )
    assert sorted(values(site_dir, "title")) == [
        "Perú: Castillo “juramenta” ante niños",
        "SÃO PAULO recibe a Castillo",
    ]
    assert [a for a in values(site_dir, "authors") if a] == [["Iñigo Núñez"]]


def test_text_a_feed_escaped_once_too_often_in_cdata_is_read_as_it_meant(
    site_dir: Path, tmp_path: Path
) -> None:
    """WordPress escapes its titles and names as HTML, and some themes put that again in
    CDATA, escaped once more: text with a numbered reference left once read (which no writer
    means to show) is read again, but not in code."""
    imported_rss(
        site_dir,
        tmp_path,
        "<title>Diario Uno</title><link>https://diariouno.pe/</link>",
        "<item><title><![CDATA[Lima&#8217;s &amp;amp; Cusco&amp;#8217;s plan]]></title>"
        "<link>https://diariouno.pe/a-1</link><dc:creator><![CDATA[Ana O&amp;#8217;Neill]]>"
        "</dc:creator><pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description><![CDATA["
        "<p>Lima&amp;#8217;s plan &amp;amp; Cusco&#8217;s. <code>&amp;#8217;</code></p>]]>"
        "</description></item>",
    )
    assert values(site_dir, "title") == ["Lima’s & Cusco’s plan"]
    assert values(site_dir, "authors") == [["Ana O’Neill"]]
    assert bodies(site_dir) == ["<p>Lima’s plan &amp; Cusco’s. <code>&amp;#8217;</code></p>"]


def test_markup_in_a_title_feedparser_took_for_text_is_dropped(site_dir: Path) -> None:
    imported("titles_with_markup.xml", site_dir)
    assert sorted(values(site_dir, "title")) == [
        "<Video:Castillo> llega a Palacio",
        "Bellido responde",
        "Castillo juramenta",
        "Cerrón renuncia",
        "El nuevo <Ministro> de Economía",
        "El presidente juramenta en Lima",
        "Inflación < 3 % en julio",
    ]


def test_control_characters_in_a_summary_are_dropped_and_a_vertical_tab_is_a_space(
    site_dir: Path,
) -> None:
    lines = imported("summaries_with_control_characters.xml", site_dir)
    assert lines[-1] == "3 imported, 0 skipped."
    assert bodies(site_dir) == [
        "<p>El premier renunció.</p>",
        "<p>Primera línea Segunda línea.</p>",
        "<p>El pleno votó.</p>",
    ]


def test_control_characters_written_as_references_are_dropped_too_and_so_are_direction_controls(
    site_dir: Path,
) -> None:
    lines = imported("control_characters_as_references.xml", site_dir)
    assert lines[-1] == "4 imported, 0 skipped."
    assert sorted(values(site_dir, "title")) == [
        "Aislado شبكة left open",
        "Castillo habla en Puno",
        "El Congreso vota",
        "Override evil text",
    ]
    assert (
        '<p>Trae un carácter invisible aquí, y <a href="https://diariolima.pe/x" title="ab" '
        'rel="nofollow noopener noreferrer">un enlace</a>.</p>'
    ) in bodies(site_dir)
    assert "<p>El pleno votó.</p>" in bodies(site_dir)
    build(site_dir, TEMPLATES, site_dir.parent / "public", search=False)


def test_a_medium_writers_feed_names_the_writer_and_its_summary_does_not_repeat_the_title(
    site_dir: Path,
) -> None:
    assert imported("medium_user_feed.xml", site_dir) == [
        "imported: content/articles/2021/2021-08-03-el-gabinete-bellido-y-el-voto-de-confianza.md",
        "added to sources.yaml: Luis Mamani on Medium (homepage: https://medium.com/@luismamani)",
        "1 imported, 0 skipped.",
    ]
    (article,) = files(site_dir).values()
    assert article["url"] == (
        "https://medium.com/@luismamani/el-gabinete-bellido-y-el-voto-de-confianza-3f9a2b1c7d8e"
    )
    (body,) = bodies(site_dir)
    assert body.startswith(
        '<p><img alt="" src="https://cdn-images-1.medium.com/max/1024/1*xyz.jpeg">'
    )
    assert "<h3>" not in body and "stat?event" not in body


def proxied_feed(folder: Path, outlet: str, link: str) -> str:
    """A feed served by FeedBurner, its link its own address, as such feeds often have."""
    name = outlet.lower().replace(" ", "")
    feed = folder / f"{name}.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{outlet}</title><link>{link}</link>"
        f'<atom:link rel="self" href="{link}"/><description>x</description>'
        f"<item><title>Nota de {outlet}</title><link>https://{name}.test/nota</link>"
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
        "</item></channel></rss>",
        "utf-8",
    )
    return str(feed)


def given_home(feed: str) -> str:
    """The feed with its own address elsewhere: its link is its outlet's homepage."""
    path = Path(feed)
    path.write_text(
        re.sub(r'rel="self" href="[^"]*"', 'rel="self" href="feed.xml"', path.read_text("utf-8")),
        "utf-8",
    )
    return feed


def test_outlets_are_not_told_by_a_homepage_the_feed_does_not_give_or_a_source_option_names(
    site_dir: Path, tmp_path: Path
) -> None:
    first = proxied_feed(tmp_path, "Outlet A", "https://feeds.feedburner.com/outleta")
    second = proxied_feed(tmp_path, "Outlet B", "https://feeds.feedburner.com/outletb")
    assert imported(first, site_dir)[-2:] == [
        "added to sources.yaml: Outlet A (fill in its homepage)",  # not FeedBurner's
        "1 imported, 0 skipped.",
    ]
    assert imported(second, site_dir)[-2:] == [
        "added to sources.yaml: Outlet B (fill in its homepage)",  # not FeedBurner's
        "1 imported, 0 skipped.",
    ]
    third = given_home(proxied_feed(tmp_path, "Andes Blog", "https://andes.test/blog/"))
    assert imported(third, site_dir, outlet="Andes Blog")[-2:] == [
        "added to sources.yaml: Andes Blog (homepage: https://andes.test/blog/)",
        "1 imported, 0 skipped.",
    ]
    fourth = given_home(proxied_feed(tmp_path, "Andes Daily News", "https://www.andes.test/"))
    assert imported(fourth, site_dir)[-1] == "1 imported, 0 skipped."
    assert sorted(values(site_dir, "source")) == [
        "Andes Blog",
        "Daily Andes",  # declared with the homepage this feed gives
        "Outlet A",
        "Outlet B",
    ]


@pytest.mark.parametrize(
    ("channel", "added"),
    [
        (  # a section's page
            "<title>Peru | The Guardian</title><link>https://www.theguardian.com/world/peru</link>",
            "The Guardian (homepage: https://www.theguardian.com/)",
        ),
        (
            "<title>RPP Noticias - Política</title><link>https://rpp.pe/politica</link>",
            "RPP Noticias (homepage: https://rpp.pe/)",
        ),
        (  # FeedBurner's address: the articles' site
            "<title>Peru Reports</title><link>http://feeds.feedburner.com/PeruReports</link>",
            "Peru Reports (homepage: https://perureports.com/)",
        ),
        (  # a writer's own page is the outlet's
            "<title>Stories by Ana Ruiz on Medium</title><link>https://medium.com/@anaruiz</link>",
            "Ana Ruiz on Medium (homepage: https://medium.com/@anaruiz)",
        ),
        (  # a tagline says nothing of the link: the BBC's Spanish service
            "<title>BBC News Mundo - Noticias</title><link>https://www.bbc.com/mundo</link>",
            "BBC News Mundo (homepage: https://www.bbc.com/mundo)",
        ),
        (  # a section's name of more words than its address
            "<title>World news | The Guardian</title><link>https://www.theguardian.com/world</link>",
            "The Guardian (homepage: https://www.theguardian.com/)",
        ),
    ],
)
def test_the_outlets_homepage_is_its_site_not_a_sections_page_or_a_feed_proxy(
    site_dir: Path, tmp_path: Path, channel: str, added: str
) -> None:
    lines = imported_rss(
        site_dir,
        tmp_path,
        channel,
        '<item xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><title>Uno</title>'
        "<link>http://feeds.feedburner.com/~r/PeruReports/~3/x</link>"
        "<feedburner:origLink>https://perureports.com/2021/08/02/uno/</feedburner:origLink>"
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
        "</item>",
    )
    assert f"added to sources.yaml: {added}" in lines


def test_a_guid_that_entries_with_other_links_share_identifies_none_of_them(
    site_dir: Path,
) -> None:
    lines = imported("guids_shared_by_a_section.xml", site_dir)
    assert lines[-1] == "3 imported, 0 skipped."
    assert "https://radioandina.pe/politica" not in values(site_dir, "id")
    assert imported("guids_shared_by_a_section.xml", site_dir)[-1] == "0 imported, 3 skipped."


def test_a_guid_that_is_no_address_shared_by_entries_with_other_links_identifies_none(
    site_dir: Path,
) -> None:
    """One word or one UUID a template writes as every item's guid hid every item after the
    first ("same id"): it is no id. A story given twice keeps its guid (a tracking parameter
    makes no other page)."""
    lines = imported("guids_shared_text_and_uuid.xml", site_dir)
    assert lines[-2:] == [
        "added to sources.yaml: Radio Sur (homepage: https://radiosur.example/)",
        "5 imported, 1 skipped.",
    ]
    assert lines[-3] == (
        "skipped: 'Festival de la Candelaria': same id as "
        "content/articles/2021/2021-08-02-festival-de-la-candelaria.md"
    )
    ids = values(site_dir, "id")
    assert "tag:radiosur.example,2021:RS-2021-0802-5" in ids
    assert not [id for id in ids if id.endswith(":noticia") or id.startswith("urn:uuid:3f2b")]
    assert imported("guids_shared_text_and_uuid.xml", site_dir)[-1] == "0 imported, 6 skipped."


def test_a_guid_that_is_a_section_above_the_link_identifies_no_entry_across_imports(
    site_dir: Path, tmp_path: Path
) -> None:
    """A feed that carries one story at a time, each with its section's page as guid."""
    whole = (FEEDS / "guids_shared_by_a_section.xml").read_text("utf-8")
    head, *items = whole.split("<item>")
    for number, item in enumerate(items):
        feed = tmp_path / f"feed-{number}.xml"
        feed.write_text(head + "<item>" + item.split("</channel>")[0] + "</channel></rss>\n")
        assert imported(str(feed), site_dir)[-1] == (  # an absolute path: FEEDS / it is it
            "1 imported, 0 skipped."
        )
    assert "https://radioandina.pe/politica" not in values(site_dir, "id")


def test_a_short_address_above_the_link_that_names_a_post_is_its_id(
    site_dir: Path, tmp_path: Path
) -> None:
    """Tumblr's guid is the post's short address, its link the same with the slug after."""
    feed = tmp_path / "tumblr.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Notas</title>'
        "<link>https://notas.tumblr.com/</link><description>Notas</description><item>"
        "<title>Castillo juramenta</title>"
        "<link>https://notas.tumblr.com/post/71354/castillo-juramenta</link>"
        "<guid>https://notas.tumblr.com/post/71354</guid>"
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Uno.</description>"
        "</item></channel></rss>\n",
        "utf-8",
    )
    imported(str(feed), site_dir)  # an absolute path: FEEDS / it is it
    assert values(site_dir, "id") == ["https://notas.tumblr.com/post/71354"]


@pytest.mark.parametrize(
    ("guid", "link", "section"),
    [
        ("https://r.pe/politica", "https://r.pe/politica/nota-1", True),
        ("https://r.pe/elecciones-2021/", "https://r.pe/elecciones-2021/nota-1", True),
        ("https://n.tumblr.com/post/71354", "https://n.tumblr.com/post/71354/castillo", False),
        ("https://r.pe/?p=123", "https://r.pe/2021/08/nota/", False),
        ("https://r.pe/nota-1", "https://r.pe/nota-1", False),
        ("https://otro.pe/politica", "https://r.pe/politica/nota-1", False),
    ],
)
def test_a_guid_is_a_sections_page_only_above_the_link_and_without_a_number_last(
    guid: str, link: str, section: bool
) -> None:
    assert above(guid, link) is section


def test_a_guid_that_is_no_address_is_no_link(site_dir: Path) -> None:
    assert imported("guids_without_links.xml", site_dir) == [
        "imported: content/articles/2021/2021-08-02-sin-enlace-guid-que-es-una-direccion.md",
        "imported: content/articles/2021/2021-08-02-enlace-relativo-tras-el-guid.md",
        "imported: content/articles/2021/2021-08-02-enlace-relativo-igual-al-guid.md",
        "imported: content/articles/2021/2021-08-02-sin-enlace-guid-que-es-una-ruta.md",
        "added to sources.yaml: Diario Costeño (homepage: https://diariocosteno.pe/)",
        "4 imported, 0 skipped, 4 refused.",
        "refused: 'Sin enlace, id de Arc': no link",
        "refused: 'Sin enlace, id numérico': no link",
        "refused: 'Sin enlace, id con barras': no link",
        "refused: 'Sin enlace, id tag': no link",
    ]
    assert sorted(values(site_dir, "url")) == [
        "https://diariocosteno.pe/politica/nota-3/",
        "https://diariocosteno.pe/politica/nota-4/",
        "https://diariocosteno.pe/politica/nota-7/",
        "https://diariocosteno.pe/politica/nota-8/",
    ]


def test_posts_that_differ_only_after_the_hash_but_have_their_own_ids_are_three_articles(
    site_dir: Path,
) -> None:
    assert imported("links_differ_only_in_fragment.xml", site_dir)[-1] == "3 imported, 0 skipped."
    page = "https://www.infobae.com/peru/2022/12/07/en-vivo-crisis-politica-en-peru/"
    assert values(site_dir, "url") == [f"{page}#post-{n}" for n in (1205, 1340, 1520)]
    assert values(site_dir, "id") == [
        f"tag:infobae.com,2022-12-07:peru/en-vivo/post-{n}" for n in (1205, 1340, 1520)
    ]
    assert values(site_dir, "title")[0] == (
        "12:05 | Pedro Castillo anuncia la disolución temporal del Congreso"
    )
    assert imported("links_differ_only_in_fragment.xml", site_dir)[-1] == "0 imported, 3 skipped."


def test_untitled_items_are_titled_by_their_first_sentence_for_review(site_dir: Path) -> None:
    note = "(no title; the summary's first sentence was used: review it)"
    assert imported("items_without_title.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-12-la-presidenta-dina-boluarte-anuncio-que-"
        f"presentara-un-proyecto-para-adelantar-las-elecciones-a-abril.md {note}",
        "imported: content/articles/2022/2022-12-12-la-embajada-de-ee-uu-en-lima-pidio-calma-y-"
        f"respeto-a-las-instituciones-democraticas.md {note}",
        "added to sources.yaml: Canal N (homepage: https://canaln.pe/)",
        "2 imported, 0 skipped, 1 refused.",
        "refused: entry 3 (https://canaln.pe/actualidad/aeropuerto-andahuaylas-n455133): "
        "no title and no summary",
    ]
    assert values(site_dir, "title") == [
        "La embajada de EE.UU. en Lima pidió calma y respeto a las instituciones democráticas",
        "La presidenta Dina Boluarte anunció que presentará un proyecto para adelantar las "
        "elecciones a abril de 2024",
    ]
    assert "El anuncio llegó tras cuatro días de protestas." in bodies(site_dir)[1]


# --- links --------------------------------------------------------------------------------


def test_xml_base_resolves_the_summaries_addresses(site_dir: Path) -> None:
    assert imported("xml_base_atom.xml", site_dir)[-2:] == [
        "added to sources.yaml: La Mula (homepage: https://redaccion.lamula.pe/)",
        "3 imported, 0 skipped.",
    ]
    first, gallery, column = bodies(site_dir)
    assert 'src="https://redaccion.lamula.pe/media/2022/12/pleno-votacion.jpg"' in first
    assert 'href="https://redaccion.lamula.pe/datos/vacancia-2022.csv"' in first
    assert 'src="https://lamula.pe/media/2022/12/boluarte-juramenta.jpg"' in column
    assert 'href="https://lamula.pe/tag/congreso/"' in column
    assert 'src="https://cdn.lamula.pe/fotos/2022/12/plaza-san-martin.jpg"' in gallery
    assert values(site_dir, "url")[2] == (
        "https://lamula.pe/columnistas/luis-mamani/2022/12/08/sucesion-constitucional/"
    )


def test_an_rss_source_names_another_outlet_and_keeps_its_homepage(site_dir: Path) -> None:
    assert imported("source_names_other_outlet.xml", site_dir)[-4:] == [
        "added to sources.yaml: Ojo Público (homepage: https://ojo-publico.com/)",
        "added to sources.yaml: Wayka (homepage: https://wayka.pe/)",
        "added to sources.yaml: Servindi (homepage: https://www.servindi.org/)",
        "3 imported, 0 skipped.",
    ]
    assert values(site_dir, "source") == ["Ojo Público", "Servindi", "Wayka"]
    assert values(site_dir, "id") == [  # Drupal's guids: "98211 at https://www.servindi.org"
        f"tag:www.servindi.org,2022:{number}%20at%20https://www.servindi.org"
        for number in (98211, 98236, 98230)
    ]


def test_feedburner_links_become_the_outlets_own_and_its_flare_goes(site_dir: Path) -> None:
    assert imported("feedburner_origlink.xml", site_dir) == [
        "imported: content/articles/2018/2018-10-03-los-audios-del-cnm-la-nueva-entrega.md",
        "imported: content/articles/2018/2018-10-01-keiko-fujimori-y-los-cocteles-la-ruta-del-"
        "dinero.md (FeedBurner link without origLink: the guid's address was used: review it)",
        "added to sources.yaml: IDL-Reporteros (homepage: https://www.idl-reporteros.pe)",
        "2 imported, 0 skipped.",
    ]
    assert values(site_dir, "url") == [
        "https://www.idl-reporteros.pe/?p=37388",
        "https://www.idl-reporteros.pe/los-audios-del-cnm-la-nueva-entrega/",
    ]
    assert bodies(site_dir) == [
        "<p>Los aportantes declarados no reconocen haber entregado el dinero.</p>",
        "<p>Nuevas grabaciones involucran a jueces supremos y a miembros del Consejo Nacional de "
        "la Magistratura.</p>",
    ]
    text = "".join(path.read_text("utf-8") for path in (site_dir / "articles").rglob("*.md"))
    assert "feedproxy.google.com" not in text
    assert "feeds.feedburner.com" not in text


def test_google_news_links_are_decoded_where_the_token_holds_the_address(site_dir: Path) -> None:
    note = "(Google News gives no summary: write one)"
    assert imported("google_news_decodable_links.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-07-pedro-castillo-anuncia-disolucion-temporal-"
        f"del-congreso.md {note}",
        "imported: content/articles/2022/2022-12-07-congreso-aprueba-vacancia-de-pedro-castillo-"
        f"con-101-votos.md {note}",
        "added to sources.yaml: El Comercio Perú (homepage: https://elcomercio.pe)",
        "added to sources.yaml: La República (homepage: https://larepublica.pe)",
        "2 imported, 0 skipped.",
    ]
    assert [(d["title"], d["url"], d["source"], d["date"]) for d in files(site_dir).values()] == [
        (
            "Congreso aprueba vacancia de Pedro Castillo con 101 votos",
            "https://larepublica.pe/politica/2022/12/07/congreso-aprueba-vacancia-de-pedro-"
            "castillo-con-101-votos-1963402",
            "La República",
            "2022-12-07T20:31:00+00:00",
        ),
        (
            "Pedro Castillo anuncia disolución temporal del Congreso",
            "https://elcomercio.pe/politica/pedro-castillo-anuncia-disolucion-temporal-del-"
            "congreso-noticia/",
            "El Comercio Perú",
            "2022-12-07T17:58:00+00:00",
        ),
    ]
    assert bodies(site_dir) == ["", ""]


def test_a_recurring_columns_title_hides_no_later_column(site_dir: Path, tmp_path: Path) -> None:
    """La República's "Editorial" comes out every day under one title. A digest's item (no
    link, dated the digest's day) is the same article as a feed's only when the feed's came
    out by that day (or the next); as another digest's only a day apart, or with the same
    summary (a page pasted again)."""
    digest = (DIGESTS / "recurring_column_editorial.txt").read_text(encoding="utf-8")

    def digest_of(day: date) -> list[str]:
        pasted = tmp_path / f"{day}.txt"  # each day's columns say something else
        pasted.write_text(digest.replace(" [...]", f" ({day}) [...]"), encoding="utf-8")
        return reported(import_digest(pasted, site_dir, day, dry_run=False), site_dir)

    assert digest_of(date(2021, 8, 5))[-1] == "2 imported, 0 skipped."
    assert imported("recurring_column_editorial.xml", site_dir)[-1] == "2 imported, 0 skipped."
    assert digest_of(date(2021, 8, 12))[-1] == "2 imported, 0 skipped."  # the next week's
    assert digest_of(date(2021, 9, 11))[-2:] == [  # the feed's of the 10th, or of the 11th
        "skipped: 'Editorial': same title and source as "
        "content/articles/2021/2021-09-10-editorial-2.md",
        "1 imported, 1 skipped.",
    ]
    editorials = [data for data in files(site_dir).values() if data["title"] == "Editorial"]
    assert sorted(str(data["date"])[:10] for data in editorials) == [
        "2021-08-05", "2021-08-12", "2021-09-10", "2021-09-11",
    ]  # fmt: skip
    assert len({data["id"] for data in editorials}) == 4
    loaded(site_dir)


def test_the_outlets_own_feed_recognises_a_story_google_news_hid_the_link_of(
    site_dir: Path,
) -> None:
    """A Google News link that hides the outlet's address is no link to compare: the same
    title from the same outlet is the same article."""
    imported("google_news_opaque_links.xml", site_dir)
    first = (
        "content/articles/2025/2025-10-10-jose-jeri-juramenta-como-presidente-del-peru-tras-la-"
        "vacancia-de-dina-boluarte.md"
    )
    assert imported("rpp_same_story_as_google_news.xml", site_dir) == [
        "skipped: 'José Jerí juramenta como presidente del Perú tras la vacancia de Dina "
        f"Boluarte': same title and source as {first}",
        "0 imported, 1 skipped.",
    ]


def test_an_entry_dated_after_the_import_day_is_noted_as_built_once_its_day_comes(
    site_dir: Path, tmp_path: Path
) -> None:
    lines = imported_rss(
        site_dir,
        tmp_path,
        "<title>RPP Noticias</title><link>https://rpp.pe/</link>",
        "<item><title>Mañana</title><link>https://rpp.pe/politica/manana-1</link>"
        "<pubDate>Tue, 07 May 2024 09:00:00 -0500</pubDate><description>Texto.</description>"
        "</item><item><title>Hoy</title><link>https://rpp.pe/politica/hoy-2</link>"
        "<pubDate>Mon, 06 May 2024 09:00:00 -0500</pubDate><description>Texto.</description>"
        "</item>",
    )
    assert lines[:2] == [
        "imported: content/articles/2024/2024-05-07-manana.md (dated in the future "
        "(2024-05-07): built once that day comes)",
        "imported: content/articles/2024/2024-05-06-hoy.md",
    ]


def test_current_google_news_links_are_kept_and_marked_for_review(site_dir: Path) -> None:
    lines = imported(
        "google_news_opaque_links.xml", site_dir, now=datetime(2025, 10, 11, tzinfo=UTC)
    )
    note = (
        "(Google News link: the outlet's address is not in the feed: review it; "
        "Google News gives no summary: write one)"
    )
    assert lines[:2] == [
        "imported: content/articles/2025/2025-10-10-jose-jeri-juramenta-como-presidente-del-peru-"
        f"tras-la-vacancia-de-dina-boluarte.md {note}",
        f"imported: content/articles/2025/2025-10-10-congreso.md {note}",
    ]
    assert lines[2:] == [
        "added to sources.yaml: RPP Noticias (homepage: https://rpp.pe)",
        "added to sources.yaml: Perú21 (homepage: https://peru21.pe)",
        "2 imported, 0 skipped.",
    ]
    assert all(
        url.startswith("https://news.google.com/rss/articles/CBMi")
        for url in values(site_dir, "url")
    )
    assert values(site_dir, "title") == [
        "Congreso",
        "José Jerí juramenta como presidente del Perú tras la vacancia de Dina Boluarte",
    ]


def test_tracking_images_go_and_a_summary_of_only_a_pixel_is_empty(site_dir: Path) -> None:
    assert imported("tracking_pixels.xml", site_dir)[2:] == [
        "added to sources.yaml: Lima en Escena (homepage: https://limaenescena.wordpress.com)",
        "2 imported, 0 skipped, 1 refused.",
        "refused: entry 3 ('Feria del Libro Ricardo Palma, en pausa'): empty summary",
    ]
    assert bodies(site_dir) == [
        "<p>El Teatro Municipal mantuvo su temporada.</p>",
        "<p>Un año de leyes a medias para el sector.</p>",
    ]


def test_tracking_parameters_leave_the_stored_urls_and_real_ones_stay(site_dir: Path) -> None:
    assert imported("tracking_parameters_real_world.xml", site_dir)[-1] == "5 imported, 0 skipped."
    assert sorted(values(site_dir, "url")) == [
        "https://resultadoshistorico.onpe.gob.pe/SEP2021/EleccionesPresidenciales/RePres/T"
        "?id=150101&page=2",
        "https://www.bbc.co.uk/news/world-latin-america-63888853",
        "https://www.francetvinfo.fr/monde/ameriques/perou-dina-boluarte-premiere-femme-"
        "presidente_5530001.html",
        "https://www.lemonde.fr/international/article/2022/12/07/perou-le-president-castillo-"
        "destitue_6153451_3210.html",
        "https://www.washingtonpost.com/world/2022/12/15/peru-protests-castillo-boluarte/",
    ]
    assert (
        sorted(values(site_dir, "id"))
        == [  # a reading list's guids, within its own site
            f"tag:lecturas-peru.pe,{day[:4]}:lecturas-{day}"
            for day in (
                "2021-06-10-01",
                "2022-12-07-01",
                "2022-12-08-01",
                "2022-12-08-02",
                "2022-12-15-01",
            )
        ]
    )


# --- authors and outlets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "authors"),
    [
        (
            "co_authors_rss.xml",
            [
                ["Íñigo de Barrón", "José Luis Aranda"],
                ["Renzo Salazar Vega", "Carmen Ríos"],
                ["Ana Quispe", "Luis Mamani", "Rosa Huamán"],
                ["Carmen Ríos", "Renzo Salazar Vega"],
            ],
        ),
        (
            "co_authors_atom.xml",
            [["Luis Mamani", "Rosa Huamán"], ["Ana Quispe", "Luis Mamani", "Rosa Huamán"]],
        ),
        (
            "co_authors_portuguese_e.xml",
            [["Lucas Weber", "Marina Duarte"], ["Marina Costa e Silva"]],
        ),
        ("blogger_atom.xml", [["Marisol Ccahuana"], []]),  # Blogger's "Unknown" is no name
        (  # by file name: cuatro, dos, tres, uno
            "bylines_character_references.xml",
            [["Luis O'Brien"], ["Redacción Perú21"], ["Ana Ruiz", "Pedro Gómez"], ["Ana O’Neill"]],
        ),
        (  # the same, read by feedparser's lenient parser: CDATA escaped once more
            "bylines_character_references_not_well_formed.xml",
            [["Luis O'Brien"], ["Redacción Perú21"], ["Ana Ruiz", "Pedro Gómez"], ["Ana O’Neill"]],
        ),
        ("media_caption_with_content_only.xml", [["Infobae"], ["Infobae"], ["AFP", "EFE"]]),
        ("media_caption_before_description.xml", [["Redacción EC"], ["Redacción", "AFP"]]),
        ("media_caption_not_well_formed.xml", [["Reuters", "AP"]]),
        (  # a role with a capital after a bar, a comma, a dash or in brackets; credits
            "bylines_roles_capitalised.xml",
            [  # by file name: cinco, cuatro, dos, nueve, ocho, seis, siete, tres, uno (11
                # August), then diez, doce, once, trece (12 August)
                ["Ana Quispe"],
                ["Ana Quispe"],
                ["Ana Quispe"],
                ["Luis Mamani"],  # "Luis Mamani (EFE)": the agency is no part of the name
                ["Jean-Paul Editor"],
                ["Ana Quispe"],  # "Texto y fotos: Ana Quispe"
                [],  # "Fotos y video: Ana Quispe": a credit for pictures only
                ["Ana Quispe"],
                ["Ana Quispe"],
                ["Juan Pérez"],  # "Redactor: Juan Pérez"
                ["Periodista Luis Gil"],  # a role before a name, without a colon: as written
                ["Rosa Ruiz"],  # "Enviada especial: Rosa Ruiz"
                ["Ana Ruiz"],  # "Ana Ruiz, Staff Writer"
            ],
        ),
        (  # by file name: a to h
            "bylines_sources_and_others.xml",
            [
                ["Ana Ruiz"],  # "con información de EFE"
                ["Ana Quispe", "Luis Mamani"],  # "y otros"
                ["Franklin Briceño"],  # "(AP)"
                ["Redacción EC"],  # "con información de agencias"
                ["Dan Collyns"],  # "et al."
                ["Marco Aquino"],  # ", with additional reporting by Reuters"
                ["Andrea Moncada"],  # "; con información de AFP y Reuters"
                ["Rosa Huamán"],  # "and others"
            ],
        ),
        (  # by file name: a to h
            "bylines_lines_and_web_addresses.xml",
            [
                ["Ana Ruiz", "Luis Mamani"],  # "Ana Ruiz<br>Luis Mamani"
                ["Ana Ruiz", "Luis Mamani"],  # "<p>Ana Ruiz</p><p>Luis Mamani</p>"
                ["Ana Ruiz", "Luis Mamani", "Rosa Huamán"],  # a line break, then "y"
                [],  # "https://www.facebook.com/anaruiz"
                [],  # "www.wayka.pe/autor/ana-ruiz"
                ["Ana Ruiz"],  # "Ana Ruiz (https://twitter.com/anaruiz)"
                ["Ana Ruiz", "Luis Mamani"],  # "<br />Corresponsal en Cusco": a role's line
                ["Carlos León"],  # indented on a line of its own
            ],
        ),
        (  # a name as a link, "por" in lower case, a photo credit, a role after the name
            "bylines_html_credits_roles.xml",
            [  # by file name; "by" and "par" inside a name are the name's
                ["Carlos León"],
                ["Ana Ruiz"],
                ["Carlos León"],
                ["Carlos León"],
                ["Carlos León"],  # "Carlos León, corresponsal"
                [],  # "admin": WordPress's first user
                ["Gaspar Ruiz", "Bobby Ghosh"],
                ["jperez"],  # a WordPress login shown as the name: a name, if a poor one
                ["dpa"],
                ["Toby Muse"],
            ],
        ),
    ],
)
def test_bylines_split_into_authors_but_not_inside_a_surname(
    site_dir: Path, name: str, authors: list[list[str]]
) -> None:
    imported(name, site_dir)
    assert values(site_dir, "authors") == authors


def test_wire_and_newspaper_bylines_name_people_and_agencies_not_places_or_editors(
    site_dir: Path, tmp_path: Path
) -> None:
    bylines = [
        "By FRANKLIN BRICEÑO and REGINA GARCIA CANO Associated Press",
        "Dan Collyns in Lima",
        "Reporting by Marco Aquino in Lima; Editing by Leslie Adler and Richard Chang",
        "Juan Pérez | @juanperez",
        "Ana Ruiz&#x200D;",
        "Sophie in 't Veld",
        "Rosa Quispe (corresponsal en Lima)",  # the role in brackets goes, not half of it
        "Por María Pía Benavides en Cusco y Luis Mamani en Puno",
        "Regina Garcia Cano The Associated Press",
        "Agencia Prensa Latina",  # an agency's name ending in another's stays one name
        "Ana Ruiz, Editing by",  # cut short
        "Writing Bye",  # no credit
        "മോഹന്&#x200D;ലാല്&#x200D;",  # a joiner that means something, in Malayalam
    ]
    imported_rss(
        site_dir,
        tmp_path,
        "<title>Wire</title><link>https://wire.test/</link>",
        "".join(
            f"<item><title>Uno {n}</title><link>https://wire.test/{n}</link>"
            f"<dc:creator>{byline}</dc:creator>"
            "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
            "</item>"
            for n, byline in enumerate(bylines)
        ),
    )
    assert sorted(map(tuple, values(site_dir, "authors"))) == sorted(
        [
            ("FRANKLIN BRICEÑO", "REGINA GARCIA CANO", "Associated Press"),
            ("Dan Collyns",),
            ("Marco Aquino",),
            ("Juan Pérez",),
            ("Ana Ruiz",),
            ("Sophie in 't Veld",),
            ("Rosa Quispe",),
            ("María Pía Benavides", "Luis Mamani"),
            ("Regina Garcia Cano", "The Associated Press"),
            ("Agencia Prensa Latina",),
            ("Ana Ruiz",),
            ("Writing Bye",),
            ("മോഹന്\u200dലാല്\u200d",),
        ]
    )
    book = AuthorBook([], {})
    assert [
        book.is_desk(n) for n in ("Associated Press", "The Associated Press", "Dan Collyns")
    ] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("name", "outlet", "homepage"),
    [
        ("channel_title_tagline_le_monde.xml", "Le Monde.fr", "https://www.lemonde.fr/"),
        ("channel_title_tagline_folha.xml", "Folha de S.Paulo", "https://www1.folha.uol.com.br/"),
        ("channel_title_tagline_rpp.xml", "RPP Noticias", "https://rpp.pe/"),
        ("rss091_netscape.xml", "Folha de S.Paulo", "https://www1.folha.uol.com.br/"),  # /mundo/
        ("wordpress_category_feed.xml", "Wayka", "https://wayka.pe"),  # "Política – Wayka"
    ],
)
def test_the_outlet_is_the_channel_title_without_its_tagline(
    site_dir: Path, name: str, outlet: str, homepage: str
) -> None:
    assert f"added to sources.yaml: {outlet} (homepage: {homepage})" in imported(name, site_dir)
    assert set(values(site_dir, "source")) == {outlet}


def test_a_declared_outlet_the_channel_title_starts_with_is_used(site_dir: Path) -> None:
    sources = site_dir / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + "\n- name: Le Monde\n", "utf-8")
    lines = imported("channel_title_tagline_le_monde.xml", site_dir)
    assert lines[-1] == "1 imported, 0 skipped."
    assert values(site_dir, "source") == ["Le Monde"]


@pytest.mark.parametrize(
    ("title", "outlet"),
    [
        ("Política – Kawsachun News", "Kawsachun News"),  # a section's feed, by its ending
        ("Kawsachun News | Noticias", "Kawsachun News"),
        ("Diario Kawsachun News", "Diario Kawsachun News"),  # another outlet's name
        ("Política – Otro Diario", "Política"),  # nothing declared: the tagline rule
    ],
)
def test_a_declared_outlet_the_channel_title_starts_or_ends_with_is_used(
    title: str, outlet: str
) -> None:
    assert outlet_name(title, ["Kawsachun News", "Wayka"]) == outlet


@pytest.mark.parametrize(
    ("title", "host", "outlet"),
    [
        ("Workers World Party News", "www.wwp.org", "Workers World Party News"),
        ("Kawsachun News (Bolivia)", "kawsachunnews.net", "Kawsachun News"),
        ("Workers World: Noticias", "www.wwp.org", "Workers World"),  # its name, a tagline
    ],
)
def test_a_title_that_goes_on_after_a_declared_name_is_that_outlet_only_on_its_site(
    title: str, host: str, outlet: str
) -> None:
    """Another outlet's name may start with a declared one's: more words after it are the
    declared outlet's only where the site is its own."""
    assert outlet_name(title, ["Workers World", "Kawsachun News"], host=host) == outlet


@pytest.mark.parametrize(
    ("title", "host", "outlet"),
    [
        ("Peru | The Guardian", "www.theguardian.com", "The Guardian"),  # a section's feed
        ("Política - RPP Noticias", "rpp.pe", "RPP Noticias"),
        ("AP Top News - AP News", "apnews.com", "AP News"),
        ("Perú – El Comercio – Noticias", "elcomercio.pe", "El Comercio"),
        ("La República: Últimas noticias del Perú y el Mundo", "larepublica.pe", "La República"),
        ("EL PAÍS América: el periódico global", "elpais.com", "EL PAÍS América"),
        ("Reuters: World News", "www.reuters.com", "Reuters"),
        ("Le Monde.fr - Actualités et Infos", "www.lemonde.fr", "Le Monde.fr"),
        ("Folha de S.Paulo - Mundo", "www1.folha.uol.com.br", "Folha de S.Paulo"),
        ("Comunidad | Noticias", "news.example.com.br", "Comunidad"),  # "com" names no site
        ("Política - Otro Diario", "otro.example", "Otro Diario"),  # otro.example
        ("Política - Otro Diario", "noticias.example", "Política"),  # no part names the site
        ("Política - Otro Diario", "", "Política"),  # a feed read from a file, without a link
    ],
)
def test_the_part_of_a_channel_title_that_names_its_site_is_the_outlet(
    title: str, host: str, outlet: str
) -> None:
    """A section's feed may name the section first (``Section | Outlet``): the part that
    writes out the site's own address is the outlet."""
    assert outlet_name(title, [], host=host) == outlet


@pytest.mark.parametrize(
    ("title", "home", "feed", "outlet"),
    [
        ("Política – Wayka", "https://wayka.pe", "https://wayka.pe/category/politica/feed/",
         "Wayka"),
        ("Política – Wayka", "https://wayka.pe", "https://wayka.pe/politica/feed/",
         "Wayka"),  # no category base (Yoast can drop it)
        ("Política – Ojo – Periodismo", "https://ojo.pe", "https://ojo.pe/tag/x/feed/",
         "Ojo – Periodismo"),  # the site's name holds the separator
        ("Wayka – Periodismo", "https://wayka.pe", "https://wayka.pe/feed/",
         "Wayka"),  # the site's own feed: the name, cut at the tagline as any feed's
        ("Andina – Agencia", "https://andina.pe/agencia", "https://andina.pe/agencia/feed/",
         "Andina"),  # a site under a path of its own
        ("Andina – Agencia", "https://andina.pe/agencia", "https://andina.pe/agencia/?feed=rss2",
         "Andina"),
        ("Wayka – Periodismo", "https://wayka.pe", "https://feeds.feedburner.com/Wayka",
         "Wayka"),  # a proxy's address tells nothing
        ("Wayka – Periodismo", "https://wayka.pe", "https://wayka.pe/index.php/feed/", "Wayka"),
        ("Wayka – Periodismo", "https://wayka.pe", "https://wayka.pe/wp-rss2.php", "Wayka"),
        ("Política – Wayka", "https://wayka.pe", "https://wayka.pe/?cat=5&feed=rss2", "Wayka"),
    ],
)  # fmt: skip
def test_a_wordpress_sections_feed_is_named_for_its_site(
    title: str, home: str, feed: str, outlet: str
) -> None:
    """Every feed WordPress writes links to the site's home; a section's own address lies
    below it. RSS names WordPress by its address, Atom by its name."""
    links = [{"rel": "self", "href": feed}]
    rss = {"title": title, "generator": "https://wordpress.org/?v=6.4.2", "links": links}
    generator = {"name": "WordPress", "href": "https://wordpress.org/", "version": "6.4.2"}
    atom = {"title": title, "generator": "WordPress", "generator_detail": generator}
    for channel in (rss, atom | {"links": links}):
        assert outlet_name(title, [], wordpress_section(channel, home)) == outlet


def test_the_source_option_still_names_the_outlet(site_dir: Path) -> None:
    imported("channel_title_tagline_rpp.xml", site_dir, outlet="Radio Programas del Perú")
    assert values(site_dir, "source") == ["Radio Programas del Perú"]


def test_an_rss_091_feed_takes_the_feeds_date_and_never_fetches_its_dtd(site_dir: Path) -> None:
    lines = imported("rss091_netscape.xml", site_dir)
    assert [line.endswith("(no date; the feed's date was used)") for line in lines[:2]] == [
        True,
        True,
    ]
    assert values(site_dir, "date") == ["2022-12-07T21:05:00-03:00"] * 2


# --- reports --------------------------------------------------------------------------------


def test_an_empty_feed_says_so_and_writes_nothing(site_dir: Path) -> None:
    sources = (site_dir / "sources.yaml").read_bytes()
    assert imported("empty_feed.xml", site_dir) == [
        "warning: the feed has no entries",
        "0 imported, 0 skipped.",
    ]
    assert (site_dir / "sources.yaml").read_bytes() == sources


def test_empty_blank_and_missing_summaries_are_skipped(site_dir: Path) -> None:
    assert imported("empty_summaries.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-16-toque-de-queda-en-quince-provincias.md",
        "added to sources.yaml: Exitosa (homepage: https://www.exitosanoticias.pe/)",
        "1 imported, 0 skipped, 3 refused.",
        "refused: entry 2 ('Aeropuerto de Cusco reanuda vuelos'): empty summary",
        "refused: entry 3 ('Machu Picchu cierra por seguridad'): empty summary",
        "refused: entry 4 ('Ministro de Educación renuncia'): empty summary",
    ]


def test_every_reason_to_skip_is_one_line_in_entry_order(site_dir: Path) -> None:
    assert imported("entries_skipped_with_reasons.xml", site_dir) == [
        "imported: content/articles/2022/2022-12-20-boluarte-anuncia-cambios-en-el-gabinete.md",
        "added to sources.yaml: Perú21 (homepage: https://peru21.pe/)",
        "1 imported, 0 skipped, 4 refused.",
        "refused: entry 2 ('Sin resumen: encuesta de diciembre'): empty summary",
        "refused: entry 3 ('Fecha rota: sesión del pleno'): "
        "unreadable date '{{ fecha_publicacion }}'",
        "refused: entry 4: no title or link",
        "refused: 'Suscríbase a nuestro boletín': the link must be an absolute http(s) URL: "
        "'javascript:void(0)'",
    ]


# --- summaries ------------------------------------------------------------------------------


def test_a_wordpress_feed_gives_its_excerpt_without_the_footer(site_dir: Path) -> None:
    imported("wordpress_content_encoded.xml", site_dir)
    assert values(site_dir, "title") == [
        "Ayacucho: “Nos dijeron que era un paro pacífico”",
        "Lo que sabemos del estado de emergencia",
    ]
    assert bodies(site_dir) == [
        "<p>Familiares de los heridos relatan cómo empezó la jornada en Huamanga. "
        "“Salimos a marchar”, dice una de ellas [...]</p>",
        "<p>El Gobierno declaró el estado de emergencia nacional por 30 días.</p>\n"
        "<p>Quedan suspendidos los derechos de reunión y de libre tránsito.</p>",
    ]


def test_a_photo_caption_is_never_the_summary_of_an_arc_article(site_dir: Path) -> None:
    # Infobae: an empty or missing description, the article in content:encoded, and the
    # photo's caption in media:content, before or after it.
    assert imported("media_caption_with_content_only.xml", site_dir)[-1] == "3 imported, 0 skipped."
    assert bodies(site_dir) == [
        "<p>El maestro rural Pedro Castillo juró este miércoles como presidente del Perú ante el "
        "Congreso.</p>\n<p>Prometió una nueva Constitución y un gabinete de unidad.</p>",
        "<p>El presidente cederá la Casa de Pizarro al Ministerio de Cultura.</p>",
        "<p>El congresista de Perú Libre Guido Bellido fue designado presidente del Consejo de "
        "Ministros.</p>",
    ]


def test_a_photo_caption_before_the_description_does_not_take_its_place(site_dir: Path) -> None:
    # El Comercio: media:content (title and caption) ahead of the description, or after it.
    assert imported("media_caption_before_description.xml", site_dir)[-1] == (
        "2 imported, 0 skipped."
    )
    assert bodies(site_dir) == [
        "<p>La Mesa Directiva fijó el debate del voto de confianza para agosto.</p>",
        "<p>El sociólogo juró en el Palacio de Torre Tagle.</p>",
    ]


def test_a_media_title_is_never_a_title_and_a_caption_alone_is_no_summary(site_dir: Path) -> None:
    # WordPress.com: every image, the author's gravatar too, as media:content with a media:title.
    assert imported("media_titles_wordpress_com.xml", site_dir) == [
        "imported: content/articles/2021/2021-08-01-el-britanico-vuelve-a-las-salas.md",
        "imported: content/articles/2021/2021-08-02-el-gran-teatro-nacional-anuncio-su-"
        "programacion-de-agosto.md (no title; the summary's first sentence was used: review it)",
        "added to sources.yaml: Lima en Escena (homepage: https://limaenescena.wordpress.com)",
        "2 imported, 0 skipped, 1 refused.",
        "refused: entry 3 ('Foto del día: la Plaza de Acho'): empty summary",
    ]
    assert values(site_dir, "title") == [
        "El Británico vuelve a las salas",
        "El Gran Teatro Nacional anunció su programación de agosto",
    ]
    assert bodies(site_dir)[1] == (
        "<p>El Gran Teatro Nacional anunció su programación de agosto. Habrá ópera y zarzuela.</p>"
    )


def test_a_photo_caption_is_no_summary_in_a_feed_that_is_not_well_formed_either(
    site_dir: Path,
) -> None:
    assert imported("media_caption_not_well_formed.xml", site_dir)[0] == (
        "warning: the feed is not well-formed (line 6: mismatched tag); 1 entry recovered"
    )
    assert bodies(site_dir) == [
        "<p>Las bancadas no lograron un acuerdo sobre la lista para la Mesa Directiva.</p>"
    ]


def test_a_video_with_no_text_of_its_own_takes_its_description_for_review(
    site_dir: Path,
) -> None:
    # YouTube: the only text of an entry is the description in its media:group.
    assert imported("media_group_youtube.xml", site_dir) == [
        "imported: content/articles/2021/2021-07-28-mensaje-a-la-nacion-del-presidente-pedro-"
        "castillo.md (no summary; its media's description was used: review it)",
        "added to sources.yaml: TV Perú Noticias "
        "(homepage: https://www.youtube.com/channel/UCj5Pq0Rk3bA4E8ZQv2WbLmA)",
        "1 imported, 0 skipped, 1 refused.",
        "refused: entry 2 ('EN VIVO | Juramentación del gabinete'): empty summary",
    ]
    assert bodies(site_dir) == [
        "<p>El presidente Pedro Castillo dio su primer mensaje ante el Congreso. Anunció una "
        "asamblea constituyente.</p>\n<p>Síguenos en https://www.tvperu.gob.pe/noticias</p>"
    ]
    assert values(site_dir, "id") == ["yt:video:Xq3vN8pL2aE"]


def test_a_latin_1_feed_is_written_as_utf_8(site_dir: Path) -> None:
    imported("iso_8859_1_spanish.xml", site_dir)
    assert values(site_dir, "title") == [
        "Señora presidenta: Boluarte recibe la banda en Palacio",
        "Cañete y Huaral: agricultores piden diálogo",
    ]
    text = " ".join(bodies(site_dir))
    assert "¿Qué sigue?" in text and "Año" in text and "«diálogo y garantías»" in text


def test_a_blogger_feed_loses_its_tracker_and_milliseconds(site_dir: Path) -> None:
    imported("blogger_atom.xml", site_dir)
    market, sunday = files(site_dir).values()
    assert (sunday["date"], market["date"]) == (
        "2022-12-11T20:58:00-05:00",
        "2022-12-09T07:30:00-05:00",
    )
    assert sunday["url"] == (
        "https://apuntesdesdehuamanga.blogspot.com/2022/12/huamanga-domingo-11-de-diciembre.html"
    )
    text = " ".join(bodies(site_dir))
    assert "tracker" not in text
    assert 'width="320"' in text
    assert "Las vendedoras piden que se escuche a las provincias." in text


def test_escaped_html_in_a_summary_stays_text(site_dir: Path) -> None:
    imported("summary_quotes_html_as_text.xml", site_dir)
    assert bodies(site_dir) == [
        '<p>El mensaje escondía el enlace en un botón: <code>&lt;a href="/r/x"&gt;Ver oficio'
        "&lt;/a&gt;</code>, una ruta relativa que el lector de correo completaba con el dominio "
        "falso.</p>",
        '<p>Si el código dice &lt;a href="/r/x"&gt;, el destino depende de la página que lo '
        "muestra.</p>",
    ]


def test_every_real_world_feed_imports_into_a_site_that_loads(site_dir: Path) -> None:
    for path in sorted(FEEDS.glob("*.xml")):
        if path.name.startswith(("truncated_before", "untitled", "entity_expansion")):
            continue
        import_feed(str(path), site_dir, now=NOW, dry_run=False)
    loaded(site_dir)


# --- digests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bylines"),
    [
        (
            "byline_ampersand.txt",
            [
                (("Ana Quispe", "Luis Mamani"), "Peru Reports"),
                (("Rosa Huamán", "Jorge Tello", "Carmen Ríos"), "Andina"),
            ],
        ),
        (
            "byline_spanish_y.txt",
            [
                (("Renzo Salazar Vega", "Carmen Ríos"), "La República"),
                (("Ana Quispe", "Luis Mamani", "Rosa Huamán"), "Ojo Público"),
            ],
        ),
        (
            "byline_compound_surname_y.txt",
            [
                (("José Ortega y Gasset",), "Revista de Occidente"),
                (("José Ortega y Gasset", "Ana Quispe"), "Revista de Occidente"),
            ],
        ),
        (
            "byline_portuguese_e.txt",
            [
                (("Lucas Weber", "Marina Duarte"), "Brasil de Fato"),
                (("Marina Costa e Silva",), "Folha de S.Paulo"),
            ],
        ),
        (
            "byline_french_et.txt",
            [(("Camille Durand", "Julien Moreau"), "Le Monde"), (("Julien Moreau",), "Le Monde")],
        ),
        (
            "byline_wire_agencies.txt",
            [
                (("AFP", "EFE"), "Kawsachun News"),
                (("Reuters", "AP"), "Peru Reports"),
                (("EFE", "AFP"), "Andina"),
                (("Redacción", "AFP"), "La República"),
            ],
        ),
        (
            "no_links_seed_items.txt",
            [
                (("Sengo Perez",), "Workers World"),
                ((), "Kawsachun News"),
                (("Ángel Guerra Cabrera",), "Orinoco Tribune"),
            ],
        ),
    ],
)
def test_digest_bylines_split_as_feed_bylines_do(
    name: str, bylines: list[tuple[tuple[str, ...], str]]
) -> None:
    items = parse_digest((DIGESTS / name).read_text("utf-8"), name)
    assert [(item.authors, item.source) for item in items] == bylines


def test_wire_bylines_imported_from_a_digest_and_a_feed_give_no_author_page(
    site_dir: Path, tmp_path: Path
) -> None:
    import_digest(DIGESTS / "byline_wire_agencies.txt", site_dir, date(2021, 8, 20), dry_run=False)
    imported("media_caption_with_content_only.xml", site_dir)  # dc:creator "AFP / EFE"
    build(site_dir, TEMPLATES, tmp_path / "public", search=False)
    pages = {path.parent.name for path in (tmp_path / "public" / "authors").glob("*/index.html")}
    assert not pages & {"afp", "efe", "afp-efe", "reuters", "ap", "reuters-ap", "redaccion"}
    page = tmp_path / "public" / "2021" / "08" / "castillo-names-bellido-prime-minister"
    assert '{"@type": "Organization", "name": "AFP"}' in (page / "index.html").read_text("utf-8")


def test_an_arc_xp_entry_is_recognised_by_its_guid_after_its_title_and_link_change(
    site_dir: Path,
) -> None:
    """Arc XP outlets edit headlines, and the link with them; their guids are no URI. The
    guid, kept as a tag: URI of the feed's site, recognises the entry: no second file. A
    guid that is the site's homepage (every item's, in some content systems) is no id."""
    imported("arc_guids.xml", site_dir)
    first = "content/articles/2021/2021-08-26-congreso-otorga-confianza-a-bellido.md"
    assert imported("arc_guids_edited.xml", site_dir) == [
        "imported: content/articles/2021/2021-08-26-nota-b.md",
        "skipped: 'Pedro Castillo: Congreso otorga confianza a Bellido con 73 votos': "
        f"same id as {first}",
        "1 imported, 1 skipped.",
    ]
    assert values(site_dir, "id") == [
        "tag:peru21.pe,2021:UVSJ3D5Y7ZCQVLXGAOPJKR5ZFA",
        derived_id("https://peru21.pe/politica/nota-a-noticia/", "", ""),
        derived_id("https://peru21.pe/politica/nota-b-noticia/", "", ""),
    ]


def test_windows_1252_quotes_in_a_utf_8_feed_are_read_as_quotes_and_the_rest_as_utf_8(
    site_dir: Path,
) -> None:
    """Smart quotes pasted from Word as Windows-1252 bytes into a UTF-8 feed: read alone,
    they are quotes; read with the whole feed as Windows-1252, every accent was garbled."""
    lines = imported("utf8_with_windows_1252_quotes.xml", site_dir)
    assert lines[0] == "warning: the feed is not valid UTF-8: 2 bytes were read as Windows-1252"
    assert values(site_dir, "title") == ["Minería ilegal: la “fiebre del oro”"]
    assert bodies(site_dir) == [
        "<p>Según el informe, la minería ilegal creció en Madre de Dios.</p>"
    ]


def test_names_in_other_scripts_stay_as_written_beside_windows_1252_quotes(
    site_dir: Path,
) -> None:
    """Cyrillic's р-я, IPA's ə and Persian's چ are bytes that Windows-1252 reads as a capital
    of Spanish then punctuation: only after a word in capitals (``PERÚ”``) are they read so."""
    lines = imported("utf8_names_in_other_scripts_with_windows_1252_quotes.xml", site_dir)
    assert lines[0] == "warning: the feed is not valid UTF-8: 5 bytes were read as Windows-1252"
    assert values(site_dir, "title") == ["Castillo habló con Владимир Путин sobre vacunas"]
    assert bodies(site_dir) == [
        "<p>El presidente conversó con Путин y con Κυριάκος Μητσοτάκης, y dijo “vacunas ya”: "
        "la campaña “MARCA PERÚ” sigue en Gəncə y en چابهار.</p>"
    ]


def test_a_windows_1252_feed_labelled_utf_8_is_read_whole_as_windows_1252(
    site_dir: Path, tmp_path: Path
) -> None:
    text = (FEEDS / "utf8_mislabelled_wordpress.xml").read_text(encoding="utf-8")
    text = text.replace("Minería ilegal: la “fiebre del oro”", "«CRISIS EN EL PERÚ» según el pleno")
    feed = tmp_path / "cp1252.xml"
    feed.write_bytes(text.encode("cp1252"))
    lines = reported(import_feed(str(feed), site_dir, now=NOW, dry_run=False), site_dir)
    assert lines[0] == "warning: the feed says it is UTF-8, but it is Windows-1252: it was read so"
    assert values(site_dir, "title") == ["«CRISIS EN EL PERÚ» según el pleno"]


def test_two_feeds_of_one_site_that_number_their_items_alike_give_two_ids(
    site_dir: Path, tmp_path: Path
) -> None:
    """A site's English and Spanish feeds each have an item 123: two articles, whether the
    feeds' links differ in their path, their query, or are the feeds themselves."""
    links = {
        "en": "https://perureports.com/en/",
        "es": "https://perureports.com/es/",
        "en2": "https://andina.pe/?lang=en",
        "es2": "https://andina.pe/?lang=es",
        "en3": "https://andina.pe/en/feed/",
        "es3": "https://andina.pe/es/feed/",
    }
    for language, link in links.items():
        imported_rss(
            site_dir,
            tmp_path,
            f"<title>Peru Reports</title><link>{link}</link>",
            f"<item><title>Story in {language}</title>"
            f"<link>https://perureports.com/{language}/story/</link>"
            '<guid isPermaLink="false">123</guid>'
            "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate>"
            "<description>Text.</description></item>",
        )
    assert sorted(values(site_dir, "id")) == [
        "tag:andina.pe,2021:?lang=en:123",
        "tag:andina.pe,2021:?lang=es:123",
        "tag:andina.pe,2021:en/feed:123",
        "tag:andina.pe,2021:es/feed:123",
        "tag:perureports.com,2021:en:123",
        "tag:perureports.com,2021:es:123",
    ]


@pytest.mark.parametrize(
    ("link", "guid", "id_"),
    [
        (  # Google News search: the query's escapes as the feed wrote them
            "https://news.google.com/search?q=%22Pedro+Castillo%22&amp;hl=es-419",
            "CBMiK2h0dHBz",
            "tag:news.google.com,2021:search?q=%22Pedro+Castillo%22&hl=es-419:CBMiK2h0dHBz",
        ),
        ("https://rpp.pe/", "50% off", "tag:rpp.pe,2021:50%25%20off"),  # a lone % is escaped
        (  # a scheme, but characters no IRI holds: no id as it is, which validators refuse
            "https://rpp.pe/",
            "urn:rpp:{nota}^1",
            "tag:rpp.pe,2021:urn:rpp:%7Bnota%7D%5E1",
        ),
        ("https://rpp.pe/", "urn:rpp:nota|1", "urn:rpp:nota|1"),  # as ids imported before
    ],
)
def test_a_kept_guids_tag_uri_escapes_each_character_once(
    site_dir: Path, tmp_path: Path, link: str, guid: str, id_: str
) -> None:
    imported_rss(
        site_dir,
        tmp_path,
        f"<title>Noticias</title><link>{link}</link>",
        "<item><title>Castillo</title><link>https://rpp.pe/politica/castillo/</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate>"
        "<description>Text.</description></item>",
    )
    assert values(site_dir, "id") == [id_]


def test_an_entry_dated_at_the_end_of_time_is_refused_alone(site_dir: Path, tmp_path: Path) -> None:
    """9999-12-31 at 23:00 in Lima is in the year 10000 in UTC: no date a page can have."""
    report = imported_rss(
        site_dir,
        tmp_path,
        "<title>Diario Uno</title><link>https://diariouno.pe/</link>",
        "<item><title>Castillo en Ayacucho</title><link>https://diariouno.pe/a-1</link>"
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
        "</item><item><title>El fin</title><link>https://diariouno.pe/a-2</link>"
        "<pubDate>Fri, 31 Dec 9999 23:00:00 -0500</pubDate><description>Texto.</description>"
        "</item>",
    )
    assert values(site_dir, "title") == ["Castillo en Ayacucho"]
    assert [line for line in report if "El fin" in line] == [
        "refused: 'El fin': `date` is out of range: 9999-12-31T23:00:00-05:00"
    ]


@pytest.mark.parametrize("guid", ["0", "null", "undefined", "00000000-0000-0000-0000-000000000000"])
def test_a_placeholder_guid_identifies_no_entry(site_dir: Path, tmp_path: Path, guid: str) -> None:
    """A content system that never fills the guid in writes the same one for every item: each
    item is its own article, and the placeholder is no id a later item could collide with."""
    items = "".join(
        f"<item><title>Noticia {n}</title><link>https://wayka.pe/noticia-{n}/</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Mon, 02 Aug 2021 10:00:00 -0500</pubDate><description>Texto.</description>"
        "</item>"
        for n in (1, 2, 3)
    )
    imported_rss(site_dir, tmp_path, "<title>Wayka</title><link>https://wayka.pe/</link>", items)
    assert sorted(values(site_dir, "title")) == ["Noticia 1", "Noticia 2", "Noticia 3"]
    assert not any(str(id_).endswith(f":{guid}") for id_ in values(site_dir, "id"))
