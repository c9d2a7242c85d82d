"""Dates as outlets write them: offsets kept, years as written; unknown zones, relative dates
and padded short years unreadable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.fields import EARLIEST_YEAR
from peru_digest.importers.feeddates import ZONES, read_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mié, 05 Dic 2018 08:30:00 -0500", "2018-12-05T08:30:00-05:00"),
        ("Mié, 05 Dic 2018", "2018-12-05"),
        ("jue., 06 dic. 2018 10:00:00 PET", "2018-12-06T10:00:00-05:00"),
        ("Seg, 24 Set 2018 10:00:00 -0300", "2018-09-24T10:00:00-03:00"),
        ("Ter, 25 set. 2018 18:30:00 BRT", "2018-09-25T18:30:00-03:00"),
        ("Dom, 02 Dez 2018 09:00:00 BRST", "2018-12-02T09:00:00-02:00"),
        ("Wed, 05 Dec 2018 08:30:00 PET", "2018-12-05T08:30:00-05:00"),
        ("Wed, 05 Dec 2018 10:30:00 ART", "2018-12-05T10:30:00-03:00"),
        ("Wed, 05 Dec 2018 08:30:00 EST", "2018-12-05T08:30:00-05:00"),
        ("Mer, 05 Déc 2018 14:30:00 CET", "2018-12-05T14:30:00+01:00"),
        ("Lun, 24 Sept. 2018 16:00:00 CEST", "2018-09-24T16:00:00+02:00"),
        ("miércoles, 5 de diciembre de 2018 08:30 -0500", "2018-12-05T08:30:00-05:00"),
        ("Wed, 07 Dec 2022 17:58:00 GMT", "2022-12-07T17:58:00+00:00"),
        ("Wed, 07 Dec 2022 17:58:00 -0000", "2022-12-07T17:58:00+00:00"),
        ("2018-12-05T08:30:00-05:00", "2018-12-05T08:30:00-05:00"),
        ("2018-12-05T13:30:00Z", "2018-12-05T13:30:00+00:00"),
        ("2018-12-10T20:15:00.000-05:00", "2018-12-10T20:15:00-05:00"),
        ("2022-12-11T20:58:00.003-05:00", "2022-12-11T20:58:00-05:00"),
        ("2018-12-05", "2018-12-05"),
        ("2018-12-05T08:30:00", "2018-12-05"),  # a time without a zone: only its day is known
        ("Wed, 05 Dec 2018 08:30:00", "2018-12-05"),
        ("Wed, 05 Dec 2018 8:30 -0500", "2018-12-05T08:30:00-05:00"),
        ("Sat, 11 Aug 1000 10:00:00 +0000", "1000-08-11T10:00:00+00:00"),
        ("1000-08-11", "1000-08-11"),
        ("Mié, 11 Ago 2021 10:00:00 GMT-5", "2021-08-11T10:00:00-05:00"),  # Latin CMSs' zones
        ("Wed, 11 Aug 2021 10:00 GMT-05:00", "2021-08-11T10:00:00-05:00"),
        ("Wed, 11 Aug 2021 10:00:00 UTC-0300", "2021-08-11T10:00:00-03:00"),
        ("Wed, 11 Aug 2021 10:00:00 GMT+5:30", "2021-08-11T10:00:00+05:30"),
        ("Wed, 11 Aug 2021 10:00:00 -05:00", "2021-08-11T10:00:00-05:00"),  # ISO's offset
        ("Wed, 11 Aug 2021 15:00:00 +0000 (UTC)", "2021-08-11T15:00:00+00:00"),  # a comment
        ("Wed, 11 Aug 2021 10:00:00 -0500 (PET)", "2021-08-11T10:00:00-05:00"),
    ],
)
def test_read_date(text: str, expected: str) -> None:
    found = read_date(text)
    assert found is not None
    assert found.isoformat() == expected


@pytest.mark.parametrize(
    "text",
    [
        "0000-00-00 00:00:00",
        "hace 2 horas",
        "{{ fecha_publicacion }}",
        "Wed, 05 Dec 2018 08:30:00 XYZ",  # a zone not in the table is not UTC
        "Wed, 31 Feb 2018",
        "Foo, 05 Dec 2018",
        "",
        "Wed, 05 Dec 2018 " + "0" * 100,
        "Wed, 05 Dec 18 08:30:00 -0500",  # a two-digit year: which century is a guess
        "Wed, 05 Dec 2018 08:30:00 +0575",  # 75 minutes is no offset, not +06:15
        "Wed, 05 Dec 2018 24:00:00 +0000",
        "Wed, 05 Dec ٢٠١٨ 08:30:00 +0000",  # digits of another script
        "Wed, 05 Dec 2018 08:30:00 GMT-25",
        "Wed, 05 Dec 2018 08:30:00 GMT-5:75",
        "Wed, 05 Dec 2018 08:30:00 -05:75",
        "Wed, 05 Dec 2018 08:30:00 -0500 (a comment far longer than any zone's name)",
    ],
)
def test_what_cannot_be_read_is_none(text: str) -> None:
    assert read_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 11 Aug 0000 10:00:00 -0500",  # was read as 2000
        "Wed, 11 Aug 0021 10:00:00 -0500",  # was read as 2021
        "Wed, 11 Aug 0099 10:00:00 -0500",  # was read as 1999
        "Wed, 11 Aug 0021 10:00:00 PET",
        "Wed, 11 Aug 0021",
        "Mié, 11 Ago 0021 10:00:00 -0500",
        "miércoles, 11 de agosto de 0021 10:00 -0500",
        "Qua, 11 Ago 0021 10:00:00 BRT",
        "Mer, 11 Août 0021 10:00:00 CET",
        "0021-08-11T10:00:00-05:00",
        "0021-08-11T15:00:00Z",
        "0021-08-11",
        "0000-08-11T10:00:00-05:00",
        "0999-12-31T23:59:59+00:00",
    ],
)
def test_a_year_written_with_a_leading_zero_is_unreadable_never_moved(text: str) -> None:
    assert read_date(text) is None


YEARS = st.integers(1, 9999)


@given(YEARS, st.sampled_from(["Wed, 11 Aug {:04d} 10:00:00 -0500", "{:04d}-08-11T10:00:00-05:00"]))
def test_a_date_is_in_the_year_written_or_unreadable(year: int, form: str) -> None:
    moment = read_date(form.format(year))
    assert (moment.year if moment else None) == (year if year >= EARLIEST_YEAR else None)


def test_every_named_zone_is_an_offset() -> None:
    for name, offset in ZONES.items():
        moment = read_date(f"05 Dec 2018 08:30:00 {name.upper()}")
        assert isinstance(moment, datetime), name
        assert moment.strftime("%z") == offset


MOMENTS = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0)
)
OFFSETS = st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@given(MOMENTS, OFFSETS)
def test_rfc_3339_reads_back_the_moment_and_offset(moment: datetime, offset: timezone) -> None:
    aware = moment.replace(tzinfo=offset)
    assert read_date(aware.isoformat()) == aware
    assert read_date(aware.isoformat()).utcoffset() == aware.utcoffset()  # type: ignore[union-attr]


@given(MOMENTS)
def test_rfc_822_in_english_reads_back_the_moment(moment: datetime) -> None:
    text = moment.replace(tzinfo=UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    assert read_date(text) == moment.replace(tzinfo=UTC)


@given(st.dates(min_value=date(EARLIEST_YEAR, 1, 1)))
def test_an_iso_date_is_a_date(day: date) -> None:
    assert read_date(day.isoformat()) == day


@given(st.dates(max_value=date(EARLIEST_YEAR - 1, 12, 31)))
def test_an_iso_date_before_the_year_1000_is_unreadable(day: date) -> None:
    assert read_date(day.isoformat()) is None


@given(st.text(max_size=80))
def test_any_text_is_a_moment_or_none_never_an_error(text: str) -> None:
    read_date(text)
