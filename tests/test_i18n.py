"""The interface's languages: words from the catalogs, dates and numbers from CLDR, and
catalogs that hold every message of the code and templates, translated."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from peru_digest.config import load_config
from peru_digest.errors import Report
from peru_digest.i18n import LOCALE_DIR, interface, missing_catalog, og_locale

from .conftest import ROOT, problems_for

TEMPLATE = LOCALE_DIR / "messages.pot"
CATALOGS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
AUGUST_30 = date(2021, 8, 30)


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def translations(message: Message) -> list[str]:
    """A message's translation, each plural form of it."""
    string = message.string
    return [string] if isinstance(string, str) else [str(form) for form in string or ()]


def keys(catalog: Catalog) -> set[tuple[object, str | None]]:
    return set(in_order(catalog))


def in_order(catalog: Catalog) -> list[tuple[object, str | None]]:
    return [(message.id, message.context) for message in catalog if message.id]


# Words, dates and numbers ------------------------------------------------------------------


def test_spanish_words_dates_and_numbers() -> None:
    spanish = interface("es")
    assert spanish.gettext("Related articles") == "Artículos relacionados"
    assert spanish.gettext("Read the whole article at %(source)s", source="Telesur") == (
        "Leer el artículo completo en Telesur"
    )
    assert spanish.day(AUGUST_30) == "30 de agosto de 2021"
    assert spanish.month(2021, 8) == "Agosto de 2021"
    assert spanish.number(12345) == "12.345"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 artículo"),
        (2, "2 artículos"),
        (0, "0 artículos"),
        (1_000_000, "1.000.000 de artículos"),
    ],
)
def test_spanish_counts_take_their_plural_from_the_catalog(n: int, expected: str) -> None:
    spanish = interface("es")
    shown = spanish.ngettext(
        "%(number)s article", "%(number)s articles", n, number=spanish.number(n)
    )
    assert shown == expected


def test_a_regional_tag_takes_its_language_catalog_and_its_own_dates_and_numbers() -> None:
    peru = interface("es-PE")
    assert peru.gettext("Related articles") == "Artículos relacionados"
    assert peru.day(date(2021, 9, 1)) == "1 de setiembre de 2021"  # as Peru writes it
    assert peru.number(12345) == "12,345"
    assert interface("es-419").gettext("Latest articles") == "Últimos artículos"


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "30 August 2021", "August 2021"),
        ("en-GB", "30 August 2021", "August 2021"),
        ("en-US", "August 30, 2021", "August 2021"),
        ("pt-BR", "30 August 2021", "August 2021"),  # no catalog: the whole interface is English
    ],
)
def test_english_needs_no_catalog_and_writes_dates_day_first_unless_american(
    language: str, day: str, month: str
) -> None:
    english = interface(language)
    assert english.gettext("Related articles") == "Related articles"
    assert (english.day(AUGUST_30), english.month(2021, 8)) == (day, month)
    assert english.number(1234) == "1,234"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "en_US"),
        ("es", "es_ES"),
        ("es-PE", "es_PE"),
        ("es-419", "es_419"),
        ("zh-Hant-TW", "zh_TW"),
        ("de-u-co-phonebk", "de_DE"),
        ("tlh", "tlh"),
    ],
)
def test_open_graph_locales_name_a_territory_the_likeliest_when_the_tag_has_none(
    language: str, expected: str
) -> None:
    assert og_locale(language) == expected


@pytest.mark.parametrize(
    ("language", "missing"),
    [("en", None), ("en-AU", None), ("es", None), ("es-PE", None), ("pt-BR", "Portuguese")],
)
def test_only_languages_other_than_english_without_a_catalog_are_missing(
    language: str, missing: str | None
) -> None:
    assert missing_catalog(language) == missing


def test_a_third_language_is_one_catalog_file(tmp_path: Path) -> None:
    folder = tmp_path / "pt" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: pt\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Related articles"\nmsgstr "Artigos relacionados"\n',
        encoding="utf-8",
    )
    portuguese = interface("pt-BR", tmp_path)
    assert portuguese.gettext("Related articles") == "Artigos relacionados"
    assert portuguese.day(AUGUST_30) == "30 de agosto de 2021"
    assert missing_catalog("pt-BR", tmp_path) is None


def test_a_language_without_a_catalog_is_a_warning_at_its_line(site_dir: Path) -> None:
    settings = site_dir / "site.yaml"
    text = settings.read_text("utf-8")
    assert "\nlanguage: en\n" in text
    settings.write_text(text.replace("\nlanguage: en\n", "\nlanguage: pt-BR\n"), encoding="utf-8")
    report = Report()
    load_config(site_dir, report)
    assert [str(warning) for warning in report.warnings] == [
        f"{settings.as_posix()}:4: no Portuguese translation of the interface: its words and"
        " dates stay in English, on pages marked `pt-BR`\n"
        "  hint: add its catalog (README: Translating the interface); until then, screen readers"
        " read those English words as `pt-BR`"
    ]


def test_the_articles_are_in_the_pages_language_unless_site_yaml_says_otherwise(
    site_dir: Path,
) -> None:
    settings = site_dir / "site.yaml"
    assert load_config(site_dir, Report()).site.articles_language == "en"
    text = settings.read_text("utf-8").replace("\nlanguage: en\n", "\nlanguage: es\n")
    settings.write_text(text, encoding="utf-8")
    assert load_config(site_dir, Report()).site.articles_language == "es"
    settings.write_text(text + "articles_language: en\n", encoding="utf-8")
    site = load_config(site_dir, Report()).site
    assert (site.language, site.articles_language) == ("es", "en")
    settings.write_text(text + "articles_language: en_GB\n", encoding="utf-8")
    assert problems_for(site_dir) == [
        "site.yaml:8: `articles_language` must be a language tag, not 'en_GB'\n"
        "  hint: write it with hyphens: `en-GB`"
    ]


# The catalogs ------------------------------------------------------------------------------


def test_the_catalog_template_holds_every_message_the_code_and_templates_mark(
    tmp_path: Path,
) -> None:
    extracted = tmp_path / "messages.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "--quiet"]
    sources = ["src/peru_digest", "templates"]
    extract = ["extract", "-F", "pyproject.toml", "-o", str(extracted), *sources]
    subprocess.run([*pybabel, *extract], cwd=ROOT, check=True)
    # In the order extraction finds them, as `make translations` writes them: a catalog that
    # only holds them in another order would still change when an editor runs it.
    assert in_order(read_catalog(TEMPLATE)) == in_order(read_catalog(extracted)), (
        "run `make translations`"
    )


def test_there_is_a_spanish_catalog() -> None:
    assert [path.relative_to(LOCALE_DIR).as_posix() for path in CATALOGS] == [
        "es/LC_MESSAGES/messages.po"
    ]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_each_catalog_translates_every_message_with_the_same_placeholders(path: Path) -> None:
    catalog = read_catalog(path)
    assert keys(catalog) == keys(read_catalog(TEMPLATE)), "run `make translations`"
    untranslated = [
        message.id
        for message in catalog
        if message.id and (message.fuzzy or not all(translations(message)))
    ]
    assert untranslated == []
    errors = [(message.id, [str(e) for e in found]) for message, found in catalog.check()]
    assert errors == []


def test_a_week_span_shares_what_its_days_share_and_never_abbreviates_a_month() -> None:
    assert interface("en").span(date(2021, 8, 2), date(2021, 8, 8)) == "2–8 August 2021"
    assert interface("en").span(date(2021, 8, 30), date(2021, 9, 5)) == (
        "30 August – 5 September 2021"
    )
    assert interface("es").span(date(2021, 12, 27), date(2022, 1, 2)) == (
        "27 de diciembre de 2021\u2009–\u20092 de enero de 2022"  # CLDR's thin spaces
    )
    # CLDR has no pattern of its own for en-US: two whole dates, months written out.
    assert interface("en-US").span(date(2021, 8, 30), date(2021, 9, 5)) == (
        "August 30, 2021 – September 5, 2021"
    )
