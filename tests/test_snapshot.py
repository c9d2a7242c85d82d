"""Output snapshots: the seed site and a small benchmark corpus build to recorded bytes.

A refactor must not change a single output byte; a change that means to (a new element in a
feed, a new page) re-records the snapshot in the same commit, so the diff shows what changed:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshot.py
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peru_digest.build import build

from .conftest import FIXTURES, ROOT, SEED_SITE, TEMPLATES

SNAPSHOTS = ROOT / "tests" / "snapshots"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SITES = {"seed": SEED_SITE, "corpus": FIXTURES / "corpus"}


def manifest(folder: Path) -> str:
    """One line per file: its SHA-256 and its path, sorted by path."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_site_builds_to_the_recorded_bytes(name: str, tmp_path: Path) -> None:
    output = tmp_path / "public"
    build(SITES[name], TEMPLATES, output, now=NOW, search=False)
    recorded = SNAPSHOTS / f"{name}.sha256"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        recorded.parent.mkdir(exist_ok=True)
        recorded.write_text(manifest(output), encoding="utf-8")
    assert manifest(output) == recorded.read_text(encoding="utf-8")
