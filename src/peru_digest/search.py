"""The full-text search index: Pagefind, run over the finished pages before they go live."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .cache import digest_of
from .errors import Problem
from .output import remove_file
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


def index_search(
    site: Path, known: Mapping[str, str]
) -> tuple[dict[str, str], set[str], list[Problem]]:
    """Index the article pages under ``site`` (those marked ``data-pagefind-body``).

    The index is made in a folder of its own, then moved into ``site``: only the files whose
    bytes differ from ``known`` (path → digest: the index the live site has), as new files,
    since the old ones may be shared with the live site. Returns the digest of every file of
    the index, the paths written or removed, and the problems.
    """
    executable = pagefind_executable()
    if executable is None:
        problem = Problem(
            "search",
            None,
            "Pagefind is not installed, so the search index cannot be built",
            "run `make build` (it installs pagefind[bin]), or build with --no-search",
        )
        return {}, set(), [problem]
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as scratch:
        command = [
            *(str(executable), "--site", str(site), "--output-path", scratch, "--silent"),
            *("--glob", ARTICLE_FILES_GLOB),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip().splitlines()
            message = "Pagefind failed: " + (reason[-1] if reason else "?")
            return {}, set(), [Problem("search", None, message)]
        made = {
            f"{SEARCH_INDEX}/{path.relative_to(scratch).as_posix()}": path
            for path in sorted(Path(scratch).rglob("*"))
            if path.is_file()
        }
        digests = {relative: digest_of(path.read_bytes()) for relative, path in made.items()}
        changed = {
            relative for relative, digest in digests.items() if known.get(relative) != digest
        }
        for relative in changed:
            destination = site / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(made[relative], destination)
        gone = set(known) - set(made)
        for relative in gone:
            remove_file(site, relative)
    return digests, changed | gone, []
