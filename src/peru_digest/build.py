"""The recipe: load and validate → serialise → plan pages and feeds → render → write atomically."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import urls
from .content import load_site
from .errors import DigestError, Problem, Report
from .feedcheck import conformance
from .feeds import FORMAT_NAMES, Feed, render_feed, render_opml
from .group import Plan, find_collisions, plan_site
from .model import Article
from .output import Stage, check_output, staged_output
from .render import Renderer, check_templates, make_environment
from .search import index_search
from .sitemap import SitemapEntry, robots_txt, sitemap_files
from .views import ArticleViews, site_view

STATIC_DIR = "static"
EXTRA_FILES = (urls.OPML, urls.SITEMAP, urls.ROBOTS)


Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    feeds: int
    left_out: tuple[tuple[str, str], ...]  # (content file, why)
    warnings: tuple[Problem, ...]
    base_url: str


def build(
    content: Path,
    templates: Path,
    output: Path,
    *,
    base_url: str | None = None,
    now: datetime | None = None,
    drafts: bool = False,
    future: bool = False,
    search: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site into ``output``; on problems raise DigestError and leave ``output`` be.

    ``base_url`` overrides site.yaml; ``now`` is the clock (articles dated after it are left
    out unless ``future``); ``drafts`` includes drafts; ``search`` builds the Pagefind index.
    """
    check_output(output, [content, templates])
    # Phase 1: gather and check everything; nothing is written yet.
    report = Report()
    site = load_site(content, report, base_url)
    published, left_out = select_published(site.articles, now, drafts=drafts, future=future)
    site = dataclasses.replace(site, articles=published)
    plan = plan_site(site, search=search)
    env = make_environment(templates)
    outputs = [*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds)]
    report.problems += find_collisions([*outputs, *EXTRA_FILES], output.name)
    report.problems += check_templates(env, {page.template for page in plan.pages})
    report.check()
    views = ArticleViews(site, site.summaries)
    render = Renderer(env, site_view(site, search=search), views)

    # Phase 2: write everything into a fresh folder, then swap it in for the old site.
    with staged_output(output) as stage:
        for done, page in enumerate(plan.pages, start=1):
            stage.write(urls.output_file(page.path), render(page))
            if progress is not None:
                progress(done, len(plan.pages))
        write_feeds(stage, plan, views, output.name)
        stage.write(urls.OPML, render_opml(plan.feeds, site.config.title))
        write_indexes(stage, plan, site.config.base_url)
        stage.copy_tree(templates / STATIC_DIR)
        if search and (problems := index_search(stage.folder)):
            raise DigestError(problems)
    return BuildResult(
        articles=len(published),
        pages=len(plan.pages),
        feeds=len(plan.feeds),
        left_out=tuple(left_out),
        warnings=tuple(report.warnings + stage.warnings),
        base_url=site.config.base_url,
    )


def select_published(
    articles: Sequence[Article], now: datetime | None, *, drafts: bool, future: bool
) -> tuple[tuple[Article, ...], list[tuple[str, str]]]:
    """The articles readers see, and each one left out with the reason."""
    published, left_out = [], []
    for article in articles:
        if article.draft and not drafts:
            left_out.append((article.path, "draft"))
        elif now and article.date > now and not future:
            left_out.append((article.path, f"dated in the future ({article.date.isoformat()})"))
        else:
            published.append(article)
    return tuple(published), left_out


def write_feeds(stage: Stage, plan: Plan, views: ArticleViews, output: str) -> None:
    """Every feed, each checked; any violation in any feed fails the build."""
    problems: list[Problem] = []
    for feed in plan.feeds:
        text = render_feed(feed, views)
        problems += feed_problems(feed, text, output)
        stage.write(feed.path, text)
    if problems:
        raise DigestError(problems)


def feed_problems(feed: Feed, text: str, output: str) -> list[Problem]:
    """A feed that breaks its format's rules fails the build, naming the feed and the item."""
    name = FORMAT_NAMES[feed.format]
    return [
        Problem(f"{output}/{feed.path}", None, f"invalid {name} feed: {message}")
        for message in conformance(feed, text)
    ]


def write_indexes(stage: Stage, plan: Plan, base_url: str) -> None:
    """What crawlers read: the sitemap and robots.txt."""
    entries = [
        SitemapEntry(urls.absolute(base_url, page.path), page.lastmod)
        for page in plan.pages
        if page.in_sitemap
    ]
    for path, text in sitemap_files(entries, base_url):
        stage.write(path, text)
    stage.write(urls.ROBOTS, robots_txt(base_url))
