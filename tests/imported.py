"""Helpers for the importer tests: what an imported file says, a folder's state, and a local
web server to fetch feeds from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A web server on 127.0.0.1 answering with ``handler``, quietly: its address,
    ``http://…:PORT``; stopped when the block ends."""
    quiet = type(handler.__name__, (handler,), {"log_message": _log_nothing})
    server = ThreadingHTTPServer(("127.0.0.1", 0), quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _log_nothing(handler: BaseHTTPRequestHandler, format: str, *args: Any) -> None:
    """The tests assert what matters."""
