"""Shared fixtures: a small site to build, and helpers to write content files."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings

from peru_digest.build import build
from peru_digest.content import load_site
from peru_digest.errors import DigestError, Report
from peru_digest.model import Site, SiteConfig

# Started in the background (`make test &`, nohup), the run inherits SIGINT ignored, and so
# would the builds and servers the tests stop with it. A handler of this process's own is
# reset to the default in every process it starts.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# CI runs the same examples every time: a new failure there is a change, never a dice roll.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The seed collection as it shipped: content/ is the editors' to change, the tests' is their own.
SEED_SITE = FIXTURES / "seed"
TEMPLATES = ROOT / "templates"


def seed_articles() -> list[tuple[str, str]]:
    """The seed content's article files, each as its front matter and its summary."""
    found = []
    for path in sorted((SEED_SITE / "articles").rglob("*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        found.append((front, body))
    return found


def require_tool(found: bool, reason: str) -> None:
    """Skip loudly when a tool is missing locally; in CI a missing tool is a failure."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: nothing may skip)")
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


@pytest.fixture
def empty_content(tmp_path: Path) -> Path:
    """A content folder with the real settings but no articles and no sources."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for name in ("site.yaml", "topics.yaml"):
        shutil.copy(SEED_SITE / name, content / name)
    return content


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A copy of the small fixture site (content/ only), safe to change."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    return content


WriteArticle = Callable[..., Path]


@pytest.fixture
def write_article(site_dir: Path) -> WriteArticle:
    """Write ``content/articles/<name>`` with the given front matter lines and body."""

    def write(name: str, front_matter: str, body: str = "A summary.") -> Path:
        path = site_dir / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body}\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def public(site_dir: Path, tmp_path: Path) -> Path:
    """The fixture site, built (without the search index, which few tests need)."""
    build(site_dir, TEMPLATES, tmp_path / "public", search=False)
    return tmp_path / "public"


def read(public: Path, path: str) -> str:
    """A built file's text."""
    return (public / path).read_text(encoding="utf-8")


LIMA = ZoneInfo("America/Lima")


def site_config(**changes: object) -> SiteConfig:
    """Settings for tests that build the model by hand: English, Lima, two-article pages."""
    config = SiteConfig(
        title="Test Digest",
        description="A digest.",
        base_url="https://example.org/peru/",
        language="en",
        time_zone=LIMA,
        feed_items=3,
        page_size=2,
        feed_content="full",
        articles_language="en",
    )
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def loaded(content: Path) -> Site:
    """The site in ``content``, which must load without problems."""
    return load_site(content, Report())


def problems_for(content: Path) -> list[str]:
    """Every problem loading ``content`` finds, as printed, paths relative to ``content``."""
    with pytest.raises(DigestError) as raised:
        load_site(content, Report())
    return [str(p).replace(f"{content.as_posix()}/", "") for p in sorted(raised.value.problems)]


# The real-browser fixtures (one Chromium for the session); imported last, as they use the above.
from .browser import (  # noqa: E402, F401
    browser,
    kinds_site,
    kinds_site_folder,
    new_page,
    seed_site,
    spanish_site,
    spanish_site_folder,
)
