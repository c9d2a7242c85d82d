"""``peru-digest new``: one correctly named, valid article file, its summary left to write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import fields as f
from ..config import Config, load_config
from ..errors import DigestError, Problem, Report
from .write import (
    ExistingContent,
    NewArticle,
    article_text,
    free_place,
    scan_existing,
    write_new_file,
)

SUMMARY_PLACEHOLDER = "<!-- Write the summary here: two or three sentences in your own words. -->"


def new_article(
    content: Path,
    *,
    title: str,
    source: str,
    url: str,
    day: date,
    topics: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
) -> Path:
    """Write the new file and return its path; DigestError lists every problem, nothing written."""
    config = load_config(content, Report())
    problems = option_problems(title, source, url, topics, config)
    item = NewArticle(title.strip(), day, source, authors, url, SUMMARY_PLACEHOLDER, topics)
    existing = scan_existing(content)
    if duplicate := existing.duplicate_of(item):
        problems.append(
            Problem("--url", None, f"this article is already in {content}: {duplicate}")
        )
    if problems:
        raise DigestError(problems)
    return write_file(item, content, existing)


def option_problems(
    title: str, source: str, url: str, topics: tuple[str, ...], config: Config
) -> list[Problem]:
    """The command-line values, checked as the front matter will be."""
    problems = []
    if not title.strip():
        problems.append(Problem("--title", None, "must not be empty"))
    try:
        f.http_url(url)
    except f.FieldError as error:
        problems.append(Problem("--url", None, error.message, error.hint))
    if source not in config.sources:
        unknown = f.unknown_reference("source", source, config.sources, "sources.yaml")
        problems.append(Problem("--source", None, unknown.message, unknown.hint))
    for topic in topics:
        if topic not in config.topics:
            unknown = f.unknown_reference("topic", topic, config.topics, "topics.yaml")
            problems.append(Problem("--topics", None, unknown.message, unknown.hint))
    return problems


def write_file(item: NewArticle, content: Path, existing: ExistingContent) -> Path:
    slug, path = free_place(item, content, existing.slugs)
    write_new_file(path, article_text(item, slug))
    return path
