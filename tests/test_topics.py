"""Automatic topics: keywords found in the title or summary, ignoring case and accents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peru_digest.content import load_site
from peru_digest.errors import DigestError, Report
from peru_digest.model import Topic
from peru_digest.topics import TopicMatcher, explain_file, fold

from .conftest import WriteArticle
from .test_content import deadline

MATCHER = TopicMatcher.from_topics(
    [
        Topic("election", "Election", "", ("runoff", "JNE", "Fujimori")),
        Topic("peru", "Peru", "", ("Perú",)),
        Topic("quiet", "Quiet", "", ()),
    ]
)


def test_folding_drops_case_and_accents() -> None:
    assert fold("Perú ÁNGEL Bejar") == "peru angel bejar"


def test_keywords_match_whole_words_ignoring_case_and_accents() -> None:
    assert MATCHER.suggest("The RUNOFF in peru") == ("election", "peru")
    assert MATCHER.suggest("Runoffs and Peruvian news") == ()
    assert MATCHER.explain("Fujimori asks the JNE; Fujimori again") == {
        "election": ["fujimori", "jne"]
    }


def test_an_article_without_topics_gets_them_from_keywords(
    site_dir: Path, write_article: WriteArticle
) -> None:
    topics = site_dir / "topics.yaml"
    topics.write_text(
        topics.read_text("utf-8").replace(
            "  description: Votes & counts.", "  description: Votes & counts.\n  keywords: [ballot]"
        ),
        "utf-8",
    )
    write_article(
        "auto.md",
        "title: Ballots Counted\ndate: 2021-06-07\nsource: Daily Andes\nurl: https://a.test/b",
        "Every ballot was counted.",
    )
    report = Report()
    site = load_site(site_dir, report)
    warnings = report.warnings
    auto = next(a for a in site.articles if a.slug == "ballots-counted")
    assert auto.topics == ("election",)
    assert auto.auto_topics is True
    # Two fixture articles have no topics and match no keyword: a warning for each.
    hint = "\n  hint: add `topics: [...]`, or keywords to topics.yaml that its text contains"
    assert [str(w).replace(f"{site_dir.as_posix()}/", "") for w in warnings] == [
        "articles/2021/2021-07-28-inauguration.md:7: no topic" + hint,
        "articles/2021/2021-08-01-draft-note.md:2: no topic" + hint,
    ]


def explain_problems(content: Path, article: Path) -> list[str]:
    with deadline(10), pytest.raises(DigestError) as raised:
        explain_file(content, article)
    return [str(problem) for problem in raised.value.problems]


def test_explain_reads_only_a_regular_file_never_a_fifo_or_a_device(site_dir: Path) -> None:
    fifo = site_dir / "articles" / "fifo.md"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), site_dir / "articles"):
        assert explain_problems(site_dir, path) == [
            f"{path.as_posix()}: not a regular file\n  hint: content files must be plain files"
        ]
    missing = site_dir / "articles" / "nowhere.md"
    assert explain_problems(site_dir, missing) == [
        f"{missing.as_posix()}: file not found\n  hint: create it; see README.md"
    ]


def test_explain_reads_an_article_file_within_the_build_s_limits(
    site_dir: Path, write_article: WriteArticle
) -> None:
    large = write_article("large.md", "title: Large", "word " * 7000)
    binary = site_dir / "articles" / "binary.md"
    binary.write_bytes(b"---\ntitle: x\n---\n\xff\n")
    control = write_article("control.md", "title: A\x01", "B\x02\n\nC\x03")
    assert explain_problems(site_dir, large) == [
        f"{large.as_posix()}: file larger than 32 KB\n  hint: shorten it, or split it"
    ]
    assert explain_problems(site_dir, binary) == [
        f"{binary.as_posix()}:4: not UTF-8 text (invalid start byte)\n  hint: save it as UTF-8"
    ]
    assert explain_problems(site_dir, control) == [
        f"{control.as_posix()}:{line}: control character {code}\n"
        "  hint: delete it: it is invisible, and feeds cannot carry it"
        for line, code in ((2, "U+0001"), (5, "U+0002"), (7, "U+0003"))
    ]
