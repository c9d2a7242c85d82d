"""Checks for single values from YAML: each returns the clean value or raises ``FieldError``."""

from __future__ import annotations

import difflib
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from encodings.idna import ToASCII
from typing import Any
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from .errors import Problem, Report
from .i18n import language_hint, unknown_language
from .inputfile import CONTROL_CHARACTERS, DIRECTION_CONTROLS, INVISIBLE_BREAKS, invisible_break
from .urls import MAX_SLUG
from .yamlio import Located, LocatedList, clip, line_of_item, written


class FieldError(ValueError):
    """A value is wrong; ``hint`` says how to put it right, ``item`` which item of a list is
    wrong (its index), when one is. ``faults`` are all that is wrong: the error itself, or
    each wrong item of a list."""

    def __init__(self, message: str, hint: str = "", item: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.item = item
        self.faults: tuple[FieldError, ...] = (self,)

    @classmethod
    def of_items(cls, faults: Sequence[FieldError]) -> FieldError:
        """The first fault, carrying every one (a caller that reports one reports it)."""
        error = faults[0]
        error.faults = tuple(faults)
        return error


Check = Callable[[Any], Any]
MAX_LISTED = 8  # names listed in a hint before "…"
MAX_ITEM_FAULTS = 20  # wrong items reported for one list: a list of them is one mistake
NO_VALUE = "write its value after the colon, or delete the line"

_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")
# Spaces (no-break and ideographic ones too: pasted, they make a link a browser sends as
# %C2%A0, which leads nowhere), invisible ones and controls.
_URL_FORBIDDEN = re.compile(
    "[\x00-\x20\x7f-\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"
)
# What no address a browser sends holds unencoded: it would end an attribute or a tag.
_NEVER_IN_URLS = re.compile(r'["<>`]')
# The other characters RFC 3986 keeps out of a URL, checked in the site's own address (links
# to articles may hold them: browsers encode them when they follow one).
_NOT_IN_URLS = re.compile(r"[\\^{|}]")
# An id as feeds need one (readers compare it as text): a scheme, then no space, control or
# character RFC 3987 leaves out of every IRI, and no lone ``%``. ``|``, which a strict IRI has
# not either, is let be: outlets' guids use it, and ids imports kept must never change.
_URI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:(?:[^\s\x00-\x1f\x7f<>"{}\\^`%]|%[0-9A-Fa-f]{2})+')
_LABEL = re.compile(r"[A-Za-z0-9_-]+")  # what a host's name part is made of, in ASCII
MAX_LABEL, MAX_HOST = 63, 253  # characters in a DNS label and a domain name (RFC 1035)
# What a host name may not contain (WHATWG's forbidden host code points, and "%").
_HOST_FORBIDDEN = re.compile(r"[#%/:<>?@\[\\\]^|]")
# A well-formed BCP 47 language tag (RFC 5646, section 2.1), without the grandfathered ones.
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language, extended languages
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # private use
    r"|x(?:-[a-z0-9]{1,8})+",
    re.IGNORECASE,
)
MAX_LANGUAGE_TAG = 35  # RFC 5646, 4.4.1: the longest tag a system must keep


@dataclass(frozen=True)
class Field:
    name: str
    check: Check
    required: bool = True
    default: Any = None
    hint: str = ""  # how to write it: shown when it is missing or has no value


def check_mapping(
    data: object,
    fields: Iterable[Field],
    path: str,
    report: Report,
    *,
    what: str,
    checked_apart: Sequence[str] = (),
    valid: dict[str, Any] | None = None,
    line: int | None = None,
) -> dict[str, Any] | None:
    """Check a YAML mapping against ``fields``, reporting every problem; ``checked_apart`` are
    keys the mapping may also have, taken out and checked elsewhere (named in hints).

    Returns the clean values, or None when anything was wrong; ``valid`` is given the values
    that were right even then, for checks across fields to report their problems too.
    ``line`` is where ``data`` was written, for a problem with the whole of it.
    """
    if not isinstance(data, Located):
        report.problem(
            path,
            line,
            f"{what} must be a mapping of `key: value` lines",
            "write one `key: value` a line, each key at the start of its line",
        )
        return None
    known = {f.name: f for f in fields}
    clean: dict[str, Any] = {}
    found: list[Problem] = []
    misspelt = set()  # known keys written otherwise: `Title:`, whose problem says so
    for key in data:
        if str(key) not in known:
            keys = [*known, *checked_apart]
            found.append(_unknown_key(str(key), keys, path, data.line_of(str(key)), what))
            misspelt.add(_folded(str(key)))  # only the key itself, written otherwise
    for f in known.values():
        if f.name not in data or data[f.name] is None:
            if f.name in data:  # `draft:` with nothing after it, or `null`: never the default
                message = f"`{f.name}` has no value"
                found.append(Problem(path, data.line_of(f.name), message, f.hint or NO_VALUE))
            elif f.required and f.name not in misspelt:
                found.append(Problem(path, data.line, f"{what} is missing `{f.name}`", f.hint))
            clean[f.name] = f.default
            continue
        try:
            clean[f.name] = f.check(data[f.name])
        except FieldError as error:
            found += [
                Problem(path, _fault_line(data, f.name, fault), f"`{f.name}` {fault.message}",
                        fault.hint)
                for fault in error.faults
            ]  # fmt: skip
    report.problems += found
    if valid is not None:
        valid.update(clean)
    return None if found else clean


def _fault_line(data: Located, key: str, fault: FieldError) -> int:
    """The line of the item at fault, when the list was written one item a line; else the
    key's."""
    at_item = None if fault.item is None else line_of_item(data[key], fault.item)
    return at_item or data.line_of(key)


def _folded(key: str) -> str:
    """A key as compared with the known ones: `Title` and `“title”` are `title`."""
    return key.strip("\"'“”‘’ ").casefold()


def _close_key(key: str, known: Sequence[str]) -> str | None:
    """The known key ``key`` was likely meant to be: `Title`, `“title”`, `desc`…"""
    folded = _folded(key)
    begun = [name for name in known if len(folded) >= 3 and name.startswith(folded)]
    close = begun[:1] or difflib.get_close_matches(folded, known, n=1)
    return close[0] if close else None


def _unknown_key(key: str, known: Sequence[str], path: str, line: int, what: str) -> Problem:
    close = _close_key(key, known)
    hint = f"did you mean `{close}`?" if close else "known keys: " + ", ".join(known)
    return Problem(path, line, f"unknown key `{clip(key)}` in {what}", hint)


def unknown_reference(kind: str, name: str, declared: Iterable[str], file: str) -> FieldError:
    """``unknown topic `x``` with a hint: the closest declared name, or what is declared."""
    choices = sorted(declared)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    spaced = [choice for choice in choices if choice.split() == name.split()]
    if spaced:  # a non-breaking space pasted from a web page looks like any other
        hint = f"it differs from `{spaced[0]}` only in its spaces: write them as ordinary spaces"
    elif close:
        hint = f"declare it in {file}, or did you mean `{close[0]}`?"
    elif choices:
        shown = ", ".join(choices[:MAX_LISTED]) + (", …" if len(choices) > MAX_LISTED else "")
        hint = f"declare it in {file} (declared there: {shown})"
    else:
        hint = f"declare it in {file} (none declared yet)"
    return FieldError(f"unknown {kind} `{clip(name)}`", hint)


def shown(value: Any) -> str:
    """A value as quoted in a message: text in quotes and cut short, anything else by kind."""
    if isinstance(value, str):
        return repr(clip(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return clip(repr(value))
    return _kind(value)


def prose(value: Any) -> str:
    """Text that may run over several lines (a description), without control characters."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(
            f"must be text, not {_kind(value)}",
            "write the text after the colon, in quotes if it starts with [ or { or holds `: `",
        )
    result = written(value).strip()
    if not result:
        raise FieldError("must not be empty", "write the text after the colon")
    if found := CONTROL_CHARACTERS.search(result):
        raise FieldError(
            f"contains a control character (U+{ord(found.group()):04X})",
            "delete it: it is invisible, and feeds cannot carry it",
        )
    if not any(map(_shows, result)):  # stops at the first character that shows
        first = result[0]
        raise FieldError(
            "shows nothing: it holds only invisible characters "
            f"(U+{ord(first):04X} {unicodedata.name(first, 'unnamed')})",
            "write the text after the colon",
        )
    return result


# Letters that show as blank space, though Unicode files them with letters or symbols.
_BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
# Format characters (U+200B), marks with nothing to mark, spaces and separators.
_SHOWING_NOTHING = frozenset({"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"})


def _shows(character: str) -> bool:
    return (
        unicodedata.category(character) not in _SHOWING_NOTHING and character not in _BLANK_LETTERS
    )


def text(value: Any) -> str:
    """One line of text: a title, a name, an id."""
    result = prose(value)
    if found := _LINE_BREAK.search(result):
        if found.group() in INVISIBLE_BREAKS:
            raise FieldError(*invisible_break(found.group()))
        raise FieldError("must be one line", "join its lines into one")
    if "\t" in result:
        raise FieldError("contains a tab", "replace it with a space")
    if found := DIRECTION_CONTROLS.search(result):
        raise FieldError(
            f"contains a direction control (U+{ord(found.group()):04X}), which turns the text"
            " after it around, past the field's end on a page",
            "delete it: right-to-left writing shows as it should without it",
        )
    return result


def slug(value: Any) -> str:
    result = text(value)
    if slugify(result) != result:
        suggested = slugify(result)
        hint = (
            f"write it as `{clip(suggested)}`"
            if suggested
            else "use lower-case letters, digits and hyphens, like `peru-2021`"
        )
        raise FieldError(f"must be a slug, not {shown(result)}", hint)
    if len(result) > MAX_SLUG:
        raise FieldError(
            f"must be at most {MAX_SLUG} characters, not {len(result)}",
            "shorten it: it names a folder, and file systems allow 255 bytes",
        )
    return result


def optional_text(value: Any) -> str:
    return "" if value == "" else text(value)


def optional_prose(value: Any) -> str:
    return "" if value == "" else prose(value)


def text_list(value: Any) -> tuple[str, ...]:
    """One line of text an item; every wrong item is a fault (up to :data:`MAX_ITEM_FAULTS`)."""
    if not isinstance(value, list):
        raise FieldError(
            f"must be a list, not {_kind(value)}", "write it as [a, b] or one `- item` a line"
        )
    items, faults = [], []
    for index, item in enumerate(value):
        try:
            items.append(text(item))
        except FieldError as error:
            faults.append(FieldError(f"item {index + 1} {error.message}", error.hint, index))
            if len(faults) == MAX_ITEM_FAULTS:
                break
    if faults:
        raise FieldError.of_items(faults)
    return tuple(items)


# Authors an article may name. Each gets a page (and a feed) showing the article's whole
# byline, so a file naming n authors makes n pages of n names: 2,000 names in a 13 KB file
# made 2,060 pages and 175 MB. Real bylines name a few writers, a joint investigation a dozen
# or two; 30 names make 30 pages of 30.
MAX_AUTHORS = 30


def byline(value: Any) -> tuple[str, ...]:
    """An article's authors: names, at most :data:`MAX_AUTHORS`."""
    if isinstance(value, list) and len(value) > MAX_AUTHORS:
        raise FieldError(
            f"lists {len(value):,} names; at most {MAX_AUTHORS}",
            "keep the article's own writers: each author named gets a page, which shows the "
            "whole byline",
        )
    return text_list(value)


def http_url(value: Any) -> str:
    if value == "":
        raise FieldError(
            "must not be empty", "add the link to the whole article, like https://example.org/page"
        )
    url = text(value)
    fault = url_fault(url)
    if fault is not None:
        raise FieldError(f"{fault[0]}, not {shown(url)}", fault[1])
    return url


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an address the build takes as a link (importers check with this)."""
    return url_fault(url) is None


def url_fault(url: str) -> tuple[str, str] | None:
    """What is wrong with ``url`` as an absolute http(s) address, with a hint; None if nothing.

    Python and browsers must agree on where it leads: a backslash is a slash to a browser
    (WHATWG) and part of the name to Python, and a host that only a lenient parser accepts
    could be read as another host by either.
    """
    if _URL_FORBIDDEN.search(url):
        return SPACES
    if unencoded := _NEVER_IN_URLS.search(url):
        return (
            f"must not contain {unencoded.group()!r}",
            'write it percent-encoded (%22 for ", %3C for <, %3E for >), as browsers send it',
        )
    parts = _http_parts(url)
    if parts is None:
        return NOT_HTTP
    if "\\" in url:
        return BACKSLASH
    if "@" in parts.netloc:
        return CREDENTIALS
    valid = _is_ip_v6(parts.netloc) if parts.netloc.startswith("[") else _is_host(parts.hostname)
    return None if valid and parts.port != 0 else BAD_HOST


def _http_parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it: "https://a:x/" raises ValueError
    except ValueError:  # "https://[::1", "https://a:99999/"
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


SPACES = (
    "must not contain spaces or control characters",
    "write a space in a path as %20; a host name has none",
)
NOT_HTTP = ("must be an absolute http(s) URL", "write it like https://example.org/page")
BACKSLASH = ("must not contain a backslash", "write / (a browser reads \\ as /)")
CREDENTIALS = ("must not contain a user name or password", "write the address without `…@`")
BAD_HOST = ("must name a valid host", "write it like https://example.org/page")


def _is_host(host: str | None) -> bool:
    """A domain name of non-empty labels (no hyphen at either end), or an IPv4 address."""
    if not host or _HOST_FORBIDDEN.search(host):
        return False
    labels = host.removesuffix(".").split(".")
    if labels[-1].isdigit() or labels[-1].startswith("0x"):  # a browser reads it as IPv4
        try:
            ipaddress.IPv4Address(host.removesuffix("."))
        except ValueError:
            return False
        return True
    return all(_is_label(label) for label in labels) and len(host) <= MAX_HOST


def _is_punycode(label: str) -> bool:
    """Whether an ``xn--`` label is the ASCII form of a name, as browsers require: it decodes,
    to a name IDNA writes back the same (``xn--a`` is nothing, ``xn--zz-8ka`` is ``Āzz``,
    which IDNA writes as ``āzz``'s form)."""
    try:
        name = label[4:].encode("ascii").decode("punycode")
        return bool(name) and ToASCII(name).decode("ascii").lower() == label.lower()
    except UnicodeError:
        return False


def _is_label(label: str) -> bool:
    """Letters, digits, hyphens (not at either end) and underscores, in at most 63 characters
    once a name in other scripts is written in ASCII as IDNA does ("…" becomes "...")."""
    if not label.isascii():
        try:
            label = ToASCII(label).decode("ascii")
        except UnicodeError:
            return False
    elif label[:4].lower() == "xn--" and not _is_punycode(label):
        return False
    return (
        len(label) <= MAX_LABEL
        and _LABEL.fullmatch(label) is not None
        and not label.startswith("-")
        and not label.endswith("-")
    )


def _is_ip_v6(host_and_port: str) -> bool:
    """``[::1]`` or ``[::1]:8080``, and nothing after the bracket but the port."""
    bracketed = re.fullmatch(r"\[([^\]]*)\](?::[0-9]*)?", host_and_port)
    try:
        ipaddress.IPv6Address(bracketed.group(1) if bracketed else "")
    except ValueError:
        return False
    return True


def is_uri(written: str) -> bool:
    return _URI.fullmatch(written) is not None


def feed_id(value: Any) -> str:
    """An article's id in feeds: a scheme, then no space (readers compare it as text; Atom
    wants a URI, and ids kept from outlets' feeds may be laxer, such as "urn:x:note|12"), and
    never a script or a document of its own (a reader may open an id as a link)."""
    written = text(value)
    if not is_uri(written):
        raise FieldError(f"must be a URI, not {shown(written)}", FEED_ID_HINT)
    if SCRIPT_OR_DATA.match(written):
        scheme = written.split(":", 1)[0]
        raise FieldError(
            f"must not be a `{scheme}:` address, which runs or shows itself", FEED_ID_HINT
        )
    return written


FEED_ID_HINT = (
    "write it like urn:uuid:… or tag:example.org,2021:name; if no feed has published this "
    "article yet, delete the line and one is made from its link"
)
# Schemes whose address is a script or a document itself, never a name for an article.
SCRIPT_OR_DATA = re.compile(r"(?:javascript|vbscript|livescript|data):", re.IGNORECASE)


def ascii_hint(parts: SplitResult) -> str:
    """How to write an address in ASCII: its path percent-encoded, its host as browsers write
    it (IDNA's rules differ on some letters, such as "ß", so that form is theirs to give)."""
    path = quote(parts.path, safe="/%")
    if not parts.netloc.isascii():
        return f"write its host in the `xn--` form a browser's address bar shows, its path {path}"
    encoded = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return f"write it as sitemaps and feeds need it: {encoded}"


def site_url(value: Any) -> str:
    """The address a site is published at: everything else is written after it."""
    if value == "":
        raise FieldError(
            "must not be empty",
            "write the address of the site's home page, like https://example.org/digest/",
        )
    url = http_url(value)
    parts = urlsplit(url)
    if "?" in url or "#" in url:  # however empty, a query or a fragment begins there
        raise FieldError(
            f"must not have a query (`?…`) or a fragment (`#…`), not {shown(url)}",
            "write the address of the site's home page, like https://example.org/digest/",
        )
    if not url.isascii():
        raise FieldError(
            f"must be written in ASCII, not {shown(url)}",
            ascii_hint(parts),
        )
    unencoded = _NOT_IN_URLS.search(url)
    if unencoded:
        raise FieldError(
            f"must not contain {unencoded.group()!r}, not {shown(url)}",
            "write it percent-encoded (%7C for |, %5E for ^), as browsers send it",
        )
    return url


def optional_http_url(value: Any) -> str:
    return "" if value == "" else http_url(value)


def language_tag(value: Any) -> str:
    """A BCP 47 language tag such as ``en`` or ``pt-BR``: pages and the search index use it."""
    tag = text(value)
    if len(tag) > MAX_LANGUAGE_TAG or not _LANGUAGE_TAG.fullmatch(tag):
        raise FieldError(f"must be a language tag, not {shown(tag)}", language_hint(tag))
    if hint := unknown_language(tag):
        raise FieldError(f"names no language: {shown(tag)}", hint)
    return tag


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {_kind(value)}", "write true or false")
    return value


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(
            f"must be a whole number of at least 1, not {shown(value)}",
            "write a number such as 20, without quotes",
        )
    return int(value)


def choice(*allowed: str) -> Check:
    """A check that accepts exactly one of ``allowed``."""

    def check(value: Any) -> str:
        if value not in allowed:
            listed = " or ".join(f"`{a}`" for a in allowed)
            raise FieldError(f"must be {listed}, not {shown(value)}", "write one of these words")
        return str(value)

    return check


# Files of a machine's zone folder that name no zone of IANA's (the machine's own, a copy)
_NOT_IANA = re.compile(r"(?:localtime|posixrules|Factory|(?:posix|right)/.*)\Z")


def time_zone(value: Any) -> ZoneInfo:
    """An IANA zone (not a file of this machine's zone folder, such as ``localtime``)."""
    name = text(value)
    try:
        if not _NOT_IANA.match(name):
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # `America`: a folder of zones
        pass
    raise FieldError(
        f"is not a known time zone: {shown(name)}", "use an IANA name such as America/Lima"
    )


# A year below this was written with a leading zero: a two-digit year padded by a slip or a
# broken template (``0021``, ``0099``), whose century would be a guess.
EARLIEST_YEAR = 1000


def is_day_only(value: Any) -> bool:
    """Whether a date was written without a time (``2021-07-28``, YAML's date or text)."""
    if isinstance(value, str):
        return _DAY_ONLY.fullmatch(value.strip()) is not None
    return isinstance(value, date) and not isinstance(value, datetime)


def moment(value: Any, zone: ZoneInfo) -> datetime:
    """A date or date-time; one without an offset is taken in ``zone``.

    It must be writable in feeds once shown in ``zone``: within the years 1 to 9999, and at an
    offset of whole minutes (the local mean time zones kept before standard time had seconds).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_iso(value.strip())
    else:
        raise _bad_date(shown(value))
    if parsed.year < EARLIEST_YEAR:  # `0021-07-28`: a slip, which Lima's 1890 offset hid
        raise FieldError(
            f"has a year before {EARLIEST_YEAR}: {parsed.isoformat()}",
            "write the year with its four digits, such as 2021",
        )
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    _check_in_feeds(parsed, zone)
    return parsed


def _check_in_feeds(moment: datetime, zone: ZoneInfo) -> None:
    try:
        local = moment.astimezone(zone)
        moment.astimezone(UTC)
    except OverflowError:
        raise FieldError(  # 0001-01-01T00:00:00+00:00 is in the year 0 in Lima
            f"is out of range: {moment.isoformat()}",
            f"write a date between the years {EARLIEST_YEAR} and 9999 both in UTC and in "
            f"{zone.key}",
        ) from None
    offset = local.utcoffset()
    if offset is not None and offset.seconds % 60:
        raise FieldError(
            f"is too early for {zone.key}: its offset then, {_offset(local)}, has seconds",
            "feeds need offsets in whole minutes; use a later date",
        )


def _offset(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")[19:]  # "-05:08:12" after "YYYY-MM-DDTHH:MM:SS"


# A calendar date, then a time and an offset if any, written out as YAML's own dates are:
# ``datetime.fromisoformat`` also reads a week (``2021-W30``), a day of the year
# (``2021-209``) and dates without dashes (``20210728``), which no editor means.
_DAY = r"\d{4}-\d{2}-\d{2}"
_DAY_ONLY = re.compile(_DAY, re.ASCII)
_CALENDAR_DATE = re.compile(
    _DAY + r"(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)


def _parse_iso(value: str) -> datetime:
    try:
        if _CALENDAR_DATE.fullmatch(value):
            return datetime.fromisoformat(value)
    except ValueError:
        pass
    raise _bad_date(shown(value))


def _bad_date(shown: str) -> FieldError:
    return FieldError(
        f"is not a valid date: {shown}",
        "write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
    )


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, bool):  # as YAML writes it (`yes`, `on` read so too)
        return "true" if value else "false"
    names = {
        dict: "a mapping",
        Located: "a mapping",
        list: "a list",
        LocatedList: "a list",
        int: "a number",
        float: "a number",
        date: "a date",
        datetime: "a date and time",
    }
    return names.get(type(value), "empty" if value is None else type(value).__name__)
