"""A feed's bytes as the outlet meant them, where its server or content system mislabels them.

Two mistakes are common, and each garbles every accented letter (``MinerÃ­a``):

- the server says ``charset=ISO-8859-1`` (or another one-byte charset) for a feed that is UTF-8
  and says so itself: the bytes are read as UTF-8, and the header's charset is dropped;
- a UTF-8 feed holds a few Windows-1252 bytes (smart quotes pasted from Word, ``\\x93cifras\\x94``):
  those bytes alone are read as Windows-1252, where a whole-feed fallback would garble the rest.
  Word's quotes, dashes and ellipsis are bytes 0x80-0x9F; a letter is 0xA0 or above. A feed
  with more such letters than UTF-8 ones is Windows-1252 all through, mislabelled (where
  ``Ú»`` would pass for UTF-8): it is read whole as Windows-1252.

A feed labelled ISO-8859-1 or ASCII that holds bytes 0x80-0x9F is read as Windows-1252, as
browsers read it. A feed that declares another encoding, or starts with a UTF-16 or UTF-32
byte-order mark, is left to feedparser as it is. Each repair is a warning in the import's report.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

UTF8_NAMES = frozenset({"utf-8", "utf8"})
# Labels that browsers read as Windows-1252 (the WHATWG Encoding Standard's), where its bytes
# 0x80-0x9F, ISO-8859-1's invisible controls, are quotes, dashes and the ellipsis.
LATIN_1_NAMES = frozenset(
    {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
     "cp819", "ibm819"}
)  # fmt: skip
_C1_BYTE = re.compile(rb"[\x80-\x9f]")
# Charsets whose every byte is a character: a header naming one is never contradicted by the
# bytes, so only the bytes being valid UTF-8 (non-ASCII included) can show it is wrong.
ONE_BYTE_CHARSETS = re.compile(r"(?:iso-?8859-\d+|latin-?1|(?:windows|cp)-?125\d|us-ascii|ascii)")
_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\s;\"]+)\"?", re.IGNORECASE)
# The capitals of Spanish in Windows-1252 (É, Í, Ñ, Ó, Ú, Ü), each then punctuation (x80-x9f), are
# valid UTF-8: letters of other scripts (U+0440-045F is Cyrillic р-џ), read as Windows-1252 only
# where they end a word in capitals (after two capitals of Latin-1).
_CAPITALS = b"\xc9\xcd\xd1\xd3\xda\xdc"
_AS_UTF_8 = "".join(f"{bytes([c, 0x80]).decode()}-{bytes([c, 0x9F]).decode()}" for c in _CAPITALS)
_CAPITAL_THEN_PUNCTUATION = re.compile(f"(?<=[A-ZÀ-ÖØ-Þ]{{2}})[{_AS_UTF_8}]")
_HANDLER = "peru-digest-windows-1252"  # a codec error handler's name, registered per call
_UNICODE_MARKS = (
    codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
)  # fmt: skip


@dataclass(frozen=True)
class Repaired:
    data: bytes
    content_type: str
    warning: str = ""


def repaired(data: bytes, content_type: str) -> Repaired:
    """``data`` and ``content_type`` with a mislabelled encoding mended (see the module)."""
    declared = declared_encoding(data)
    header = header_charset(content_type)
    if (declared or header) in LATIN_1_NAMES and _C1_BYTE.search(data) and not utf8(data):
        return as_windows_1252(data, content_type, declared or header or "")
    return as_utf8(data, content_type, declared, header)


def as_utf8(data: bytes, content_type: str, declared: str | None, header: str | None) -> Repaired:
    """``data`` as UTF-8 where it says it is, or where its server mislabels it."""
    if data.startswith(_UNICODE_MARKS) or (declared and declared not in UTF8_NAMES):
        return Repaired(data, content_type)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if header and header not in UTF8_NAMES:
            return Repaired(data, content_type)  # the server's charset: the bytes agree
        text, odd, letters = windows_1252_where_invalid(data)
        if letters > sum(not c.isascii() for c in text) - odd:  # Windows-1252 all through
            whole = data.decode("cp1252", errors="replace").encode("utf-8")
            said = "says it is UTF-8" if declared or header else "names no encoding (so UTF-8)"
            warning = f"the feed {said}, but it is Windows-1252: it was read so"
            return Repaired(whole, without_charset(content_type), warning)
        warning = (
            f"the feed is not valid UTF-8: {odd} {'byte was' if odd == 1 else 'bytes were'} "
            "read as Windows-1252"
        )
        return Repaired(text.encode("utf-8"), without_charset(content_type), warning)
    if header and ONE_BYTE_CHARSETS.fullmatch(header) and not data.isascii():
        warning = f"the server says the feed is {header}, but it is UTF-8: it was read as UTF-8"
        return Repaired(data, without_charset(content_type), warning)
    return Repaired(data, content_type)


def utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def as_windows_1252(data: bytes, content_type: str, label: str) -> Repaired:
    """A feed labelled ISO-8859-1 (or ASCII) that holds bytes 0x80-0x9F, read as browsers
    read it: as Windows-1252, which the WHATWG Encoding Standard makes of those labels. Its
    quotes, dashes and ellipsis are those bytes; in ISO-8859-1 they are invisible controls,
    and "dijo que…" would lose its "…"."""
    text = data.decode("cp1252", errors="replace").encode("utf-8")
    declaration = _DECLARATION.match(text[:200])
    if declaration is not None:
        text = text[: declaration.start(1)] + b"utf-8" + text[declaration.end(1) :]
    warning = f"the feed says it is {label}, but holds Windows-1252 punctuation: it was read so"
    return Repaired(text, without_charset(content_type), warning)


def declared_encoding(data: bytes) -> str | None:
    """The encoding the XML declaration names, in lower case; None without one."""
    found = _DECLARATION.match(data.removeprefix(codecs.BOM_UTF8)[:200])
    return found.group(1).decode("ascii").lower() if found else None


def header_charset(content_type: str) -> str | None:
    found = _CHARSET.search(content_type)
    return found.group(1).lower() if found else None


def without_charset(content_type: str) -> str:
    return _CHARSET.sub("", content_type)


def windows_1252_where_invalid(data: bytes) -> tuple[str, int, int]:
    """``data`` read as UTF-8, each byte that is not valid UTF-8 read as Windows-1252 (its five
    unassigned bytes as U+FFFD); how many such bytes there were, and how many of them are
    letters (0xA0 and above, not punctuation). One pass, then one over the text.

    A capital of Spanish then a quote, dash or ellipsis (``PERÚ”``) is two Windows-1252 bytes
    that happen to be valid UTF-8, one letter of another script (ڔ): in a feed that holds
    Windows-1252 bytes, they are read as Windows-1252 too where they end a word in capitals.
    Anywhere else they are the letter they make (``Путин``: its у is xd1 x83; ``Gəncə``)."""
    odd = letters = 0

    def as_windows_1252(error: UnicodeError) -> tuple[str, int]:
        nonlocal odd, letters
        assert isinstance(error, UnicodeDecodeError)
        bad = bytes(error.object[error.start : error.end])
        odd += len(bad)
        letters += sum(byte >= 0xA0 for byte in bad)
        return bad.decode("cp1252", errors="replace"), error.end

    def as_two(pair: re.Match[str]) -> str:
        nonlocal odd, letters
        odd, letters = odd + 2, letters + 1
        return pair[0].encode("utf-8").decode("cp1252", errors="replace")

    codecs.register_error(_HANDLER, as_windows_1252)  # this call's own: the name is ours
    text = data.decode("utf-8", errors=_HANDLER)
    return _CAPITAL_THEN_PUNCTUATION.sub(as_two, text), odd, letters
