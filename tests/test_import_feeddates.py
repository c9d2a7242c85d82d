"""Dates as outlets write them: offsets kept, unknown zones and relative dates unreadable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    ],
)
def test_what_cannot_be_read_is_none(text: str) -> None:
    assert read_date(text) is None


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


@given(st.dates(min_value=date(1, 1, 1)))
def test_an_iso_date_is_a_date(day: date) -> None:
    assert read_date(day.isoformat()) == day


@given(st.text(max_size=80))
def test_any_text_is_a_moment_or_none_never_an_error(text: str) -> None:
    read_date(text)
