"""Authors: one name per person, desks that are no one, authors.yaml, and look-alike names."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.authors import (
    AuthorBook,
    author_pages,
    load_authors,
    look_alike_warnings,
    with_declared_names,
)
from peru_digest.errors import Report
from peru_digest.model import Article, Author
from peru_digest.urls import fold

LIMA = ZoneInfo("America/Lima")
OUTLETS = ["Daily Andes", "Misión Verdad"]


def person(name: str, *aliases: str, slug: str = "", description: str = "") -> Author:
    return Author(name, slug or fold(name).replace(" ", "-"), aliases, description, desk=False)


def article(slug: str, *authors: str, day: int = 1) -> Article:
    return Article(
        path=f"articles/{slug}.md",
        title=slug,
        date=datetime(2021, 8, day, tzinfo=LIMA),
        source="Daily Andes",
        authors=authors,
        url=f"https://andes.test/{slug}",
        topics=(),
        slug=slug,
        written_id=f"urn:test:{slug}",
        summary_key=slug,
    )


def where(article: Article) -> tuple[str, int | None]:
    return article.path, 4


def warnings_for(articles: list[Article], *declared: Author) -> list[str]:
    book = AuthorBook(declared, OUTLETS)
    return [str(w) for w in look_alike_warnings(articles, book, where)]


# Names ---------------------------------------------------------------------------------------


def test_names_are_compared_without_case_accents_or_punctuation() -> None:
    assert fold("José-Luis  PÉREZ") == "jose luis perez"
    assert fold("J. Pérez") == "j perez"
    assert fold("Ángel Guerra Cabrera") == fold("angel guerra cabrera")


@given(st.text(max_size=30))
def test_every_author_has_a_page_address_even_with_no_letters(name: str) -> None:
    book = AuthorBook([], [])
    if not book.is_desk(name):
        assert book.path(name).startswith("authors/") and book.path(name) != "authors//"


def test_an_alias_names_its_entry_whatever_the_case_and_accents() -> None:
    book = AuthorBook([person("José Carlos Llerena Robles", "J. C. Llerena")], OUTLETS)
    assert book.name("j c llerena") == "José Carlos Llerena Robles"
    assert book.name("JOSE CARLOS LLERENA ROBLES") == "José Carlos Llerena Robles"
    assert book.name("Vijay Prashad") == "Vijay Prashad"


def test_an_article_names_each_author_once_as_authors_yaml_writes_them() -> None:
    book = AuthorBook([person("José Pérez", "J. Pérez")], OUTLETS)
    both = article("both", "J. Pérez", "Ana Quispe", "josé pérez")
    plain = article("plain", "Ana Quispe")
    settled = with_declared_names([both, plain], book)
    assert settled[0].authors == ("José Pérez", "Ana Quispe")
    assert settled[1] is plain  # unchanged articles stay the same objects


@pytest.mark.parametrize(
    "name",
    ["Staff", "STAFF", "Redacción", "EFE", "Agencias", "Telesur Staff", "Redacción Perú21",
     "Newsroom", "Editorial Board", "Daily Andes", "Mision Verdad"],
)  # fmt: skip
def test_desks_agencies_and_outlets_are_no_author(name: str) -> None:
    book = AuthorBook([], OUTLETS)
    assert book.is_desk(name)
    assert book.path(name) == ""


@pytest.mark.parametrize(
    "name",
    ["AFP / EFE", "Reuters/AP", "EFE | AFP", "Redacción / AFP", "EFE y AFP", "Por Redacción EC",
     "AFP, Daily Andes", "AFP // EFE"],
)  # fmt: skip
def test_a_byline_of_desks_alone_written_as_one_name_is_a_desk(name: str) -> None:
    book = AuthorBook([], OUTLETS)
    assert book.is_desk(name)
    assert book.path(name) == ""
    assert book.name(name) == name  # shown as written


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("Ana Quispe / EFE", "authors/ana-quispe-efe/"),  # a person among them: not a desk
        ("Ana Quispe y Luis Mamani", "authors/ana-quispe-y-luis-mamani/"),
        ("José Ortega y Gasset", "authors/jose-ortega-y-gasset/"),
    ],
)
def test_a_byline_naming_a_person_as_one_name_keeps_its_page(name: str, path: str) -> None:
    assert AuthorBook([], OUTLETS).path(name) == path


def test_authors_yaml_decides_who_is_a_desk() -> None:
    desk = Author("Prensa Latina", "prensa-latina", ("PL",), "", desk=True)
    staff = person("Staff", slug="staff")  # a person so named, declared as one
    book = AuthorBook([desk, staff], OUTLETS)
    assert book.is_desk("pl") and book.path("Prensa Latina") == ""
    assert not book.is_desk("Staff") and book.path("Staff") == "authors/staff/"
    assert book.path("Ana Quispe") == "authors/ana-quispe/"


# Author pages --------------------------------------------------------------------------------


def test_names_written_alike_share_one_page_named_as_most_articles_write_it() -> None:
    pages = author_pages(
        [
            article("a", "Jose Perez"),
            article("b", "Jose Perez"),
            article("c", "José Pérez", "JOSE PEREZ"),
            article("d", "Staff"),
            article("e", "Ángel Guerra"),
        ],
        AuthorBook([], OUTLETS),
    )
    assert [(p.name, p.slug, [a.slug for a in p.articles]) for p in pages] == [
        ("Ángel Guerra", "angel-guerra", ["e"]),
        ("Jose Perez", "jose-perez", ["a", "b", "c"]),
    ]


def test_a_page_goes_by_the_accented_spelling_when_as_many_articles_use_each() -> None:
    pages = author_pages(
        [article("a", "Jose Perez"), article("b", "José Pérez")], AuthorBook([], OUTLETS)
    )
    assert [p.name for p in pages] == ["José Pérez"]


def test_a_declared_author_page_has_the_entry_description() -> None:
    book = AuthorBook([person("Ana Quispe", description="Covers the south.")], OUTLETS)
    (page,) = author_pages([article("a", "Ana Quispe")], book)
    assert (page.name, page.description) == ("Ana Quispe", "Covers the south.")


# Names that look like one person's -----------------------------------------------------------


def test_names_that_differ_in_case_or_accents_are_reported() -> None:
    articles = [article("a", "José Pérez"), article("b", "José Pérez"), article("c", "JOSE PEREZ")]
    assert warnings_for(articles) == [
        "articles/c.md:4: `JOSE PEREZ` looks like the same person as `José Pérez` "
        "(articles/a.md)\n"
        "  hint: add `- name: José Pérez` to authors.yaml: names written like it but for case, "
        "accents and punctuation then show as it"
    ]


def test_an_initial_for_a_first_name_is_reported() -> None:
    articles = [article("a", "J. C. Llerena"), article("b", "José Carlos Llerena")]
    assert warnings_for(articles) == [
        "articles/a.md:4: `J. C. Llerena` looks like the same person as `José Carlos Llerena` "
        "(articles/b.md)\n"
        "  hint: if so, add `J. C. Llerena` to the aliases of `José Carlos Llerena` in "
        "authors.yaml; if they are two people, list both in authors.yaml"
    ]


def test_the_declared_name_is_the_one_to_keep() -> None:
    articles = [article("a", "J. Pérez"), article("b", "J. Pérez"), article("c", "José Pérez")]
    assert warnings_for(articles, person("José Pérez")) == [
        "articles/a.md:4: `J. Pérez` looks like the same person as `José Pérez` "
        "(articles/c.md)\n"
        "  hint: if so, add `J. Pérez` to the aliases of `José Pérez` in authors.yaml; "
        "if they are two people, list both in authors.yaml"
    ]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("José Pérez", "Juan Pérez"),  # two first names, not an initial
        ("José Carlos Llerena", "José Carlos Llerena Robles"),  # as many words: kept simple
        ("Ana Pérez", "Ana Quispe"),
        ("Staff", "STAFF"),  # desks
        ("EFE", "Efe"),
    ],
)
def test_names_that_are_not_alike_are_not_reported(one: str, other: str) -> None:
    assert warnings_for([article("a", one), article("b", other)]) == []


def test_two_people_listed_in_authors_yaml_are_not_reported() -> None:
    articles = [article("a", "J. Pérez"), article("b", "José Pérez")]
    assert warnings_for(articles, person("J. Pérez"), person("José Pérez")) == []


# authors.yaml --------------------------------------------------------------------------------


def load(tmp_path: Path, text: str) -> tuple[dict[str, Author], list[str]]:
    (tmp_path / "authors.yaml").write_text(text, encoding="utf-8")
    report = Report()
    found = load_authors(tmp_path, report)
    return found, [str(p).replace(f"{tmp_path}/", "") for p in report.problems]


def test_no_authors_yaml_declares_nobody(tmp_path: Path) -> None:
    assert load_authors(tmp_path, Report()) == {}
    assert load(tmp_path, "# nobody yet\n") == ({}, [])


def test_authors_yaml_entries_are_read_in_file_order(tmp_path: Path) -> None:
    found, problems = load(
        tmp_path,
        "- name: José Pérez\n"
        "  aliases: [J. Pérez, Pepe Pérez]\n"
        "  description: Covers Congress.\n"
        "- name: Redacción Lima\n"
        "  desk: true\n",
    )
    assert problems == []
    assert list(found.values()) == [
        Author("José Pérez", "jose-perez", ("J. Pérez", "Pepe Pérez"), "Covers Congress.", False),
        Author("Redacción Lima", "redaccion-lima", (), "", True),
    ]


def test_every_problem_in_authors_yaml_is_reported_at_its_line_with_a_hint(
    tmp_path: Path,
) -> None:
    found, problems = load(
        tmp_path,
        "- name: José Pérez\n"  # 1
        "  aliases: [J. Pérez, jose perez]\n"  # 2
        "- name: Ana Quispe\n"  # 3
        "  aliases: [J. Perez]\n"  # 4
        "- name: José Pérez\n"  # 5
        "- name: Jose-Perez!\n"  # 6
        "- name: Luis Mamani\n"  # 7
        "  alias: [Lucho]\n"  # 8
        "  desk: maybe\n"  # 9
        "- aliases: [Nobody]\n",  # 10
    )
    assert found == {}
    assert problems == [
        "authors.yaml:2: `jose perez` repeats a spelling of this entry\n"
        "  hint: remove it: case, accents and punctuation are ignored",
        "authors.yaml:4: `J. Perez` is already a spelling of `José Pérez` (line 2)\n"
        "  hint: a spelling (ignoring case, accents and punctuation) belongs to one entry",
        "authors.yaml:5: `José Pérez` is listed twice (first at line 1)\n  hint: keep one entry",
        "authors.yaml:6: `Jose-Perez!` is already a spelling of `José Pérez` (line 1)\n"
        "  hint: a spelling (ignoring case, accents and punctuation) belongs to one entry",
        "authors.yaml:8: unknown key `alias` in an entry\n  hint: did you mean `aliases`?",
        "authors.yaml:9: `desk` must be true or false, not the text 'maybe'\n"
        "  hint: write true or false",
        "authors.yaml:10: an entry is missing `name`\n"
        "  hint: add `name:` as the site should write it",
    ]


def test_an_entry_with_a_problem_still_claims_its_name_so_one_run_says_every_problem(
    tmp_path: Path,
) -> None:
    _, problems = load(
        tmp_path,
        "- name: Rosa Quispe\n"  # 1
        "  aliases: Rosa Q\n"  # 2
        "- name: Rosa Quispe\n"  # 3
        "- 42\n"  # 4
        "- name: Ana\n"  # 5
        "  aliases: [Rosa Quispe]\n",  # 6
    )
    assert [problem.split("\n")[0] for problem in problems] == [
        "authors.yaml:2: `aliases` must be a list, not the text 'Rosa Q'",
        "authors.yaml:3: `Rosa Quispe` is listed twice (first at line 1)",
        "authors.yaml:4: an entry must be a mapping of `key: value` lines",
        "authors.yaml:6: `Rosa Quispe` is already a spelling of `Rosa Quispe` (line 1)",
    ]


def test_a_key_cut_short_is_taken_for_the_key_it_begins(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "- name: Ana\n  desc: Covers Congress.\n")
    assert problems == [
        "authors.yaml:2: unknown key `desc` in an entry\n  hint: did you mean `description`?"
    ]


def test_two_names_with_one_address_are_refused(tmp_path: Path) -> None:
    # Written differently, but the same in their first 200 characters, which the address keeps.
    first, second = "Novak " * 40 + "Alpha", "Novak " * 40 + "Beta"
    _, problems = load(tmp_path, f"- name: {first}\n- name: {second}\n")
    assert problems == [
        f"authors.yaml:2: `{second}` and `{first}` would share the address "
        f"`{'novak-' * 32}novak`\n  hint: rename one of them"
    ]


def test_two_names_transliterated_alike_are_two_authors_with_addresses_of_their_own(
    tmp_path: Path,
) -> None:
    # Written differently (Đ is not D with a mark): two people, as authors.yaml says.
    found, problems = load(tmp_path, "- name: Novak Đoković\n- name: Novak Dokovic\n")
    assert problems == []
    assert [author.slug for author in found.values()] == ["novak-dokovic-cf44a35a", "novak-dokovic"]


def test_authors_yaml_that_is_not_a_list_says_what_it_should_be(tmp_path: Path) -> None:
    assert load(tmp_path, "name: José Pérez\n") == (
        {},
        [
            "authors.yaml:1: must be a list of entries, each starting `- name:`\n"
            "  hint: write each entry as a `- name: …` line, its other keys below it, indented "
            "two spaces"
        ],
    )
    assert load(tmp_path, "- name: [José\n")[1] == [
        "authors.yaml:1: invalid YAML: did not find expected ',' or ']' "
        "while parsing a flow sequence\n  hint: check the quotes and indentation"
    ]
