"""What an edition holds: weeks in the site's time zone, their labels, their articles by topic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.cli import main
from peru_digest.model import Article, SiteConfig
from peru_digest.weeks import (
    WEEKDAYS,
    edition_of,
    parse_week,
    sections,
    week_end,
    week_first,
    week_label,
    weekly_editions,
)

from .conftest import LIMA, site_config

TOPICS = ["election", "economy", "regions"]
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
week_starts = st.sampled_from(WEEKDAYS)


def article(
    when: datetime | str, *topics: str, slug: str = "", updated: datetime | None = None
) -> Article:
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    moment = moment if moment.tzinfo else moment.replace(tzinfo=LIMA)
    name = slug or f"a-{moment:%Y%m%d%H%M}-{'-'.join(topics)}"
    return Article(
        path=f"articles/{name}.md",
        title=name,
        date=moment,
        source="Daily Andes",
        authors=(),
        url=f"https://andes.test/{name}",
        topics=topics,
        slug=name,
        written_id=f"urn:test:{name}",
        summary_key=name,
        updated=updated,
    )


def config(week_start: str = "monday") -> SiteConfig:
    return site_config(
        description="", base_url="https://digest.test/", feed_items=20, page_size=20,
        week_start=week_start,
    )  # fmt: skip


# Weeks and their labels ----------------------------------------------------------------------


@given(days)
def test_weeks_starting_on_monday_are_iso_8601_weeks(day: date) -> None:
    first = week_first(day, "monday")
    iso = day.isocalendar()
    assert first.weekday() == 0 and first <= day < first + timedelta(days=7)
    assert week_label(first) == f"{iso.year:04d}-W{iso.week:02d}"


@given(days, week_starts)
def test_a_week_starts_on_the_named_day_and_holds_the_day(day: date, week_start: str) -> None:
    first = week_first(day, week_start)
    assert WEEKDAYS[first.weekday()] == week_start
    assert first <= day < first + timedelta(days=7)


@given(days, week_starts)
def test_the_next_week_has_the_next_number_or_week_1_of_the_next_year(
    day: date, week_start: str
) -> None:
    first = week_first(day, week_start)
    year, number = week_label(first).split("-W")
    after_year, after_number = week_label(first + timedelta(days=7)).split("-W")
    if after_year == year:
        assert int(after_number) == int(number) + 1
    else:
        assert (int(after_year), after_number) == (int(year) + 1, "01")
        assert int(number) in (52, 53)


@given(days, week_starts)
def test_a_label_names_its_week_back(day: date, week_start: str) -> None:
    first = week_first(day, week_start)
    assert parse_week(week_label(first), week_start) == first


@pytest.mark.parametrize(
    ("first", "label"),
    [
        (date(2021, 8, 29), "2021-W35"),  # Sunday to Saturday, middle day Wednesday 1 September
        (date(2022, 12, 25), "2022-W52"),  # all seven days in 2022
        (date(2023, 1, 1), "2023-W01"),
        (date(2019, 12, 29), "2020-W01"),  # four of its days, the middle one too, are in 2020
        (date(2020, 12, 27), "2020-W53"),  # middle day 30 December: the 53rd such day
    ],
)
def test_weeks_starting_on_sunday_are_labelled_by_their_middle_day(first: date, label: str) -> None:
    assert week_label(first) == label
    assert parse_week(label, "sunday") == first


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2021-W53", "2021 has no week 53"),
        ("2021-W54", "there is no week `2021-W54`"),
        ("2021-W00", "there is no week `2021-W00`"),
        ("2021-35", "`2021-35` is not a week label"),
        ("21-W35", "`21-W35` is not a week label"),
    ],
)
def test_a_label_that_names_no_week_says_why(label: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week(label, "monday")


def test_a_week_ends_at_midnight_after_its_last_day_in_the_site_time_zone() -> None:
    wednesday = datetime(2021, 9, 1, 12, tzinfo=UTC)
    assert week_end(wednesday, config()) == datetime(2021, 9, 6, tzinfo=LIMA)
    assert week_end(wednesday, config("sunday")) == datetime(2021, 9, 5, tzinfo=LIMA)
    # Monday 6 September 03:00 UTC is still Sunday evening in Lima: the week has not ended.
    sunday_night = datetime(2021, 9, 6, 3, tzinfo=UTC)
    assert week_end(sunday_night, config()) == datetime(2021, 9, 6, tzinfo=LIMA)


def test_a_week_that_runs_off_the_calendar_has_no_edition() -> None:
    utc = replace(config("sunday"), time_zone=ZoneInfo("UTC"))
    first_day = article(datetime(1, 1, 1, tzinfo=UTC), "election")  # a Monday
    last_day = article(datetime(9999, 12, 31, tzinfo=UTC), "election")  # a Friday
    assert weekly_editions([first_day, last_day], utc, TOPICS, None) == []
    assert week_end(datetime(9999, 12, 31, tzinfo=UTC), utc) is None


# What an edition holds -----------------------------------------------------------------------


def test_an_article_in_several_topics_appears_once_under_the_first_it_lists() -> None:
    both = article("2021-08-31", "regions", "election")
    grouped = sections([both, article("2021-08-30", "election")], TOPICS)
    assert [(s.topic, [a.slug for a in s.articles]) for s in grouped] == [
        ("election", ["a-202108300000-election"]),
        ("regions", ["a-202108310000-regions-election"]),
    ]


def test_sections_follow_the_topics_order_and_articles_with_no_topic_come_last() -> None:
    grouped = sections(
        [article("2021-08-30"), article("2021-08-31", "regions"), article("2021-09-01", "economy")],
        TOPICS,
    )
    assert [s.topic for s in grouped] == ["economy", "regions", None]


def test_articles_of_a_section_are_oldest_first_and_the_same_moment_by_slug() -> None:
    grouped = sections(
        [
            article("2021-09-01T10:00", "economy", slug="c"),
            article("2021-08-30T10:00", "economy", slug="b"),
            article("2021-08-30T10:00", "economy", slug="a"),
        ],
        TOPICS,
    )
    assert [a.slug for a in grouped[0].articles] == ["a", "b", "c"]


def test_an_edition_about_one_topic_files_every_article_under_it() -> None:
    both = article("2021-08-31", "regions", "election")
    edition = edition_of([both], date(2021, 8, 30), date(2021, 9, 5), LIMA, ["election"])
    assert [(s.topic, s.articles) for s in edition.sections] == [("election", (both,))]


def test_an_edition_holds_the_days_of_the_site_time_zone() -> None:
    # 03:00 UTC on Monday 6 September is 22:00 on Sunday 5 September in Lima.
    late_sunday = article(datetime(2021, 9, 6, 3, tzinfo=UTC), "election")
    monday = article(datetime(2021, 9, 6, 5, tzinfo=UTC), "election")
    edition = edition_of([late_sunday, monday], date(2021, 8, 30), date(2021, 9, 5), LIMA, TOPICS)
    assert edition.articles == (late_sunday,)
    assert edition.label == "2021-W35"
    assert edition.date == datetime(2021, 9, 6, tzinfo=LIMA)


def test_a_period_that_is_not_a_week_has_no_label() -> None:
    edition = edition_of([], date(2021, 8, 30), date(2021, 8, 31), LIMA, TOPICS)
    assert edition.label == ""
    assert edition.sections == ()


def test_only_complete_weeks_with_articles_are_editions_newest_first() -> None:
    articles = [
        article("2021-09-01", "election"),  # W35: ends Monday 6 September, 00:00 in Lima
        article("2021-08-18", "economy"),  # W33; W34 has no article
        article("2021-08-17", "regions"),
    ]
    now = datetime(2021, 9, 5, 23, 59, tzinfo=LIMA)
    assert [e.label for e in weekly_editions(articles, config(), TOPICS, now)] == ["2021-W33"]
    now = datetime(2021, 9, 6, tzinfo=LIMA)
    editions = weekly_editions(articles, config(), TOPICS, now)
    assert [(e.label, e.count) for e in editions] == [("2021-W35", 1), ("2021-W33", 2)]
    assert [e.label for e in weekly_editions(articles, config(), TOPICS, None)] == [
        "2021-W35",
        "2021-W33",
    ]


def test_the_week_start_setting_moves_articles_between_editions() -> None:
    sunday = article("2021-09-05", "election")
    on_monday = weekly_editions([sunday], config("monday"), TOPICS, None)
    on_sunday = weekly_editions([sunday], config("sunday"), TOPICS, None)
    assert [(e.label, e.first) for e in on_monday] == [("2021-W35", date(2021, 8, 30))]
    assert [(e.label, e.first) for e in on_sunday] == [("2021-W36", date(2021, 9, 5))]


def test_an_edition_id_depends_on_its_first_day_alone_forever() -> None:
    edition = edition_of([], date(2021, 8, 30), date(2021, 9, 5), LIMA, TOPICS)
    moved = edition_of(
        [article("2021-08-31", "economy")], date(2021, 8, 30), date(2021, 9, 5), LIMA, ["economy"]
    )
    # Recorded: feed readers know editions by these ids; they must never change.
    assert edition.id == moved.id == "urn:uuid:bdf1c735-7774-55bc-a23b-d8ef0865d3ed"
    other = edition_of([], date(2021, 9, 6), date(2021, 9, 12), LIMA, TOPICS)
    assert other.id != edition.id


def test_an_edition_is_updated_when_an_article_is_corrected_after_its_week() -> None:
    corrected = datetime(2021, 9, 10, tzinfo=LIMA)
    articles = [
        article("2021-08-31", "economy", updated=corrected),
        article("2021-09-01", "economy", updated=datetime(2021, 9, 2, tzinfo=LIMA)),
    ]
    edition = edition_of(articles, date(2021, 8, 30), date(2021, 9, 5), LIMA, TOPICS)
    assert edition.updated == corrected


@pytest.mark.parametrize("week_start", ["friday", "saturday", "sunday"])
def test_a_first_week_that_would_begin_before_the_year_1_is_no_week(week_start: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_week("0001-W01", week_start)
    assert str(raised.value) == "there is no week `0001-W01`: it would begin before the year 1"
    assert parse_week("0001-W02", week_start) == week_first(date(1, 1, 10), week_start)


def test_the_edition_command_names_a_week_off_the_calendar_as_no_week(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = site_dir / "site.yaml"
    settings.write_text(settings.read_text("utf-8") + "week_start: sunday\n", "utf-8")
    args = ["edition", "--week", "0001-W01", "--content", str(site_dir)]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        "--week: there is no week `0001-W01`: it would begin before the year 1\n"
        "  hint: write a week as on the site's edition pages, like 2021-W35\n"
        "1 problem found. Nothing was written.\n"
    )
