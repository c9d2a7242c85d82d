"""The recipe: load and validate → serialise → plan pages → render → write atomically."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .content import load_site
from .errors import DigestError, Problem
from .group import find_collisions, plan_pages
from .render import check_templates, make_environment, render_page
from .views import make_views
from .write import staged_output

STATIC_DIR = "static"


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
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
    pages = plan_pages(views, site.config.page_size, site.config.feed_items)
    env = make_environment(templates)
    problems = find_collisions(pages, output.name)
    problems += check_templates(env, {page.template for page in pages})
    if problems:
        raise DigestError(problems)

    # Phase 2: render every page into a fresh folder, then swap it in for the old site.
    with staged_output(output) as stage:
        for page in pages:
            stage.write(urls.output_file(page.path), render_page(env, page, views.site))
        stage.copy_tree(templates / STATIC_DIR)
    return BuildResult(len(published), len(pages), len(site.articles) - len(published))
