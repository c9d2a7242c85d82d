"""Automatic topics: keywords found in the title or summary, ignoring case and accents."""

from __future__ import annotations

from pathlib import Path

from peru_digest.content import load_site
from peru_digest.errors import Report
from peru_digest.model import Topic
from peru_digest.topics import TopicMatcher, fold

from .conftest import WriteArticle

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
