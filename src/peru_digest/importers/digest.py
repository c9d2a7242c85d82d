"""``import-digest``: a pasted digest text → new article files, all or nothing."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

from ..digesttext import DigestItem, parse_digest
from ..errors import DigestError, Problem
from ..inputfile import InputFileError, decode, read_bytes
from .commit import commit
from .plan import plan_import, read_settings
from .records import ImportReport, NewArticle

MAX_DIGEST_BYTES = 10 * 1024 * 1024


def import_digest(file: Path, content: Path, day: date, *, dry_run: bool) -> ImportReport:
    """Import a digest text; a malformed digest imports nothing and lists every problem.

    A digest carries no links: the new files have no ``url`` and the report says so.
    """
    try:
        text = decode(as_utf8(read_bytes(file, MAX_DIGEST_BYTES)))
    except InputFileError as error:
        message = f"cannot read the digest: {error.message}"
        missing = not file.exists() and not file.is_symlink()
        hint = "check the file's name and folder" if missing else error.hint
        raise DigestError([Problem(file.as_posix(), error.line, message, hint)]) from None
    settings = read_settings(content)
    items = parse_digest(text, file.as_posix(), settings.config.sources)
    articles = (as_article(item, day) for item in items)
    plan = plan_import(articles, settings, dry_run=dry_run, origin=file.as_posix())
    if plan.report.refused:  # the editor's own text: mended, then imported whole
        raise DigestError(plan.report.refused)
    if not dry_run:
        commit(plan)
    return plan.report


OPEN_ENDINGS = ("…", "...")
OPEN_ENDING_NOTE = "its excerpt goes on after a paragraph ending in “…”: review where it ends"


def as_utf8(data: bytes) -> bytes:
    """A digest saved as UTF-16 with its byte-order mark (Notepad's "Unicode") as UTF-8."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(f"not UTF-16 text ({error.reason})", "save it as UTF-8") from None


def as_article(item: DigestItem, day: date) -> NewArticle:
    """The item as an article; an excerpt that goes on after a paragraph that could have ended
    it (a newsletter's footer may have come with the last one) is marked for review."""
    paragraphs = item.excerpt.split("\n\n")
    open_end = any(paragraph.endswith(OPEN_ENDINGS) for paragraph in paragraphs[:-1])
    notes = (OPEN_ENDING_NOTE,) if open_end else ()
    return NewArticle(
        item.title, day, item.source, item.authors, "", item.excerpt, notes=notes, line=item.line
    )
