"""Dates as outlets write them in feeds: RFC 822 in English, Spanish, Portuguese or French,
named zones of the Americas and Europe, RFC 3339, ISO 8601 and JavaScript's ``toString()``.

Read from the feed's own text, so the outlet's offset is kept. A zone this table does not
know, a relative date ("hace 2 horas"), a template left in the feed, a two-digit year or a
year before 1000 (``0021``: a short year padded to four digits) is unreadable: the caller
reports it, and never puts a guess in its place. Each number is taken as written.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from ..fields import EARLIEST_YEAR

Moment = date | datetime  # a datetime when the time of day is known

MONTHS = {
    **dict.fromkeys(("jan", "january", "ene", "enero", "janeiro", "janv", "janvier"), 1),
    **dict.fromkeys(("feb", "february", "febrero", "fev", "fevereiro", "fevr", "fevrier"), 2),
    **dict.fromkeys(("mar", "march", "marzo", "marco", "mars"), 3),
    **dict.fromkeys(("apr", "april", "abr", "abril", "avr", "avril"), 4),
    **dict.fromkeys(("may", "mayo", "mai", "maio"), 5),
    **dict.fromkeys(("jun", "june", "junio", "junho", "juin"), 6),
    **dict.fromkeys(("jul", "july", "julio", "julho", "juil", "juillet"), 7),
    **dict.fromkeys(("aug", "august", "ago", "agosto", "aout"), 8),
    **dict.fromkeys(("sep", "sept", "september", "set", "septiembre", "setiembre"), 9),
    **dict.fromkeys(("setembro", "septembre"), 9),
    **dict.fromkeys(("oct", "october", "octubre", "out", "outubro", "octobre"), 10),
    **dict.fromkeys(("nov", "november", "noviembre", "novembro", "novembre"), 11),
    **dict.fromkeys(("dec", "december", "dic", "diciembre", "dez", "dezembro", "decembre"), 12),
}
DAYS = frozenset({
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday",
    "lun", "mar", "mie", "jue", "vie", "sab", "dom", "lunes", "martes", "miercoles", "jueves",
    "viernes", "sabado", "domingo",
    "seg", "ter", "qua", "qui", "sex", "segunda", "terca", "quarta", "quinta", "sexta",
    "segunda-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira",
    "mer", "jeu", "ven", "sam", "dim", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche",
})  # fmt: skip
ZONES = {  # the named zones feeds use in the Americas and Europe
    "ut": "+0000", "utc": "+0000", "gmt": "+0000", "z": "+0000", "wet": "+0000",
    "west": "+0100", "bst": "+0100", "cet": "+0100", "met": "+0100", "cest": "+0200",
    "mest": "+0200", "eet": "+0200", "eest": "+0300", "msk": "+0300",
    "est": "-0500", "edt": "-0400", "cst": "-0600", "cdt": "-0500", "mst": "-0700",
    "mdt": "-0600", "pst": "-0800", "pdt": "-0700", "akst": "-0900", "akdt": "-0800",
    "hst": "-1000", "ast": "-0400", "adt": "-0300", "nst": "-0330", "ndt": "-0230",
    "pet": "-0500", "cot": "-0500", "ect": "-0500", "bot": "-0400", "vet": "-0400",
    "clt": "-0400", "clst": "-0300", "pyt": "-0400", "pyst": "-0300", "art": "-0300",
    "uyt": "-0300", "brt": "-0300", "brst": "-0200", "amt": "-0400", "gft": "-0300",
    "srt": "-0300",
}  # fmt: skip
_RFC_822 = re.compile(
    r"(?:(?P<weekday>[^\W\d]+(?:-[^\W\d]+)?)\.?,?\s+)?"
    r"(?P<day>[0-9]{1,2})\s+(?:de\s+)?(?P<month>[^\W\d]+)\.?,?\s+(?:de\s+)?(?P<year>[0-9]{4})"
    r"(?:,?\s+(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)"
    r"(?:\s+(?P<zone>(?:GMT|UTC)[+-][0-9]{1,2}(?::?[0-9]{2})?|[+-][0-9]{2}:?[0-9]{2}"
    r"|[^\W\d]{1,5}))?)?"
    r"(?:\s+\([^()]{1,20}\))?"  # a comment, as RFC 822 allows: "+0000 (UTC)"
)  # numbers in ASCII digits: ``\d`` would read other scripts' digits as a year
_GMT_OFFSET = re.compile(
    r"(?:GMT|UTC)(?P<sign>[+-])(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?"
)
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>[0-9]{2})(?P<minutes>[0-5][0-9])")


def read_date(text: str) -> Moment | None:
    """The date (or date-time, offset kept, to the second) that ``text`` names; else None.

    A time of day without a zone keeps only its day: which hour it was is unknown. The year is
    the one written, never completed or moved; one before :data:`EARLIEST_YEAR` is unreadable.
    """
    text = " ".join(text.split())
    if len(text) > 64:  # but JavaScript's, which names its zone at length
        moment = javascript_moment(text) if len(text) <= 100 else None
    else:
        moment = iso_moment(text) or rfc_822_moment(text) or javascript_moment(text)
    return moment if moment is not None and moment.year >= EARLIEST_YEAR else None


def iso_moment(text: str) -> Moment | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(microsecond=0) if moment.tzinfo else moment.date()


def rfc_822_moment(text: str) -> Moment | None:
    found = _RFC_822.fullmatch(text)
    if found is None:
        return None
    weekday, month = found["weekday"], MONTHS.get(folded(found["month"]))
    if month is None or (weekday and folded(weekday) not in DAYS):
        return None
    day, year = int(found["day"]), int(found["year"])
    if not (found["time"] and found["zone"]):
        return calendar_date(year, month, day)
    zone = found["zone"]
    if zone[0] in "+-":
        offset: str | None = zone.replace(":", "")  # "-05:00", as many content systems write
    else:
        offset = utc_offset(zone) or ZONES.get(zone.lower())
    if offset is None:
        return None  # a zone we do not know is not UTC
    return zoned_moment(calendar_date(year, month, day), found["time"], offset)


# JavaScript's Date.toString(), which feeds a script writes by hand carry: "Wed Jul 28 2021
# 10:00:00 GMT-0500 (hora estándar de Perú)", the zone's name in the writer's language.
_JAVASCRIPT = re.compile(
    r"(?P<weekday>[A-Za-z]{3}) (?P<month>[A-Za-z]{3}) (?P<day>[0-9]{2}) (?P<year>[0-9]{4}) "
    r"(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2}) GMT(?P<offset>[+-][0-9]{4})(?: \([^()]{1,60}\))?"
)


def javascript_moment(text: str) -> Moment | None:
    found = _JAVASCRIPT.fullmatch(text)
    month = MONTHS.get(found["month"].lower()) if found else None
    if found is None or month is None or found["weekday"].lower() not in DAYS:
        return None
    day = calendar_date(int(found["year"]), month, int(found["day"]))
    return zoned_moment(day, found["time"], found["offset"])


def utc_offset(zone: str) -> str | None:
    """``GMT-5``, ``UTC-05:00``, ``GMT+0530`` as ``-0500``, ``-0500``, ``+0530``; else None."""
    found = _GMT_OFFSET.fullmatch(zone)
    if found is None:
        return None
    return f"{found['sign']}{int(found['hours']):02d}{found['minutes'] or '00'}"


def zoned_moment(day: date | None, clock: str, offset: str) -> datetime | None:
    """``day`` at ``clock`` (``8:30``, ``08:30:00``) and ``offset`` (``-0500``), each number as
    written: an hour, minute or offset out of range is unreadable, never carried over."""
    found = _OFFSET.fullmatch(offset)
    if day is None or found is None:
        return None
    hours, minutes, seconds = (int(part) for part in f"{clock}:00".split(":")[:3])
    shift = timedelta(hours=int(found["hours"]), minutes=int(found["minutes"]))
    try:
        zone = timezone(-shift if found["sign"] == "-" else shift)
        return datetime(day.year, day.month, day.day, hours, minutes, seconds, tzinfo=zone)
    except ValueError:
        return None


def calendar_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def folded(word: str) -> str:
    """Lower case without accents: ``Déc`` → ``dec``, ``Mié`` → ``mie``."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
