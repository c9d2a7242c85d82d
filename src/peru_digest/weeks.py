"""What an edition holds: weeks in the site's time zone, their labels, their articles by topic.

The site's edition pages, the editions feed and the ``edition`` command all use this module,
so an edition is the same wherever it is read.

A week starts on the day ``site.yaml`` names (``week_start``, default Monday) at midnight in
the site's time zone. Its label is ``YYYY-Www``: the year and the number of its *middle* day
(its fourth), numbered from that year's first such day. For weeks starting on Monday the middle
day is Thursday, and this is exactly ISO 8601's week numbering; for other starts it is the
same rule shifted, so every week still has one label, numbers run 01 to 52 or 53 without gaps,
and a week that straddles New Year belongs to the year holding most of its days.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .model import Article, SiteConfig

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEK = timedelta(days=7)
CALENDAR_END = datetime.max.replace(tzinfo=UTC)
_LABEL = re.compile(r"(\d{4})-W(\d{2})")
# Edition ids depend on the week's first day alone: never on the site's address or title,
# which an editor may change, so feed readers never see an edition twice.
_EDITION_IDS = uuid.UUID("5d3c8f0e-7a4b-5e1f-9c2d-3b6a0e8f4d17")


@dataclass(frozen=True)
class Section:
    """The articles of an edition filed first under one topic (None: under no topic)."""

    topic: str | None
    articles: tuple[Article, ...]  # oldest first: a finished week reads as a story


@dataclass(frozen=True)
class Edition:
    """The published articles of the days ``first`` to ``last`` (site time), by topic.

    ``date`` is the moment it was complete: midnight after its last day, in the site's zone.
    """

    label: str  # "2021-W35"; "" for a period that is not a week
    first: date
    last: date
    date: datetime
    sections: tuple[Section, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article once, newest first, as the site's lists show them."""
        found = [article for section in self.sections for article in section.articles]
        return tuple(sorted(found, key=lambda a: (-a.date.timestamp(), a.slug)))

    @property
    def count(self) -> int:
        return sum(len(section.articles) for section in self.sections)

    @property
    def id(self) -> str:
        """The feed id: the same for this week forever."""
        return f"urn:uuid:{uuid.uuid5(_EDITION_IDS, self.first.isoformat())}"

    @property
    def updated(self) -> datetime | None:
        """The last correction of one of its articles made after it was complete."""
        later = [a.updated for a in self.articles if a.updated and a.updated > self.date]
        return max(later, default=None)


def week_first(day: date, week_start: str) -> date:
    """The first day of the week that holds ``day``."""
    return day - timedelta(days=(day.weekday() - WEEKDAYS.index(week_start)) % 7)


def week_label(first: date) -> str:
    """``2021-W35``: the year and number of the week's middle day (see the module's notes)."""
    middle = first + timedelta(days=3)
    number = (middle.timetuple().tm_yday - 1) // 7 + 1
    return f"{middle.year:04d}-W{number:02d}"


def is_week_label(text: str) -> bool:
    """Whether ``text`` is written as a week's label (``2021-W35``)."""
    return _LABEL.fullmatch(text) is not None


def parse_week(label: str, week_start: str) -> date:
    """The first day of the week labelled ``label``; ValueError when there is no such week."""
    found = _LABEL.fullmatch(label)
    if not found:
        raise ValueError(f"`{label}` is not a week label")
    year, number = int(found[1]), int(found[2])
    if not 1 <= year <= 9998 or not 1 <= number <= 53:
        raise ValueError(f"there is no week `{label}`")
    earliest = date(year, 1, 1) + timedelta(days=7 * (number - 1))
    middle_weekday = (WEEKDAYS.index(week_start) + 3) % 7
    middle = earliest + timedelta(days=(middle_weekday - earliest.weekday()) % 7)
    try:
        first = middle - timedelta(days=3)
    except OverflowError:  # 0001-W01 of weeks from Friday to Sunday: in the year 0
        raise ValueError(f"there is no week `{label}`: it would begin before the year 1") from None
    if week_label(first) != label:
        raise ValueError(f"{year} has no week {number}")
    return first


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The day a moment falls on in the site's time zone."""
    return moment.astimezone(zone).date()


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The moment ``day`` begins in the site's time zone."""
    return datetime.combine(day, time(), tzinfo=zone)


def edition_of(
    articles: Iterable[Article], first: date, last: date, zone: ZoneInfo, topics: Sequence[str]
) -> Edition:
    """The edition of the days ``first`` to ``last``: whichever of ``articles`` fall on them.

    ``topics`` are the topics to file them under, in the order of the sections: the site's
    topics as declared, or just one.
    """
    held = [a for a in articles if first <= local_day(a.date, zone) <= last]
    end = midnight(last + timedelta(days=1), zone) if last < date.max else CALENDAR_END
    label = week_label(first) if last - first == timedelta(days=6) else ""
    return Edition(label, first, last, end, sections(held, topics))


def sections(articles: Iterable[Article], topics: Sequence[str]) -> tuple[Section, ...]:
    """Each article once, under the first of its topics (as its editor listed them) that is
    among ``topics``; the others last. Sections follow the order of ``topics``."""
    order = {slug: number for number, slug in enumerate(topics)}
    groups: dict[str | None, list[Article]] = defaultdict(list)
    for article in articles:
        groups[next((slug for slug in article.topics if slug in order), None)].append(article)
    keys = sorted(groups, key=lambda slug: len(order) if slug is None else order[slug])
    return tuple(
        Section(key, tuple(sorted(groups[key], key=lambda a: (a.date.timestamp(), a.slug))))
        for key in keys
    )


def weekly_editions(
    articles: Sequence[Article], config: SiteConfig, topics: Sequence[str], now: datetime | None
) -> list[Edition]:
    """Every complete week that holds an article, newest first.

    A week is complete once it has ended by ``now``; with no clock (None), every week is.
    """
    zone = config.time_zone
    weeks: dict[date, list[Article]] = defaultdict(list)
    for article in articles:
        first = calendar_week(local_day(article.date, zone), config.week_start)
        if first is not None:
            weeks[first].append(article)
    editions = [
        edition_of(members, first, first + timedelta(days=6), zone, topics)
        for first, members in sorted(weeks.items(), reverse=True)
    ]
    return [edition for edition in editions if now is None or edition.date <= now]


def calendar_week(day: date, week_start: str) -> date | None:
    """The first day of the week that holds ``day``; None for a week that runs off the
    calendar (begins before the year 1 or ends after 9999), which has no edition."""
    try:
        first = week_first(day, week_start)
    except OverflowError:  # it would begin before the year 1
        return None
    return first if first <= date.max - WEEK else None


def week_end(now: datetime, config: SiteConfig) -> datetime | None:
    """When the week that holds ``now`` ends (the next edition may appear then); None when
    that is past the calendar's end."""
    first = calendar_week(local_day(now, config.time_zone), config.week_start)
    return None if first is None else midnight(first + WEEK, config.time_zone)
