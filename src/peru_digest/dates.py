"""How dates are written for feeds (RFC 822, RFC 3339): in English, whatever the site's language.

Readers' dates (``28 July 2021``, ``28 de julio de 2021``) are the interface's: see i18n.py.
"""

from __future__ import annotations

from datetime import datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def rfc822(moment: datetime) -> str:
    """RSS dates; English names whatever the machine's locale or the site's language."""
    offset = moment.strftime("%z") or "+0000"
    return (
        f"{DAYS[moment.weekday()]}, {moment.day:02d} {MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment:%H:%M:%S} {offset}"
    )


def rfc3339(moment: datetime) -> str:
    return moment.isoformat()
