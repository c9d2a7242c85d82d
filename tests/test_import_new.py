"""``peru-digest new``: its options checked as the front matter will be, as clear problems."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peru_digest.cli import main
from peru_digest.errors import DigestError
from peru_digest.importers.new import new_article

from .conftest import FIXTURES, loaded
from .imported import snapshot

# What YAML, a front-matter fence or a shell might make something else of.
HOSTILE = [
    *["---", "- a", "a: b", "#1", "&a", "*a", "!x", "|", ">", "%", "@x", "`x`", "'", '"'],
    *["yes", "null", "~", "1.5e3", "2021-01-01", "0x1F", "[a]", "{a}", "\\", "Perú 🇵🇪", "---\n"],
]


def new(site_dir: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    base = ["new", "--content", str(site_dir), "--source", "Lima Weekly", "--date", "2021-08-05"]
    status = main([*base, *options])
    return status, capsys.readouterr().err


def test_a_url_that_does_not_parse_is_a_clear_problem_not_an_internal_error(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(site_dir)
    assert new(site_dir, capsys, "--title", "T", "--url", "https://[::1") == (
        1,
        "--url: must be an absolute http(s) URL, not 'https://[::1'\n"
        "  hint: write it like https://example.org/page\n"
        "1 problem found. No file was written.\n",
    )
    assert snapshot(site_dir) == before


def test_titles_and_names_are_single_lines(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = new(
        site_dir,
        capsys,
        "--title",
        "T\nBy X, Y. -",
        "--authors",
        "A\nB",
        "--url",
        "https://l.test/t",
    )
    assert (status, err) == (
        1,
        "--authors: must be one line\n  hint: join its lines into one\n"
        "--title: must be one line\n  hint: join its lines into one\n"
        "2 problems found. No file was written.\n",
    )


def test_each_option_is_checked_as_its_field_and_named_in_its_problem(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--title", "Tab\there", "--url", "https://l.test/t", "--date", "0001-01-01"]
    status, err = new(site_dir, capsys, *args)
    assert (status, err) == (
        1,
        "--date: has a year before 1000: 0001-01-01T00:00:00\n"
        "  hint: write the year with its four digits, such as 2021\n"
        "--title: contains a tab\n  hint: replace it with a space\n"
        "2 problems found. No file was written.\n",
    )


def test_a_new_article_is_written_whole(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "new",
            "--content",
            str(site_dir),
            "--source",
            "Lima Weekly",
            "--date",
            "2021-08-05",
            "--title",
            "Perú Votes Again",
            "--url",
            "https://lima-weekly.test/again",
        ]
    )
    assert status == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.read_text("utf-8").endswith(
        "---\n\n<!-- Write the summary here: two or three sentences in your own words. -->\n"
    )


def test_a_new_article_without_a_date_is_dated_today_where_the_site_is(
    site_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1627869600")  # 2 August 2021, 02:00 UTC
    options = ["--source", "Lima Weekly", "--title", "Late News", "--url", "https://lw.test/late"]
    assert main(["new", "--content", str(site_dir), *options]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "2021-08-01-late-news.md"  # 21:00 on 1 August in Lima
    assert "\ndate: 2021-08-01\n" in path.read_text("utf-8")


def test_an_empty_option_is_told_how_to_give_it_on_the_command_line_not_in_yaml(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["new", "--content", str(site_dir), "--url", "https://l.test/t"]
    status = main([*base, "--source", "", "--title", "  "])
    assert (status, capsys.readouterr().err) == (
        1,
        "--source: must not be empty\n"
        '  hint: name the outlet as sources.yaml does, such as --source "Daily Andes"\n'
        "--title: must not be empty\n"
        '  hint: write the title after --title, in quotes: --title "Congress passes the budget"\n'
        "2 problems found. No file was written.\n",
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), min_size=1, max_size=4).map(
        " ".join
    ),
    authors=st.lists(st.sampled_from(HOSTILE) | st.text(min_size=1, max_size=8), max_size=3),
)
def test_a_new_file_loads_back_as_given_or_none_is_written(title: str, authors: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(FIXTURES / "site", content)
        try:
            path = new_article(
                content,
                title=title,
                source="Daily Andes",
                url="https://andes.test/new",
                day=date(2021, 9, 1),
                now=datetime(2021, 9, 1, tzinfo=UTC),
                authors=tuple(authors),
            )
        except DigestError:
            event("refused")
            assert snapshot(content) == snapshot(FIXTURES / "site")  # nothing written
            return
        event("written")
        [article] = [a for a in loaded(content).articles if a.url == "https://andes.test/new"]
    assert path.name.startswith("2021-09-01-")
    assert article.title == unicodedata.normalize("NFC", title.strip())
    given_names = [unicodedata.normalize("NFC", name.strip()) for name in authors]
    assert list(article.authors) == list(dict.fromkeys(given_names))  # each name once


def test_options_are_written_as_the_loader_reads_them_spaces_trimmed_and_each_topic_once(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--title", " Spaced ", "--url", " https://l.test/spaced ", "--source"]
    status, _ = new(site_dir, capsys, *options, " Lima Weekly ", "--topics", "election,election")
    assert status == 0
    written = (site_dir / "articles" / "2021" / "2021-08-05-spaced.md").read_text("utf-8")
    assert written.startswith(
        "---\ntitle: Spaced\ndate: 2021-08-05\nsource: Lima Weekly\nauthors: []\n"
        "url: https://l.test/spaced\ntopics: [election]\n"
    )
