"""A feed's mislabelled encoding mended: what outlets' servers and content systems get wrong."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.importers.encoding import Repaired, repaired

DECLARED_UTF8 = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@given(st.text())
def test_valid_utf_8_is_left_as_it_is(text: str) -> None:
    data = DECLARED_UTF8 + text.encode("utf-8")
    assert repaired(data, "application/rss+xml") == Repaired(data, "application/rss+xml")


LATIN_1_BUT_C1 = st.characters(max_codepoint=0xFF).filter(lambda c: not "\x80" <= c <= "\x9f")


@given(st.text(LATIN_1_BUT_C1, min_size=1))
def test_a_feed_that_declares_latin_1_is_feedparsers_to_read(text: str) -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + text.encode("latin-1")
    assert repaired(data, "text/xml; charset=utf-8") == Repaired(data, "text/xml; charset=utf-8")


@pytest.mark.parametrize(
    ("declaration", "content_type"),
    [
        (b'<?xml version="1.0" encoding="ISO-8859-1"?>', "text/xml"),
        (b"", "application/rss+xml; charset=iso-8859-1"),
        (b"<?xml version='1.0' encoding='us-ascii'?>", "text/xml"),
    ],
)
def test_latin_1_with_windows_1252_punctuation_is_read_as_browsers_read_it(
    declaration: bytes, content_type: str
) -> None:
    """WHATWG: the label ISO-8859-1 is Windows-1252, whose 0x85 is "…" (in ISO-8859-1 an
    invisible control, which took the ellipsis off "dijo que…")."""
    data = declaration + "<rss><title>Dijo que\u2026 “no”</title></rss>".encode("cp1252")
    found = repaired(data, content_type)
    assert found.data.endswith("<rss><title>Dijo que… “no”</title></rss>".encode())
    assert b"ISO-8859-1" not in found.data and b"us-ascii" not in found.data
    assert found.content_type in {"text/xml", "application/rss+xml"}
    assert found.warning.endswith("but holds Windows-1252 punctuation: it was read so")


def test_a_one_byte_charset_the_bytes_agree_with_is_the_servers_to_say() -> None:
    data = "<rss><title>Minería</title></rss>".encode("latin-1")
    assert repaired(data, "text/xml; charset=ISO-8859-1") == Repaired(
        data, "text/xml; charset=ISO-8859-1"
    )


def test_utf_8_said_to_be_windows_1252_is_read_as_utf_8() -> None:
    data = DECLARED_UTF8 + "<rss><title>Minería</title></rss>".encode()
    assert repaired(data, 'application/xml; charset="windows-1252"') == Repaired(
        data,
        "application/xml",
        "the server says the feed is windows-1252, but it is UTF-8: it was read as UTF-8",
    )


def test_ascii_said_to_be_latin_1_needs_no_word() -> None:
    data = DECLARED_UTF8 + b"<rss><title>Lima</title></rss>"
    assert repaired(data, "text/xml; charset=latin1").warning == ""


def test_utf_16_with_its_mark_is_feedparsers_to_read() -> None:
    data = codecs.BOM_UTF16_LE + "<rss><title>Perú</title></rss>".encode("utf-16-le")
    assert repaired(data, "") == Repaired(data, "")


def test_a_byte_that_is_no_utf_8_is_read_as_windows_1252_and_only_that_byte() -> None:
    data = DECLARED_UTF8 + "<t>Año, según él, más ".encode() + b"\x93cifras\x94 \x81</t>"
    mended = repaired(data, "text/xml; charset=utf-8")
    assert mended.data.decode("utf-8") == (
        DECLARED_UTF8.decode() + "<t>Año, según él, más “cifras” \ufffd</t>"
    )
    assert mended.content_type == "text/xml"
    assert mended.warning == "the feed is not valid UTF-8: 3 bytes were read as Windows-1252"


def test_a_feed_in_windows_1252_all_through_is_read_whole_as_windows_1252() -> None:
    """Read byte by byte, "PERÚ»" would keep Ú» as one UTF-8 letter (ڻ)."""
    text = "<t>«CRISIS EN EL PERÚ» según el Congreso</t>"
    mended = repaired(DECLARED_UTF8 + text.encode("cp1252"), "text/xml; charset=utf-8")
    assert mended == Repaired(
        (DECLARED_UTF8.decode() + text).encode("utf-8"),
        "text/xml",
        "the feed says it is UTF-8, but it is Windows-1252: it was read so",
    )


def test_a_capital_then_a_quote_pasted_into_a_utf_8_feed_are_two_windows_1252_bytes() -> None:
    """Its bytes xda x94 are valid UTF-8 (ڔ); in a feed holding Windows-1252 bytes, "Ú”"."""
    pasted = b"Campa\xf1a \x93MARCA PER\xda\x94</t>"
    data = DECLARED_UTF8 + "<t>Año y situación: ".encode() + pasted
    mended = repaired(data, "")
    assert mended.data.decode("utf-8").endswith("Campaña “MARCA PERÚ”</t>")
    assert mended.warning == "the feed is not valid UTF-8: 4 bytes were read as Windows-1252"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (b"\x93Per\xc3\xba\x94 en crisis", "“Perú” en crisis"),  # more quotes than letters
        (b"\x93Per\xc3\xba\x94 y \x93Mar\xc3\xada\x94", "“Perú” y “María”"),
        (b"El \x93caso\x94 \x97 sin tildes\x85", "El “caso” — sin tildes…"),
    ],
)
def test_words_quotes_dashes_and_ellipses_are_read_alone_however_few_letters_there_are(
    written: bytes, read: str
) -> None:
    mended = repaired(DECLARED_UTF8 + written, "")
    assert mended.data.decode("utf-8") == DECLARED_UTF8.decode() + read


# Words of the scripts a Peruvian outlet's world news prints, some of whose letters are the
# bytes of a capital of Spanish then Windows-1252 punctuation (р is xd1 x80, ə xc9 x99).
WORDS = st.sampled_from([
    "Владимир", "Путин", "с", "я", "Байденом", "Κυριάκος", "Μητσοτάκης", "چابهار", "[ˈpəɾu]",
    "Gəncə", "Məmmədov", "Perú", "PERÚ", "año", "ÑANDÚ", "ÉL", "Ωмега", "ɐ", "Ӂ",
])  # fmt: skip
PUNCTUATION = st.sampled_from([b" ", b"\x93", b"\x94", b" \x93", b"\x94 ", b"\x85 ", b" \x97 "])


@given(st.lists(st.tuples(WORDS, PUNCTUATION), min_size=1, max_size=12))
def test_only_bytes_that_are_not_utf_8_are_read_as_windows_1252(
    words: list[tuple[str, bytes]],
) -> None:
    """Word's quotes pasted as Windows-1252 bytes into a UTF-8 feed: every letter of every
    script stays as it was written, and only the quotes' bytes are counted."""
    data = b"".join(word.encode("utf-8") + after for word, after in words)
    mended = repaired(DECLARED_UTF8 + b"<t>" + data + b"</t>", "")
    expected = "".join(word + after.decode("cp1252") for word, after in words)
    assert mended.data.decode("utf-8") == f"{DECLARED_UTF8.decode()}<t>{expected}</t>"
    odd = sum(byte >= 0x80 for _, after in words for byte in after)
    if odd:
        bytes_were = "byte was" if odd == 1 else "bytes were"
        assert (
            mended.warning
            == f"the feed is not valid UTF-8: {odd} {bytes_were} read as Windows-1252"
        )


def test_cyrillic_in_a_feed_with_windows_1252_quotes_stays_cyrillic() -> None:
    """р-я (xd1 x80-x9f) are Ñ then punctuation in Windows-1252: read so, Путин was ПÑƒÑ‚ин."""
    data = "<t>Castillo habló con Владимир Путин y dijo ".encode() + b"\x93vacunas ya\x94</t>"
    mended = repaired(DECLARED_UTF8 + data, "")
    assert mended.data.decode("utf-8").endswith(
        "<t>Castillo habló con Владимир Путин y dijo “vacunas ya”</t>"
    )
    assert mended.warning == "the feed is not valid UTF-8: 2 bytes were read as Windows-1252"
