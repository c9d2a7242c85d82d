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
