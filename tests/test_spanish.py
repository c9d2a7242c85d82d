"""The seed site in Spanish (`language: es`): every interface word, date and number of its
pages, feeds and editions in Spanish, and no English word of the interface left anywhere.

How "none left" is checked: the content is disguised first (every title, name, description and
summary in ROT13), so that no English word in the output can come from the content. Then every
word a reader sees or hears (page text, labels, titles, descriptions, feed titles, editions) must
be accounted for: from the disguised content, from the Spanish catalog, from CLDR's Spanish dates,
or a format's name. An interface string left out of the catalog, one not marked for translation
in a template or in the code, or a date written by hand in English shows up as its words.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from peru_digest.build import build
from peru_digest.edition import edition_html, edition_text, select_edition
from peru_digest.feeds import FORMAT_NAMES
from peru_digest.i18n import LOCALE_DIR, interface
from peru_digest.model import Site

from .conftest import SEED_SITE, TEMPLATES, loaded, read
from .test_i18n import read_catalog, translations

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PAGE_SIZE = 5  # the seed's 15 articles on three pages, so that pagers show
WHOLE = (date(2021, 1, 1), date(2021, 12, 31))
JUNE = (date(2021, 6, 1), date(2021, 6, 30))
EMPTY = (date(2020, 1, 1), date(2020, 1, 31))


def seed_in(language: str, folder: Path) -> Path:
    """A copy of the seed content in ``folder``, in ``language``, paged by PAGE_SIZE."""
    content = folder / "content"
    shutil.copytree(SEED_SITE, content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    for key, value in (("language", language), ("page_size", PAGE_SIZE)):
        text, replaced = re.subn(rf"^{key}: *\S+", f"{key}: {value}", text, flags=re.M)
        assert replaced == 1, f"content/site.yaml has no {key} line"
    settings.write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site built in Spanish."""
    folder = tmp_path_factory.mktemp("spanish")
    build(seed_in("es", folder), TEMPLATES, folder / "public", now=NOW, search=False)
    return folder / "public"


# What readers see ----------------------------------------------------------------------------


def test_the_home_page_speaks_spanish(spanish: Path) -> None:
    home = read(spanish, "index.html")
    assert '<html lang="es">' in home
    assert '<meta property="og:locale" content="es_ES">' in home
    assert "<title>Peru Digest: Últimos artículos</title>" in home
    assert '<a class="skip" href="#main">Ir al contenido</a>' in home
    assert '<nav aria-label="Sitio">' in home
    nav = home.split('<nav aria-label="Sitio">')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</a>", nav) == [
        "Recientes",
        "Ediciones",
        "Temas",
        "Autores",
        "Medios",
        "Archivo",
        "Canales",
    ]
    assert '<h2><time datetime="2021-09-01">1 de septiembre de 2021</time></h2>' in home
    assert '· por <a href="./authors/sengo-perez/">Sengo Perez</a>' in home
    assert '<ul class="tags" aria-label="Temas">' in home
    assert '<a rel="next" href="./page/2/">Anteriores →</a>' in home
    assert "<span>Página 1 de 3</span>" in home
    assert (
        'Los resúmenes enlazan con los artículos completos en sus medios. <a href="./feeds/">'
        "Suscribirse a un canal</a>." in home
    )


def test_the_second_page_says_which_page_it_is(spanish: Path) -> None:
    page = read(spanish, "page/2/index.html")
    assert "<title>Últimos artículos (página 2 de 3) · Peru Digest</title>" in page
    assert "<h1>Últimos artículos <small>página 2 de 3</small></h1>" in page
    assert '<a rel="prev" href="../../">← Más recientes</a>' in page


def test_an_article_page_links_to_the_whole_article_and_related_ones_in_spanish(
    spanish: Path,
) -> None:
    article = read(spanish, "2021/08/peru-a-coup-brewing/index.html")
    assert '<time datetime="2021-08-30T00:00:00-05:00">30 de agosto de 2021</time>' in article
    byline = '· por <a href="../../../authors/angel-guerra-cabrera/">Ángel Guerra Cabrera</a>'
    assert byline in article
    assert "Leer el artículo completo en Orinoco Tribune <span" in article
    # The seed's articles are in English (articles_language: en), and say so.
    assert '<h1 lang="en">Peru: A Coup Brewing</h1>' in article
    assert '<div class="text" lang="en"><p>The onslaught' in article
    assert '<h2 id="related-heading">Artículos relacionados</h2>' in article


def test_counts_and_months_are_spanish(spanish: Path) -> None:
    archive = read(spanish, "archive/index.html")
    assert "<h1>Archivo</h1>" in archive
    assert '<span class="count">15 artículos</span>' in archive
    assert '<a href="../2021/09/">Septiembre de 2021</a> <span class="count">1 artículo</span>' in (
        archive
    )
    month = read(spanish, "2021/08/index.html")
    assert "<title>Agosto de 2021 · Peru Digest</title>" in month
    assert '<a href="../../2021/">Todo el año 2021</a>' in month
    topics = read(spanish, "topics/index.html")
    assert "<h1>Temas</h1>" in topics
    assert 'Regional Relations</a> <span class="count">6 artículos</span>' in topics
    outlet = read(spanish, "sources/orinoco-tribune/index.html")
    assert '<a href="https://orinocotribune.com/">Sitio web de Orinoco Tribune</a>' in outlet


def test_the_other_pages_speak_spanish(spanish: Path) -> None:
    assert "<h1>Canales</h1>" in read(spanish, "feeds/index.html")
    missing = read(spanish, "404.html")
    assert "<h1>Página no encontrada</h1>" in missing
    assert "Explorar por tema</a>" in missing


def test_feeds_have_spanish_titles_and_rfc_dates(spanish: Path) -> None:
    rss = read(spanish, "sources/orinoco-tribune/feed.xml")
    assert "<title>Peru Digest: artículos de Orinoco Tribune</title>" in rss
    assert "<pubDate>Mon, 30 Aug 2021 00:00:00 -0500</pubDate>" in rss  # RFC 822 is English
    # What feeds carry is the articles: they say the articles' language (articles_language).
    assert "<language>en</language>" in rss
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in read(spanish, "atom.xml")
    # The editions feed is written by the interface, its articles marked as theirs.
    editions = read(spanish, "editions/feed.xml")
    assert "<title>Peru Digest: ediciones semanales</title>" in editions
    assert "<language>es</language>" in editions
    assert '&lt;h3 lang="en"&gt;&lt;a href=' in editions


def test_editions_speak_spanish(tmp_path: Path) -> None:
    site = loaded(seed_in("es", tmp_path))
    text = edition_text(site, select_edition(site, *JUNE, topic=None))
    heading = "Peru Digest: 1–30 de junio de 2021"
    assert text.startswith(f"{heading}\n{'=' * len(heading)}\n")
    assert "\nTelesur English · 22 de junio de 2021\n" in text
    assert "\nArtículo completo: https://" in text
    empty = select_edition(site, *EMPTY, topic=None)
    assert "No hay artículos en este periodo." in edition_text(site, empty)
    html = edition_html(site, select_edition(site, *JUNE, topic=None), TEMPLATES)
    assert '<html lang="es">' in html
    assert "Leer el artículo completo en Telesur English →</a>" in html
    assert ">Suscribirse a un canal</a>." in html


# No English left -----------------------------------------------------------------------------


def rot13(text: str) -> str:
    return codecs.encode(text, "rot13")


def disguise(content: Path) -> None:
    """ROT13 every text of the content that readers see: titles, names, descriptions,
    summaries. Slugs, addresses and ids stay as they are."""
    rewrite_yaml(content / "site.yaml", lambda data: _rot(data, "title", "description"))
    for name in ("topics.yaml", "sources.yaml"):
        rewrite_yaml(
            content / name, lambda entries: [_rot(e, "name", "description") for e in entries]
        )
    for path in (content / "articles").rglob("*.md"):
        _, header, body = path.read_text("utf-8").split("---\n", 2)
        front = _rot(yaml.safe_load(header), "title", "source")
        front["authors"] = [rot13(author) for author in front.get("authors", [])]
        dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{dumped}---\n{rot13(body)}", encoding="utf-8")


def rewrite_yaml(path: Path, change: Callable[[Any], Any]) -> None:
    data = change(yaml.safe_load(path.read_text("utf-8")))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rot(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return data | {key: rot13(data[key]) for key in keys if key in data}


class ShownText(HTMLParser):
    """The text of a page that readers see or hear: text outside scripts and styles, and the
    attributes shown or read out."""

    ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder", "label"})
    META = frozenset(
        {"description", "og:title", "og:description", "og:site_name"}
        | {"twitter:title", "twitter:description"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.hidden += tag in ("script", "style")
        if tag == "meta" and (values.get("name") or values.get("property")) in self.META:
            self.texts.append(values.get("content") or "")
        self.texts += [value or "" for name, value in attrs if name in self.ATTRIBUTES]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.texts.append(data)


def html_texts(html: str) -> list[str]:
    parser = ShownText()
    parser.feed(html)
    return parser.texts


MACHINE_ELEMENTS = {"pubDate", "lastBuildDate", "language", "guid", "id", "link"}
MACHINE_ELEMENTS |= {"published", "updated", "docs", "generator"}
MACHINE_KEYS = {"version", "id", "url", "external_url", "home_page_url", "feed_url", "language"}
MACHINE_KEYS |= {"date_published", "date_modified"}


def xml_texts(text: str) -> Iterator[str]:
    """What feed readers show: element text (HTML in it as its text) and labels, without the
    dates, ids and addresses that feed formats write in English or as codes."""
    for element in ET.fromstring(text.encode("utf-8")).iter():
        if element.tag.rpartition("}")[2] not in MACHINE_ELEMENTS and element.text:
            yield from html_texts(element.text)
        yield from (element.get(name, "") for name in ("label", "title", "text"))


def json_texts(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in MACHINE_KEYS:
                yield from json_texts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_texts(item, key)
    elif isinstance(value, str):
        yield from html_texts(value) if key == "content_html" else [value]


READERS: dict[str, Callable[[str], Iterable[str]]] = {
    ".html": html_texts,
    ".xml": xml_texts,
    ".opml": xml_texts,
    ".json": lambda text: json_texts(json.loads(text)),
}
PATH_LIKE = re.compile(r"/|\.(?:opml|xml|json|html)\b|\b\d{4}-W\d\d\b")  # and ISO weeks


def words_of(texts: Iterable[str]) -> set[str]:
    """The words of ``texts``, case-folded, leaving out addresses and file names."""
    words: set[str] = set()
    for text in texts:
        for chunk in text.split():
            if not PATH_LIKE.search(chunk):
                words.update(word.casefold() for word in re.findall(r"[^\W\d_]+", chunk))
    return words


def shown_outputs(public: Path, site: Site) -> dict[str, set[str]]:
    """Each output's words, by file; the search index (Pagefind's own files) left aside, and
    the editions of the whole year, of June and of an empty month added."""
    found = {
        path.relative_to(public).as_posix(): words_of(READERS[path.suffix](path.read_text("utf-8")))
        for path in sorted(public.rglob("*"))
        if path.suffix in READERS
        and not path.relative_to(public).as_posix().startswith("pagefind/")
    }
    for start, end in (WHOLE, JUNE, EMPTY):
        edition = select_edition(site, start, end, topic=None)
        found[f"edition {start}.txt"] = words_of([edition_text(site, edition)])
        html = edition_html(site, edition, TEMPLATES)
        found[f"edition {start}.html"] = words_of(html_texts(html))
    return found


def content_words(site: Site) -> set[str]:
    """Every word the content gives the site (disguised, these are not English)."""
    config = site.config
    texts = [config.title, config.description]
    texts += [text for topic in site.topics.values() for text in (topic.name, topic.description)]
    texts += [
        text for source in site.sources.values() for text in (source.name, source.description)
    ]
    texts += [text for a in site.articles for text in (a.title, a.source, *a.authors)]
    texts += [summary.text for summary in site.summaries.values()]
    return words_of(texts)


def spanish_words() -> set[str]:
    """The words the Spanish interface may use: its catalog's, CLDR's dates', format names."""
    catalog = read_catalog(LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po")
    texts = [text for message in catalog if message.id for text in translations(message)]
    words = interface("es")
    texts += [words.day(date(2021, month, 1)) for month in range(1, 13)]
    texts += [words.month(2021, month) for month in range(1, 13)]
    return words_of([*html_texts(" ".join(texts)), *FORMAT_NAMES.values()])


def unaccounted(language: str, folder: Path) -> dict[str, list[str]]:
    """The disguised seed built in ``language``: each output's words that neither the content
    nor the Spanish interface gives."""
    content = seed_in(language, folder)
    disguise(content)
    build(content, TEMPLATES, folder / "public", now=NOW)
    site = loaded(content)
    known = content_words(site) | spanish_words()
    found = shown_outputs(folder / "public", site)
    return {path: sorted(words - known) for path, words in found.items() if words - known}


def test_no_english_interface_word_is_left_in_any_page_feed_or_edition(tmp_path: Path) -> None:
    assert unaccounted("es", tmp_path) == {}


def test_in_english_the_same_check_finds_the_interface_words(tmp_path: Path) -> None:
    left = {word for words in unaccounted("en", tmp_path).values() for word in words}
    pages = {"latest", "skip", "older", "related", "whole", "mistyped", "august"}
    assert pages | {"from", "period"} <= left  # feeds' titles and editions too
