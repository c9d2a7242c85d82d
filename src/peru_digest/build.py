"""The recipe: load and validate → serialise → plan pages and feeds → render → write atomically."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .content import load_site
from .errors import DigestError, Problem
from .feedcheck import check_feed
from .feeds import FORMAT_NAMES, Feed, render_feed, render_opml
from .group import Plan, find_collisions, plan_site
from .render import check_templates, make_environment, render_page
from .search import index_search
from .sitemap import Entry, robots_txt, sitemap_files
from .views import View, make_views
from .write import Stage, staged_output

STATIC_DIR = "static"
EXTRA_FILES = ("feeds.opml", "sitemap.xml", "robots.txt")


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    feeds: int
    drafts: int


def build(
    content: Path,
    templates: Path,
    output: Path,
    *,
    base_url: str | None = None,
    search: bool = True,
) -> BuildResult:
    """Build the site into ``output``; on problems raise DigestError and leave ``output`` be."""
    # Phase 1: gather and check everything; nothing is written yet.
    problems: list[Problem] = []
    site = load_site(content, problems, base_url)
    if site is None:
        raise DigestError(problems)
    published = tuple(a for a in site.articles if not a.draft)
    views = make_views(dataclasses.replace(site, articles=published), search=search)
    plan = plan_site(views, site.config)
    env = make_environment(templates)
    outputs = [*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds)]
    problems = find_collisions([*outputs, *EXTRA_FILES], output.name)
    problems += check_templates(env, {page.template for page in plan.pages})
    if problems:
        raise DigestError(problems)

    # Phase 2: write everything into a fresh folder, then swap it in for the old site.
    with staged_output(output) as stage:
        for page in plan.pages:
            stage.write(urls.output_file(page.path), render_page(env, page, views.site))
        write_feeds(stage, plan, views.site, output.name)
        write_indexes(stage, plan, site.config.base_url)
        stage.copy_tree(templates / STATIC_DIR)
        if search and (problems := index_search(stage.folder)):
            raise DigestError(problems)
    drafts = len(site.articles) - len(published)
    return BuildResult(len(published), len(plan.pages), len(plan.feeds), drafts)


def write_feeds(stage: Stage, plan: Plan, site: View, output: str) -> None:
    """Every feed, each checked; any violation in any feed fails the build."""
    problems: list[Problem] = []
    for feed in plan.feeds:
        text = render_feed(feed)
        problems += feed_problems(feed, text, output)
        stage.write(feed.path, text)
    if problems:
        raise DigestError(problems)
    stage.write("feeds.opml", render_opml(plan.feeds, site))


def feed_problems(feed: Feed, text: str, output: str) -> list[Problem]:
    """A feed that breaks its format's rules fails the build, naming the feed and the item."""
    name = FORMAT_NAMES[feed.format]
    return [
        Problem(f"{output}/{feed.path}", None, f"invalid {name} feed: {message}")
        for message in check_feed(feed, text)
    ]


def write_indexes(stage: Stage, plan: Plan, base_url: str) -> None:
    """What crawlers read: the sitemap and robots.txt."""
    entries = [
        Entry(urls.absolute(base_url, page.path), page.lastmod)
        for page in plan.pages
        if page.in_sitemap
    ]
    for path, text in sitemap_files(entries, base_url):
        stage.write(path, text)
    stage.write("robots.txt", robots_txt(base_url))
