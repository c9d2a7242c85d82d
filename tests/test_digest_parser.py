"""The digest text format: what parse_digest reads and rejects, and the format round trip."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peru_digest.digesttext import (
    DigestItem,
    bare_title,
    format_byline,
    format_digest,
    parse_byline,
    parse_digest,
)
from peru_digest.errors import DigestError, Problem
from peru_digest.importers.bylines import CONJUNCTIONS, without_lead_in
from peru_digest.inputfile import editor_lines

DIGESTS = Path(__file__).resolve().parent / "fixtures" / "digests"
WRITE_BYLINE = "write it as: By AUTHORS, SOURCE. -"
ADD_BYLINE = "add a byline on the line after the title: By AUTHORS, SOURCE. -"
ADD_TITLE = "put the article's title on its own line, after a blank line, just before the byline"
ADD_EXCERPT = "add the article's opening paragraph after its byline"
REMOVE_LEADING_TEXT = (
    "remove it, or if it is a title, add its byline below it: By AUTHORS, SOURCE. -"
)
SEPARATE_AUTHORS = 'separate authors with commas or "and": By A, B and C, SOURCE. -'


def read(name: str) -> str:
    """A fixture digest, decoded but otherwise untouched (newline=\"\" keeps \\r)."""
    with (DIGESTS / name).open(encoding="utf-8", newline="") as file:
        return file.read()


def parse_fixture(name: str) -> list[DigestItem]:
    return parse_digest(read(name), name)


def problems_in(name: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(DigestError) as caught:
        parse_fixture(name)
    assert all(problem.path == name for problem in caught.value.problems)
    return [(problem.line, problem.message, problem.hint) for problem in caught.value.problems]


# --- the real digest ------------------------------------------------------------------------

SEED_ITEMS = [
    ("Peru: ‘This Is The Beginning Of A Soft Coup’", ("Sengo Perez",), "Workers World"),
    ("ALBA Movements Issue Alert Over Coup Attempt In Peru", (), "Kawsachun News"),
    ("Peru: A Coup Brewing", ("Ángel Guerra Cabrera",), "Orinoco Tribune"),
    ("Perú On The Lima Group", ("Mision Verdad",), "Orinoco Tribune"),
    ("Bolivia And Peru Open ‘Binational Cabinet’ With Social Movements", (), "Kawsachun News"),
    (
        "Peru’s Socialist President, Pedro Castillo, In His Own Words",
        ("Pedro Castillo",),
        "Progressive International",
    ),
    (
        "Arce-Castillo Socialist Alliance For South America, Part II",
        ("Oliver Boyd-Barrett",),
        "Popular Resistance",
    ),
    (
        "Arce-Castillo Socialist Alliance For South America, Part I",
        ("Oliver Boyd-Barrett",),
        "Popular Resistance",
    ),
    ("Pedro Castillo Has Been Elected President Of Peru", ("Staff",), "Kawsachun News"),
    (
        "Dirty Tricks Campaign In Peru To Deny The Left’s Presidential Victory",
        ("José Carlos Llerena Robles", "Vijay Prashad"),
        "Green Left",
    ),
    ("Peru: Journalist Warns Of Bolivia-Style Coup After The Election", (), "Telesur English"),
    ("Pedro Castillo’s Victory Raises Hopes Beyond Peru", ("Steve Ellner",), "Orinoco Tribune"),
    ("A Peasant-Teacher Just Won The Peruvian Elections", ("Matt Kirkegaard",), "Novara Media"),
    (
        "Will Keiko Fujimori Burn The Country Down Before Accepting Defeat?",
        ("Daniel Espinosa",),
        "The Grayzone",
    ),
    (
        "Peru Electoral Authorities Extend Deadline For Fujimori Fraud Claims",
        (),
        "Kawsachun News",
    ),
]


def test_the_seed_digest_has_fifteen_items_with_their_titles_authors_and_sources() -> None:
    items = parse_fixture("seed_peru_2021.txt")
    assert [(item.title, item.authors, item.source) for item in items] == SEED_ITEMS


def test_each_seed_item_remembers_the_line_of_its_title() -> None:
    items = parse_fixture("seed_peru_2021.txt")
    assert [item.line for item in items] == list(range(1, 86, 6))


def test_seed_excerpts_are_kept_exactly() -> None:
    items = parse_fixture("seed_peru_2021.txt")
    assert items[0].excerpt == (
        "People are afraid. People have a very reverent attitude toward the Armed Forces, which "
        "are understood as guardian institutions of the nation. But a nation does not have "
        "tutelage; a democracy does [...]"
    )
    assert items[-1].excerpt == (
        "Peru’s National Elections Court (Jurado Nacional de Elecciones, JNE) has extended the "
        "deadline for presenting motions to nullify votes. The move will benefit far-right "
        "candidate Keiko Fujimori [...]"
    )
    assert all(item.excerpt.endswith(" [...]") for item in items)


def test_non_breaking_spaces_are_kept_in_excerpts_and_ignored_in_bylines() -> None:
    items = parse_fixture("seed_peru_2021.txt")
    assert "Coming out of the meeting Arce\u00a0stated, “In a meeting" in items[4].excerpt
    assert items[13].excerpt.startswith("Lima, Peru\u00a0– Keiko Fujimori")
    assert (items[4].authors, items[4].source) == ((), "Kawsachun News")
    assert (items[12].authors, items[12].source) == (("Matt Kirkegaard",), "Novara Media")


def test_the_seed_survives_a_format_and_parse_round_trip() -> None:
    items = parse_fixture("seed_peru_2021.txt")
    assert parse_digest(format_digest(items), "again.txt") == items


# --- robustness: the same two items, however the text is laid out ----------------------------

COUP_BREWING = DigestItem(
    "Peru: A Coup Brewing",
    ("Ángel Guerra Cabrera",),
    "Orinoco Tribune",
    "The onslaught of the Peruvian right wing against the government of President Pedro "
    "Castillo Terrones began long before he was proclaimed president after many delays—it "
    "began when his passage to [...]",
)
ALBA_ALERT = DigestItem(
    "ALBA Movements Issue Alert Over Coup Attempt In Peru",
    (),
    "Kawsachun News",
    "ALBA Movimientos is issuing an alert of a coup underway against the government of Pedro "
    "Castillo in Peru and is calling for international solidarity [...]",
)


@pytest.mark.parametrize(
    "name",
    [
        "crlf_line_ends.txt",
        "lone_cr_line_ends.txt",
        "bom_and_nbsp.txt",
        "no_final_newline.txt",
        "extra_blank_lines_and_trailing_spaces.txt",
    ],
)
def test_layout_variations_parse_to_the_same_items(name: str) -> None:
    assert parse_fixture(name) == [COUP_BREWING, ALBA_ALERT]


def test_the_layout_fixtures_really_contain_what_they_are_named_for() -> None:
    assert b"\r\n" in (DIGESTS / "crlf_line_ends.txt").read_bytes()
    lone_cr = (DIGESTS / "lone_cr_line_ends.txt").read_bytes()
    assert b"\r" in lone_cr
    assert b"\n" not in lone_cr
    bom_and_nbsp = read("bom_and_nbsp.txt")
    assert bom_and_nbsp.startswith("\ufeff")
    assert "\u00a0" in bom_and_nbsp
    assert "\u202f" in bom_and_nbsp
    assert not read("no_final_newline.txt").endswith("\n")


def test_line_numbers_count_the_extra_blank_lines() -> None:
    items = parse_fixture("extra_blank_lines_and_trailing_spaces.txt")
    assert [item.line for item in items] == [4, 13]


def test_an_excerpt_keeps_its_paragraphs_and_line_breaks() -> None:
    first, second = parse_fixture("multi_paragraph_excerpt.txt")
    assert first.excerpt == (
        "Peru’s presidential campaign between leftist Pedro Castillo and right-wing Keiko Fujimori"
        "\nhas been an epic struggle."
        "\n\nWhen it was clear that Castillo would win with a razor-thin margin, Fujimori — [...]"
    )
    assert second == ALBA_ALERT


def test_authors_may_be_joined_with_or_without_an_oxford_comma() -> None:
    items = parse_fixture("oxford_comma_authors.txt")
    assert [(item.authors, item.source) for item in items] == [
        (("José Carlos Llerena Robles", "Vijay Prashad", "Tings Chak"), "Green Left"),
        (("Ana Ruiz", "Luis Quispe", "Staff"), "Telesur English"),
    ]


def test_a_byline_may_end_with_any_dash_and_any_spacing_after_the_full_stop() -> None:
    items = parse_fixture("dash_variants.txt")
    assert [(item.authors, item.source) for item in items] == [
        ((), "Kawsachun News"),
        (("Steve Ellner",), "Orinoco Tribune"),
        (("Matt Kirkegaard",), "Novara Media"),
    ]


def test_title_byline_and_excerpt_need_no_blank_lines_between_them() -> None:
    items = parse_fixture("byline_directly_under_title.txt")
    assert [(item.title, item.source, item.line) for item in items] == [
        ("Peru: A Coup Brewing", "Orinoco Tribune", 1),
        ("ALBA Movements Issue Alert Over Coup Attempt In Peru", "Kawsachun News", 5),
    ]
    assert items[1].excerpt == "ALBA Movimientos is issuing an alert of a coup underway [...]"


def test_a_byline_an_e_mail_program_wrapped_onto_two_lines_is_one_byline() -> None:
    items = parse_fixture("byline_wrapped_at_72_columns.txt")
    assert [(item.title, item.authors, item.source, item.line) for item in items] == [
        (
            "Peru: A Coup Brewing",
            ("Ana Ruiz Quispe", "Luis Mamani Condori", "Rosa Huamán", "Carlos León Prado"),
            "Orinoco Tribune",
            1,
        ),
        (
            "ALBA Movements Issue Alert Over Coup Attempt In Peru",
            ("Ana Ruiz Quispe", "Luis Mamani Condori", "Rosa Huamán"),
            "Kawsachun News",
            8,
        ),
    ]
    assert items[1].excerpt == "ALBA Movimientos is issuing an alert of a coup underway [...]"


def test_a_short_byline_or_one_ending_in_a_full_stop_or_dash_was_not_wrapped() -> None:
    for byline in (
        "By Sengo Perez, Workers World.",
        "By Sengo Perez, Workers World -",
        "By Sengo Perez, Workers World",  # too short to have been wrapped
    ):
        text = f"Title\n\n{byline}\nPeople are afraid. -\n\nMore [...]\n"
        with pytest.raises(DigestError) as raised:
            parse_digest(text, "d.txt")
        assert [problem.line for problem in raised.value.problems] == [3]


# --- malformed digests: every problem, exactly worded ----------------------------------------


def test_an_empty_digest_has_no_articles() -> None:
    assert problems_in("empty.txt") == [
        (None, "no articles found", "start with a title line, then By AUTHORS, SOURCE. -"),
    ]


def test_a_title_without_a_byline() -> None:
    assert problems_in("title_without_byline.txt") == [
        (
            7,
            "'Peru Electoral Authorities Extend Deadline For Fujimori Fraud Claims' has no byline",
            ADD_BYLINE,
        ),
    ]


def test_a_byline_without_a_title() -> None:
    assert problems_in("byline_without_title.txt") == [
        (1, "byline has no title before it: 'By Kawsachun News. -'", ADD_TITLE),
    ]


def test_a_byline_right_after_another_byline() -> None:
    assert problems_in("byline_after_byline.txt") == [
        (5, "byline has no title before it: 'By Kawsachun News. -'", ADD_TITLE),
    ]


def test_a_byline_missing_its_dash() -> None:
    assert problems_in("byline_missing_dash.txt") == [
        (3, "byline must end with \". -\": 'By Sengo Perez, Workers World.'", WRITE_BYLINE),
    ]


def test_a_byline_with_its_excerpt_on_the_same_line_asks_for_a_line_break() -> None:
    text = "Title\n\nBy Ana Ruiz, Reuters. – The cabinet fell on Monday [...]\n"
    with pytest.raises(DigestError) as raised:
        parse_digest(text, "d.txt")
    assert [(p.line, p.message, p.hint) for p in raised.value.problems] == [
        (
            3,
            'byline must end with ". -": '
            "'By Ana Ruiz, Reuters. – The cabinet fell on Monday [...]'",
            'start the excerpt on the line after the byline, after its ". –"',
        )
    ]


def test_a_byline_without_a_source() -> None:
    assert problems_in("byline_without_source.txt") == [
        (3, "byline has no source: 'By Sengo Perez, . -'", WRITE_BYLINE),
    ]


def test_a_byline_with_an_empty_author_between_commas() -> None:
    assert problems_in("byline_with_empty_author.txt") == [
        (3, "byline has an empty author: 'By Sengo Perez, , Workers World. -'", SEPARATE_AUTHORS),
    ]


def test_items_without_an_excerpt_in_the_middle_and_at_the_end() -> None:
    assert problems_in("item_without_excerpt.txt") == [
        (1, "'Peru: ‘This Is The Beginning Of A Soft Coup’' has no excerpt", ADD_EXCERPT),
        (11, "'ALBA Movements Issue Alert Over Coup Attempt In Peru' has no excerpt", ADD_EXCERPT),
    ]


def test_text_before_the_first_title_is_reported_once() -> None:
    assert problems_in("text_before_first_title.txt") == [
        (1, "text before the first title: 'Peru Digest, August 2021'", REMOVE_LEADING_TEXT),
    ]


def test_every_problem_is_reported_in_one_run_sorted_by_line() -> None:
    assert problems_in("several_problems.txt") == [
        (1, "text before the first title: 'Peru Digest, August 2021'", REMOVE_LEADING_TEXT),
        (
            9,
            "'Peru Electoral Authorities Extend Deadline For Fujimori Fraud Claims' has no byline",
            ADD_BYLINE,
        ),
        (15, "byline must end with \". -\": 'By Sengo Perez, Workers World -'", WRITE_BYLINE),
        (21, "byline has no source: 'By Staff, . -'", WRITE_BYLINE),
        (31, "byline has no title before it: 'By Telesur English. -'", ADD_TITLE),
        (
            35,
            "byline has an empty author: 'By José Carlos Llerena Robles and , Green Left. -'",
            SEPARATE_AUTHORS,
        ),
        (
            39,
            "'Bolivia And Peru Open ‘Binational Cabinet’ With Social Movements' has no excerpt",
            ADD_EXCERPT,
        ),
    ]


def test_the_error_text_names_path_line_message_and_hint() -> None:
    with pytest.raises(DigestError) as caught:
        parse_fixture("byline_without_source.txt")
    assert str(caught.value) == (
        "byline_without_source.txt:3: byline has no source: 'By Sengo Perez, . -'\n"
        "  hint: write it as: By AUTHORS, SOURCE. -"
    )


def test_long_text_is_shortened_in_messages() -> None:
    title = "A" * 100
    with pytest.raises(DigestError) as caught:
        parse_digest(f"{title}\n\nBy X, Y. -\n", "long.txt")
    assert caught.value.problems == [
        Problem("long.txt", 1, f"'{'A' * 79}…' has no excerpt", ADD_EXCERPT),
    ]


# --- bylines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Kawsachun News. -", ((), "Kawsachun News")),
        ("By Kawsachun News.-", ((), "Kawsachun News")),
        ("By Staff, Kawsachun News. –", (("Staff",), "Kawsachun News")),
        ("By\u00a0Mision Verdad, Orinoco Tribune . —", (("Mision Verdad",), "Orinoco Tribune")),
        ("  By Ana Ruiz and Luis Mamani, X. -  ", (("Ana Ruiz", "Luis Mamani"), "X")),
        ("By A, Luis Mamani and Rosa Huamán, X. -", (("A", "Luis Mamani", "Rosa Huamán"), "X")),
        ("By A, B, and C, X. -", (("A", "B", "C"), "X")),
        ("By A and B, X. -", (("A and B",), "X")),  # one word each: perhaps one compound name
        ("By Ana Ruiz and Staff, X. -", (("Ana Ruiz", "Staff"), "X")),  # a desk is a name
        (
            "By Ana Quispe & Luis Mamani; Rosa Huamán, X. -",
            (("Ana Quispe", "Luis Mamani", "Rosa Huamán"), "X"),
        ),
        ("By Sandra Andes, X. -", (("Sandra Andes",), "X")),
        ("Peru: A Coup Brewing", None),
        ("By Sengo Perez, Workers World -", None),  # no full stop: prose may end so
        ("By Sengo Perez, Workers World. --", (("Sengo Perez",), "Workers World")),
        ("BY MARCO AQUINO, REUTERS. -", (("MARCO AQUINO",), "REUTERS")),  # newsletters' capitals
        ("By: Marco Aquino, Reuters. -", (("Marco Aquino",), "Reuters")),
        ("By Jane Doe, Reuters U.S. -", (("Jane Doe",), "Reuters U.S.")),  # the stop is the name's
        ("By Jane Doe, Reuters U.S.. -", (("Jane Doe",), "Reuters U.S.")),
        ("by Marco Aquino, Reuters. -", None),  # lower case: an excerpt's line, written back
        ("Bypass Evitamiento, Lima. -", None),
        ("By Sengo Perez, Workers World.", None),
        ("By Sengo Perez, . -", None),
        ("By . -", None),
        ("By A, , X. -", None),
        ("By A and , X. -", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[tuple[str, ...], str] | None) -> None:
    assert parse_byline(line) == expected


def test_a_known_source_may_contain_a_comma_and_the_longest_one_wins() -> None:
    known = ["Inc", "Dispatch, Inc", "Peoples Dispatch, Inc"]
    line = "By Ana Ruiz, Peoples Dispatch, Inc. -"
    assert parse_byline(line, known) == (("Ana Ruiz",), "Peoples Dispatch, Inc")
    assert parse_byline("By Peoples Dispatch, Inc. -", known) == ((), "Peoples Dispatch, Inc")
    assert parse_byline(line) == (("Ana Ruiz",), "Peoples Dispatch, Inc.")  # see below


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Ana Ruiz, Reuters, Inc. -", (("Ana Ruiz",), "Reuters, Inc.")),
        ("By Reuters, Inc. -", ((), "Reuters, Inc.")),
        ("By Ana Ruiz, Reuters Inc. -", (("Ana Ruiz",), "Reuters Inc.")),
        ("By Ana Ruiz, Reuters, Inc.. -", (("Ana Ruiz",), "Reuters, Inc.")),
        ("By Ana Ruiz, Dow Jones & Co. -", (("Ana Ruiz",), "Dow Jones & Co.")),
        ("By Ana Ruiz, Dow Jones and Co. -", (("Ana Ruiz",), "Dow Jones and Co.")),
        (
            "By Ana Ruiz, Empresa Editora El Comercio, S.A. -",
            (("Ana Ruiz",), "Empresa Editora El Comercio, S.A."),
        ),
        ("By Ana Ruiz, Grupo RPP, S.A.C. -", (("Ana Ruiz",), "Grupo RPP, S.A.C.")),
        ("By Ana Ruiz, Axel Springer, SE. -", (("Ana Ruiz",), "Axel Springer, SE")),
        ("By Ana Ruiz, The Guardian, Ltd. -", (("Ana Ruiz",), "The Guardian, Ltd.")),
        ("By Ana Ruiz, Medios, LLC. -", (("Ana Ruiz",), "Medios, LLC")),
        ("By Ana Ruiz, Inca. -", (("Ana Ruiz",), "Inca")),  # a word, not "Inc."
    ],
)
def test_an_outlet_not_declared_keeps_its_companys_ending(
    line: str, expected: tuple[tuple[str, ...], str]
) -> None:
    """A company's ending after a comma (``Reuters, Inc.``) is no outlet of its own, and its
    full stop (``Inc.``, ``Co.``, ``S.A.``) is the name's as well as the byline's."""
    assert parse_byline(line) == expected


def test_a_known_source_ending_in_a_full_stop_keeps_it() -> None:
    known = ["Americas Quarterly, Inc."]
    assert parse_byline("By Americas Quarterly, Inc. -", known) == ((), known[0])
    assert parse_byline("By Brian Winter, Americas Quarterly, Inc. -", known) == (
        ("Brian Winter",),
        known[0],
    )
    assert parse_byline(format_byline(("Brian Winter",), known[0]), known) == (
        ("Brian Winter",),
        known[0],
    )


# --- what pasting leaves behind, and excerpts that end in "…" --------------------------------


def items_of(text: str, known: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...], str, str]]:
    return [(i.title, i.authors, i.source, i.excerpt) for i in parse_digest(text, "d.txt", known)]


def test_a_title_may_end_in_an_ellipsis() -> None:
    text = "Castillo’s Cabinet Crisis…\n\nBy Marco Aquino, Reuters. -\n\nThe cabinet fell [...]\n"
    assert items_of(text) == [
        ("Castillo’s Cabinet Crisis…", ("Marco Aquino",), "Reuters", "The cabinet fell [...]")
    ]


def test_a_paragraph_ending_in_an_ellipsis_goes_on_with_its_excerpt() -> None:
    text = (
        "Second Article\n\nBy Ana Quispe, Orinoco Tribune. -\n\n"
        "The minister paused and said we will not give up…\n\n"
        "By the time the vote came, the Congress had already voted.\n\n"
        "The cabinet had resigned...\n\n"
        "Next One\n\nBy Ana Quispe, Orinoco Tribune. -\n\nIt went on [...]\n"
    )
    assert [excerpt for *_, excerpt in items_of(text)] == [
        "The minister paused and said we will not give up…\n\n"
        "By the time the vote came, the Congress had already voted.\n\n"
        "The cabinet had resigned...",
        "It went on [...]",
    ]


def test_a_byline_missing_its_full_stop_under_a_lone_line_is_reported_never_merged() -> None:
    """A forgotten full stop must not join the next article to the excerpt above it; prose that
    starts with "By" and ends in a dash under a one-line paragraph is asked about the same way
    (never made an article of its own, with a fake outlet)."""
    typo = (
        "Peru's Congress votes on vacancy\n\nBy Ana Ruiz, Workers World. -\n\n"
        "The Congress debated the motion late into the night.\n\n"
        "Castillo names a new cabinet\n\nBy Luis Mamani, Kawsachun News -\n\n"
        "The president swore in the new ministers on Friday.\n"
    )
    prose = (
        "Congress debates the motion\n\nBy Ana Quispe, Workers World. -\n\n"
        "Peru's Congress met on Monday.\n\nThe opposition had filed it last week.\n\n"
        "By the time the vote came, Congress had left -\n\nand the motion waited [...]\n"
    )
    for text, line, byline in (
        (typo, 9, "By Luis Mamani, Kawsachun News -"),
        (prose, 9, "By the time the vote came, Congress had left -"),
    ):
        with pytest.raises(DigestError) as raised:
            parse_digest(text, "d.txt")
        assert raised.value.problems == [
            Problem("d.txt", line, f"byline must end with \". -\": '{byline}'", WRITE_BYLINE)
        ]


def test_a_byline_with_a_slip_right_under_its_title_is_reported_too() -> None:
    text = (
        "Castillo names new cabinet\n\nBy Marco Aquino, Reuters. -\n\n"
        "President Pedro Castillo on Friday named a new cabinet.\n\n"
        "Congress censures interior minister\nBy Franklin Briceño, Associated Press -\n\n"
        "Peru's Congress voted on Thursday [...]\n\n"
        "Boluarte viaja a Bruselas…\n\nPor Ana Ruiz, EFE. -\n\nLa presidenta [...]\n"
    )
    with pytest.raises(DigestError) as raised:
        parse_digest(text, "d.txt")
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (8, "byline must end with \". -\": 'By Franklin Briceño, Associated Press -'"),
        (14, "byline must start with \"By\": 'Por Ana Ruiz, EFE. -'"),
    ]


def test_prose_wrapped_after_a_one_line_paragraph_is_prose() -> None:
    text = (
        "Copper outlook\n\nBy Ana Quispe, Reuters. -\n\nMining.\n\n"
        "By 2030, output could reach four million tonnes —\n"
        "analysts at the central bank say — if Tía María goes ahead [...]\n"
    )
    [(title, _, _, excerpt)] = items_of(text)
    assert (title, excerpt.split("\n\n")[0]) == ("Copper outlook", "Mining.")


def test_the_last_line_of_an_excerpt_is_no_part_of_the_next_title() -> None:
    """Two lines over a byline are a title only where one is due: else the first line is the
    excerpt's, and the byline is reported, as before."""
    text = (
        "First\n\nBy Ana Quispe, Workers World. -\n\nFirst paragraph.\n\n"
        "The vote was postponed to Thursday.\nCastillo names his cabinet\n\n"
        "By Luis Mamani, Workers World. -\n\nThe president named [...]\n"
    )
    with pytest.raises(DigestError) as raised:
        parse_digest(text, "d.txt")
    assert [p.message for p in raised.value.problems] == [
        "byline has no title before it: 'By Luis Mamani, Workers World. -'"
    ]


def test_two_digests_pasted_one_after_the_other_are_read_as_one() -> None:
    first = "One\n\nBy Ana Quispe, Workers World. -\n\nOne [...]\n"
    second = "\ufeffTwo\n\nBy Ana Quispe, Workers World. -\n\nTwo [...]\n"
    assert [title for title, *_ in items_of(first + second)] == ["One", "Two"]


@pytest.mark.parametrize(
    "excerpt",
    [
        "P1\n\nBY THE NUMBERS. -\n\nP2 [...]",  # capitals
        "P1\n\nBy: Ana, Lima. -\n\nP2 [...]",
        "P1\n\nPor Ana Ruiz, EFE. -\n\nP2 [...]",
        "P1\n\nBy Ana Ruiz, EFE -\n\nP2 [...]",  # no full stop
        "He said that the vote [...]\nwas clean, and that … [...]",  # "[...]" within a paragraph
        "Opening…\n\nmore, and...\n\nthe end.",
    ],
)
def test_excerpts_read_back_as_written_whatever_their_lines(excerpt: str) -> None:
    item = DigestItem("Numbers and votes", ("Ana Quispe",), "Workers World", excerpt)
    [back] = parse_digest(format_digest([item, item]), "x.txt")[:1]
    expected = excerpt.replace("BY THE", "by THE").replace("By: Ana", "by: Ana")
    expected = expected.replace("Por Ana", "por Ana").replace("By Ana", "by Ana")
    assert back == dataclasses.replace(item, excerpt=expected)


def test_an_excerpt_line_hiding_a_byline_behind_a_zero_width_space_is_written_as_text() -> None:
    item = DigestItem("Zero width", (), "Reuters", "P1\n\u200bBy Luis Mamani, Reuters. -\nP2 [...]")
    assert parse_digest(format_digest([item]), "x.txt") == [
        dataclasses.replace(item, excerpt="P1\nby Luis Mamani, Reuters. -\nP2 [...]")
    ]


def test_what_pasting_leaves_behind_is_read_through() -> None:
    """Zero-width spaces (a "blank" line of one, one before "By"), a byte-order mark where two
    files were joined, line separators (U+2028), tabs, and a title an e-mail program wrapped."""
    text = (
        "\ufeffFirst\tTitle\n\u200b\n\u200bBy Ana Quispe, Orinoco Tribune. -\n\nOne [...]\n"
        "\ufeffSecond\u200b Title\u2028By Luis Mamani, Orinoco Tribune. -\u2028Two [...]\n\n"
        "A Title Wrapped After\nMonths Of Talks\n\nBY LUIS MAMANI, ORINOCO TRIBUNE. —\n\n"
        "Three [...]\n"
    )
    assert items_of(text) == [
        ("First Title", ("Ana Quispe",), "Orinoco Tribune", "One [...]"),
        ("Second Title", ("Luis Mamani",), "Orinoco Tribune", "Two [...]"),
        (
            "A Title Wrapped After Months Of Talks",
            ("LUIS MAMANI",),
            "ORINOCO TRIBUNE",
            "Three [...]",
        ),
    ]


def test_a_known_source_must_follow_a_comma() -> None:
    assert parse_byline("By Ana Ruiz Green Left. -", ["Green Left"]) == ((), "Ana Ruiz Green Left")


def test_known_sources_reach_parse_digest() -> None:
    text = "Title\n\nBy Ana Ruiz, Peoples Dispatch, Inc. -\n\nText [...]\n"
    (item,) = parse_digest(text, "x.txt", known_sources=["Peoples Dispatch, Inc"])
    assert (item.authors, item.source) == (("Ana Ruiz",), "Peoples Dispatch, Inc")


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ((), "By Kawsachun News. -"),
        (("Staff",), "By Staff, Kawsachun News. -"),
        (("A", "B"), "By A, B, Kawsachun News. -"),
        (("Ana Ruiz", "Luis Mamani"), "By Ana Ruiz and Luis Mamani, Kawsachun News. -"),
        (("A", "B", "Carmen Ríos"), "By A, B, Carmen Ríos, Kawsachun News. -"),
        (
            ("A", "Luis Mamani", "Carmen Ríos"),
            "By A, Luis Mamani and Carmen Ríos, Kawsachun News. -",
        ),
        (("A\nB", "C"), "By A B, C, Kawsachun News. -"),
    ],
)
def test_format_byline(authors: tuple[str, ...], expected: str) -> None:
    assert format_byline(authors, "Kawsachun News") == expected


def test_format_digest_lays_out_items_with_blank_lines_and_a_final_newline() -> None:
    assert format_digest([COUP_BREWING, ALBA_ALERT]) == (
        f"Peru: A Coup Brewing\n\nBy Ángel Guerra Cabrera, Orinoco Tribune. -\n\n"
        f"{COUP_BREWING.excerpt}\n\n"
        f"ALBA Movements Issue Alert Over Coup Attempt In Peru\n\nBy Kawsachun News. -\n\n"
        f"{ALBA_ALERT.excerpt}\n"
    )


def test_the_title_line_is_not_part_of_equality() -> None:
    assert DigestItem("T", (), "S", "E [...]", line=7) == DigestItem("T", (), "S", "E [...]")


# --- properties ------------------------------------------------------------------------------

LETTERS = "abcdeilmnorstuyzABCDEMPRSTáéíóúñÁÉÑü"
TEXT_MARKS = "‘’“”—–-:;?!()0123456789.,"


def words(alphabet: str, most: int) -> st.SearchStrategy[str]:
    """Single-spaced words: no leading, trailing or doubled spaces, no line breaks."""
    word = st.text(alphabet, min_size=1, max_size=7)
    return st.lists(word, min_size=1, max_size=most).map(" ".join)


def not_byline_start(text: str) -> bool:
    return not text.startswith("By")


def unmarked(title: str) -> bool:
    """A title that starts with a list's number or bullet, or is all in emphasis marks, is
    read as pasted from a list or as bold text: the marks are not the title's."""
    return bare_title(title) == title


titles = words(LETTERS + TEXT_MARKS, 8).filter(not_byline_start).filter(unmarked)
names = words(LETTERS + "-.'", 4).filter(
    # "Par A": a leading By, Por or Par is the byline's, no part of a name (see bylines.py)
    lambda name: (
        not CONJUNCTIONS & set(name.casefold().split(" ")) and without_lead_in(name) == name
    )
)


def not_ending_in_an_abbreviation(source: str) -> bool:
    """``Grupo Co`` is written ``By Grupo Co. -``, which reads ``Grupo Co.``: a byline cannot
    tell an abbreviation's full stop from its own (see ``Reuters U.S.``)."""
    return source.rsplit(" ", 1)[-1] not in {"Co", "Corp", "Cía"}


sources = words(LETTERS + "-", 4).filter(not_ending_in_an_abbreviation)
excerpt_lines = words(LETTERS + TEXT_MARKS, 10).filter(not_byline_start)
paragraphs = st.lists(excerpt_lines, min_size=1, max_size=3).map("\n".join)
excerpts = st.lists(paragraphs, min_size=1, max_size=3).map(
    lambda parts: "\n\n".join(parts) + " [...]"
)
digest_items = st.builds(
    DigestItem,
    title=titles,
    authors=st.lists(names, max_size=4).map(tuple),
    source=sources,
    excerpt=excerpts,
)
digests = st.lists(digest_items, min_size=1, max_size=5)

RELAYOUTS: dict[str, Callable[[str], str]] = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "lone cr": lambda text: text.replace("\n", "\r"),
    "bom": lambda text: "\ufeff" + text,
    "extra blank lines": lambda text: "\n \n" + text.replace("\n\n", "\n\t\n\n") + "\n\n",
    "trailing spaces": lambda text: text.replace("\n", "  \n"),
    "no final newline": lambda text: text.rstrip("\n"),
    "non-breaking spaces around lines": lambda text: text.replace("\n", "\u00a0\n\u202f"),
    "non-breaking spaces in bylines": lambda text: re.sub(
        r"(?m)^By .*\. -$", lambda byline: byline[0].replace(" ", "\u00a0"), text
    ),
}


@settings(max_examples=200)
@given(digests)
def test_format_then_parse_gives_back_the_items(items: list[DigestItem]) -> None:
    assert parse_digest(format_digest(items), "x.txt") == items


@settings(max_examples=200)
@given(digests, st.sampled_from(sorted(RELAYOUTS)))
def test_layout_does_not_change_what_is_parsed(items: list[DigestItem], relayout: str) -> None:
    text = RELAYOUTS[relayout](format_digest(items))
    assert parse_digest(text, "x.txt") == items


@settings(max_examples=200)
@given(st.lists(names, max_size=4).map(tuple), sources)
def test_format_then_parse_byline_gives_back_authors_and_source(
    authors: tuple[str, ...], source: str
) -> None:
    assert parse_byline(format_byline(authors, source)) == (authors, source)


bylines = st.builds(format_byline, st.lists(names, max_size=2), sources)
lines_that_may_read_as_bylines = st.one_of(excerpt_lines, bylines)
excerpts_with_bylines = st.lists(
    st.lists(lines_that_may_read_as_bylines, min_size=1, max_size=3).map("\n".join),
    min_size=1,
    max_size=4,
).map(lambda parts: "\n\n".join(parts) + " [...]")


@settings(max_examples=200)
@given(
    st.lists(
        st.builds(
            DigestItem,
            title=titles,
            authors=st.just(()),
            source=sources,
            excerpt=excerpts_with_bylines,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_an_excerpt_line_that_reads_as_a_byline_never_starts_an_article(
    items: list[DigestItem],
) -> None:
    def lowered(line: str) -> str:
        return "by" + line[2:] if parse_byline(line) else line

    expected = [
        dataclasses.replace(item, excerpt="\n".join(map(lowered, item.excerpt.split("\n"))))
        for item in items
    ]
    assert parse_digest(format_digest(items), "x.txt") == expected


def test_an_item_without_an_excerpt_is_written_so_that_it_reads_back() -> None:
    """An article with no summary yet (the build warns of it) in an edition's digest."""
    text = format_digest([DigestItem("Untold", (), "Orinoco Tribune", "")])
    assert parse_digest(text, "x.txt") == [DigestItem("Untold", (), "Orinoco Tribune", "[...]")]


def test_a_summary_with_a_title_and_a_byline_of_its_own_stays_one_article() -> None:
    excerpt = "Opening.\n\nInjected Headline\n\nBy Fake Person, Workers World. -\n\nRest [...]"
    text = format_digest([DigestItem("Real", (), "Orinoco Tribune", excerpt)])
    assert parse_digest(text, "x.txt") == [
        DigestItem("Real", (), "Orinoco Tribune", excerpt.replace("By Fake", "by Fake"))
    ]


@pytest.mark.parametrize(
    ("pasted", "title"),
    [
        ("1. Peru: A Coup Brewing", "Peru: A Coup Brewing"),
        ("• Perú On The Lima Group", "Perú On The Lima Group"),
        ("**Perú On The Lima Group**", "Perú On The Lima Group"),
        ("*Perú*", "Perú"),
        ("**a** and **b**", "**a** and **b**"),  # two bold words are no bold title
        ("__init__ in Python", "__init__ in Python"),  # underscores are the title's
        ("2021: Año del Bicentenario", "2021: Año del Bicentenario"),
    ],
)
def test_a_title_loses_the_list_marker_and_bold_it_was_pasted_with(pasted: str, title: str) -> None:
    assert bare_title(pasted) == title


DIGEST_LINES = st.sampled_from(
    [
        "Peru: A Coup Brewing", "**Perú On The Lima Group**", "1. Listed", "", " ", "\t",
        "By Ángel Guerra Cabrera, Orinoco Tribune. -", "By Kawsachun News. –", "BY AP. --",
        "By Ana Ruiz Quispe, Luis Mamani Condori, Rosa Huamán and Carlos León Prado,",
        "Orinoco Tribune. -", "By Sengo Perez, Workers World -", "Por Ana Ruiz, La República. -",
        "By . -", "By A, , X. -", "by a, b. -", "By Ana Ruiz, Reuters, Inc. -",
        "The onslaught [...]", "It began long before …", "[...]", "By 2030, output could —",
    ]
)  # fmt: skip


@settings(max_examples=300)
@given(
    st.lists(st.one_of(DIGEST_LINES, st.text(max_size=20)), max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_text_is_read_or_refused_with_problems_at_its_lines(
    lines: list[str], line_end: str
) -> None:
    text = line_end.join(lines)
    try:
        items = parse_digest(text, "x.txt")
    except DigestError as error:
        numbered = len(editor_lines(text))
        assert all(
            problem.line is None or 1 <= problem.line <= numbered for problem in error.problems
        )
        assert all(problem.hint for problem in error.problems)
    else:
        assert all(item.title and item.source and item.excerpt for item in items)
