"""Bylines into authors, the same for feeds and digests; linear whatever the input."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from peru_digest.digesttext import parse_digest
from peru_digest.importers.bylines import (
    CONJUNCTIONS,
    join_names,
    split_names,
    without_lead_in,
)
from peru_digest.importers.feedentries import author_names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Íñigo de Barrón,José Luis Aranda", ["Íñigo de Barrón", "José Luis Aranda"]),
        ("Ana Quispe; Luis Mamani", ["Ana Quispe", "Luis Mamani"]),
        ("Ana Quispe and Luis Mamani & Rosa Huamán", ["Ana Quispe", "Luis Mamani", "Rosa Huamán"]),
        ("Renzo Salazar Vega y Carmen Ríos", ["Renzo Salazar Vega", "Carmen Ríos"]),
        ("Lucas Weber e Marina Duarte", ["Lucas Weber", "Marina Duarte"]),
        ("Camille Durand et Julien Moreau", ["Camille Durand", "Julien Moreau"]),
        ("ANA QUISPE AND LUIS MAMANI", ["ANA QUISPE", "LUIS MAMANI"]),  # a byline in capitals
        ("JOSÉ ORTEGA Y GASSET", ["JOSÉ ORTEGA Y GASSET"]),
        ("E", ["E"]),  # a one-letter name is a name, not "e"
        ("Martin Luther King, Jr., Ana Quispe", ["Martin Luther King, Jr.", "Ana Quispe"]),
        ("Ana Quispe and Luis Mamani, II", ["Ana Quispe", "Luis Mamani, II"]),
        ("Ana Quispe, E", ["Ana Quispe", "E"]),
        ("José Ortega y Gasset", ["José Ortega y Gasset"]),
        ("Marina Costa e Silva", ["Marina Costa e Silva"]),
        ("José Ortega y Gasset y Ana Quispe", ["José Ortega y Gasset", "Ana Quispe"]),
        ("Ana Ruiz, Luis Quispe and Staff", ["Ana Ruiz", "Luis Quispe", "Staff"]),
        ("EFE y AFP", ["EFE", "AFP"]),
        ("Ana y Luis", ["Ana y Luis"]),  # first names only: perhaps one name, never guessed
        ("A, B, and C", ["A", "B", "C"]),
        ("Redacción IDL-R", ["Redacción IDL-R"]),
        ("  Rosa   Huamán ", ["Rosa Huamán"]),
        ("A, , B", ["A", "", "B"]),
        ("Ana Quispe and", ["Ana Quispe and", ""]),
        ("AFP / EFE", ["AFP", "EFE"]),
        ("Reuters/AP", ["Reuters", "AP"]),
        ("EFE | AFP", ["EFE", "AFP"]),
        ("Redacción / AFP", ["Redacción", "AFP"]),
        ("Ana Quispe / EFE y AFP", ["Ana Quispe", "EFE", "AFP"]),
        ("AFP // EFE", ["AFP", "", "EFE"]),
        ("Por Redacción EC", ["Redacción EC"]),
        ("Por: Ana Quispe y Luis Mamani", ["Ana Quispe", "Luis Mamani"]),
        ("POR ANA QUISPE", ["ANA QUISPE"]),
        ("By Ana Quispe and Luis Mamani", ["Ana Quispe", "Luis Mamani"]),
        ("Par Camille Durand", ["Camille Durand"]),
        ("Porras Vega, Paredes", ["Porras Vega", "Paredes"]),  # names, not the word "por"
    ],
)
def test_split_names(byline: str, names: list[str]) -> None:
    assert split_names(byline) == names


@pytest.mark.parametrize(
    "byline",
    [
        "By Ana" + " " * 20_000 + "Ruiz, Wire. -",  # 5 s before: the regex went quadratic
        "By " + "Ana Ruiz y " * 10_000 + "Wire. -",
        "By " + "a y " * 10_000 + "b, Wire. -",
        "By " + "a, " * 10_000 + "Wire. -",
        "By " + "\u00a0" * 20_000 + "x, Wire. -",
    ],
)
def test_a_huge_byline_is_read_in_linear_time(byline: str) -> None:
    text = f"A Title\n\n{byline}\n\nAn excerpt [...]\n"
    started = time.perf_counter()
    parse_digest(text, "huge.txt")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "byline",
    [
        "Ana" + ", " * 20_000 + "Ruiz",  # 22 s before: the sources' pattern went quadratic
        "Ana Ruiz con información de " * 5_000 + "EFE",
        "Ana Ruiz" + " y otros" * 10_000,
        "Ana (AP)" * 10_000,
    ],
)
def test_a_huge_feed_byline_is_read_in_linear_time(byline: str) -> None:
    started = time.perf_counter()
    author_names({"authors": [{"name": byline}]})
    assert time.perf_counter() - started < 0.5


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÁÉÍÑáéíóúñü-.'", min_size=1, max_size=8)
NAMES = (
    st.lists(WORD, min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda name: not CONJUNCTIONS & set(name.casefold().split(" ")))
    .filter(lambda name: without_lead_in(name) == name)  # "por x": "por" is the byline's "by"
)


@given(st.lists(NAMES, min_size=1, max_size=5))
def test_joined_names_split_back_into_the_same_names(names: list[str]) -> None:
    assert split_names(join_names(names)) == names


@given(st.text(max_size=200))
def test_names_are_single_spaced_single_lines(byline: str) -> None:
    for name in split_names(byline):
        assert name == " ".join(name.split())


@given(st.lists(NAMES, min_size=1, max_size=5), st.sampled_from([" / ", "/", " | ", "|"]))
def test_names_between_slashes_or_bars_are_split_apart(names: list[str], separator: str) -> None:
    assert split_names(separator.join(names)) == names


@given(st.text(max_size=200))
def test_no_name_holds_a_separator(byline: str) -> None:
    assert not any(set(name) & set(",;&/|") for name in split_names(byline))


@pytest.mark.parametrize(
    "names",
    [
        ["Martin Luther King, Jr.", "Ana Quispe"],
        ["Ana Quispe", "Martin Luther King, Jr."],
        ["Luis Mamani, II", "Ana Quispe", "Rosa Huamán, hijo"],
    ],
)
def test_names_with_a_suffix_read_back_as_they_were_joined(names: list[str]) -> None:
    assert split_names(join_names(names)) == names


BYLINE_PIECES = [*"Ana Quispe()-–—|,:&y ", "Redactor", "Fotos", "Staff", "Writer", "especial"]


@given(st.lists(st.sampled_from(BYLINE_PIECES), max_size=20).map("".join) | st.text(max_size=60))
@example("Ana Quispe ( )")  # a role in brackets left empty (an IndexError before)
def test_a_feed_byline_always_reads_as_names_without_blanks(byline: str) -> None:
    names = author_names({"authors": [{"name": byline}]})
    assert all(name and name == name.strip() for name in names)


PERSONS = st.sampled_from(
    ["Ana Ruiz", "Luis Mamani", "Rosa Huamán", "Carlos León", "Íñigo de Barrón"]
)
LINES = st.sampled_from([  # how a byline's lines open, are separated, and close
    ("", "<br>", ""), ("", "<br/>", ""), ("", "<BR />", ""), ("<p>", "</p><p>", "</p>"),
    ("<div>", "</div>\n<div>", "</div>"), ("", "\n", ""), ("", "\r\n", ""), ("\n  ", "\n\n", "\n"),
])  # fmt: skip


@given(st.lists(PERSONS, min_size=1, max_size=4, unique=True), LINES)
def test_a_byline_on_several_lines_names_one_author_a_line(
    names: list[str], lines: tuple[str, str, str]
) -> None:
    """HTML's blocks and ``<br>``, and text's line breaks, separate names (never
    ``Ana RuizLuis Mamani``, nor ``Ana Ruiz Luis Mamani``)."""
    opening, separator, closing = lines
    byline = opening + separator.join(names) + closing
    assert author_names({"authors": [{"name": byline}]}) == tuple(names)


@pytest.mark.parametrize(
    "byline",
    [
        "https://www.facebook.com/anaruiz",
        "http://twitter.com/anaruiz",
        "www.wayka.pe/autor/ana-ruiz",
        "wayka.pe/autor/ana-ruiz",
        "<a href='https://wayka.pe/autor/ana'>https://wayka.pe/autor/ana</a>",
        "Ana Ruiz (https://twitter.com/anaruiz)",
    ],
)
def test_a_web_address_names_no_author(byline: str) -> None:
    """A profile's page is no name, as a handle (``@anaruiz``) is not; split on its slashes,
    it made authors ``https:``, ``www.facebook.com`` and ``anaruiz``."""
    assert author_names({"authors": [{"name": byline}]}) == (
        ("Ana Ruiz",) if byline.startswith("Ana") else ()
    )
