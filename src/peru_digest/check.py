"""``peru-digest check``: everything a build checks, plus links, feeds and the editorial rules,
without publishing."""

from __future__ import annotations

import contextlib
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser

from . import articlefile, urls
from .build import BuildResult, build
from .config import load_config
from .content import article_files, load_site
from .errors import DigestError, Problem, Report
from .linkcheck import broken_targets
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
        problems = link_problems(site, result.base_url, content) + feed_reader_problems(site)
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


ARTICLE_PAGE = re.compile(r"\d{4}/\d{2}/[^/]+/index\.html")


def link_problems(site: Path, base_url: str, content: Path) -> list[Problem]:
    """Each page missing once: where summaries write a link to it (as written, a summary's
    link shows on its own page, and rewritten on every list that shows it), at each such
    article's file and line; else at the first page that links to it."""
    pages_by_target: dict[Path, list[tuple[str, str]]] = {}
    for page, link, target in broken_targets(site, base_url):
        pages_by_target.setdefault(target, []).append((page, link))
    files: dict[str, Path] | None = None  # article page → its file, found when first needed
    problems = []
    for found in pages_by_target.values():
        page, link = found[0]
        others = len({page for page, _ in found}) - 1
        more = f" (and on {others} more {'page' if others == 1 else 'pages'})" if others else ""
        if files is None and any(ARTICLE_PAGE.fullmatch(page) for page, _ in found):
            files = article_page_files(content, base_url)
        blamed = summaries_writing(found, files or {})
        for path, line, written in blamed:
            message = f"broken link in the summary: {written}{more}"
            problems.append(Problem(path.as_posix(), line, message, "correct the link"))
        if not blamed:
            hint = "correct the link or the page"
            problems.append(Problem(f"public/{page}", None, f"broken link: {link}{more}", hint))
    return problems


def article_page_files(content: Path, base_url: str) -> dict[str, Path]:
    """Each article page of the site, with the file it is made from."""
    try:
        site = load_site(content, Report(), base_url)  # as built: site.yaml may have none
    except DigestError:  # cannot be: the build read it (an edit since, at worst)
        return {}
    return {urls.output_file(urls.article_path(a)): content / a.path for a in site.articles}


def summaries_writing(
    found: list[tuple[str, str]], files: dict[str, Path]
) -> list[tuple[Path, int, str]]:
    """The file and line of each article whose own page holds the link and whose summary
    writes it, as a Markdown link's address or an HTML attribute's value."""
    blamed: dict[Path, tuple[Path, int, str]] = {}
    for page, link in found:
        path = files.get(page)
        if path is None or path in blamed:
            continue
        with contextlib.suppress(OSError, UnicodeError):
            lines = articlefile.lines_of(path.read_text(encoding="utf-8"))
            marks = (f"]({link})", f"]({link} ", f'"{link}"', f"'{link}'", f"]: {link}")
            number = next(
                (n for n, line in enumerate(lines, 1) if any(m in line for m in marks)), 0
            )
            if number:
                blamed[path] = (path, number, link)
    return list(blamed.values())


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
