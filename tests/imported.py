"""Helpers for the importer tests: what an imported file says, and a folder's state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peru_digest import articlefile
from peru_digest.importers.records import ImportReport


def front_matter_of(path: Path) -> dict[str, Any]:
    """The front matter of an article file, as written."""
    parsed = articlefile.parse(path.read_text(encoding="utf-8"), path.as_posix())
    return dict(parsed.front_matter)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes, to compare before and after."""
    files = (path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


def shown(lines: list[str], content: Path) -> list[str]:
    """Report lines with the content folder written as ``content``."""
    return [line.replace(content.as_posix(), "content") for line in lines]


def reported(report: ImportReport, content: Path) -> list[str]:
    """What the import prints: its warnings (on standard error), its report lines, then each
    entry it refused (on standard error)."""
    refused = [f"refused: {problem.message}" for problem in report.refused]
    return shown([*report.warning_lines(), *report.lines(), *refused], content)
