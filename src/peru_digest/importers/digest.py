"""``import-digest``: a pasted digest text → new article files, all or nothing."""

from __future__ import annotations

import codecs
import html.entities
import re
from datetime import date, datetime
from pathlib import Path

from ..digesttext import DigestItem, read_digest
from ..errors import DigestError, Problem
from ..inputfile import InputFileError, decode, read_bytes
from .commit import commit
from .plan import Settings, plan_import, read_settings
from .records import ImportReport, NewArticle, future_note

MAX_DIGEST_BYTES = 10 * 1024 * 1024


def import_digest(
    file: Path, content: Path, day: date, *, dry_run: bool, now: datetime | None = None
) -> ImportReport:
    """Import a digest text; a malformed digest imports nothing and lists every problem.

    A digest carries no links: the new files have no ``url`` and the report says so. ``now``
    is the clock: a ``day`` after today where the site is gets a note (the build leaves those
    articles out until then).
    """
    text = digest_text(file)
    settings = settings_for(content, text, file.as_posix())
    items, problems = read_digest(text, file.as_posix(), settings.config.sources)
    today = now and now.astimezone(settings.config.site.time_zone).date()
    future = (future_note(day),) if today and day > today else ()
    articles = (as_article(item, day, future) for item in items)
    plan = plan_import(articles, settings, dry_run=dry_run, origin=file.as_posix())
    if problems or plan.report.refused:  # the editor's own text: mended, then imported whole
        raise DigestError([*problems, *plan.report.refused])
    if not dry_run:
        commit(plan)
    return plan.report


def digest_text(file: Path) -> str:
    """The digest's text; DigestError when the file cannot be read as one."""
    try:
        # pdftotext ends each page with a form feed: a line break, as the page's end is
        return decode(as_utf8(read_bytes(file, MAX_DIGEST_BYTES)).replace(b"\f", b"\n"))
    except InputFileError as error:
        message = f"cannot read the digest: {error.message}"
        missing = not file.exists() and not file.is_symlink()
        hint = "check the file's name and folder" if missing else error.hint
        raise DigestError([Problem(file.as_posix(), error.line, message, hint)]) from None


def settings_for(content: Path, text: str, path: str) -> Settings:
    """The site's settings; when they cannot be read, their problems and the digest's own
    (read with no outlet known) together."""
    try:
        return read_settings(content)
    except DigestError as error:
        raise DigestError([*error.problems, *read_digest(text, path)[1]]) from None


OPEN_ENDINGS = ("…", "...", "(…)", "(...)")
OPEN_ENDING_NOTE = "its excerpt goes on after a paragraph ending in “…”: review where it ends"


def as_utf8(data: bytes) -> bytes:
    """A digest saved as UTF-16 with its byte-order mark (Notepad's "Unicode") as UTF-8."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(f"not UTF-16 text ({error.reason})", "save it as UTF-8") from None


def as_article(item: DigestItem, day: date, notes: tuple[str, ...] = ()) -> NewArticle:
    """The item as an article, with ``notes``; an excerpt that goes on after a paragraph that
    could have ended it (a newsletter's footer may have come with the last one) is marked for
    review."""
    paragraphs = item.excerpt.split("\n\n")
    open_end = any(paragraph.endswith(OPEN_ENDINGS) for paragraph in paragraphs[:-1])
    notes = (OPEN_ENDING_NOTE, *notes) if open_end else notes
    summary = "\n\n".join(as_markdown(paragraph) for paragraph in paragraphs)
    return NewArticle(
        item.title, day, item.source, item.authors, "", summary, notes=notes, line=item.line
    )


# What Markdown would read as markup in a pasted excerpt, to be written as text: a backslash,
# emphasis and code marks, brackets but those of the "[...]" that marks a cut, a tag's `<`, a
# character reference's `&`, and what starts a block at the start of a line (a heading, a
# quote, a list item, a setext underline; indentation, which makes code, goes).
_INLINE_MARKUP = re.compile(r"[\\`*_]|\[(?!(?:\.\.\.|…)\](?![(:]))|(?<!\[\.\.\.)(?<!\[…)\]")
# An "&" before what may start a character reference, and a "<" before what may start a tag.
_AMPERSAND = re.compile(r"&(#|[A-Za-z][A-Za-z0-9]{0,31};?)?")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_BLOCK_START = re.compile(
    r"^(?:([#>]|[-+](?=[ \t]|$)|-[- \t]*$|=+[ \t]*$)|(\d+)(?=[.)]))", re.MULTILINE
)


def as_markdown(text: str) -> str:
    """Plain text written so that Markdown shows it as it is."""
    text = _INLINE_MARKUP.sub(lambda found: "\\" + found[0], _INDENT.sub("", text))
    text = _TAG_START.sub("&lt;", _AMPERSAND.sub(_reference_escaped, text))
    return _BLOCK_START.sub(_as_text, text)


def _reference_escaped(found: re.Match[str]) -> str:
    """An "&" escaped where HTML reads a character reference from it (with or without its
    ";", as HTML reads ``&copy2021``); any other stays as it is ("R&D")."""
    name = found[1] or ""
    named = any(name[:end] in html.entities.html5 for end in range(1, len(name) + 1))
    return ("&amp;" if name.startswith("#") or named else "&") + name


def _as_text(found: re.Match[str]) -> str:
    """A line's start that Markdown would read as a block, escaped (`=` has no escape of its
    own: its character reference)."""
    if found[2]:
        return f"{found[2]}\\"
    return f"&#61;{found[1][1:]}" if found[1][0] == "=" else f"\\{found[1]}"
