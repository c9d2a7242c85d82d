"""The incremental scenarios: one change to the corpus, its undo, and what the output should
then show (the edit, the new article) or no longer show (every mention of a deleted article).

Each undo puts back the very bytes and mtime of the file, so that every round starts from the
same corpus; the bench rebuilds (untimed) after it so that it starts from the same site too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from corpus import quoted

EDIT_WORD = "reworded"  # not a word the corpus generator uses
ADDED_SLUG = "an-article-added-by-the-benchmark"
ADDED_TITLE = "An article added by the benchmark"
ADDED_BODY = "A short summary written by the benchmark, to time what one new article costs."
WORD = re.compile(r"\b[a-z]{4,}\b")
PLAIN_TITLE = re.compile(r"[A-Za-z0-9 ,.-]+")  # the same in HTML, XML, JSON and URLs
FRONT_END = "\n---\n"


@dataclass(frozen=True)
class ArticleFile:
    """One content file as ``corpus.convert`` writes it: ``key: value`` lines, then the body."""

    path: Path
    text: str
    front: dict[str, str]  # raw values, JSON-quoted where convert quoted them
    mtime_ns: int

    @property
    def title(self) -> str:
        return str(json.loads(self.front["title"]))

    @property
    def slug(self) -> str:
        return self.front["slug"]

    @property
    def url(self) -> str:
        return str(json.loads(self.front["url"]))

    @property
    def date(self) -> datetime:
        return datetime.fromisoformat(self.front["date"])

    @property
    def body_start(self) -> int:
        return self.text.index(FRONT_END, 3) + len(FRONT_END)

    def restore(self) -> None:
        """The original bytes and mtime, as if the file had never been touched."""
        self.path.write_text(self.text, encoding="utf-8")
        os.utime(self.path, ns=(self.mtime_ns, self.mtime_ns))


def read_article(path: Path) -> ArticleFile:
    text = path.read_text(encoding="utf-8")
    front: dict[str, str] = {}
    for line in text[4 : text.index(FRONT_END, 3)].splitlines():
        key, _, value = line.partition(": ")
        front[key] = value
    return ArticleFile(path, text, front, path.stat().st_mtime_ns)


def read_articles(content: Path) -> list[ArticleFile]:
    """Every article, newest first."""
    articles = [read_article(path) for path in (content / "articles").glob("*/*.md")]
    return sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)


@dataclass(frozen=True)
class Change:
    """A change to the corpus; ``needles`` are looked for in the output before and after."""

    name: str  # the variant it is timed as
    apply: Callable[[], object]
    undo: Callable[[], object]
    needles: tuple[str, ...] = ()
    expect: str = ""  # after the build: "present" (some file has a needle) or "gone" (none)

    @property
    def changes_corpus(self) -> bool:
        return self.apply is not nothing


def nothing() -> None:
    """The no-change scenario's change."""


def no_change(name: str) -> Change:
    return Change(name, nothing, nothing)


def edit(name: str, article: ArticleFile) -> Change:
    """Change the first word of four letters or more of the summary to EDIT_WORD."""
    match = WORD.search(article.text, article.body_start)
    if match is None:
        raise ValueError(f"{article.path}: no word to edit")
    edited = article.text[: match.start()] + EDIT_WORD + article.text[match.end() :]
    return Change(
        name,
        lambda: article.path.write_text(edited, encoding="utf-8"),
        article.restore,
        (EDIT_WORD,),
        "present",
    )


def add(name: str, template: ArticleFile) -> Change:
    """A new file beside ``template``, an hour newer, with its source, authors and topics."""
    front = template.front | {
        "title": quoted(ADDED_TITLE),
        "date": (template.date + timedelta(hours=1)).isoformat(),
        "url": quoted(f"https://www.example.org/{ADDED_SLUG}"),
        "slug": ADDED_SLUG,
    }
    lines = ["---", *(f"{key}: {value}" for key, value in front.items()), "---", ""]
    text = "\n".join([*lines, ADDED_BODY, ""])
    path = template.path.with_name(f"{ADDED_SLUG}.md")
    return Change(
        name,
        lambda: path.write_text(text, encoding="utf-8"),
        path.unlink,
        (ADDED_SLUG,),
        "present",
    )


def delete(name: str, article: ArticleFile) -> Change:
    """Delete the file; its slug, title and link to the original must leave the output."""
    return Change(
        name,
        article.path.unlink,
        article.restore,
        (article.slug, article.title, article.url),
        "gone",
    )


def edit_target(articles: list[ArticleFile]) -> ArticleFile:
    """The newest article whose summary has no link or emphasis (so the edit is a word)."""
    for article in articles:
        body = article.text[article.body_start :]
        if "[" not in body and "*" not in body:
            return article
    return articles[0]


def delete_target(articles: list[ArticleFile]) -> ArticleFile:
    """The newest article whose title is plain ASCII and appears in no other title, so that
    finding the title in the output means finding this article."""
    titles = [article.title for article in articles]
    for index, article in enumerate(articles):
        title = article.title
        if PLAIN_TITLE.fullmatch(title) and not any(
            title in other for other_index, other in enumerate(titles) if other_index != index
        ):
            return article
    raise ValueError("no article with a unique plain title")


def plan_changes(content: Path, names: tuple[str, str, str, str]) -> list[Change]:
    """No change, edit, add, delete: the scenarios of one round, in order."""
    articles = read_articles(content)
    nothing_name, edit_name, add_name, delete_name = names
    return [
        no_change(nothing_name),
        edit(edit_name, edit_target(articles)),
        add(add_name, articles[0]),
        delete(delete_name, delete_target(articles)),
    ]
