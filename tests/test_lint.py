"""Editorial lint: site.yaml's `lint` rules, checked like every setting, and what `check`
reports of each published article, at the file and line to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from peru_digest.cli import main
from peru_digest.config import load_config
from peru_digest.errors import Report
from peru_digest.lint import House, LintRules, lint_articles, summary_lines

from .conftest import SEED_SITE, TEMPLATES, WriteArticle, problems_for

Capture = pytest.CaptureFixture[str]
FRONT = "title: A Headline\ndate: 2021-07-01\nsource: Daily Andes\nurl: https://andes.test/a"
SUMMARY_LINE = 8  # the line a one-line summary is on, below FRONT's front matter


def set_lint(content: Path, rules: str) -> None:
    """Append a `lint:` mapping to site.yaml (``rules``: its lines, indented)."""
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + f"lint:\n{rules}", "utf-8")


def findings(content: Path, rules: LintRules, *files: Path) -> list[str]:
    """What the rules find in ``files``, as printed, paths relative to ``content``."""
    config = load_config(content, Report())
    house = House(rules, config.site, dict(config.sources))
    return [str(p).replace(f"{content.as_posix()}/", "") for p in lint_articles(files, house)]


# The settings ------------------------------------------------------------------------------


def test_without_lint_every_rule_is_off(site_dir: Path) -> None:
    assert load_config(site_dir, Report()).lint == LintRules()


def test_every_rule_is_read_from_site_yaml(site_dir: Path) -> None:
    set_lint(
        site_dir,
        "  summary_words: [20, 120]\n  headline_chars: 100\n"
        "  require_link: true\n  excerpt_ending: true\n",
    )
    assert load_config(site_dir, Report()).lint == LintRules((20, 120), 100, True, True)


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            "  sumary_words: [20, 120]\n",
            "site.yaml:9: unknown key `sumary_words` in `lint`\n"
            "  hint: did you mean `summary_words`?",
        ),
        (
            "  summary_words: 20\n",
            "site.yaml:9: `summary_words` must be `[fewest, most]`, not 20\n"
            "  hint: write the fewest and the most words, like [20, 120]",
        ),
        (
            "  summary_words: [20, many]\n",
            "site.yaml:9: `summary_words` must be two whole numbers, not 'many'\n"
            "  hint: write the fewest and the most words, like [20, 120]",
        ),
        (
            "  summary_words: [120, 20]\n",
            "site.yaml:9: `summary_words` must have fewest ≤ most, and most ≥ 1, not [120, 20]\n"
            "  hint: write the fewest and the most words, like [20, 120]",
        ),
        (
            "  headline_chars: 0\n",
            "site.yaml:9: `headline_chars` must be a whole number of at least 1, not 0\n"
            "  hint: write a number such as 20, without quotes",
        ),
        (
            "  require_link: 'yes'\n",
            "site.yaml:9: `require_link` must be true or false, not the text 'yes'\n"
            "  hint: write true or false",
        ),
        (
            "  [excerpt_ending, true]\n",
            "site.yaml:8: `lint` must be a mapping of rules, not a list\n"
            "  hint: write each rule on its own line below `lint:`, like `  headline_chars: 100`",
        ),
    ],
)
def test_a_mistake_in_lint_is_a_problem_at_its_line(
    site_dir: Path, rules: str, expected: str
) -> None:
    set_lint(site_dir, rules)
    assert problems_for(site_dir) == [expected]


def test_an_empty_lint_is_every_rule_off(site_dir: Path) -> None:
    set_lint(site_dir, "")
    assert load_config(site_dir, Report()).lint == LintRules()


# The rules ---------------------------------------------------------------------------------


def test_a_summary_with_fewer_words_than_the_fewest_is_reported_at_its_first_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    path = write_article("a.md", FRONT, "Too short to say much.\n\nA second paragraph.")
    assert findings(site_dir, LintRules(summary_words=(10, 20)), path) == [
        f"articles/a.md:{SUMMARY_LINE}: summary of 8 words, fewer than 10\n"
        "  hint: say what the article reports in 10 to 20 words"
    ]


def test_a_summary_with_more_words_than_the_most_is_reported(
    site_dir: Path, write_article: WriteArticle
) -> None:
    path = write_article("a.md", FRONT, "word " * 21)
    assert findings(site_dir, LintRules(summary_words=(10, 20)), path) == [
        f"articles/a.md:{SUMMARY_LINE}: summary of 21 words, more than 20\n"
        "  hint: keep to what the article reports, in 10 to 20 words; an excerpt may stop early"
    ]


def test_a_missing_summary_is_no_finding_of_its_own_as_every_build_warns_of_it(
    site_dir: Path, write_article: WriteArticle
) -> None:
    path = write_article("a.md", FRONT, "")
    assert findings(site_dir, LintRules(summary_words=(10, 20)), path) == []


def test_words_are_counted_as_readers_see_them(site_dir: Path, write_article: WriteArticle) -> None:
    body = "*One* [two](https://andes.test/three-four-five) — three, 4 [...]"
    path = write_article("a.md", FRONT, body)
    assert findings(site_dir, LintRules(summary_words=(4, 4)), path) == []
    assert findings(site_dir, LintRules(summary_words=(5, 5)), path) == [
        f"articles/a.md:{SUMMARY_LINE}: summary of 4 words, fewer than 5\n"
        "  hint: say what the article reports in 5 to 5 words"
    ]


def test_a_headline_longer_than_the_most_is_reported_at_the_title_line(
    site_dir: Path, write_article: WriteArticle
) -> None:
    path = write_article("a.md", FRONT.replace("A Headline", "Ñandú " * 5), "Text.")
    assert findings(site_dir, LintRules(headline_chars=30), path) == []
    assert findings(site_dir, LintRules(headline_chars=28), path) == [
        "articles/a.md:2: headline of 29 characters, more than 28\n"
        "  hint: shorten `title:`: feed readers and search results cut long headlines"
    ]


CUT = (
    "an excerpt ends in `[...]`\n"
    "  hint: if it is an excerpt, end it with ` [...]`; if not, finish the sentence"
)


@pytest.mark.parametrize(
    ("ending", "expected"),
    [
        ("the people of [...]", ""),
        ("So it ended.", ""),
        ("“It is over,” she said.”", ""),
        ("Is it over?", ""),
        ("(See the report.)", ""),
        (
            "the people of […]",
            "ends in `[…]`: an excerpt ends in `[...]`\n  hint: replace the `[…]` with `[...]`",
        ),
        (
            "the people of…",
            "ends in `…`: an excerpt ends in `[...]`\n  hint: replace the `…` with `[...]`",
        ),
        (
            "the people of...",
            "ends in `...`: an excerpt ends in `[...]`\n  hint: replace the `...` with `[...]`",
        ),
        (
            "for the first time, the people of",
            f"ends mid-sentence (“…time, the people of”): {CUT}",
        ),
        (
            "the people:",
            f"ends mid-sentence (“…And then the people:”): {CUT}",
        ),
    ],
)
def test_a_summary_cut_off_mid_text_must_end_in_the_excerpt_mark(
    site_dir: Path, write_article: WriteArticle, ending: str, expected: str
) -> None:
    path = write_article("a.md", FRONT, f"A first paragraph.\n\nAnd then {ending}")
    found = findings(site_dir, LintRules(excerpt_ending=True), path)
    assert found == ([f"articles/a.md:{SUMMARY_LINE + 2}: summary {expected}"] if expected else [])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://andes.test/2021/07/a-story", ""),
        ("https://andes.test/?p=189533", ""),
        (
            "https://andes.test/",
            "`url` is a home page, not the article: https://andes.test/",
        ),
        (
            "https://www.example.org",
            "`url` is a home page, not the article: https://www.example.org",
        ),
        (
            "https://andes.test/news",
            "`url` is a home page, not the article: https://andes.test/news",
        ),
        (
            "https://digest.test/2021/07/a-headline/",
            "`url` leads to this site, not to the outlet: https://digest.test/2021/07/a-headline/",
        ),
    ],
)
def test_a_required_link_leads_to_the_article_at_the_outlet(
    site_dir: Path, write_article: WriteArticle, url: str, expected: str
) -> None:
    sources = site_dir / "sources.yaml"
    sources.write_text(
        sources.read_text("utf-8").replace("https://andes.test/", "https://andes.test/news/"),
        "utf-8",
    )
    path = write_article("a.md", FRONT.replace("https://andes.test/a", url), "Text.")
    assert findings(site_dir, LintRules(), path) == []
    assert findings(site_dir, LintRules(require_link=True), path) == (
        [f"articles/a.md:5: {expected}\n  hint: link the article's own page at the outlet"]
        if expected
        else []
    )


def test_a_missing_link_is_left_to_the_builds_own_warning(
    site_dir: Path, write_article: WriteArticle
) -> None:
    path = write_article("a.md", FRONT.replace("url: https://andes.test/a", ""), "Text.")
    assert findings(site_dir, LintRules(require_link=True), path) == []


def test_the_summary_lines_are_its_first_and_last_written_lines() -> None:
    assert summary_lines("---\ntitle: T\n---\n\n\nOne\n\nTwo\n\n") == (6, 8)
    assert summary_lines("\ufeff---\ntitle: T\n---\nOne") == (4, 4)
    assert summary_lines("---\ntitle: T\n---\n\n") == (4, 4)


# In `check` ----------------------------------------------------------------------------------


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def check_args(content: Path, *extra: str) -> list[str]:
    published = content.parent / "public"  # none: nothing to compare feeds with
    return [
        "check",
        "--content",
        str(content),
        "--templates",
        str(TEMPLATES),
        "--no-search",
        "--output",
        str(published),
        *extra,
    ]


def test_check_reports_each_finding_as_a_warning_and_strict_fails_on_them(
    site_dir: Path, capsys: Capture
) -> None:
    set_lint(site_dir, "  summary_words: [7, 100]\n  excerpt_ending: true\n")
    runoff = site_dir / "articles/2021/2021-06-06-runoff-day.md"
    runoff.write_text(runoff.read_text("utf-8").replace("was high.", "was high in"), "utf-8")
    status, out, err = run(capsys, *check_args(site_dir))
    assert status == 0
    assert out.startswith("Check passed: 3 articles")
    articles = f"{site_dir.as_posix()}/articles/2021"
    assert err.splitlines()[4:] == [  # after the build's two warnings (no topic)
        f"warning: {articles}/2021-06-06-count-begins.md:10: summary of 6 words, fewer than 7",
        "  hint: say what the article reports in 7 to 100 words",
        f"warning: {articles}/2021-06-06-runoff-day.md:10: summary ends mid-sentence "
        "(“…Turnout was high in”): an excerpt ends in `[...]`",
        "  hint: if it is an excerpt, end it with ` [...]`; if not, finish the sentence",
    ]
    status, _, err = run(capsys, *check_args(site_dir, "--strict"))
    assert status == 1
    assert err.endswith("4 problems found. The check failed.\n")


def test_check_lints_drafts_only_when_they_are_published(site_dir: Path, capsys: Capture) -> None:
    set_lint(site_dir, "  summary_words: [3, 100]\n")
    draft = "2021-08-01-draft-note.md: "
    assert draft not in run(capsys, *check_args(site_dir))[2]
    assert (
        f"{draft[:-2]}:9: summary of 2 words" in run(capsys, *check_args(site_dir, "--drafts"))[2]
    )


def test_the_seed_site_passes_a_strict_check_with_its_rules(
    tmp_path: Path, capsys: Capture
) -> None:
    content = SEED_SITE
    assert load_config(content, Report()).lint == LintRules((20, 120), 100, True, True)
    args = check_args(tmp_path / "content", "--strict")
    args[args.index(str(tmp_path / "content"))] = str(content)
    status, out, err = run(capsys, *args)
    assert (status, err) == (0, "")
    assert out.startswith("Check passed: 15 articles")
