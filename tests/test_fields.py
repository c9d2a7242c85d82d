"""Value checks: each returns the clean value or says exactly what is wrong, and how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from peru_digest import fields as f

LIMA = ZoneInfo("America/Lima")
UTC = ZoneInfo("UTC")
URL_HINT = "write it like https://example.org/page"
DATE_HINT = "write an ISO date such as 2021-07-28 or 2021-07-28T09:30:00-05:00"
TEXT_HINT = "write the text after the colon, in quotes if it starts with [ or { or holds `: `"


def error_of(check: Callable[[Any], Any], value: Any) -> tuple[str, str]:
    with pytest.raises(f.FieldError) as raised:
        check(value)
    return raised.value.message, raised.value.hint


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("short", "'short'"),
        ("x" * 200, "'" + "x" * 79 + "…'"),
        (7, "7"),
        (10**200, "1" + "0" * 78 + "…"),
        ([1, 2], "a list"),
        ({"a": 1}, "a mapping"),
        (True, "true"),
        (False, "false"),
        (None, "empty"),
    ],
)
def test_a_value_is_shown_in_a_message_short_and_by_kind(value: Any, shown: str) -> None:
    assert f.shown(value) == shown


@pytest.mark.parametrize("value", ["Perú: ¿qué pasa?", "Votes & counts", 1984])
def test_one_line_of_text_is_accepted_and_trimmed(value: Any) -> None:
    assert f.text(f"  {value} ") == str(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("a\nb", ("must be one line", "join its lines into one")),
        ("a\r\nb", ("must be one line", "join its lines into one")),
        (
            "a\u2028b",
            (
                "holds an invisible line break, U+2028 LINE SEPARATOR",
                "delete it: it shows as nothing in most editors, so delete the character after "
                "the word before it, or write the line again",
            ),
        ),
        ("a\tb", ("contains a tab", "replace it with a space")),
        (
            "a\x01b",
            (
                "contains a control character (U+0001)",
                "delete it: it is invisible, and feeds cannot carry it",
            ),
        ),
        (
            "a\x85b",
            (
                "contains a control character (U+0085)",
                "delete it: it is invisible, and feeds cannot carry it",
            ),
        ),
        ("  ", ("must not be empty", "write the text after the colon")),
        (["a"], ("must be text, not a list", TEXT_HINT)),
    ],
    ids=["newline", "crlf", "line-separator", "tab", "control", "c1-control", "blank", "list"],
)
def test_a_title_name_or_id_is_one_line_without_control_characters(
    value: Any, error: tuple[str, str]
) -> None:
    assert error_of(f.text, value) == error


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u2800", "U+2800 BRAILLE PATTERN BLANK"),
        ("\u3164\u200d", "U+3164 HANGUL FILLER"),
        ("\u0301", "U+0301 COMBINING ACUTE ACCENT"),
    ],
)
def test_a_text_of_invisible_characters_alone_is_refused(value: str, named: str) -> None:
    """It would make an empty-looking headline or byline link, which no reader can click."""
    assert error_of(f.text, value) == (
        f"shows nothing: it holds only invisible characters ({named})",
        "write the text after the colon",
    )


@pytest.mark.parametrize("value", ["a\u200b", "🔥", "\u0645\u0635\u0631", "\ue000"])
def test_a_text_with_one_character_that_shows_is_kept(value: str) -> None:
    assert f.text(value) == value


def test_prose_may_run_over_lines_but_has_no_control_characters() -> None:
    assert f.prose("One line.\nAnother.") == "One line.\nAnother."
    assert error_of(f.prose, "a\x00b")[0] == "contains a control character (U+0000)"


def test_a_list_item_with_a_line_break_is_reported_with_the_hint() -> None:
    assert error_of(f.text_list, ["Ana", "Bo\nb"]) == (
        "item 2 must be one line",
        "join its lines into one",
    )


def test_each_wrong_item_of_a_list_is_a_fault_up_to_twenty() -> None:
    with pytest.raises(f.FieldError) as raised:
        f.text_list(["Ana", 1.5, "", *[[]] * 30])
    faults = [(fault.item, fault.message) for fault in raised.value.faults]
    assert faults[:3] == [(2, "item 3 must not be empty"), (3, "item 4 must be text, not a list"),
                          (4, "item 5 must be text, not a list")]  # fmt: skip
    assert len(faults) == f.MAX_ITEM_FAULTS


def test_a_byline_names_at_most_thirty_authors() -> None:
    names = [f"Reporter {n}" for n in range(f.MAX_AUTHORS + 1)]
    assert f.byline(names[:-1]) == tuple(names[:-1])
    assert error_of(f.byline, names) == (
        "lists 31 names; at most 30",
        "keep the article's own writers: each author named gets a page, which shows the whole "
        "byline",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/page?q=1#x",
        "http://ñandú.pe/",
        "https://[::1]/",
        "https://[2001:db8::1]:8080/x",
        "https://example.org:8443/",
        "https://www.example.org./x",
        "https://192.0.2.7/x",
        "https://xn--and-6ma2c.pe/",
        "https://例え.テスト/",
        "https://my_site.blogspot.com/",
        "https://a-b.example/" + "x" * 63,
    ],
)
def test_an_absolute_http_url_is_accepted(url: str) -> None:
    assert f.http_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1",
        "https://[not-an-address]/",
        "https://example.org:99999/",
        "https://example.org:port/",
        "https:///path",
        "ftp://example.org/",
        "/relative",
    ],
    ids=[
        "unclosed-ipv6",
        "bad-ipv6",
        "port-too-large",
        "port-not-a-number",
        "no-host",
        "ftp",
        "relative",
    ],
)
def test_a_url_that_is_not_absolute_http_is_refused_without_a_crash(url: str) -> None:
    assert error_of(f.http_url, url) == (f"must be an absolute http(s) URL, not {url!r}", URL_HINT)


@pytest.mark.parametrize(
    "url",
    [
        "https://a%20b.example/",
        "https://rpp..pe/x",
        "https://.pe/x",
        "https://-x-.pe/",
        "https://" + "x" * 64 + ".pe/",
        "https://300.300.300.300/",
        "https://1.2.3/",
        "https://0x7f.1/",
        "https://rpp.pe:0/x",
        "https://[::1]x/",
        "https://…/x",  # IDNA writes it "...": three empty name parts
        "https://a!b.pe/",
        "https://xn--a.com/",  # decodes to nothing
        "https://xn--zz-8ka.com/",  # decodes to "Āzz", whose ASCII form IDNA writes otherwise
    ],
    ids=[
        "percent",
        "empty-label",
        "empty-first-label",
        "hyphen-at-the-ends",
        "label-too-long",
        "ipv4-out-of-range",
        "ipv4-short",
        "ipv4-hex",
        "port-zero",
        "text-after-ipv6",
        "ellipsis",
        "punctuation",
        "empty-punycode",
        "punycode-of-no-idna-form",
    ],
)
def test_a_url_whose_host_browsers_and_python_may_read_apart_is_refused(url: str) -> None:
    assert error_of(f.http_url, url) == (
        f"must name a valid host, not {url!r}",
        "write it like https://example.org/page",
    )


def test_a_url_with_a_backslash_is_refused_as_browsers_read_it_as_a_slash() -> None:
    assert error_of(f.http_url, "https://rpp.pe\\@evil.com/") == (
        "must not contain a backslash, not 'https://rpp.pe\\\\@evil.com/'",
        "write / (a browser reads \\ as /)",
    )


@pytest.mark.parametrize("url", ["https://user@example.org/", "https://rpp.pe:x@evil.test/"])
def test_a_url_with_a_user_name_or_password_is_refused(url: str) -> None:
    assert error_of(f.http_url, url) == (
        f"must not contain a user name or password, not {url!r}",
        "write the address without `…@`",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://example.org/digest/?utm_source=x",
            "must not have a query (`?…`) or a fragment (`#…`), not "
            "'https://example.org/digest/?utm_source=x'",
        ),
        (
            "https://example.org/#top",
            "must not have a query (`?…`) or a fragment (`#…`), not 'https://example.org/#top'",
        ),
        (
            'https://example.org/"><script>/',
            "must not contain '\"', not 'https://example.org/\"><script>/'",
        ),
        ("https://ñandú.pe/perú/", "must be written in ASCII, not 'https://ñandú.pe/perú/'"),
        ("https://example.org/a|b/", "must not contain '|', not 'https://example.org/a|b/'"),
    ],
    ids=["query", "fragment", "quote", "not-ascii", "bar"],
)
def test_a_site_address_takes_nothing_that_would_break_the_addresses_written_after_it(
    url: str, message: str
) -> None:
    assert error_of(f.site_url, url)[0] == message
    assert error_of(f.site_url, "https://x.org/perú/")[1] == (
        "write it as sitemaps and feeds need it: https://x.org/per%C3%BA/"
    )
    assert error_of(f.site_url, "https://ñandú.pe/perú/")[1] == (
        "write its host in the `xn--` form a browser's address bar shows, its path /per%C3%BA/"
    )
    assert f.site_url("https://example.org/peru-digest/") == "https://example.org/peru-digest/"


@pytest.mark.parametrize("url", ["https://exa mple.org/", "https://example.org/a b"])
def test_a_url_with_a_space_is_refused(url: str) -> None:
    assert error_of(f.http_url, url) == (
        f"must not contain spaces or control characters, not {url!r}",
        "write a space in a path as %20; a host name has none",
    )


def test_a_url_with_a_line_break_is_refused() -> None:
    assert error_of(f.http_url, "https://example.org/\nhttps://evil.test/")[0] == (
        "must be one line"
    )


def test_a_long_url_is_quoted_short() -> None:
    url = "ftp://" + "x" * 500
    assert error_of(f.http_url, url)[0] == (
        "must be an absolute http(s) URL, not '" + url[:79] + "…'"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "en", "es", "pt-BR", "es-419", "zh-Hant-TW", "de-CH-1996",
        "ay", "qu", "cni",  # Aymara, Quechua, Asháninka: CLDR has no data for two of them
        "x-klingon", "qaa", "iw",  # private use, ISO's local range, an old code
    ],
)  # fmt: skip
def test_a_bcp_47_language_tag_is_accepted(tag: str) -> None:
    assert f.language_tag(tag) == tag


@pytest.mark.parametrize(
    ("tag", "message", "hint"),
    [
        ("english", "names no language: 'english'", "did you mean `en`?"),
        ("Spanish", "names no language: 'Spanish'", "did you mean `es`?"),
        ("español", "must be a language tag, not 'español'", "did you mean `es`?"),
        ("xx", "names no language: 'xx'", "write a BCP 47 tag such as en, es or pt-BR"),
        ("zz-Latn", "names no language: 'zz-Latn'", "write a BCP 47 tag such as en, es or pt-BR"),
        ("pt_BR", "must be a language tag, not 'pt_BR'", "write it with hyphens: `pt-BR`"),
    ],
)
def test_a_word_or_a_code_no_language_has_is_refused_with_what_to_write(
    tag: str, message: str, hint: str
) -> None:
    assert error_of(f.language_tag, tag) == (message, hint)


@pytest.mark.parametrize("tag", ["en-", "../../x", "a/b", "123", "e" * 300])
def test_anything_else_is_not_a_language(tag: str) -> None:
    assert error_of(f.language_tag, tag) == (
        f"must be a language tag, not {f.shown(tag)}",
        "write a BCP 47 tag such as en, es or pt-BR",
    )


def test_a_slug_may_not_be_longer_than_a_folder_name_allows() -> None:
    assert f.slug("a" * 200) == "a" * 200
    assert error_of(f.slug, "a" * 300) == (
        "must be at most 200 characters, not 300",
        "shorten it: it names a folder, and file systems allow 255 bytes",
    )


def test_a_long_slug_that_is_not_a_slug_is_quoted_short() -> None:
    message, hint = error_of(f.slug, "Not A Slug " * 100)
    assert message == "must be a slug, not '" + ("Not A Slug " * 8)[:79] + "…'"
    assert hint == "write it as `" + ("not-a-slug-" * 8)[:79] + "…`"


def test_a_date_without_an_offset_is_in_the_site_time_zone() -> None:
    assert f.moment("2021-07-28", LIMA) == datetime(2021, 7, 28, tzinfo=LIMA)


def test_a_date_that_overflows_with_its_offset_is_out_of_range() -> None:
    value = "9999-12-31T23:00:00-05:00"
    assert error_of(lambda v: f.moment(v, LIMA), value) == (
        f"is out of range: {value}",
        "write a date between the years 1000 and 9999 both in UTC and in America/Lima",
    )


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        ("0021-07-28", UTC),  # 2021 with its century lost, taken for the year 21
        ("0021-07-28", LIMA),  # not "too early for Lima", which hid the slip
        ("0999-12-31T23:59:59+00:00", UTC),
        ("0001-01-01T00:00:00+14:00", LIMA),
    ],
)
def test_a_year_before_1000_is_a_slip_named_as_one(value: str, zone: ZoneInfo) -> None:
    shown = datetime.fromisoformat(value).isoformat()
    assert error_of(lambda v: f.moment(v, zone), value) == (
        f"has a year before 1000: {shown}",
        "write the year with its four digits, such as 2021",
    )


@pytest.mark.parametrize(
    ("value", "offset"),
    [("1889-12-31", "-05:08:12"), ("1900-06-01T12:00:00+00:00", "-05:08:36")],
)
def test_a_date_from_before_lima_kept_standard_time_cannot_go_in_feeds(
    value: str, offset: str
) -> None:
    assert error_of(lambda v: f.moment(v, LIMA), value) == (
        f"is too early for America/Lima: its offset then, {offset}, has seconds",
        "feeds need offsets in whole minutes; use a later date",
    )


@pytest.mark.parametrize(
    "value",
    ["2021-07-28", "2021-07-28T09:30", "2021-07-28 09:30:00", "2021-07-28T09:30:00.5Z",
     "2021-07-28T09:30:00-05:00", "2021-07-28T09:30:00-0500", "2021-07-28t09:30+05"],
)  # fmt: skip
def test_a_calendar_date_is_read_with_a_time_and_an_offset_if_any(value: str) -> None:
    assert f.moment(value, LIMA).date() == date(2021, 7, 28)


@pytest.mark.parametrize("value", ["2021-W30", "2021-W30-3", "2021-209", "20210728", "2021-07"])
def test_a_week_a_day_of_the_year_or_a_date_without_dashes_is_not_a_date(value: str) -> None:
    assert error_of(lambda v: f.moment(v, LIMA), value) == (
        f"is not a valid date: {value!r}",
        DATE_HINT,
    )


def test_lima_dates_from_standard_time_on_are_accepted() -> None:
    assert f.moment("1908-07-29", LIMA).utcoffset() is not None


def test_a_date_that_is_not_a_date_is_shown_short() -> None:
    assert error_of(lambda v: f.moment(v, LIMA), "x" * 100) == (
        "is not a valid date: '" + "x" * 79 + "…'",
        DATE_HINT,
    )
    assert error_of(lambda v: f.moment(v, LIMA), ["2021-01-01"]) == (
        "is not a valid date: a list",
        DATE_HINT,
    )


def test_a_number_that_is_not_a_count_is_shown_by_kind() -> None:
    assert error_of(f.positive_int, [1] * 1000) == (
        "must be a whole number of at least 1, not a list",
        "write a number such as 20, without quotes",
    )


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_a_direction_control_in_a_name_or_title_is_refused(control: str) -> None:
    assert error_of(f.text, f"Invoice {control}gnp.exe") == (
        f"contains a direction control (U+{ord(control):04X}), which turns the text after it"
        " around, past the field's end on a page",
        "delete it: right-to-left writing shows as it should without it",
    )
    assert f.text("مرحبا بالعالم") == "مرحبا بالعالم"  # right-to-left writing itself is text


@pytest.mark.parametrize("character", ['"', "<", ">", "`"])
def test_a_url_with_what_ends_an_attribute_or_a_tag_is_refused(character: str) -> None:
    url = f"https://example.com/a?b={character}2"
    assert error_of(f.http_url, url) == (
        f"must not contain {character!r}, not {url!r}",
        'write it percent-encoded (%22 for ", %3C for <, %3E for >), as browsers send it',
    )
