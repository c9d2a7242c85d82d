"""Automatic topics: keywords from topics.yaml found in an article's title or summary.

Matching ignores case and accents ("Perú" matches "peru") and takes whole words only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import articlefile
from .config import load_topics
from .errors import Report
from .inputfile import article_text, read_article_bytes
from .model import Topic


def fold(text: str) -> str:
    """Lower case without accents: the form both keywords and text are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class TopicMatcher:
    """Finds which topics' keywords occur in a text."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (topic slug, keyword alternation)

    @classmethod
    def from_topics(cls, topics: Iterable[Topic]) -> TopicMatcher:
        patterns = []
        for topic in topics:
            words = sorted({fold(k) for k in topic.keywords if k.strip()}, key=len, reverse=True)
            if words:
                alternation = "|".join(re.escape(word) for word in words)
                patterns.append((topic.slug, re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")))
        return cls(tuple(patterns))

    def explain(self, text: str) -> dict[str, list[str]]:
        """Each matching topic with the keywords found, in order of first appearance."""
        folded = fold(text)
        found: dict[str, list[str]] = {}
        for slug, pattern in self.patterns:
            words = list(dict.fromkeys(match.group(0) for match in pattern.finditer(folded)))
            if words:
                found[slug] = words
        return found

    def suggest(self, text: str) -> tuple[str, ...]:
        folded = fold(text)
        return tuple(slug for slug, pattern in self.patterns if pattern.search(folded))


def explain_file(content: Path, article: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Which topics.yaml keywords the article file's title and summary contain, by topic; and
    the topics the file lists itself (keywords give topics only to a file that lists none)."""
    report = Report()
    topics = load_topics(content, report)
    parsed = read_article(article, report)
    report.check()
    assert topics is not None and parsed is not None
    title = str(parsed.front_matter.get("title", ""))
    listed = parsed.front_matter.get("topics")
    found = TopicMatcher.from_topics(topics.values()).explain(f"{title}\n{parsed.body}")
    return found, [str(topic) for topic in listed] if isinstance(listed, list) else []


def read_article(path: Path, report: Report) -> articlefile.ArticleFile | None:
    """The article file at ``path``, read as the build reads one: a regular file (never a FIFO
    or a device, which could stall or be endless) of UTF-8 text without control characters,
    within the size limit; None with every problem reported."""
    shown = path.as_posix()
    data = read_article_bytes(path, report)
    read = None if data is None else article_text(data, shown, report)
    if read is None or not read[1]:
        return None
    try:
        return articlefile.parse(read[0], shown)
    except articlefile.ArticleFileError as error:
        report.problems.append(error.problem)
        return None
