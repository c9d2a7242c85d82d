"""Shared fixtures: a small site to build, and helpers to write content files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time: a new failure there is a change, never a dice roll.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATES = ROOT / "templates"


def require_tool(found: bool, reason: str) -> None:
    """Skip loudly when a tool is missing locally; in CI a missing tool is a failure."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: nothing may skip)")
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


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


# The real-browser fixtures (one Chromium for the session); imported last, as they use the above.
from .browser import browser, new_page, seed_site  # noqa: E402, F401
