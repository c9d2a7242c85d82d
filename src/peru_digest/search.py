"""The full-text search index: Pagefind, run over the finished pages before they go live."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import Problem
from .urls import ARTICLE_FILES_GLOB, SEARCH_INDEX


def pagefind_executable() -> Path | None:
    """The Pagefind binary that the ``pagefind[bin]`` package ships, if installed."""
    try:
        from pagefind_bin import get_executable  # noqa: PLC0415 - optional at import time
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def index_search(site: Path) -> list[Problem]:
    """Index the article pages under ``site`` (those marked ``data-pagefind-body``)."""
    executable = pagefind_executable()
    if executable is None:
        return [
            Problem(
                "search",
                None,
                "Pagefind is not installed, so the search index cannot be built",
                "run `make build` (it installs pagefind[bin]), or build with --no-search",
            )
        ]
    command = [
        *(str(executable), "--site", str(site), "--output-subdir", SEARCH_INDEX, "--silent"),
        *("--glob", ARTICLE_FILES_GLOB),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        return [Problem("search", None, "Pagefind failed: " + (reason[-1] if reason else "?"))]
    return []
