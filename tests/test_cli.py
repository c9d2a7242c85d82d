"""The command line: what an editor types, what it prints, and the exit status scripts see."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peru_digest import __main__ as entry
from peru_digest import __version__, cli, console
from peru_digest.cli import main
from peru_digest.errors import Problem

from .conftest import TEMPLATES, WriteArticle

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def build_args(site_dir: Path, *extra: str) -> list[str]:
    output = site_dir.parent / "public"
    return [
        "build",
        "--content",
        str(site_dir),
        "--templates",
        str(TEMPLATES),
        "--output",
        str(output),
        "--no-search",
        *extra,
    ]


def test_build_prints_one_summary_and_lists_what_was_left_out(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1627000000")  # 23 July 2021: after the count
    status, out, err = run(capsys, *build_args(site_dir))
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == [
        f"left out: {site_dir.as_posix()}/articles/2021/2021-08-01-draft-note.md: draft",
        f"left out: {site_dir.as_posix()}/articles/2021/2021-07-28-inauguration.md: "
        "dated in the future (2021-07-28T00:00:00-05:00)",
    ]
    assert lines[2].startswith(
        f"Built 2 articles into 20 pages and 15 feeds in {site_dir.parent}/public/ in "
    )
    assert lines[2].endswith(" s; 2 left out; 2 warnings.")
    assert err.count("warning: ") == 2


class ClosedPipe(io.StringIO):
    """Standard output whose reader has stopped reading (``peru-digest build | head -0``)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_nobody_reads_any_more_ends_the_command_quietly_as_a_closed_pipe_would(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(build_args(site_dir)) == 141  # 128 + SIGPIPE, as `yes | head -1` leaves `yes`
    assert capsys.readouterr().err.count("internal error") == 0
    assert (site_dir.parent / "public" / "index.html").is_file()  # the work was done


class FullDisk(io.StringIO):
    """Standard output into a full disk (``peru-digest build > /dev/full``): a write fails,
    and what it held is dropped, so a flush after it succeeds."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_output_that_cannot_be_written_is_one_clear_error_after_the_work_is_done(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", FullDisk())
    assert main(build_args(site_dir)) == 1
    err = capsys.readouterr().err
    assert err.endswith("error: cannot write to standard output: No space left on device\n")
    assert "internal error" not in err
    assert (site_dir.parent / "public" / "index.html").is_file()


def test_a_failure_elsewhere_is_not_blamed_on_standard_output(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_: object, **__: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("peru_digest.cli.build", failing)
    assert main(build_args(site_dir)) == 2
    assert capsys.readouterr().err.startswith("internal error: OSError: [Errno 5] Input/output")


def test_one_article_is_counted_as_one(site_dir: Path, capsys: Capture) -> None:
    for path in sorted((site_dir / "articles").rglob("*.md"))[1:]:
        path.unlink()
    status, out, _ = run(capsys, *build_args(site_dir, "--drafts", "--future"))
    assert status == 0
    assert out.startswith("Built 1 article into ")


def test_drafts_and_future_articles_can_be_included(site_dir: Path, capsys: Capture) -> None:
    status, out, _ = run(capsys, *build_args(site_dir, "--drafts", "--future"))
    assert status == 0
    assert "left out" not in out
    assert out.startswith("Built 4 articles")


def test_quiet_prints_nothing_but_warnings(site_dir: Path, capsys: Capture) -> None:
    status, out, err = run(capsys, *build_args(site_dir, "--quiet"))
    assert (status, out) == (0, "")
    assert [line for line in err.splitlines() if not line.startswith("  hint: ")] == [
        f"warning: {site_dir}/articles/2021/2021-07-28-inauguration.md:7: no topic",
        f"warning: {site_dir}/articles/2021/2021-08-01-draft-note.md:2: no topic",
    ]  # one that a feed's subscribers would notice is given by one build only: never hidden


def test_a_process_that_builds_again_and_again_prints_each_warning_once(
    capsys: Capture,
) -> None:
    warnings = console.NewWarnings()
    topic, link = Problem("a.md", 2, "no topic"), Problem("b.md", 3, "no link")
    for given in ([topic], [topic], [topic, link], [topic], [topic, link]):
        warnings.report(given)
    assert capsys.readouterr().err == (
        "warning: a.md:2: no topic\nwarning: b.md:3: no link\nwarning: b.md:3: no link\n"
    )


def test_invalid_content_exits_1_with_every_problem_and_no_traceback(
    site_dir: Path, write_article: WriteArticle, capsys: Capture
) -> None:
    write_article("a.md", "title: A\ndate: someday\nsource: Nobody\nurl: x")
    status, out, err = run(capsys, *build_args(site_dir))
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("3 problems found. Nothing was built; the previous site is as it was.\n")


def test_what_a_message_quotes_of_a_file_cannot_drive_the_terminal(
    site_dir: Path, write_article: WriteArticle, capsys: Capture
) -> None:
    write_article(
        "a.md",
        'title: A\ndate: 2021-08-01\nsource: "Kawsachun\\e[2J"\nurl: https://e.org/e\n'
        'topics: ["\\e]0;pwned\\a", "x\\u202Ey", "x\\nwarning: all good"]',
    )
    status, _, err = run(capsys, *build_args(site_dir))
    assert status == 1
    assert "unknown source `Kawsachun\\x1b[2J`" in err
    assert "unknown topic `\\x1b]0;pwned\\x07`" in err
    assert "unknown topic `x\\u202ey`" in err
    assert "unknown topic `x\\nwarning: all good`" in err  # no line of its own
    assert not {"\x1b", "\x07", "\u202e", "\u2028"} & set(str(Problem("a", 1, "x\u2028y")))
    assert not {"\x1b", "\x07", "\u202e"} & set(err)


def test_an_internal_error_is_one_line_without_v_and_a_traceback_with_it(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "build", broken)
    status, _, err = run(capsys, *build_args(site_dir))
    assert status == 2
    assert err == (
        "internal error: RuntimeError: disk on fire\n"
        "  hint: run again with -v to see where it happened\n"
    )
    status, _, err = run(capsys, *build_args(site_dir, "-v"))
    assert status == 2
    assert err.startswith("Traceback (most recent call last):")


def test_new_writes_a_valid_file_and_never_overwrites(site_dir: Path, capsys: Capture) -> None:
    args = [
        "new",
        "--content",
        str(site_dir),
        "--title",
        "Perú Votes Again",
        "--source",
        "Lima Weekly",
        "--url",
        "https://lima-weekly.test/again",
        "--date",
        "2021-08-05",
        "--topics",
        "election",
        "--authors",
        "Ana Quispe, Luis Mamani and Rosa Huamán",
    ]
    status, out, _ = run(capsys, *args)
    assert status == 0
    path = Path(out.strip())
    assert path == site_dir / "articles/2021/2021-08-05-peru-votes-again.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "---\ntitle: Perú Votes Again\ndate: 2021-08-05\nsource: Lima Weekly\n"
        "authors: [Ana Quispe, Luis Mamani, Rosa Huamán]\nurl: https://lima-weekly.test/again\n"
        "topics: [election]\nid: urn:uuid:"
    )
    assert run(capsys, *build_args(site_dir, "--quiet"))[0] == 0
    status, _, err = run(capsys, *args)
    assert status == 1
    assert err == (
        f"--url: this article is already in {site_dir}: same url as {path.as_posix()}\n"
        "1 problem found. No file was written.\n"
    )
    assert path.read_text(encoding="utf-8") == text


def test_new_checks_its_options_like_the_front_matter(site_dir: Path, capsys: Capture) -> None:
    status, _, err = run(
        capsys,
        "new",
        "--content",
        str(site_dir),
        "--title",
        "X",
        "--source",
        "Lima Weakly",
        "--url",
        "lima.test/x",
        "--topics",
        "electon",
    )
    assert status == 1
    assert err == (
        "--source: unknown source `Lima Weakly`\n"
        "  hint: declare it in sources.yaml, or did you mean `Lima Weekly`?\n"
        "--topics: unknown topic `electon`\n"
        "  hint: declare it in topics.yaml, or did you mean `election`?\n"
        "--url: must be an absolute http(s) URL, not 'lima.test/x'\n"
        "  hint: write it like https://example.org/page\n"
        "3 problems found. No file was written.\n"
    )


def test_check_passes_a_good_site_and_fails_strict_on_warnings(
    site_dir: Path, capsys: Capture
) -> None:
    base = ["check", "--content", str(site_dir), "--templates", str(TEMPLATES)]
    status, out, err = run(capsys, *base)
    assert status == 0
    assert out == (
        "Check passed: 3 articles, 25 pages, 15 feeds; every internal link and feed is valid; "
        "2 warnings.\n"
    )
    assert err.count("warning: ") == 2
    status, _, err = run(capsys, *base, "--strict")
    assert status == 1
    assert err.endswith("2 problems found. The check failed.\n")


def test_a_strict_check_that_meets_a_problem_says_the_warnings_it_counts_as_problems_too(
    site_dir: Path, capsys: Capture
) -> None:
    (site_dir / "articles" / "bad.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    base = ["check", "--content", str(site_dir), "--templates", str(TEMPLATES)]
    _, _, err = run(capsys, *base)
    assert err.count("no topic") == 0  # as a build with problems: only what stops it
    status, _, err = run(capsys, *base, "--strict")
    assert status == 1
    assert err.count("no topic") == 2
    assert "articles/bad.md:2: front matter is missing `date`" in err


def test_check_finds_a_broken_link(
    site_dir: Path, write_article: WriteArticle, capsys: Capture
) -> None:
    write_article(
        "linking.md",
        "title: Linking\ndate: 2021-07-01\nsource: Lima Weekly\nurl: https://l.test/x\n"
        "topics: [election]",
        "See [the missing page](../../06/no-such-article/).",
    )
    status, _, err = run(capsys, "check", "--content", str(site_dir), "--templates", str(TEMPLATES))
    assert status == 1
    assert (
        f"{site_dir}/articles/linking.md:9: broken link in the summary: ../../06/no-such-article/"
        " (and on 5 more pages)\n  hint: correct the link\n1 problem found. The check failed.\n"
    ) in err


def test_check_blames_the_summary_whose_own_page_the_link_breaks_on_not_one_it_works_on(
    site_dir: Path, write_article: WriteArticle, capsys: Capture
) -> None:
    for name, day in [("a-june", "2021-06-20"), ("b-july", "2021-07-20")]:
        write_article(
            f"{name}.md",
            f"title: {name}\ndate: {day}\nsource: Lima Weekly\nurl: https://l.test/{name}\n"
            "topics: [election]",
            "See [the runoff](../runoff-day/).",  # a sibling of June's page only
        )
    settings = site_dir / "site.yaml"  # the address given as an option only, as it may be
    settings.write_text(settings.read_text("utf-8").replace("base_url:", "# base_url:"), "utf-8")
    args = [
        "--content",
        str(site_dir),
        "--templates",
        str(TEMPLATES),
        "--base-url",
        "https://d.test/",
    ]
    status, _, err = run(capsys, "check", *args)
    assert status == 1
    assert f"{site_dir}/articles/b-july.md:9: broken link in the summary: ../runoff-day/" in err
    assert "a-june.md" not in err


def test_check_names_a_broken_link_of_the_templates_once_at_the_first_page(
    site_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    base = templates / "base.html"
    base.write_text(
        base.read_text("utf-8").replace("</footer>", '<a href="{{ root }}gone/">x</a></footer>'),
        "utf-8",
    )
    status, _, err = run(capsys, "check", "--content", str(site_dir), "--templates", str(templates))
    assert status == 1
    assert err.count("broken link") == 1
    assert "gone/ (and on 24 more pages)\n  hint: correct the link or the page\n" in err


def test_topics_explain_names_the_keywords_found(site_dir: Path, capsys: Capture) -> None:
    topics = site_dir / "topics.yaml"
    topics.write_text(
        topics.read_text("utf-8").replace(
            "  description: Votes & counts.",
            "  description: Votes & counts.\n  keywords: [polls, COUNT]",
        ),
        "utf-8",
    )
    article = site_dir / "articles/2021/2021-06-06-runoff-day.md"
    status, out, _ = run(capsys, "topics", "--content", str(site_dir), "--explain", str(article))
    assert (status, out) == (
        0,
        "this file lists its own topics (election): keywords give topics only to an article "
        "that lists none; they would give it:\nelection: polls\n",
    )
    article.write_text(article.read_text("utf-8").replace("topics: [election]\n", ""), "utf-8")
    status, out, _ = run(capsys, "topics", "--content", str(site_dir), "--explain", str(article))
    assert (status, out) == (0, "election: polls\n")


def test_every_command_explains_itself(capsys: Capture) -> None:
    for command in (
        "build",
        "serve",
        "check",
        "new",
        "import-digest",
        "import-feed",
        "edition",
        "topics",
    ):
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])
        assert exited.value.code == 0
        assert f"usage: peru-digest {command}" in capsys.readouterr().out


def test_an_unknown_option_is_told_with_its_commands_usage(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--bogus"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: peru-digest build ")
    assert err.endswith("peru-digest build: error: unrecognized arguments: --bogus\n")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_only_on_a_terminal_and_after_a_second() -> None:
    quick = FakeTerminal()
    bar = console.ProgressBar(quick, started=time.perf_counter())
    bar(5, 10)
    assert quick.getvalue() == ""
    slow = FakeTerminal()
    bar = console.ProgressBar(slow, started=time.perf_counter() - 2)
    bar(5, 10)
    assert slow.getvalue() == "\rRendering [###############---------------] 5/10 pages"
    bar.clear()
    assert slow.getvalue().endswith("\r" + " " * 60 + "\r")
    piped = io.StringIO()
    console.ProgressBar(piped, started=time.perf_counter() - 2)(5, 10)
    assert piped.getvalue() == ""


def test_topics_explain_on_a_missing_file_or_a_folder_is_one_problem_with_a_hint(
    site_dir: Path, capsys: Capture
) -> None:
    missing = site_dir / "articles" / "nowhere.md"
    status, out, err = run(capsys, "topics", "--content", str(site_dir), "--explain", str(missing))
    assert (status, out) == (1, "")
    assert err == (
        f"{missing.as_posix()}: file not found\n"
        "  hint: create it; see README.md\n"
        "1 problem found. Nothing to explain.\n"
    )
    folder = site_dir / "articles"
    status, _, err = run(capsys, "topics", "--content", str(site_dir), "--explain", str(folder))
    assert (status, err) == (
        1,
        f"{folder.as_posix()}: not a regular file\n"
        "  hint: content files must be plain files\n"
        "1 problem found. Nothing to explain.\n",
    )


def test_a_content_folder_that_is_not_there_is_one_problem(tmp_path: Path, capsys: Capture) -> None:
    nowhere = tmp_path / "nowhere"
    status, _, err = run(
        capsys, "build", "--content", str(nowhere), "--output", str(tmp_path / "p")
    )
    assert (status, err) == (
        1,
        f"{nowhere}: content folder not found\n"
        "  hint: pass the folder of site.yaml, topics.yaml and articles/ with --content\n"
        "1 problem found. Nothing was built; the previous site is as it was.\n",
    )


@pytest.mark.parametrize(
    ("change", "problem", "hint"),
    [
        ("rename", "not found", "rename Articles/ to articles/"),
        (
            "remove",
            "not found",
            "article files go in articles/ beside site.yaml (an empty "
            "folder: a site with no articles yet)",
        ),
        (
            "file",
            "is not a folder",
            "article files go in articles/ beside site.yaml (an empty "
            "folder: a site with no articles yet)",
        ),
    ],
    ids=["misnamed", "missing", "a-file"],
)
@pytest.mark.parametrize("built", [True, False], ids=["build", "check"])
def test_a_content_folder_without_its_articles_folder_is_a_problem_not_an_empty_site(  # noqa: PLR0917
    site_dir: Path, capsys: Capture, change: str, problem: str, hint: str, built: bool
) -> None:
    output = site_dir.parent / "public"
    assert run(capsys, "build", "--content", str(site_dir), "--output", str(output))[0] == 0
    before = sorted(output.rglob("*"))
    articles = site_dir / "articles"
    if change == "rename":
        articles.rename(site_dir / "Articles")
    else:
        shutil.rmtree(articles)
        if change == "file":
            articles.write_text("x", encoding="utf-8")
    command = ["build", "--output", str(output)] if built else ["check"]
    status, _, err = run(capsys, *command, "--content", str(site_dir))
    assert (status, err.splitlines()[:2]) == (
        1,
        [f"{articles.as_posix()}: articles folder {problem}", f"  hint: {hint}"],
    )
    assert sorted(output.rglob("*")) == before


@pytest.mark.parametrize("built", [True, False], ids=["build", "check"])
def test_a_folder_of_articles_that_cannot_be_read_is_a_problem_not_a_site_without_them(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, built: bool
) -> None:
    output = site_dir.parent / "public"
    assert run(capsys, "build", "--content", str(site_dir), "--output", str(output))[0] == 0
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    locked = next((site_dir / "articles").rglob("*.md")).parent
    assert locked != site_dir / "articles"
    listed = os.scandir

    def scandir(path: int | str | os.PathLike[str] = ".") -> object:  # as if unreadable: root
        if not isinstance(path, int) and Path(path) == locked:  # reads any folder, so a test
            raise PermissionError(13, "Permission denied", str(path))  # cannot take it away
        return listed(path)

    monkeypatch.setattr(os, "scandir", scandir)
    command = ["build", "--output", str(output)] if built else ["check"]
    status, _, err = run(capsys, *command, "--content", str(site_dir))
    assert (status, err.splitlines()[:2]) == (
        1,
        [
            f"{locked.as_posix()}: cannot read the folder: permission denied",
            "  hint: check its permissions: the articles in it cannot be published",
        ],
    )
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()} == (
        before
    )


@pytest.mark.parametrize("built", [True, False], ids=["build", "check"])
def test_what_editors_and_tools_keep_beside_articles_is_no_article(
    site_dir: Path, capsys: Capture, built: bool
) -> None:
    output = site_dir.parent / "public"
    assert run(capsys, "build", "--content", str(site_dir), "--output", str(output))[0] == 0
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    some = next((site_dir / "articles").rglob("*.md"))
    (some.parent / f".#{some.name}").symlink_to("editor@host.123:1700000000")  # Emacs's lock
    (some.parent / f"._{some.name}").write_bytes(b"\x00\x05\x16\x07Mac OS X")  # AppleDouble
    (site_dir / "articles" / ".git").mkdir()
    (site_dir / "articles" / ".git" / "notes.md").write_text("junk", encoding="utf-8")
    command = ["build", "--output", str(output)] if built else ["check"]
    status, _, err = run(capsys, *command, "--content", str(site_dir))
    assert (status, "problem" in err) == (0, False)
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("built", [True, False], ids=["build", "check"])
def test_an_article_saved_with_another_ending_is_named_not_left_out_silently(
    site_dir: Path, capsys: Capture, built: bool
) -> None:
    folder = site_dir / "articles" / "2021"
    some = sorted(folder.glob("*.md"))
    some[0].rename(folder / "a.MD")
    some[1].rename(folder / "b.md.txt")  # Notepad's
    some[2].rename(folder / "c.markdown")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")  # what is no article is left alone
    command = build_args(site_dir) if built else ["check", "--content", str(site_dir)]
    status, _, err = run(capsys, *command)
    assert status == 0
    warnings = [line for line in err.splitlines() if "not read as an article" in line]
    hints = [line for line in err.splitlines() if "rename it to" in line]
    assert warnings == [
        f"warning: {folder}/{name}: not read as an article: its name does not end in .md"
        for name in ("a.MD", "b.md.txt", "c.markdown")
    ]
    assert hints == [f"  hint: rename it to {name}.md" for name in "abc"]


@pytest.mark.parametrize("built", [True, False], ids=["build", "check"])
def test_an_article_outside_the_articles_folder_is_named_not_left_out_silently(
    site_dir: Path, capsys: Capture, built: bool
) -> None:
    some = sorted((site_dir / "articles" / "2021").glob("*.md"))
    (site_dir / "article").mkdir()
    some[0].rename(site_dir / "article" / "a.md")  # the folder's name mistyped
    some[1].rename(site_dir / "b.md")
    (site_dir / "README.md").write_text("# Notes for editors\n", encoding="utf-8")  # no article
    command = build_args(site_dir) if built else ["check", "--content", str(site_dir)]
    status, _, err = run(capsys, *command)
    assert status == 0
    lines = err.splitlines()
    at = [i for i, line in enumerate(lines) if "not read as an article" in line]
    assert [lines[i : i + 2] for i in at] == [
        [
            f"warning: {path}: not read as an article: it is not in articles/",
            f"  hint: move it into {site_dir.as_posix()}/articles/",
        ]
        for path in (site_dir / "article" / "a.md", site_dir / "b.md")
    ]


def test_a_digest_file_that_is_not_there_is_one_problem(site_dir: Path, capsys: Capture) -> None:
    missing = site_dir.parent / "pasted.txt"
    args = ["import-digest", str(missing), "--date", "2021-09-02", "--content", str(site_dir)]
    status, _, err = run(capsys, *args)
    assert (status, err) == (
        1,
        f"{missing}: cannot read the digest: file not found\n"
        "  hint: check the file's name and folder\n"
        "1 problem found. Nothing was imported.\n",
    )


def test_building_from_inside_the_content_folder_keeps_the_cache_beside_it(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site_dir)
    args = ["build", "--content", ".", "--templates", str(TEMPLATES), "--no-search", "-q"]
    assert main([*args, "--output", str(site_dir.parent / "public")]) == 0
    assert (site_dir.parent / ".peru-digest-cache").is_dir()
    assert not (site_dir / ".peru-digest-cache").exists()


def test_ctrl_c_while_the_program_starts_is_an_interruption_not_a_traceback(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def interrupted(name: str, *args: object, **kwargs: object) -> object:
        if name == "cli":  # `from .cli import main`: Ctrl-C while Jinja and the rest load
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert entry.main(["build"]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "Interrupted.\n"


def test_ctrl_c_while_the_arguments_are_read_is_an_interruption(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted() -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "parser", interrupted)
    assert entry.main(["build"]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "Interrupted.\n"


@pytest.mark.parametrize(
    "program",
    [[str(Path(sys.executable).with_name("peru-digest"))], [sys.executable, "-m", "peru_digest"]],
    ids=["console script", "python -m"],
)
def test_the_installed_program_starts_and_names_its_version(program: list[str]) -> None:
    done = subprocess.run([*program, "--version"], check=False, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"peru-digest {__version__}\n", "")


def test_output_the_terminal_cannot_encode_is_escaped_not_an_error(site_dir: Path) -> None:
    """``LANG=C`` or ``PYTHONIOENCODING=ascii``: the en dash of a week's title."""
    done = subprocess.run(
        [sys.executable, "-m", "peru_digest", "edition", "--week", "2021-W35", "--format",
         "text", "--content", str(site_dir), "--templates", str(TEMPLATES)],
        check=False, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.startswith(b"Test Digest: 30 August \\u2013 5 September 2021\n")


@pytest.mark.parametrize("epoch", ["abc", "1e9", "-5", "99999999999999", "１２"])
def test_a_source_date_epoch_that_is_no_moment_is_a_clear_problem(
    site_dir: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    status, out, err = run(capsys, *build_args(site_dir))
    assert (status, out) == (1, "")
    assert err == (
        "SOURCE_DATE_EPOCH: must be a whole number of seconds since 1970-01-01 UTC, before the "
        f"year 10000, not {epoch!r}\n"
        "  hint: unset it to use the current time, or set it as `date +%s` prints one\n"
        "1 problem found. Nothing was built; the previous site is as it was.\n"
    )
