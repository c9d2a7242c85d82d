"""Checks for single values from YAML: each returns the clean value or raises ``FieldError``."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from .errors import Problem, Report
from .yamlio import Located


class FieldError(ValueError):
    """A value is wrong; ``hint`` says how to put it right."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


Check = Callable[[Any], Any]
MAX_LISTED = 8  # names listed in a hint before "…"


@dataclass(frozen=True)
class Field:
    name: str
    check: Check
    required: bool = True
    default: Any = None
    hint: str = ""  # shown when the field is missing


def check_mapping(
    data: object, fields: Iterable[Field], path: str, report: Report, *, what: str
) -> dict[str, Any] | None:
    """Check a YAML mapping against ``fields``, reporting every problem.

    Returns the clean values, or None when anything was wrong.
    """
    if not isinstance(data, Located):
        report.problem(path, None, f"{what} must be a mapping of `key: value` lines")
        return None
    known = {f.name: f for f in fields}
    clean: dict[str, Any] = {}
    found: list[Problem] = []
    for key in data:
        if str(key) not in known:
            found.append(_unknown_key(str(key), known, path, data.line_of(str(key)), what))
    for f in known.values():
        if f.name not in data or data[f.name] is None:
            if f.required:
                found.append(Problem(path, data.line, f"{what} is missing `{f.name}`", f.hint))
            clean[f.name] = f.default
            continue
        try:
            clean[f.name] = f.check(data[f.name])
        except FieldError as error:
            line = data.line_of(f.name)
            found.append(Problem(path, line, f"`{f.name}` {error.message}", error.hint))
    report.problems += found
    return None if found else clean


def _unknown_key(key: str, known: Mapping[str, Field], path: str, line: int, what: str) -> Problem:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(known)
    return Problem(path, line, f"unknown key `{key}` in {what}", hint)


def unknown_reference(kind: str, name: str, declared: Iterable[str], file: str) -> FieldError:
    """``unknown topic `x``` with a hint: the closest declared name, or what is declared."""
    choices = sorted(declared)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if close:
        hint = f"declare it in {file}, or did you mean `{close[0]}`?"
    elif choices:
        shown = ", ".join(choices[:MAX_LISTED]) + (", …" if len(choices) > MAX_LISTED else "")
        hint = f"declare it in {file} (declared there: {shown})"
    else:
        hint = f"declare it in {file} (none declared yet)"
    return FieldError(f"unknown {kind} `{name}`", hint)


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(f"must be text, not {_kind(value)}")
    result = str(value).strip()
    if not result:
        raise FieldError("must not be empty")
    return result


def slug(value: Any) -> str:
    result = text(value)
    if slugify(result) != result:
        raise FieldError(f"must be a slug, not {result!r}", f"write it as `{slugify(result)}`")
    return result


def optional_text(value: Any) -> str:
    return "" if value == "" else text(value)


def text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError(
            f"must be a list, not {_kind(value)}", "write it as [a, b] or one `- item` a line"
        )
    try:
        return tuple(text(item) for item in value)
    except FieldError as error:
        raise FieldError(f"items {error.message}") from None


def http_url(value: Any) -> str:
    if value == "":
        raise FieldError(
            "must not be empty", "add the link to the whole article, like https://example.org/page"
        )
    url = text(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FieldError(
            f"must be an absolute http(s) URL, not {url!r}",
            "write it like https://example.org/page",
        )
    return url


def optional_http_url(value: Any) -> str:
    return "" if value == "" else http_url(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {_kind(value)}")
    return value


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(f"must be a whole number of at least 1, not {value!r}")
    return value


def choice(*allowed: str) -> Check:
    """A check that accepts exactly one of ``allowed``."""

    def check(value: Any) -> str:
        if value not in allowed:
            listed = " or ".join(f"`{a}`" for a in allowed)
            raise FieldError(f"must be {listed}, not {value!r}")
        return str(value)

    return check


def time_zone(value: Any) -> ZoneInfo:
    name = text(value)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            f"is not a known time zone: {name!r}", "use an IANA name such as America/Lima"
        ) from None


def moment(value: Any, zone: ZoneInfo) -> datetime:
    """A date or date-time; one without an offset is taken in ``zone``."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_iso(value.strip())
    else:
        raise _bad_date(repr(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_iso(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _bad_date(repr(value)) from None


def _bad_date(shown: str) -> FieldError:
    return FieldError(
        f"is not a valid date: {shown}",
        "write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00",
    )


def _kind(value: Any) -> str:
    names = {dict: "a mapping", Located: "a mapping", list: "a list", bool: "true/false"}
    return names.get(type(value), "empty" if value is None else type(value).__name__)
