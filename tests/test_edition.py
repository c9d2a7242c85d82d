"""Editions: a period's articles as email HTML, plain text, or digest text that imports back."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peru_digest.cli import main
from peru_digest.digesttext import DigestItem, parse_digest
from peru_digest.edition import edition_digest, edition_html, edition_text, select_edition
from peru_digest.errors import DigestError
from peru_digest.importers.bylines import without_lead_in
from peru_digest.importers.digest import import_digest
from peru_digest.importers.plan import article_text
from peru_digest.importers.records import NewArticle
from peru_digest.urls import fold

from .conftest import FIXTURES, SEED_SITE, TEMPLATES, WriteArticle, loaded

SEED = FIXTURES / "digests" / "seed_peru_2021.txt"
WHOLE = (date(2021, 1, 1), date(2021, 12, 31))


def test_the_seed_collection_exports_as_the_digest_it_came_from() -> None:
    site = loaded(SEED_SITE)
    exported = edition_digest(site, select_edition(site, *WHOLE, topic=None))
    original = parse_digest(SEED.read_text(encoding="utf-8"), "seed")
    assert parse_digest(exported, "edition") == original


def test_export_then_import_into_an_empty_folder_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "edition.txt"
    args = ["edition", "--from", "2021-01-01", "--to", "2021-12-31", "--format", "digest"]
    assert main([*args, "--content", str(SEED_SITE), "-o", str(exported)]) == 0
    empty = tmp_path / "content"
    (empty / "articles").mkdir(parents=True)
    for name in ("site.yaml", "topics.yaml"):
        shutil.copy(SEED_SITE / name, empty)
    assert (
        main(["import-digest", str(exported), "--date", "2021-09-01", "--content", str(empty)]) == 0
    )
    assert capsys.readouterr().out.endswith("15 imported, 0 skipped.\n")
    again = tmp_path / "again.txt"
    for path in (empty / "articles").rglob("*.md"):  # the importer leaves `url:` to the editor
        text = path.read_text("utf-8")
        path.write_text(text.replace("\nid: ", f"\nurl: https://x.test/{path.stem}\nid: "), "utf-8")
    assert main([*args, "--content", str(empty), "-o", str(again)]) == 0

    # Imported under one date, the articles come back in slug order: compare them as sets.
    def by_title(text: str) -> list[DigestItem]:
        return sorted(parse_digest(text, "x"), key=lambda item: item.title)

    assert by_title(again.read_text("utf-8")) == by_title(exported.read_text("utf-8"))


def test_a_pasted_excerpt_exports_as_pasted_however_often_it_goes_round(tmp_path: Path) -> None:
    """An excerpt is imported as Markdown written to show it as pasted; exported again it is
    the text, not that Markdown (which, imported once more, would show its escapes)."""
    pasted = "#FueraCastillo trended as marchers <estimated> reached 20,000; R&D 2 * 3 [...]"
    digest = tmp_path / "pasted.txt"
    digest.write_text(f"Marcha\n\nBy Ana Ruiz, Daily Andes. -\n\n{pasted}\n", "utf-8")
    for round_trip in range(2):
        content = tmp_path / f"content-{round_trip}"
        shutil.copytree(FIXTURES / "site", content)
        shutil.rmtree(content / "articles")
        (content / "articles").mkdir()
        import_digest(digest, content, date(2021, 5, 28), dry_run=False)
        site = loaded(content)
        digest.write_text(edition_digest(site, select_edition(site, *WHOLE, topic=None)), "utf-8")
        (item,) = parse_digest(digest.read_text("utf-8"), "edition")
        assert item.excerpt == pasted


names = (
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzÁéíóúñ ’"), min_size=1, max_size=12)
    .map(lambda s: " ".join(s.split()).title())
    .filter(lambda s: bool(s) and s.casefold() != "and" and " And " not in f" {s} ")
    .filter(lambda s: without_lead_in(s) == s)  # "Par A": "Par" would be the byline's "by"
)
titles = (
    st.lists(names, min_size=1, max_size=5).map(" ".join).filter(lambda t: not t.startswith("By "))
)
paragraphs = st.lists(names, min_size=2, max_size=8).map(lambda words: " ".join(words) + ".")
excerpts = st.lists(paragraphs, min_size=1, max_size=3).map(lambda ps: "\n\n".join(ps) + " [...]")
items = st.builds(
    DigestItem,
    title=titles,
    # A byline that names someone twice names one author: the site lists them once.
    authors=st.lists(names, max_size=3, unique_by=fold).map(tuple),
    source=st.sampled_from(["Daily Andes", "Lima Weekly"]),
    excerpt=excerpts,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items, min_size=1, max_size=4, unique_by=lambda i: i.title.casefold()))
def test_any_items_written_as_content_export_to_the_same_digest(
    generated: list[DigestItem],
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(FIXTURES / "site", content)
        shutil.rmtree(content / "articles")
        for number, item in enumerate(generated):
            day = date(2021, 5, 28 - number)  # newest first, like the digest
            article = NewArticle(
                item.title,
                day,
                item.source,
                item.authors,
                f"https://x.test/{number}",
                item.excerpt,
                ("election",),
            )
            path = content / "articles" / f"{number}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(article_text(article, f"item-{number}"), encoding="utf-8")
        site = loaded(content)
        exported = edition_digest(site, select_edition(site, *WHOLE, topic=None))
    assert parse_digest(exported, "edition") == generated


def test_the_text_edition_never_cuts_an_address_in_two(
    site_dir: Path, write_article: WriteArticle
) -> None:
    address = "https://www.gob.pe/institucion/pcm/normas-legales/" + "decreto-supremo-" * 6
    write_article(
        "2021/2021-06-06-decree.md",
        "title: Decree\ndate: 2021-06-06\nsource: Daily Andes\nurl: https://andes.test/d\n"
        "topics: [election]",
        f"The decree, published at {address} today.",
    )
    site = loaded(site_dir)
    text = edition_text(site, select_edition(site, date(2021, 6, 6), date(2021, 6, 6), None))
    assert f"\n{address}\n" in text


def test_the_text_edition_is_plain_and_readable_oldest_first_under_each_topic() -> None:
    site = loaded(FIXTURES / "site")
    text = edition_text(site, select_edition(site, date(2021, 6, 6), date(2021, 6, 6), None))
    assert text == (
        "Test Digest: 6 June 2021\n"
        "========================\n\n\n"
        "Election\n"
        "--------\n\n\n"
        "Runoff Day\n"
        "Ana Quispe · Daily Andes · 6 June 2021\n\n"
        "Voters went to the polls. Turnout was high.\n\n"
        "Read it: https://andes.test/runoff\n\n\n"
        "The Count Begins\n"
        "Ana Quispe, Luis Mamani · Lima Weekly · 6 June 2021\n\n"
        "The count began late at night.\n\n"
        "Read it: https://lima-weekly.test/count\n"
    )


def test_the_html_edition_is_self_contained_for_email() -> None:
    site = loaded(FIXTURES / "site")
    html = edition_html(site, select_edition(site, *WHOLE, topic="election"), TEMPLATES)
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert 'style="' in html
    assert '<a href="https://digest.test/2021/06/runoff-day/"' in html
    assert "Inauguration" not in html  # not in the election topic
    assert "Draft Note" not in html


def test_a_missing_or_broken_email_template_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    site = loaded(FIXTURES / "site")
    edition = select_edition(site, *WHOLE, topic=None)
    with pytest.raises(DigestError) as raised:
        edition_html(site, edition, tmp_path)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path}/edition-email.html: template not found: edition-email.html\n"
        "  hint: run from the project's folder, or name the templates' folder with --templates"
    ]
    (tmp_path / "edition-email.html").write_text("<p>\n{{ no_such_thing.name }}</p>\n")
    with pytest.raises(DigestError) as raised:
        edition_html(site, edition, tmp_path)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path}/edition-email.html:2: cannot render the edition: 'no_such_thing' is undefined"
    ]


def test_an_unknown_topic_is_a_clear_error() -> None:
    with pytest.raises(DigestError) as raised:
        select_edition(loaded(FIXTURES / "site"), *WHOLE, topic="elections")
    assert [str(p) for p in raised.value.problems] == [
        "--topic: unknown topic `elections`\n  hint: known: election, quiet"
    ]


def test_an_output_file_in_a_folder_that_is_not_there_is_a_problem_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "edition.html"
    period = ["--from", "2021-06-01", "--to", "2021-06-30", "--content", str(SEED_SITE)]
    status = main(["edition", *period, "-o", str(target)])
    assert status == 1
    assert capsys.readouterr().err == (
        f"{target}: cannot write: no such file or directory\n"
        "  hint: write it into a folder that exists and that you may write to\n"
        "1 problem found. Nothing was written.\n"
    )


def test_an_edition_is_never_written_among_the_articles(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = site_dir / "articles" / "2021" / "edition.md"
    args = ["edition", "--from", "2021-06-01", "--to", "2021-06-30", "--format", "digest"]
    status = main([*args, "--content", str(site_dir), "-o", str(target)])
    assert status == 1
    assert not target.exists()
    assert capsys.readouterr().err == (
        f"{target}: is in the articles folder: the next build would read the edition as an "
        f"article\n  hint: write it outside {site_dir}/articles/\n"
        "1 problem found. Nothing was written.\n"
    )


def test_the_output_file_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "edition.html"
    target.write_text("last week's edition", encoding="utf-8")
    period = ["--from", "2021-06-01", "--to", "2021-06-30", "--content", str(SEED_SITE)]
    status = main(["edition", *period, "-o", str(target)])
    assert status == 1
    assert target.read_text(encoding="utf-8") == "last week's edition"
    assert capsys.readouterr().err == (
        f"{target}: already exists\n  hint: choose a new file name\n"
        "1 problem found. Nothing was written.\n"
    )


def test_the_edition_command_leaves_out_articles_dated_in_the_future_as_the_site_does(
    site_dir: Path,
    write_article: WriteArticle,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An email must not announce an article whose page the site does not publish yet."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1623045600")  # 7 June 2021, 01:00 in Lima
    write_article(
        "2021/scheduled.md",
        "title: Scheduled\ndate: 2021-06-07T09:00:00-05:00\nsource: Lima Weekly\n"
        "url: https://l.test/scheduled\ntopics: [election]",
    )
    output = site_dir.parent / "edition.txt"
    args = ["edition", "--from", "2021-06-06", "--to", "2021-06-07", "--format", "text"]
    assert main([*args, "--content", str(site_dir), "-o", str(output)]) == 0
    assert capsys.readouterr().out == f"Wrote 2 articles to {output}\n"
    assert "Scheduled" not in output.read_text("utf-8")
    assert main([*args, "--content", str(site_dir), "--future"]) == 0
    assert (
        "Scheduled\nLima Weekly · 7 June 2021\n\nA summary.\n\nRead it: https://l.test/scheduled\n"
    ) in capsys.readouterr().out


def test_an_edition_selected_with_a_clock_holds_the_articles_published_by_then() -> None:
    site = loaded(FIXTURES / "site")
    june_7 = datetime(2021, 6, 7, tzinfo=UTC)  # 6 June, 19:00 in Lima
    edition = select_edition(site, *WHOLE, topic=None, now=june_7)
    assert [article.title for article in edition.articles] == ["Runoff Day"]
    assert edition_text(
        site, select_edition(site, *WHOLE, None, datetime(2021, 1, 1, tzinfo=UTC))
    ) == (
        "Test Digest: 1 January – 31 December 2021\n"
        "=========================================\n\n\n"
        "No articles in this period.\n"
    )


def test_an_article_without_a_summary_has_no_empty_paragraph_in_the_text_edition(
    site_dir: Path, write_article: WriteArticle
) -> None:
    write_article(
        "2021/no-summary.md",
        "title: No Summary Yet\ndate: 2021-06-06T12:00:00-05:00\nsource: Lima Weekly\n"
        "url: https://l.test/no-summary\ntopics: [election]",
        "",
    )
    site = loaded(site_dir)
    text = edition_text(site, select_edition(site, date(2021, 6, 6), date(2021, 6, 6), None))
    assert (
        "Read it: https://andes.test/runoff\n\n\n"
        "No Summary Yet\n"
        "Lima Weekly · 6 June 2021\n\n"
        "Read it: https://l.test/no-summary\n\n\n"
        "The Count Begins\n"
    ) in text
