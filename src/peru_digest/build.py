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
from .group import find_collisions, plan_site
from .render import check_templates, make_environment, render_page
from .views import make_views
from .write import staged_output

STATIC_DIR = "static"
OPML = "feeds.opml"


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    feeds: int
    drafts: int


def build(
    content: Path, templates: Path, output: Path, *, base_url: str | None = None
) -> BuildResult:
    """Build the site into ``output``; on problems raise DigestError and leave ``output`` be."""
    # Phase 1: gather and check everything; nothing is written yet.
    problems: list[Problem] = []
    site = load_site(content, problems, base_url)
    if site is None:
        raise DigestError(problems)
    published = tuple(a for a in site.articles if not a.draft)
    views = make_views(dataclasses.replace(site, articles=published))
    plan = plan_site(views, site.config)
    env = make_environment(templates)
    outputs = [*(page.path for page in plan.pages), *(feed.path for feed in plan.feeds), OPML]
    problems = find_collisions(outputs, output.name)
    problems += check_templates(env, {page.template for page in plan.pages})
    if problems:
        raise DigestError(problems)

    # Phase 2: render everything into a fresh folder, then swap it in for the old site.
    with staged_output(output) as stage:
        for page in plan.pages:
            stage.write(urls.output_file(page.path), render_page(env, page, views.site))
        for feed in plan.feeds:
            text = render_feed(feed)
            problems += feed_problems(feed, text, output.name)
            stage.write(feed.path, text)
        if problems:
            raise DigestError(problems)
        stage.write(OPML, render_opml(plan.feeds, views.site))
        stage.copy_tree(templates / STATIC_DIR)
    drafts = len(site.articles) - len(published)
    return BuildResult(len(published), len(plan.pages), len(plan.feeds), drafts)


def feed_problems(feed: Feed, text: str, output: str) -> list[Problem]:
    """A feed that breaks its format's rules fails the build, naming the feed and the item."""
    return [
        Problem(
            f"{output}/{feed.path}", None, f"invalid {FORMAT_NAMES[feed.format]} feed: {message}"
        )
        for message in check_feed(feed, text)
    ]
