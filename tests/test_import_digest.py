"""import-digest: digest text in, one new file per article; nothing is ever lost."""

from __future__ import annotations

import codecs
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peru_digest.build import build
from peru_digest.cli import main
from peru_digest.content import load_site
from peru_digest.digesttext import parse_digest
from peru_digest.errors import DigestError, Report
from peru_digest.importers.digest import as_markdown, import_digest
from peru_digest.markup import MarkdownRenderer, plain_text
from peru_digest.model import derived_id

from .conftest import FIXTURES, SEED_SITE, TEMPLATES
from .imported import front_matter_of, shown

SEED = FIXTURES / "digests" / "seed_peru_2021.txt"
DAY = date(2021, 9, 1)


def front_matter_and_body(path: Path) -> tuple[str, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return front, body.strip()


def test_the_seed_imports_into_an_empty_folder_exactly(empty_content: Path) -> None:
    report = import_digest(SEED, empty_content, DAY, dry_run=False)
    assert len(report.imported) == 15
    assert report.lines()[-1] == "15 imported, 0 skipped."
    expected = parse_digest(SEED.read_text(encoding="utf-8"), "seed")
    written = sorted((empty_content / "articles").rglob("*.md"))
    imported = {front_matter_and_body(path) for path in written}
    assert len(imported) == 15
    # Reading the files back gives the digest's titles, authors, sources and excerpts exactly.
    by_title = {
        str(data["title"]): (data, front_matter_and_body(path)[1])
        for path in written
        if (data := front_matter_of(path))
    }
    for item in expected:
        data, body = by_title[item.title]
        assert tuple(data["authors"]) == item.authors
        assert data["source"] == item.source
        assert body == item.excerpt
        assert data["date"] == "2021-09-01"


def test_importing_twice_imports_nothing_the_second_time(empty_content: Path) -> None:
    import_digest(SEED, empty_content, DAY, dry_run=False)
    before = {p: p.read_bytes() for p in empty_content.rglob("*") if p.is_file()}
    again = import_digest(SEED, empty_content, DAY, dry_run=False)
    assert again.imported == []
    assert len(again.skipped) == 15
    assert again.skipped[0] == (
        "'Peru: ‘This Is The Beginning Of A Soft Coup’': same title and source as "
        f"{empty_content.as_posix()}/articles/2021/"
        "2021-09-01-peru-this-is-the-beginning-of-a-soft-coup.md"
    )
    assert again.lines()[-1] == "0 imported, 15 skipped."
    assert {p: p.read_bytes() for p in empty_content.rglob("*") if p.is_file()} == before


def test_a_title_typed_with_straight_quotes_is_the_same_as_one_pasted_with_curly_ones(
    empty_content: Path,
) -> None:
    import_digest(SEED, empty_content, DAY, dry_run=False)
    typed = empty_content.parent / "typed.txt"
    typed.write_text(
        "Peru's Socialist President, Pedro Castillo, In His Own Words\n\n"
        "By Pedro Castillo, Progressive International. -\n\nPeru's campaign [...]\n",
        encoding="utf-8",
    )
    again = import_digest(typed, empty_content, DAY, dry_run=False)
    assert again.lines()[-1] == "0 imported, 1 skipped."


@pytest.mark.parametrize(
    "title",
    [
        "Peru\u0301 On The Lima Group",  # "ú" as "u" and an accent, as macOS and PDFs write it
        "Perú On The Li\u00adma Group",  # a soft hyphen, as a PDF's text keeps it
        "1. Perú On The Lima Group",  # a newsletter's numbered list
        "• Perú On The Lima Group",
        "**Perú On The Lima Group**",  # bold, as an e-mail program's plain text writes it
    ],
)
def test_a_title_spelled_or_marked_up_otherwise_is_the_same_article(
    empty_content: Path, title: str
) -> None:
    import_digest(SEED, empty_content, DAY, dry_run=False)
    pasted = empty_content.parent / "pasted.txt"
    pasted.write_text(f"{title}\n\nBy Mision Verdad, Orinoco Tribune. -\n\nTexto [...]\n", "utf-8")
    again = import_digest(pasted, empty_content, DAY, dry_run=False)
    assert again.lines()[-1] == "0 imported, 1 skipped."


def test_a_soft_hyphen_and_decomposed_letters_do_not_reach_the_new_file(
    empty_content: Path,
) -> None:
    pasted = empty_content.parent / "pasted.txt"
    pasted.write_text(
        "Con\u00adgreso de Peru\u0301\n\nBy Ana Ruiz, Orinoco Tribune. -\n\nEl Con\u00adgreso "
        "de Peru\u0301 [...]\n",
        "utf-8",
    )
    import_digest(pasted, empty_content, DAY, dry_run=False)
    (new,) = (empty_content / "articles").rglob("*.md")
    front, body = front_matter_and_body(new)
    assert "title: Congreso de Perú\n" in front
    assert body == "El Congreso de Perú [...]"


@pytest.mark.parametrize("ending", ["...", "…", "(...)", "(…)"])
def test_an_excerpt_going_on_after_an_ellipsis_is_marked_for_review(
    empty_content: Path, ending: str
) -> None:
    """A newsletter's footer after the last excerpt, which ends in "..." rather than "[...]",
    reads as more of it: the report says where to look."""
    digest = empty_content.parent / "newsletter.txt"
    digest.write_text(
        "Third Article\n\nBy Luis Mamani, Orinoco Tribune. -\n\n"
        f"Last excerpt that ends with three dots {ending}\n\n"
        "You are receiving this email because you subscribed.\n",
        encoding="utf-8",
    )
    report = import_digest(digest, empty_content, DAY, dry_run=True)
    assert report.lines()[0] == (
        f"would be imported: {empty_content.as_posix()}/articles/2021/2021-09-01-third-article.md "
        "(its excerpt goes on after a paragraph ending in “…”: review where it ends; "
        "no link: add its url)"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_digest_saved_as_utf_16_with_its_mark_is_read(empty_content: Path, encoding: str) -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark."""
    digest = empty_content.parent / "unicode.txt"
    text = SEED.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    digest.write_bytes(data)
    report = import_digest(digest, empty_content, DAY, dry_run=True)
    assert report.lines()[-1] == "Dry run, nothing written: 15 would be imported, 0 skipped."


def test_new_outlets_are_appended_to_sources_keeping_what_is_there(empty_content: Path) -> None:
    sources = empty_content / "sources.yaml"
    sources.write_text("# my outlets\n- name: Green Left\n  homepage: https://gl.test/", "utf-8")
    report = import_digest(SEED, empty_content, DAY, dry_run=False)
    assert report.new_sources == [
        "Workers World",
        "Kawsachun News",
        "Orinoco Tribune",
        "Progressive International",
        "Popular Resistance",
        "Telesur English",
        "Novara Media",
        "The Grayzone",
    ]
    text = sources.read_text(encoding="utf-8")
    assert text.startswith("# my outlets\n- name: Green Left\n  homepage: https://gl.test/\n")
    assert text.endswith("- name: Novara Media\n- name: The Grayzone\n")
    assert "added to sources.yaml: Workers World (fill in its homepage)" in report.lines()


def test_an_existing_file_is_never_overwritten(empty_content: Path) -> None:
    target = empty_content / "articles/2021/2021-09-01-peru-a-coup-brewing.md"
    target.parent.mkdir(parents=True)
    target.write_text("an editor's notes, not an article\n", encoding="utf-8")
    report = import_digest(SEED, empty_content, DAY, dry_run=False)
    assert target.read_text(encoding="utf-8") == "an editor's notes, not an article\n"
    assert len(report.imported) == 15
    assert (empty_content / "articles/2021/2021-09-01-peru-a-coup-brewing-2.md").exists()


def test_an_article_already_present_by_url_is_skipped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SEED_SITE, content)
    report = import_digest(SEED, content, DAY, dry_run=False)
    assert report.imported == []
    assert len(report.skipped) == 15


def test_a_dry_run_writes_nothing(empty_content: Path) -> None:
    report = import_digest(SEED, empty_content, DAY, dry_run=True)
    assert len(report.imported) == 15
    assert report.lines()[-1] == "Dry run, nothing written: 15 would be imported, 0 skipped."
    assert list((empty_content / "articles").rglob("*")) == []
    assert not (empty_content / "sources.yaml").exists()


def test_a_malformed_digest_imports_nothing(empty_content: Path) -> None:
    with pytest.raises(DigestError) as raised:
        import_digest(
            FIXTURES / "digests" / "several_problems.txt", empty_content, DAY, dry_run=False
        )
    assert len(raised.value.problems) > 1
    assert list((empty_content / "articles").rglob("*")) == []


def test_imported_files_load_with_a_warning_for_each_missing_link(empty_content: Path) -> None:
    import_digest(SEED, empty_content, DAY, dry_run=False)
    report = Report()
    assert len(load_site(empty_content, report).articles) == 15
    assert [w.message for w in report.warnings].count("no link to the whole article") == 15


def test_a_digest_import_builds_right_away(empty_content: Path, tmp_path: Path) -> None:
    import_digest(SEED, empty_content, DAY, dry_run=False)
    build(empty_content, TEMPLATES, tmp_path / "public", search=False)


def test_the_new_files_have_no_url_and_the_report_says_which_need_one(
    empty_content: Path,
) -> None:
    report = import_digest(
        FIXTURES / "digests" / "no_links_seed_items.txt",
        empty_content,
        date(2021, 8, 20),
        dry_run=False,
    )
    assert shown(report.lines(), empty_content) == [
        "imported: content/articles/2021/2021-08-20-peru-this-is-the-beginning-of-a-soft-coup.md"
        " (no link: add its url)",
        "imported: content/articles/2021/2021-08-20-alba-movements-issue-alert-over-coup-attempt"
        "-in-peru.md (no link: add its url)",
        "imported: content/articles/2021/2021-08-20-peru-a-coup-brewing.md (no link: add its url)",
        "added to sources.yaml: Workers World (fill in its homepage)",
        "added to sources.yaml: Kawsachun News (fill in its homepage)",
        "added to sources.yaml: Orinoco Tribune (fill in its homepage)",
        "3 imported, 0 skipped.",
    ]
    written = [front_matter_of(Path(path)) for path in report.imported]
    assert [("url" in data, data["authors"], data["source"]) for data in written] == [
        (False, ["Sengo Perez"], "Workers World"),
        (False, [], "Kawsachun News"),
        (False, ["Ángel Guerra Cabrera"], "Orinoco Tribune"),
    ]
    assert written[2]["id"] == derived_id("", "Orinoco Tribune", "Peru: A Coup Brewing")


def test_an_item_the_build_would_refuse_is_a_problem_at_its_line_and_nothing_is_imported(
    empty_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = tmp_path / "digest.txt"
    long = " ".join(["palabra"] * 900)  # 7,199 characters, then " [...]"
    digest.write_text(
        "Fine Title\n\nBy Ana Quispe, Orinoco Tribune. -\n\nA short excerpt [...]\n\n"
        f"Long One\n\nBy Ana Quispe, Orinoco Tribune. -\n\n{long} [...]\n",
        encoding="utf-8",
    )
    args = ["import-digest", str(digest), "--date", "2021-09-01", "--content", str(empty_content)]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        f"{digest}:7: 'Long One': paragraph of 7,205 characters; at most 5,000\n"
        "  hint: split it with blank lines\n"
        "1 problem found. Nothing was imported.\n"
    )
    assert not list((empty_content / "articles").rglob("*.md"))


def test_the_command_prints_the_report_and_problems(
    empty_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import-digest", str(SEED), "--date", "2021-09-01", "--content", str(empty_content)]
    assert main(args) == 0
    assert capsys.readouterr().out.endswith("15 imported, 0 skipped.\n")
    bad = FIXTURES / "digests" / "title_without_byline.txt"
    assert (
        main(["import-digest", str(bad), "--date", "2021-09-01", "--content", str(empty_content)])
        == 1
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.endswith("1 problem found. Nothing was imported.\n")


def test_only_what_would_be_read_as_markup_is_escaped() -> None:
    """Escapes lengthen a paragraph toward Markdown's limit, and the file is the editor's."""
    assert as_markdown("R&D spent 2 < 3 at AT&T; &copy2021 &hellip") == (
        "R&D spent 2 < 3 at AT&T; &amp;copy2021 &hellip"
    )


@pytest.mark.parametrize(
    ("excerpt", "shown"),
    [
        (
            "#FueraCastillo trended as marchers <estimated> reached 20,000 [...]",
            "<p>#FueraCastillo trended as marchers &lt;estimated&gt; reached 20,000 [...]</p>",
        ),
        (
            "<Ministro> Bellido would <not> resign; 2 * 3 * 4 = 24…",
            "<p>&lt;Ministro&gt; Bellido would &lt;not&gt; resign; 2 * 3 * 4 = 24…</p>",
        ),
        ("1. Primero\n- Luego", "<p>1. Primero\n- Luego</p>"),
        ("[...]: nota al pie", "<p>[...]: nota al pie</p>"),
    ],
)
def test_an_excerpt_is_written_so_that_markdown_shows_it_as_pasted(
    excerpt: str, shown: str
) -> None:
    assert MarkdownRenderer()(as_markdown(excerpt)) == shown


PASTED = st.lists(
    st.sampled_from(
        [*"ab1 #>-+*=_`\\[]()!<>&;.):/'\"\n", "[...]", "[…]", "&amp;", "    ", "1. ", "<b>", "==="]
    ),
    max_size=40,
).map(lambda parts: "\n".join(line for line in "".join(parts).split("\n") if line.strip()))


@given(PASTED)
def test_any_pasted_paragraph_reads_the_same_once_published(text: str) -> None:
    shown = plain_text(MarkdownRenderer()(as_markdown(text)))
    assert shown.split() == text.split()


def test_a_digest_dated_after_today_is_imported_with_a_note(empty_content: Path) -> None:
    """A mistyped year (2027 for 2021) would leave every article out of the site unsaid."""
    now = datetime(2021, 9, 2, 3, tzinfo=UTC)  # still 1 September in Lima
    report = import_digest(SEED, empty_content, date(2021, 9, 2), dry_run=True, now=now)
    future = "dated in the future (2021-09-02): built once that day comes"
    assert len(report.imported) == 15
    assert all(future in report.notes[path] for path in report.imported)
    today = import_digest(SEED, empty_content, date(2021, 9, 1), dry_run=True, now=now)
    assert not any(future in notes for notes in today.notes.values())


def test_a_digest_from_pdftotext_reads_its_page_breaks_as_line_breaks(
    empty_content: Path,
) -> None:
    paged = empty_content.parent / "paged.txt"
    paged.write_bytes(SEED.read_bytes().replace(b"\n\nPer\xc3\xba On", b"\n\f\nPer\xc3\xba On", 1))
    assert b"\f" in paged.read_bytes()
    report = import_digest(paged, empty_content, DAY, dry_run=True)
    assert report.lines()[-1] == "Dry run, nothing written: 15 would be imported, 0 skipped."
