"""import-digest against what editors really paste: pages pasted again, odd outlets' names."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from unittest.mock import ANY

import pytest

from peru_digest.errors import DigestError
from peru_digest.importers.digest import import_digest

from .conftest import FIXTURES
from .imported import front_matter_of, reported, snapshot

SEED = FIXTURES / "digests" / "seed_peru_2021.txt"
FIRST_TITLE = "Peru: ‘This Is The Beginning Of A Soft Coup’"


def digest_file(folder: Path, text: str) -> Path:
    path = folder / "pasted.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_digest_page_pasted_again_days_later_adds_nothing(empty_content: Path) -> None:
    """A topic page lists its older articles too: pasted again a week later, each is there."""
    import_digest(SEED, empty_content, date(2021, 9, 1), dry_run=False)
    before = snapshot(empty_content)

    again = reported(
        import_digest(SEED, empty_content, date(2021, 9, 8), dry_run=False), empty_content
    )

    assert again[0] == (
        f"skipped: '{FIRST_TITLE}': same source and summary as "
        "content/articles/2021/2021-09-01-peru-this-is-the-beginning-of-a-soft-coup.md"
    )
    assert again[-1] == "0 imported, 15 skipped."
    assert snapshot(empty_content) == before


def test_an_article_written_by_hand_with_the_same_summary_is_not_imported_again(
    empty_content: Path, tmp_path: Path
) -> None:
    (empty_content / "articles" / "by-hand.md").write_text(
        "---\ntitle: Editorial\ndate: 2021-08-02\nsource: La República\n---\n\n"
        "El editorial del jueves sobre el gabinete:\nla confianza se gana en el Congreso [...]\n",
        encoding="utf-8",
    )
    pasted = digest_file(
        tmp_path,
        "Editorial\n\nBy La República. -\n\n"
        "El editorial del jueves sobre el gabinete: la confianza se gana en el Congreso [...]\n",
    )

    report = import_digest(pasted, empty_content, date(2021, 8, 12), dry_run=False)

    assert reported(report, empty_content) == [
        "skipped: 'Editorial': same source and summary as content/articles/by-hand.md",
        "0 imported, 1 skipped.",
    ]


def test_an_article_whose_title_an_editor_corrected_is_not_imported_again(
    empty_content: Path,
) -> None:
    import_digest(SEED, empty_content, date(2021, 9, 1), dry_run=False)
    first = empty_content / "articles/2021/2021-09-01-peru-this-is-the-beginning-of-a-soft-coup.md"
    first.write_text(first.read_text(encoding="utf-8").replace("Soft Coup", "“Soft Coup”"))

    again = import_digest(SEED, empty_content, date(2021, 9, 1), dry_run=True)

    assert reported(again, empty_content)[0] == (
        f"skipped: '{FIRST_TITLE}': same source and summary as "
        "content/articles/2021/2021-09-01-peru-this-is-the-beginning-of-a-soft-coup.md"
    )
    assert again.lines()[-1] == "Dry run, nothing written: 0 would be imported, 15 skipped."


def test_a_recurring_column_with_another_text_is_another_article(
    empty_content: Path, tmp_path: Path
) -> None:
    def column(text: str, day: date) -> list[str]:
        pasted = digest_file(tmp_path, f"Editorial\n\nBy La República. -\n\n{text} [...]\n")
        return reported(import_digest(pasted, empty_content, day, dry_run=False), empty_content)

    assert column("El editorial del jueves sobre el gabinete", date(2021, 8, 5))[-1] == (
        "1 imported, 0 skipped."
    )
    assert column("El editorial del jueves sobre el Congreso", date(2021, 8, 12))[-1] == (
        "1 imported, 0 skipped."
    )
    # Too few words to tell one column from another
    assert column("Video en vivo", date(2021, 8, 19))[-1] == "1 imported, 0 skipped."
    assert column("Video en vivo", date(2021, 8, 26))[-1] == "1 imported, 0 skipped."


def test_an_outlet_named_with_its_companys_ending_is_one_outlet(
    empty_content: Path, tmp_path: Path
) -> None:
    pasted = digest_file(tmp_path, "Title\n\nBy Ana Ruiz, Reuters, Inc. -\n\nSome text [...]\n")

    report = import_digest(pasted, empty_content, date(2021, 9, 1), dry_run=False)

    assert reported(report, empty_content)[1:] == [
        "added to sources.yaml: Reuters, Inc. (fill in its homepage)",
        "1 imported, 0 skipped.",
    ]
    data = front_matter_of(empty_content / "articles" / "2021" / "2021-09-01-title.md")
    assert (data["source"], data["authors"]) == ("Reuters, Inc.", ["Ana Ruiz"])


def test_a_malformed_digest_reports_what_the_build_would_refuse_in_the_same_run(
    empty_content: Path, tmp_path: Path
) -> None:
    pasted = digest_file(
        tmp_path,
        "Title \u202eturned\n\nBy Ana Ruiz, Reuters. -\n\nSome text [...]\n\n"
        "Other\n\nBy Ana Ruiz, Reuters -\n\nMore text [...]\n",
    )

    with pytest.raises(DigestError) as raised:
        import_digest(pasted, empty_content, date(2021, 9, 1), dry_run=False)

    shown = pasted.as_posix()
    assert [str(problem) for problem in raised.value.problems] == [
        f"{shown}:1: 'Title \\u202eturned': `title` contains a direction control (U+202E), "
        "which turns the text after it around, past the field's end on a page\n"
        "  hint: delete it: right-to-left writing shows as it should without it",
        f"{shown}:9: byline must end with \". -\": 'By Ana Ruiz, Reuters -'\n"
        "  hint: write it as: By AUTHORS, SOURCE. -",
    ]
    assert snapshot(empty_content) == {"site.yaml": ANY, "topics.yaml": ANY}


def test_an_excerpt_too_long_for_an_article_file_is_to_be_shortened(
    empty_content: Path, tmp_path: Path
) -> None:
    excerpt = "palabra " * 5000
    pasted = digest_file(tmp_path, f"Long\n\nBy Ana Ruiz, Reuters. -\n\n{excerpt}[...]\n")

    with pytest.raises(DigestError) as raised:
        import_digest(pasted, empty_content, date(2021, 9, 1), dry_run=False)

    assert [str(problem) for problem in raised.value.problems] == [
        f"{pasted.as_posix()}:1: 'Long': too long for an article file "
        "(40,141 bytes; at most 32,768)\n"
        "  hint: shorten its summary (or its title): a digest sums up, it does not republish"
    ]


def test_broken_settings_and_a_malformed_digest_are_reported_in_one_run(
    empty_content: Path, tmp_path: Path
) -> None:
    (empty_content / "topics.yaml").unlink()
    pasted = digest_file(tmp_path, "Title\n\nBy Ana Ruiz, Reuters -\n\nSome text [...]\n")

    with pytest.raises(DigestError) as raised:
        import_digest(pasted, empty_content, date(2021, 9, 1), dry_run=False)

    assert [(problem.path, problem.line, problem.message) for problem in raised.value.problems] == [
        (f"{empty_content.as_posix()}/topics.yaml", None, "file not found"),
        (pasted.as_posix(), 3, "byline must end with \". -\": 'By Ana Ruiz, Reuters -'"),
    ]
