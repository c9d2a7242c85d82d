"""``peru-digest check``: everything a build checks, plus links, feeds and the editorial rules,
without publishing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser

from . import urls
from .build import BuildResult, build
from .config import load_config
from .content import article_files
from .errors import Problem, Report
from .linkcheck import broken_links
from .lint import House, lint_articles
from .workers import Workers


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    warnings: list[Problem]
    build: BuildResult


def check_site(
    content: Path, templates: Path, *, now: datetime | None, **options: Any
) -> CheckResult:
    """Build into a throwaway folder, then check every internal link and every feed there,
    and lint every published article. ``options`` are :func:`build`'s (``live`` is the
    published site to compare feeds with).

    Raises DigestError, as a build does, when the content itself is invalid.
    """
    with tempfile.TemporaryDirectory(prefix="peru-digest-check-") as scratch:
        site = Path(scratch) / "public"
        result = build(content, templates, site, now=now, **options)
        problems = link_problems(site, result.base_url) + feed_reader_problems(site)
    warnings = list(result.warnings) + lint_problems(content, result, options.get("base_url"))
    return CheckResult(problems, warnings, result)


def lint_problems(content: Path, result: BuildResult, base_url: str | None) -> list[Problem]:
    """The editorial rules of site.yaml, applied to every article the build published."""
    config = load_config(content, Report(), base_url)  # the build has read it without problems
    left_out = {path for path, _ in result.left_out}
    files = [
        path
        for path in article_files(content)
        if path.relative_to(content).as_posix() not in left_out
    ]
    house = House(config.lint, config.site, dict(config.sources))
    with Workers() as pool:
        return lint_articles(files, house, pool)


def link_problems(site: Path, base_url: str) -> list[Problem]:
    return [
        Problem(f"public/{page}", None, f"broken link: {link}", "correct the link or the page")
        for page, link in broken_links(site, base_url)
    ]


def feed_reader_problems(site: Path) -> list[Problem]:
    """What a feed reader would complain of: feedparser's ``bozo`` flag on any feed."""
    problems = []
    xml_feeds = (urls.FEED_FILES["rss"], urls.FEED_FILES["atom"])
    for path in sorted(path for name in xml_feeds for path in site.rglob(name)):
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(
                Problem(
                    f"public/{path.relative_to(site).as_posix()}",
                    None,
                    f"feed readers reject this feed: {parsed.bozo_exception}",
                )
            )
    return problems
