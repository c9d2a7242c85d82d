"""The plain-text news digest: parse it into items, and format items back into it.

A digest is a run of items, each a title line, a byline (``By AUTHORS, SOURCE. -``) and an
excerpt of one or more paragraphs; blank lines separate them. An excerpt is complete once a
paragraph ends with ``[...]``, and text after that which starts no item is a problem; an
excerpt without that ending (``…``, ``...``, none) goes on until a title over a byline starts
the next item. Every problem is collected and raised together in one DigestError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peru_digest.errors import DigestError, Problem
from peru_digest.importers.bylines import join_names, split_names
from peru_digest.inputfile import editor_lines, visible

BYLINE_FORM = "By AUTHORS, SOURCE. -"
_WRITE_BYLINE = f"write it as: {BYLINE_FORM}"
_ADD_TITLE = "put the article's title on its own line, after a blank line, just before the byline"
_DASHES = "-–—"
_EXCERPT_ENDINGS = ("[...]", "[…]")
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
# What pasting from documents, e-mail and web pages leaves in text besides what no reader sees
# (``inputfile.visible``): line and paragraph separators end lines; a tab is a space.
_TABS = str.maketrans({"\t": " "})
_LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
# Companies' endings written as abbreviations with a full stop ("Inc.", "Cía.")
_DOTTED_COMPANY = r"Inc|Co|Corp|Ltd|Ltda|Cía"
# The end of an abbreviation that a byline's own full stop was taken from: "Reuters U.S" + ".",
# "Reuters, Inc" + "."
_ABBREVIATED = re.compile(rf"(?:^|[\s.])[A-Z]\.[A-Z]$|(?:^|\s)(?:{_DOTTED_COMPANY})$")
# A company's ending, which follows its name after a comma ("Reuters, Inc.", "Grupo RPP, S.A.C.")
_COMPANY_ENDING = re.compile(
    rf"(?:{_DOTTED_COMPANY}|LLC|LLP|PLC|plc|GmbH|AG|SE|S\.A|S\.A\.[A-Z]|S\.L|S\.R\.L)\.?"
)
# A byline's end followed by more text on its line: an excerpt pasted onto it
_BYLINE_END = re.compile(rf"\. ?[{_DASHES}]{{1,2}} (?=\S)")
# E-mail programs wrap at 60 to 80 columns: a shorter line that is no byline is a slip
_WRAPPED_LENGTH = 50
_TITLE_LINES = 2  # a title wrapped by an e-mail program is one title
_LEAD_IN_WORD = re.compile(r"^(\s*)([A-Za-z]+)")
_QUOTE_LIMIT = 80


@dataclass(frozen=True)
class DigestItem:
    """One article in a digest."""

    title: str
    authors: tuple[str, ...]
    source: str
    excerpt: str  # paragraphs joined by "\n\n", no leading/trailing whitespace
    line: int = field(default=0, compare=False)  # 1-based line of the title; 0 when built by hand


def parse_digest(text: str, path: str, known_sources: Iterable[str] = ()) -> list[DigestItem]:
    """Items in the order they appear. Raises DigestError listing EVERY problem, never a part."""
    items, problems = read_digest(text, path, known_sources)
    if problems:
        raise DigestError(problems)
    return items


def read_digest(
    text: str, path: str, known_sources: Iterable[str] = ()
) -> tuple[list[DigestItem], list[Problem]]:
    """The items that could be read, in the order they appear, and every problem found."""
    reader = _DigestReader(path, tuple(known_sources))
    paragraphs = _split_paragraphs(_clean_lines(text))
    reader.read(paragraphs)
    if not paragraphs:
        reader.problems.append(
            Problem(path, None, "no articles found", f"start with a title line, then {BYLINE_FORM}")
        )
    return reader.items, reader.problems


Byline = tuple[tuple[str, ...], str]  # (authors, source)


def parse_byline(line: str, known_sources: Iterable[str] = ()) -> Byline | None:
    """(authors, source) for a byline line, or None if it is not a byline."""
    found = _read_byline(line.strip(), tuple(known_sources))
    return None if isinstance(found, _BylineFault) else found


def format_byline(authors: Sequence[str], source: str) -> str:
    """``By A, B and C, SOURCE. -``; just ``By SOURCE. -`` without authors.

    Names and source are written on one line, whatever line breaks they contain.
    """
    source = _one_line(source)
    if not authors:
        return f"By {source}. -"
    return f"By {join_names([_one_line(name) for name in authors])}, {source}. -"


def format_digest(items: Iterable[DigestItem]) -> str:
    """The digest text that parse_digest reads back into equal items.

    A title is written on one line: a line break in it can never start an item of its own.
    Nor can an excerpt's line that reads as a byline (or as one with a slip): it is written
    with "by", not "By" ("por", not "Por"). An
    empty excerpt is written ``[...]`` (what the build reads as no summary), which keeps the
    item an item.
    """
    blocks = [
        f"{_one_line(item.title)}\n\n{format_byline(item.authors, item.source)}\n\n"
        + (_excerpt_text(item.excerpt) or _EXCERPT_ENDINGS[0])
        for item in items
    ]
    return "\n\n".join(blocks) + "\n"


def _excerpt_text(excerpt: str) -> str:
    lines = [visible(line).translate(_TABS) for line in excerpt.split("\n")]  # as read
    return "\n".join(_as_text(line) if _reads_as_byline(line.strip()) else line for line in lines)


def _as_text(line: str) -> str:
    """A byline-like line of an excerpt, its "By" or "Por" written "by", "por": never one."""
    return _LEAD_IN_WORD.sub(lambda found: found[1] + found[2].lower(), line, count=1)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _byline_body(line: str, *, strict: bool = True) -> str | None:
    """What stands between ``By`` (``BY``, ``By:``) and the closing ``. -`` of a byline line,
    its full stop included (``Workers World.``); None for any other line. The dash may be any
    dash, or doubled (``. --``); a line in lower case ("by") is never a byline. The full stop
    is not optional, nor is "By" (unless not ``strict``: a byline with a slip, "Por …" or no
    full stop): prose that starts with "By" and ends in a dash must not read as one.

    Plain string steps, not a regular expression: linear in the line's length.
    """
    lead_ins = ("By", "BY") if strict else ("By", "BY", "Por", "POR")
    lead_in = next((word for word in lead_ins if line.startswith(word)), None)
    if lead_in is None or len(line) <= len(lead_in):
        return None
    rest = line[len(lead_in) :]
    if rest[0] == ":":
        rest = rest[1:]
    elif not rest[0].isspace():
        return None
    rest = rest.rstrip()
    if not rest or rest[-1] not in _DASHES:
        return None
    body = rest.rstrip(_DASHES).strip()
    return body if body.endswith(".") or not strict else None


def _is_byline(line: str) -> bool:
    return _byline_body(line) is not None


def _reads_as_byline(line: str) -> bool:
    """A byline, or one with a slip ("Por", no full stop): under a lone line, that is a title
    and a byline to mend (reported), never text that joins the excerpt above."""
    return _byline_body(line, strict=False) is not None


@dataclass(frozen=True)
class _Paragraph:
    """A run of consecutive non-blank lines, starting at 1-based ``line``."""

    line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _BylineFault:
    message: str
    hint: str


@dataclass
class _Draft:
    """An item being read; ``byline`` is None for text that cannot become an item."""

    title: str
    line: int
    byline: Byline | None
    paragraphs: list[str] = field(default_factory=list)


# What a newsletter or an e-mail program puts around a title: a list's number or bullet, and
# the marks of bold or italic text ("**Perú On The Lima Group**").
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[•·▪●◦‣∙*-])\s+")
_EMPHASIS = re.compile(r"^(\*\*|\*)(?=\S)((?:(?!\1).)+)(?<=\S)\1$")  # not "_", as in __init__


def bare_title(title: str) -> str:
    """The title without the list marker and emphasis marks it was pasted with."""
    title = _LIST_MARKER.sub("", title)
    emphasized = _EMPHASIS.match(title)
    return emphasized[2] if emphasized else title


def _clean_lines(text: str) -> list[str]:
    """Lines without invisible characters (see ``inputfile.visible``), odd line ends or
    surrounding spaces (non-breaking ones included).

    Non-breaking spaces inside titles and excerpts are kept: they are the editor's text.
    """
    text = visible(text).translate(_TABS).translate(_LINE_SEPARATORS)
    return [line.strip() for line in editor_lines(text)]


def _split_paragraphs(lines: list[str]) -> list[_Paragraph]:
    """Paragraphs of non-blank lines; a byline always starts a new paragraph, and so does one
    with a slip right under a lone line (a title)."""
    paragraphs: list[_Paragraph] = []
    run: list[str] = []
    for number, line in enumerate([*lines, ""], start=1):
        if run and (not line or _is_byline(line) or (len(run) == 1 and _reads_as_byline(line))):
            paragraphs.append(_Paragraph(number - len(run), tuple(run)))
            run = []
        if line:
            run.append(line)
    return paragraphs


def _titles_apart(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """The paragraphs, where an excerpt's ``[...]`` and the next title stand on adjacent lines
    right above a byline (two digests pasted one after the other), with the title apart."""
    apart: list[_Paragraph] = []
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        lines = paragraph.lines
        if (
            following is not None
            and _is_byline(following.lines[0])
            and len(lines) > 1
            and lines[-2].endswith(_EXCERPT_ENDINGS)
        ):
            apart.append(_Paragraph(paragraph.line, lines[:-1]))
            apart.append(_Paragraph(paragraph.line + len(lines) - 1, lines[-1:]))
        else:
            apart.append(paragraph)
    return apart


def _quote(text: str) -> str:
    short = text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f"'{short}'"


def _ends_excerpt(paragraph: _Paragraph) -> bool:
    return paragraph.lines[-1].endswith(_EXCERPT_ENDINGS)


def _read_byline(line: str, known: tuple[str, ...]) -> Byline | _BylineFault:
    """(authors, source) of a cleaned byline line, or what is wrong with it."""
    line = line.translate(_ODD_SPACES)  # names must match sources.yaml whatever the spaces
    body = _byline_body(line)
    if body is None and line.upper().startswith("POR"):
        return _BylineFault(f'byline must start with "By": {_quote(line)}', _WRITE_BYLINE)
    if body is None:
        return _BylineFault(f'byline must end with ". -": {_quote(line)}', _mend_ending(line))
    names, source = _split_source(body, known)
    if not source.strip(".").strip():
        source = ""
    if not source:
        return _BylineFault(f"byline has no source: {_quote(line)}", _WRITE_BYLINE)
    authors = tuple(split_names(names)) if names else ()
    if "" in authors:
        return _BylineFault(
            f"byline has an empty author: {_quote(line)}",
            'separate authors with commas or "and": By A, B and C, SOURCE. -',
        )
    return authors, source


def _read_wrapped_byline(
    lines: tuple[str, ...], known: tuple[str, ...]
) -> tuple[Byline | _BylineFault, int]:
    """The byline at the start of ``lines``, and how many lines it takes: two where an e-mail
    program wrapped it (its first line is long, stops short of its full stop and dash, and
    the two read as one byline), else one."""
    found = _read_byline(lines[0], known)
    first = lines[0].rstrip()
    wrapped = len(first) >= _WRAPPED_LENGTH and not first.endswith((".", *_DASHES))
    if not isinstance(found, _BylineFault) or len(lines) < 2 or not wrapped:
        return found, 1
    joined = _read_byline(f"{first} {lines[1]}", known)
    return (found, 1) if isinstance(joined, _BylineFault) else (joined, 2)


def _mend_ending(line: str) -> str:
    """How to mend a byline that does not end in ". -": the excerpt pasted on its line goes
    to the next one, or it is written whole."""
    end = _BYLINE_END.search(line)
    if end is None:
        return _WRITE_BYLINE
    return f'start the excerpt on the line after the byline, after its "{end[0].strip()}"'


def _split_source(body: str, known: tuple[str, ...]) -> tuple[str, str]:
    """(authors text, source): the longest known source ending the body (without the byline's
    own full stop, else with it: ``Americas Quarterly, Inc.``), else the last part."""
    own = body[:-1].rstrip() if body.endswith(".") else body
    for text in dict.fromkeys((own, body)):
        for source in sorted(known, key=len, reverse=True):
            rest = text.removesuffix(source)
            if source and rest != text and (not rest.strip() or rest.rstrip().endswith(",")):
                return rest.rstrip().removesuffix(",").strip(), source
    names, _, source = own.rpartition(",")
    source = source.strip()
    if body.endswith(".") and _ABBREVIATED.search(source):
        source += "."  # "Reuters U.S. -": the full stop ends the outlet's name too
    if names.strip() and _COMPANY_ENDING.fullmatch(source):
        names, _, company = names.rpartition(",")
        source = f"{company.strip()}, {source}"
    return names.strip(), source


class _DigestReader:
    """Walks the paragraphs once, collecting items and problems."""

    def __init__(self, path: str, known_sources: tuple[str, ...]) -> None:
        self.path = path
        self.known_sources = known_sources
        self.items: list[DigestItem] = []
        self.problems: list[Problem] = []
        self.draft: _Draft | None = None
        self.expecting_title = True  # at the start, or after an excerpt ending in "[...]"
        self.seen_title = False

    def read(self, paragraphs: list[_Paragraph]) -> None:
        paragraphs = _titles_apart(paragraphs)
        index = 0
        while index < len(paragraphs):
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following is not None and self._is_title(paragraphs[index], following):
                self._start_item(paragraphs[index], following)
                index += 2
            else:
                self._read_paragraph(paragraphs[index])
                index += 1
        self._finish_draft()

    def _is_title(self, paragraph: _Paragraph, following: _Paragraph) -> bool:
        """A lone line before a byline, or before one with a slip (or, where a title is due,
        before a line "By ..."); where a title is due, two lines (wrapped by an e-mail program)
        before a byline."""
        lines = paragraph.lines
        if len(lines) > _TITLE_LINES or _is_byline(lines[0]) or _ends_excerpt(paragraph):
            return False
        first = following.lines[0]
        if len(lines) > 1:
            return self.expecting_title and _is_byline(first)
        # A byline with a slip stands alone, or right under its title: prose wrapped onto more
        # lines after a one-line paragraph ("By 2030, output could reach … —") is no byline.
        alone = len(following.lines) == 1 or following.line == paragraph.line + 1
        slipped = alone and _reads_as_byline(first)
        return _is_byline(first) or slipped or (self.expecting_title and first.startswith("By "))

    def _start_item(self, title: _Paragraph, byline: _Paragraph) -> None:
        self._finish_draft()
        found, lines = _read_wrapped_byline(byline.lines, self.known_sources)
        if isinstance(found, _BylineFault):
            self._report(byline.line, found.message, found.hint)
        valid = None if isinstance(found, _BylineFault) else found
        self.draft = _Draft(bare_title(" ".join(title.lines)), title.line, valid)
        self.expecting_title = False
        self.seen_title = True
        self._read_rest(byline, lines)

    def _read_paragraph(self, paragraph: _Paragraph) -> None:
        first = paragraph.lines[0]
        if _is_byline(first):
            self._report(
                paragraph.line,
                f"byline has no title before it: {_quote(first)}",
                _ADD_TITLE,
            )
            if self.expecting_title:
                self._start_stray(paragraph, "")
            self._read_rest(paragraph)
        elif self.expecting_title:
            if self.seen_title:
                hint = f"add a byline on the line after the title: {BYLINE_FORM}"
                self._report(paragraph.line, f"{_quote(first)} has no byline", hint)
            else:
                hint = f"remove it, or if it is a title, add its byline below it: {BYLINE_FORM}"
                self._report(paragraph.line, f"text before the first title: {_quote(first)}", hint)
            self._start_stray(paragraph, first)
            self.expecting_title = _ends_excerpt(paragraph)
        else:
            self._add_to_excerpt(paragraph)

    def _read_rest(self, paragraph: _Paragraph, byline_lines: int = 1) -> None:
        """Lines after a byline with no blank line between belong to the excerpt."""
        if len(paragraph.lines) > byline_lines:
            rest = paragraph.lines[byline_lines:]
            self._add_to_excerpt(_Paragraph(paragraph.line + byline_lines, rest))

    def _start_stray(self, paragraph: _Paragraph, title: str) -> None:
        """Text that cannot become an item: swallow it up to the next title."""
        self._finish_draft()
        self.draft = _Draft(title, paragraph.line, None)
        self.expecting_title = False

    def _add_to_excerpt(self, paragraph: _Paragraph) -> None:
        if self.draft is not None:
            self.draft.paragraphs.append("\n".join(paragraph.lines))
        self.expecting_title = _ends_excerpt(paragraph)

    def _finish_draft(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None or draft.byline is None:
            return
        if not draft.paragraphs:
            hint = "add the article's opening paragraph after its byline"
            self._report(draft.line, f"{_quote(draft.title)} has no excerpt", hint)
            return
        authors, source = draft.byline
        excerpt = "\n\n".join(draft.paragraphs)
        self.items.append(DigestItem(draft.title, authors, source, excerpt, draft.line))

    def _report(self, line: int, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, line, message, hint))
