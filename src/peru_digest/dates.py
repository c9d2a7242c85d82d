"""How dates are written: for readers (``28 July 2021``) and for feeds (RFC 822, RFC 3339)."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_label(moment: date) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def span_label(first: date, last: date) -> str:
    """Days from ``first`` to ``last``, sharing what they share: ``30 August – 5 September 2021``,
    ``2–8 August 2021``, ``27 December 2021 – 2 January 2022``; one day is its own label."""
    if first == last:
        return day_label(first)
    if first.year != last.year:
        return f"{day_label(first)} – {day_label(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} – {day_label(last)}"
    return f"{first.day}–{day_label(last)}"


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def rfc822(moment: datetime) -> str:
    """RSS dates; English names whatever the machine's locale."""
    offset = moment.strftime("%z") or "+0000"
    return (
        f"{DAYS[moment.weekday()]}, {moment.day:02d} {MONTHS[moment.month - 1][:3]} "
        f"{moment.year:04d} {moment:%H:%M:%S} {offset}"
    )


def rfc3339(moment: datetime) -> str:
    return moment.isoformat()
