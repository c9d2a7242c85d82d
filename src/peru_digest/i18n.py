"""The interface's language: its words from gettext catalogs, its dates and numbers from CLDR.

site.yaml's ``language`` names the language of the content. The interface speaks it when a
catalog exists for it: ``es``, ``es-PE`` and ``es-419`` all use ``locale/es/LC_MESSAGES/
messages.po``, while dates and numbers follow the whole tag (Babel's ``es_PE``). Messages are
written in English, so English needs no catalog; any other language without one keeps an
English interface (config.py warns of it).

Catalogs are read from their ``.po`` source and compiled in memory by Babel, once per process:
no compiled file can be stale, and a fresh checkout needs no step before it builds. They are
part of the generator, like its code: ``cache.generator_version`` digests them.
"""

from __future__ import annotations

import functools
import io
from datetime import date
from gettext import NullTranslations
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_interval, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language messages are written in
# English without a region writes dates day first ("30 August 2021"), as this site always has:
# CLDR's international English. ``en-US`` gives "August 30, 2021".
ENGLISH = Locale.parse("en_001")
ENGLISH_MONTHS = ENGLISH.months["format"]["wide"]


class Interface:
    """What the interface says in one language: its words, dates and numbers."""

    def __init__(self, language: str, translations: NullTranslations, locale: Locale) -> None:
        self.language = language  # site.yaml's tag, which pages and feeds declare
        self.translations = translations
        self.locale = locale  # for dates and numbers
        self.og_locale = og_locale(language)
        self._days: dict[date, str] = {}
        self._numbers: dict[int, str] = {}

    def gettext(self, message: str, **values: object) -> str:
        """The message in this language, its ``%(name)s`` placeholders filled in."""
        return self.translations.gettext(message) % values

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The singular or plural message (as this language counts ``n``), filled in."""
        return self.translations.ngettext(singular, plural, n) % values

    def day(self, moment: date) -> str:
        """A day in running text: ``30 August 2021``, ``30 de agosto de 2021``."""
        label = self._days.get(moment)
        if label is None:
            label = self._days[moment] = format_date(moment, "long", locale=self.locale)
        return label

    def span(self, first: date, last: date) -> str:
        """Days from ``first`` to ``last``, sharing what they share: ``2–8 August 2021``,
        ``30 August – 5 September 2021``, ``2–8 de agosto de 2021``; one day is its own label."""
        if first == last:
            return self.day(first)
        if self.locale == ENGLISH and first.year == last.year:  # CLDR's pattern abbreviates
            if first.month == last.month:
                return f"{first.day}–{self.day(last)}"
            return f"{first.day} {ENGLISH_MONTHS[first.month]} – {self.day(last)}"
        if "yMMMMd" in self.locale.interval_formats:
            return format_interval(first, last, "yMMMMd", locale=self.locale)
        # Without its own pattern, CLDR would fall back to abbreviated months; never here.
        return f"{self.day(first)} – {self.day(last)}"

    def month(self, year: int, month: int) -> str:
        """A month on its own, as a heading or a list entry: ``August 2021``,
        ``Agosto de 2021`` (so it begins with a capital)."""
        label = format_skeleton("yMMMM", date(year, month, 1), locale=self.locale)
        return label[:1].upper() + label[1:]

    def number(self, value: int) -> str:
        """A count with this language's digit grouping: ``1,234``, ``1.234``."""
        label = self._numbers.get(value)
        if label is None:  # Babel takes 15 µs a number, and pages show the same ones
            label = self._numbers[value] = format_decimal(value, locale=self.locale)
        return label


@functools.cache
def interface(language: str, folder: Path = LOCALE_DIR) -> Interface:
    """The interface for site.yaml's ``language``, made once per process."""
    locale = parse_tag(language)
    catalog = catalog_path(language, folder)
    if catalog is not None and locale is not None:
        return Interface(language, compile_catalog(catalog), locale)
    if locale is not None and locale.language == SOURCE_LANGUAGE and locale.territory:
        return Interface(language, NullTranslations(), locale)  # en-US, en-GB: their dates
    return Interface(language, NullTranslations(), ENGLISH)


def parse_tag(language: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag, dropping what CLDR does not know from its end
    (``es-PE-u-nu-latn`` → ``es_PE``); None for a language CLDR does not know."""
    subtags = language.split("-")
    while subtags:
        try:
            return Locale.parse("-".join(subtags), sep="-")
        except (UnknownLocaleError, ValueError):
            subtags.pop()
    return None


def catalog_path(language: str, folder: Path = LOCALE_DIR) -> Path | None:
    """The catalog for ``language``: its own (``es_PE``), else its language's (``es``)."""
    locale = parse_tag(language)
    if locale is None or locale.language == SOURCE_LANGUAGE:
        return None
    names = [str(locale), f"{locale.language}_{locale.territory}", locale.language]
    for name in dict.fromkeys(names):
        path = folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def compile_catalog(path: Path) -> Translations:
    """A ``.po`` catalog compiled as ``pybabel compile`` does (fuzzy entries left out)."""
    with path.open("rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@functools.cache
def _language_codes() -> frozenset[str]:
    """Every two- and three-letter language code CLDR names, and the old ones it knows."""
    named = {str(code) for code in Locale("en").languages if "_" not in str(code)}
    return frozenset(named | {str(code) for code in get_global("language_aliases")})


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """Each language's code by its name in Spanish or English, in lower case."""
    return {
        name.casefold(): code
        for shown_in in ("es", "en")  # English last: where names clash, it wins
        for code, name in Locale(shown_in).languages.items()
        if "_" not in code
    }


def unknown_language(tag: str) -> str | None:
    """Why ``tag`` (well-formed BCP 47) names no language, or None when it may name one: a
    two-letter code no language has (every ISO 639-1 code is in CLDR), or a word (`english`:
    no language subtag of four or more letters is registered). Three letters may be any of
    ISO 639-3's thousands of codes, or private use: they pass."""
    primary = tag.split("-", maxsplit=1)[0].lower()
    if (len(primary) == 2 and primary not in _language_codes()) or len(primary) > 3:
        return language_hint(primary)
    return None


def language_hint(written: str) -> str:
    """What to write instead of ``written``: the code of the language it names, if any."""
    code = _codes_by_name().get(written.strip().casefold())
    if code:
        return f"did you mean `{code}`?"
    if "_" in written:  # a POSIX locale's name: pt_BR
        return f"write it with hyphens: `{written.replace('_', '-')}`"
    return "write a BCP 47 tag such as en, es or pt-BR"


def missing_catalog(language: str, folder: Path = LOCALE_DIR) -> str | None:
    """The language's English name when the interface cannot speak it (None when it can)."""
    locale = parse_tag(language)
    if locale is not None and locale.language == SOURCE_LANGUAGE:
        return None
    if catalog_path(language, folder) is not None:
        return None
    return language if locale is None else Locale(locale.language).get_display_name("en")


def og_locale(language: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a tag: ``es-PE`` → ``es_PE``; without a
    region, the one CLDR finds likeliest (``es`` → ``es_ES``, ``en`` → ``en_US``)."""
    subtags = language.split("-")
    if len(subtags[0]) == 1:  # private use (x-…): no language to name
        return language.replace("-", "_")
    region = next((tag for tag in subtags[1:] if len(tag) == 1 or _is_region(tag)), "")
    if _is_region(region):
        return f"{subtags[0].lower()}_{region.upper()}"
    likely = get_global("likely_subtags").get(subtags[0].lower())
    return f"{subtags[0].lower()}_{Locale.parse(likely).territory}" if likely else subtags[0]


def _is_region(subtag: str) -> bool:
    """A BCP 47 region: two letters (``PE``) or three digits (``419``)."""
    return (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())
