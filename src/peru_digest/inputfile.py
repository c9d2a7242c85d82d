"""Reading a content file without trusting it: a regular file only, of bounded size, as text.

A FIFO would make a build wait forever, a device could be endless, a folder cannot be read:
anything but a regular file (or a symbolic link to one) is refused before it is opened.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from .errors import Report, os_reason

MAX_ARTICLE_BYTES = 32 * 1024  # an article file; the largest in our content is 2.3 KB
MAX_SETTINGS_BYTES = 1024 * 1024  # site.yaml, topics.yaml, sources.yaml
MAX_LINES_NAMED = 20  # lines with control characters reported for one file

# Invisible characters that no feed can carry (XML 1.0 forbids most of them), except the tab
# and the line ends; C1 controls are mostly text decoded with the wrong encoding.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Embeddings, overrides and isolates: one left open turns the text after it around, past the
# end of the field that holds it on a page.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# What content systems and pasting leave in text that no reader sees: zero-width spaces, word
# joiners, soft hyphens (a PDF's) and byte-order marks (two files joined).
_INVISIBLE = str.maketrans(dict.fromkeys("\u200b\u2060\u00ad\ufeff"))


def editor_lines(text: str) -> list[str]:
    """``text``'s lines as an editor numbers them: split at line feeds, carriage returns or
    both, and nowhere else (not at a form feed, U+2028 or NEL, which ``splitlines`` and YAML
    also take for line ends)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def visible(text: str) -> str:
    """The text without invisible characters, its letters composed (NFC): macOS and PDFs
    write "ú" as "u" and an accent, which no search or comparison takes for "ú"."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def without_controls(text: str) -> str:
    """The text without the control characters no article may hold (they are invisible, and
    feeds cannot carry them); a vertical tab or form feed, which Word leaves for a line
    break, is a space."""
    return CONTROL_CHARACTERS.sub(lambda found: " " if found[0] in "\v\f" else "", text)


class InputFileError(Exception):
    """The file cannot be read as content; ``line`` is set when one line is to blame."""

    def __init__(self, message: str, hint: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


def read_text(path: Path, limit: int) -> str:
    """The UTF-8 text of the regular file at ``path``, of at most ``limit`` bytes."""
    return decode(read_bytes(path, limit))


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, of at most ``limit`` bytes."""
    _check_regular(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise _unreadable(error) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the check
            raise InputFileError("not a regular file", "content files must be plain files")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputFileError(f"file larger than {_size(limit)}", "shorten it, or split it")
    return data


def _size(limit: int) -> str:
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else f"{limit // 1024} KB"


def _check_regular(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise InputFileError(
                f"broken symbolic link to {target}", "point it at a file, or delete it"
            ) from None
        raise InputFileError("file not found", "create it; see README.md") from None
    except OSError as error:  # a loop of links, a folder we may not enter
        raise _unreadable(error) from None
    if not stat.S_ISREG(mode):
        raise InputFileError("not a regular file", "content files must be plain files")


def _unreadable(error: OSError) -> InputFileError:
    hint = (  # links that lead back to themselves
        "point the link at a file, or delete it"
        if error.errno == errno.ELOOP
        else "check its permissions"
    )
    return InputFileError(f"cannot read file: {os_reason(error)}", hint)


def decode(data: bytes) -> str:
    """UTF-8 text without the control characters no feed can carry."""
    text = utf8(data)
    faults = control_characters(text)
    if faults:
        raise faults[0]
    return text


def utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_ends(data[: error.start].decode("utf-8")) + 1  # what precedes is UTF-8
        raise InputFileError(f"not UTF-8 text ({error.reason})", "save it as UTF-8", line) from None


def line_ends(text: str, start: int = 0, end: int | None = None) -> int:
    """How many lines end in ``text[start:end]``, as :func:`editor_lines` counts them: at a
    line feed, a carriage return, or both (neither ``start`` nor ``end`` may split a pair)."""
    return (
        text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
    )


def control_characters(text: str) -> list[InputFileError]:
    """One problem for each line holding control characters, naming them (at most
    ``MAX_LINES_NAMED`` lines: a file of them is one mistake, not thousands)."""
    found: dict[int, list[str]] = {}
    line, counted = 1, 0  # lines counted as the matches go: linear in the text, however many
    for match in CONTROL_CHARACTERS.finditer(text):
        line += line_ends(text, counted, match.start())
        counted = match.start()
        if line not in found and len(found) == MAX_LINES_NAMED:
            break
        named = found.setdefault(line, [])
        if (code := f"U+{ord(match.group()):04X}") not in named:
            named.append(code)
    return [
        InputFileError(
            f"control character{'s' if len(codes) > 1 else ''} {', '.join(codes)}",
            "delete it: it is invisible, and feeds cannot carry it",
            line,
        )
        for line, codes in found.items()
    ]


def read_article_bytes(path: Path, report: Report) -> bytes | None:
    """The file's bytes, or None with a problem: not a regular file, unreadable, too large."""
    try:
        return read_bytes(path, MAX_ARTICLE_BYTES)
    except InputFileError as error:
        report.problem(path.as_posix(), error.line, error.message, error.hint)
        return None


def article_text(data: bytes, shown: str, report: Report) -> tuple[str, bool] | None:
    """The file's text, and whether it is free of control characters (every such place is
    reported, and each character is read as U+FFFD, so that the file's other problems are
    found too); None with a problem when it is not UTF-8."""
    try:
        text = utf8(data)
    except InputFileError as error:
        report.problem(shown, error.line, error.message, error.hint)
        return None
    faults = control_characters(text)
    for fault in faults:
        report.problem(shown, fault.line, fault.message, fault.hint)
    return (CONTROL_CHARACTERS.sub("\ufffd", text), False) if faults else (text, True)


# Line breaks most editors show as nothing (pasted from a web page or a word processor).
INVISIBLE_BREAKS = {"\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR"}


def invisible_break(character: str) -> tuple[str, str]:
    """What is wrong and the hint, for an invisible line break."""
    return (
        f"holds an invisible line break, {INVISIBLE_BREAKS[character]}",
        "delete it: it shows as nothing in most editors, so delete the character after the "
        "word before it, or write the line again",
    )
