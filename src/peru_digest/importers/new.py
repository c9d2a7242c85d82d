"""``peru-digest new``: one correctly named, valid article file, its summary left to write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from .. import fields as f
from ..config import Config
from ..errors import DigestError, Problem
from .commit import commit
from .links import web_address
from .plan import plan_import, read_settings
from .records import NewArticle

SUMMARY_PLACEHOLDER = "<!-- Write the summary here: two or three sentences in your own words. -->"
URL_HINT = "write it like https://example.org/page"


def new_article(
    content: Path,
    *,
    title: str,
    source: str,
    url: str,
    day: date | None,
    now: datetime,
    topics: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
) -> Path:
    """Write the new file and return its path; DigestError lists every problem, nothing written.

    ``day`` is the article's (None: today where the site is, by ``now``).
    """
    settings = read_settings(content)
    # As the loader reads them: the file says what it holds, and once.
    source, url, topics = source.strip(), url.strip(), tuple(dict.fromkeys(topics))
    day = day or now.astimezone(settings.config.site.time_zone).date()
    problems = option_problems(
        title, source, url, topics=topics, authors=authors, config=settings.config, day=day
    )
    item = NewArticle(title.strip(), day, source, authors, url, SUMMARY_PLACEHOLDER, topics)
    if duplicate := settings.existing.duplicate_of(item):
        problems.append(
            Problem("--url", None, f"this article is already in {content}: {duplicate}")
        )
    if problems:
        raise DigestError(problems)
    plan = plan_import([item], settings, dry_run=False)
    if plan.report.refused:
        raise DigestError(plan.report.refused)
    commit(plan)
    return plan.files[0].path


def option_problems(
    title: str,
    source: str,
    url: str,
    *,
    topics: tuple[str, ...],
    authors: tuple[str, ...],
    config: Config,
    day: date,
) -> list[Problem]:
    """The command-line values, checked as the front matter will be, each problem named by
    its option."""
    empty = [
        option for option, value in (("--title", title), ("--source", source)) if not value.strip()
    ]
    problems = [empty_option(option, config) for option in empty]
    for option, values in (("--title", [title]), ("--source", [source]), ("--authors", authors)):
        if option in empty:
            continue
        if error := first_error(f.text, values):
            problems.append(Problem(option, None, error.message, error.hint))
    if error := first_error(lambda moment: f.moment(moment, config.site.time_zone), [day]):
        problems.append(Problem("--date", None, error.message, error.hint))
    if not web_address(url.strip()):
        message = f"must be an absolute http(s) URL, not {url!r}"
        problems.append(Problem("--url", None, message, URL_HINT))
    if source not in config.sources and "--source" not in empty:
        unknown = f.unknown_reference("source", source, config.sources, "sources.yaml")
        problems.append(Problem("--source", None, unknown.message, unknown.hint))
    for topic in topics:
        if topic not in config.topics:
            unknown = f.unknown_reference("topic", topic, config.topics, "topics.yaml")
            problems.append(Problem("--topics", None, unknown.message, unknown.hint))
    return problems


def empty_option(option: str, config: Config) -> Problem:
    """An option given as nothing, with how to give it on the command line (the field's own
    hint speaks of YAML)."""
    if option == "--source":
        example = min(config.sources, default="Daily Andes")
        hint = f'name the outlet as sources.yaml does, such as --source "{example}"'
    else:
        hint = 'write the title after --title, in quotes: --title "Congress passes the budget"'
    return Problem(option, None, "must not be empty", hint)


def first_error(check: f.Check, values: Iterable[object]) -> f.FieldError | None:
    """What ``check`` finds wrong with the first of ``values`` it refuses, if any."""
    for value in values:
        try:
            check(value)
        except f.FieldError as error:
            return error
    return None
