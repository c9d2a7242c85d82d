"""YAML that remembers where each key was written, so problems can name the line.

Only the plain data our files need is accepted: no aliases (a few bytes of them expand to
gigabytes), no nesting deeper than ``MAX_DEPTH``, and keys that are plain text.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import yaml

from .inputfile import INVISIBLE_BREAKS, editor_lines, invisible_break

try:  # libyaml's parser is ten times faster; the pure-Python one gives the same data (but
    # for a bare `!` tag: "" from libyaml, None from it)
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 10  # levels of lists and mappings inside each other; our files need three
MAX_QUOTED = 80  # characters of a value quoted in a message
ALIAS_HINT = "write the value out in full where it is needed"
TAG_HINT = "write the value without its `!!` tag"
SYNTAX_HINT = "check the quotes and indentation"


def clip(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` as quoted in a message: at most ``limit`` characters, cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Located(dict[str, Any]):
    """A YAML mapping plus the 1-based line of the mapping and of each of its keys."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A YAML list plus the 1-based line of the list and of each of its items."""

    line: int
    item_lines: list[int]


def line_of_document(data: object) -> int | None:
    """Where a parsed mapping or list begins, for a problem with the whole of it."""
    return data.line if isinstance(data, (Located, LocatedList)) else None


def line_of_item(items: list[Any], index: int) -> int | None:
    """The line of ``items[index]``, if ``items`` remembers it."""
    return items.item_lines[index] if isinstance(items, LocatedList) else None


def moved_down(data: Located, lines: int) -> None:
    """Number the lines of ``data`` (its keys', its lists' and their items', however deep)
    ``lines`` further down: for a document that begins below its file's first line."""
    pending: list[Any] = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, Located):
            value.line += lines
            value.key_lines = {key: line + lines for key, line in value.key_lines.items()}
            pending += value.values()
        elif isinstance(value, LocatedList):
            value.line += lines
            value.item_lines = [line + lines for line in value.item_lines]
            pending += value


class _Refused(yaml.constructor.ConstructorError):
    """Well-formed YAML that our files do not accept; the message says why."""

    def __init__(self, message: str, node: yaml.Node, hint: str) -> None:
        super().__init__(None, None, message, node.start_mark)
        self.hint = hint


def check_structure(root: yaml.Node) -> None:
    """Refuse aliases, deep nesting and keys that are not plain text, before anything is built.

    The node graph is walked once, without recursion: an alias shares its anchor's node, so a
    node met twice is an alias, and the walk never expands one.
    """
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, int]] = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen:
            raise _Refused(
                "YAML anchors and aliases (`&name`, `*name`) are not allowed", node, ALIAS_HINT
            )
        seen.add(id(node))
        if isinstance(node, yaml.CollectionNode) and depth > MAX_DEPTH:
            raise _Refused(
                f"YAML nested more than {MAX_DEPTH} levels deep",
                node,
                "write it flatter: no setting needs lists or mappings this deep",
            )
        pending += [(child, depth + 1) for child in reversed(_children(node))]  # in file order


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise _Refused(
                "a YAML key must be plain text, not a list or a mapping",
                key,
                "write the key as a word, then a colon",
            )
    return [child for pair in node.value for child in pair]


_STR, _SEQ, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"
_NUMBERS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# Longer is no number a setting needs: 0x… and 1:0:0:… have no digit limit, a base-60 number
# takes time that grows with the square of its length, and Python cannot show a long one.
MAX_NUMBER = 100
# What PyYAML's constructors raise on a value its tag cannot read (`!!bool maybe`, `!!int ""`,
# `!!timestamp foo`…), besides their own errors.
_UNREADABLE = (ValueError, OverflowError, KeyError, IndexError, AttributeError, TypeError)


def _unreadable(node: yaml.Node) -> yaml.constructor.ConstructorError:
    kind = node.tag.rsplit(":", 1)[-1]
    if isinstance(node, yaml.ScalarNode):
        shown = repr(clip(str(node.value)))
    else:
        shown = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    problem = f"{shown} is not a valid {kind}"
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


class WrittenInt(int):
    """A number as YAML reads it, with the text it was written as: where text is wanted, a
    title written `3:0` is "3:0", not YAML 1.1's base-60 reading (180)."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type, tuple[int, str]]:  # for pickle and copy
        return (WrittenInt, (int(self), self.written))


class WrittenFloat(float):
    """Like :class:`WrittenInt`: `1.10` is "1.10" where text is wanted, not "1.1"."""

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type, tuple[float, str]]:
        return (WrittenFloat, (float(self), self.written))


_WRITTEN: dict[type, Any] = {int: WrittenInt, float: WrittenFloat}


def written(value: str | int | float) -> str:
    """A scalar as its YAML text was written (a number read from YAML keeps its text)."""
    return getattr(value, "written", None) or str(value)


# Where YAML breaks lines and editors do not: a line number past one of these is off by one.
_ODD_BREAKS = re.compile("[\u0085\u2028\u2029]")


def _newlines(text: str) -> list[int] | None:
    """Where ``text``'s lines end, when YAML would count them otherwise (None: it would not)."""
    if not _ODD_BREAKS.search(text):
        return None
    return [found.start() for found in re.finditer("\r\n?|\n", text)]  # CR LF is one end


def _line(mark: yaml.Mark, newlines: list[int] | None) -> int:
    """The 1-based line of ``mark`` as an editor counts lines."""
    return mark.line + 1 if newlines is None else bisect.bisect_left(newlines, mark.index) + 1


class _LineLoader(_BaseLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.newlines = _newlines(stream) if isinstance(stream, str) else None

    def construct_document(self, node: yaml.Node) -> Any:
        check_structure(node)
        try:
            return super().construct_document(node)
        except _UNREADABLE:  # what a list's or a set's constructor does after its own node
            problem = "a value is not what its YAML tag says"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag in _NUMBERS and len(str(node.value)) > MAX_NUMBER:
            raise _unreadable(node)
        try:
            value = super().construct_object(node, deep)
        except _UNREADABLE:  # `!!int x`, `!!timestamp 2021-13-01`, `!!bool maybe`
            raise _unreadable(node) from None
        if node.tag in _NUMBERS and type(value) in (int, float) and str(value) != node.value:
            return _WRITTEN[type(value)](value, node.value)
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # `!!map ""`: PyYAML says what it expected
            return super().construct_mapping(node, deep=True)
        seen: set[object] = set()
        for key, _ in node.value:  # PyYAML would silently keep the last of two equal keys
            if (same := self._key(key)) in seen:
                problem = f"found duplicate key `{clip(key.value)}`"
                raise _Refused(f"invalid YAML: {problem}", key, "keep one of the two lines")
            seen.add(same)
        if not all(key.tag == _STR for key, _ in node.value):  # front matter's are all text
            self.flatten_mapping(node)  # merge keys (`<<`): their pairs first, to be overridden
        # Each key as written: `null:` is "null" (not "None", which names no line of the file)
        located = Located((str(key.value), self._value(value)) for key, value in node.value)
        located.line = _line(node.start_mark, self.newlines)
        located.key_lines = {
            str(key.value): _line(key.start_mark, self.newlines) for key, _ in node.value
        }
        return located

    def _key(self, node: yaml.Node) -> object:
        """What makes two keys one to YAML: `null` and `~` are one, `1` and `01` too; `1` and
        `true` are two, though Python takes True for 1."""
        if node.tag in (_STR, _MERGE):
            return (node.tag, node.value)
        return (node.tag, self.construct_object(node))

    def _value(self, node: yaml.Node) -> Any:
        """What PyYAML makes of ``node``, text and lists of text without its generic steps."""
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            items = LocatedList(self._value(item) for item in node.value)
            items.line = _line(node.start_mark, self.newlines)
            items.item_lines = [_line(item.start_mark, self.newlines) for item in node.value]
            return items
        return self.construct_object(node, deep=True)


def _construct_located(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    mapping = loader.construct_mapping(node)
    assert isinstance(mapping, Located)
    return mapping


def _construct_located_list(loader: _LineLoader, node: yaml.SequenceNode) -> LocatedList:
    if not isinstance(node, yaml.SequenceNode):  # `!!seq ""`: PyYAML says what it expected
        items = LocatedList(loader.construct_sequence(node))
        items.item_lines = []
    else:
        items = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
        items.item_lines = [_line(child.start_mark, loader.newlines) for child in node.value]
    items.line = _line(node.start_mark, loader.newlines)
    return items


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_located)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_located_list)
# Dates stay text: fields.moment parses them, so an impossible date is reported, not a crash.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


# The front matter most article files hold: one `key: value` a line, each value quoted text
# without escapes, a plain word, name, title, address or date, or a flow list of those (what
# editors write, and what the importers write through `articlefile.dump`). Such a mapping is
# read without the YAML parser, in under half the time; anything else goes to it. A property
# test holds this to the parser's own result.
_PRINTABLE = r"[^\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff"
_QUOTED = rf'"{_PRINTABLE}"\\]*"'
_SINGLE_QUOTED = rf"'(?:{_PRINTABLE}']|'')*'"  # '' is a quote
# Printable characters beyond ASCII other than spaces: YAML gives none of them a meaning.
_WIDE = r"\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff"
_WIDE += r"\u3001-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
# Plain text starts with a letter, a digit or such a character, and holds no `#`, no `"` and no
# colon that a space or the end follows; in a list, no colon, comma, bracket or `?` at all (the
# pure-Python parser ends it at `?`). A key has at most 1,024 characters, as libyaml allows.
_BLOCK_PLAIN = rf"(?:[^\W_]|[{_WIDE}])(?:[\w{_WIDE} .,/+()'?=&%~!*@;$\[\]{{}}-]|:(?=[^ ]))*(?<! )"
_FLOW_PLAIN = rf"(?:[^\W_]|[{_WIDE}])[\w{_WIDE} ./+()'=&%~!*@;$-]*(?<! )"
_FLOW_ITEM = rf"(?:{_QUOTED}|{_SINGLE_QUOTED}|{_FLOW_PLAIN})"
_SIMPLE_LINE = re.compile(
    rf"(?P<key>[A-Za-z][A-Za-z0-9_]{{0,1023}}): +(?:(?P<quoted>{_QUOTED}|{_SINGLE_QUOTED})"
    rf"|(?P<plain>{_BLOCK_PLAIN})|\[ *(?P<list>{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*)? *\])"
)
_FLOW_ITEMS = re.compile(rf"({_QUOTED}|{_SINGLE_QUOTED})|({_FLOW_PLAIN})")


def simple_mapping(text: str) -> Located | None:
    """``text`` read as YAML when it is a mapping of simple lines only (see above), else None."""
    located = Located()
    lines: dict[str, int] = {}
    for number, line in enumerate(text.removesuffix("\n").split("\n"), start=1):
        found = _SIMPLE_LINE.fullmatch(line)
        if found is None:
            return None
        key, quoted, plain, items = found.groups()
        if key in lines or not _text_key(key):
            return None
        if quoted is not None:
            located[key] = _unquoted(quoted)
        elif plain is not None:
            if not _plain_text(plain):
                return None
            located[key] = plain
        else:
            located[key] = values = LocatedList()
            for quoted, plain in _FLOW_ITEMS.findall(items or ""):
                if plain and not _plain_text(plain):
                    return None
                values.append(_unquoted(quoted) if quoted else plain)
            values.line, values.item_lines = number, [number] * len(values)
        lines[key] = number
    if not lines:
        return None
    located.line, located.key_lines = 1, lines
    return located


def _unquoted(quoted: str) -> str:
    return quoted[1:-1] if quoted[0] == '"' else quoted[1:-1].replace("''", "'")


@functools.lru_cache(maxsize=256)
def _text_key(key: str) -> bool:
    """Whether YAML reads ``key`` as text (a file has a few keys, the same in every file)."""
    return _plain_text(key)


def _plain_text(value: str) -> bool:
    """Whether YAML reads the plain scalar ``value`` as text (not a number, a boolean, null…)."""
    resolvers = _LineLoader.yaml_implicit_resolvers
    return not any(
        pattern.match(value)
        for _, pattern in [*resolvers.get(value[0], []), *resolvers.get(None, [])]
    )


class YamlSyntaxError(Exception):
    """YAML that does not parse, or that we refuse; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def load_yaml(text: str) -> Any:
    """Parse one YAML document; mappings come back as :class:`Located`."""
    simple = simple_mapping(text)
    if simple is not None:
        return simple
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except _Refused as error:
        line = _line(error.problem_mark, _newlines(text)) if error.problem_mark else None
        raise YamlSyntaxError(str(error.problem), line, error.hint) from None
    except yaml.MarkedYAMLError as error:
        error.problem_mark, error.context_mark = _as_editors(text, error)
        if tab := _tab_at(text, error.problem_mark):
            raise tab from None
        if invisible := _invisible_break(text, error):
            raise invisible from None
        if odd := _odd_space_after_key(text, error):
            raise odd from None
        if cause := _key_line_cause(text, error) or _second_document(text, error):
            raise cause from None
        # Where the broken construct began (an unclosed quote, say) helps more than where
        # the parser gave up, often the end of the text; but a block's start is no cause.
        mark = error.context_mark or error.problem_mark
        if (error.context or "").startswith("while parsing a block") and error.problem_mark:
            mark = error.problem_mark
        reason = " ".join(filter(None, (error.problem, error.context)))
        tagged = isinstance(error, yaml.constructor.ConstructorError)  # `!!int x`, say
        hint = _sign_hint(text, error.problem_mark) or (TAG_HINT if tagged else SYNTAX_HINT)
        return _raise_syntax(reason or "not YAML", mark.line + 1 if mark else None, hint)
    except yaml.YAMLError as error:
        return _raise_syntax(str(error), None)
    except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
        return _raise_syntax(f"nested more than {MAX_DEPTH} levels deep", None)
    check_lost_text(text, data)
    return data


def _invisible_break(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError | None:
    """A line break the editor does not show, on a line the error names: YAML read it as a
    line's end (one inside quotes is text, and no cause)."""
    lines = editor_lines(text)
    for mark in (error.problem_mark, error.context_mark):
        line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        if mark is not None and (found := _INVISIBLE_BREAK.search(line)):
            what, hint = invisible_break(found.group())
            message = f"invalid YAML: this line {what}, read as its end"
            return YamlSyntaxError(message, mark.line + 1, hint)
    return None


_INVISIBLE_BREAK = re.compile(f"[{''.join(INVISIBLE_BREAKS)}]")
QUOTES_HINT = "put the whole value in quotes"
# A value after its key, on the key's line: `title: Peru #1`, `- name: Rosa`, `"title": x`.
_KEY_AND_VALUE = re.compile(
    r"^[ -]*[\"']?(?P<key>[^\"':#]+?)[\"']?[ \t]*:[ \t]+(?P<value>\S.*?)\s*$"
)
# Keys whose values are prose, where `#1` or `#peru` is text, not a comment (a comment after
# an address or a zone, `base_url: https://x.org/ #TODO`, is one, as YAML reads it).
TEXT_KEYS = frozenset({"title", "name", "description", "source", "heading"})
# A `#` right after one space and right before a word: a hashtag or "number", which YAML
# takes for a comment (`Peru #1 in exports` is "Peru"); a comment is written `  # like this`.
_HASH_WORD = re.compile(r"(?<=\S)[ \t]#(?=\w)")
_SIGNS = "*&!@%`"  # what YAML gives a meaning of its own at the start of a plain value


def check_lost_text(text: str, data: Any) -> None:
    """Refuse text YAML would silently drop: a title, name or description cut at a hashtag
    it reads as a comment, or any value started with a word it reads as an anchor's name
    (`title: &Co buys mine`)."""
    lines = editor_lines(text)  # where YAML counts lines as editors do: see _newlines
    for mapping in _mappings(data):
        for key, number in mapping.key_lines.items():
            value = mapping.get(key)
            if (value is not None and not isinstance(value, str)) or number > len(lines):
                continue
            line = lines[number - 1]
            if "#" not in line and "&" not in line:  # most lines: no regex
                continue
            found = _KEY_AND_VALUE.match(line)
            raw = found["value"] if found and found["key"] == key else ""
            if raw[:1] in ('"', "'", "|", ">", ""):
                continue
            if value is None and re.match(r"#\w", raw) and key in TEXT_KEYS:
                message = f"`{clip(key)}` has no value: YAML reads `{clip(raw)}` as a comment"
                raise YamlSyntaxError(f"invalid YAML: {message}", number, QUOTES_HINT)
            if raw[0] == "&":
                name = raw.split()[0]
                message = f"YAML reads `{clip(name)}` as an anchor's name, not as part of `{key}`"
                raise YamlSyntaxError(f"invalid YAML: {message}", number, QUOTES_HINT)
            if key in TEXT_KEYS and (hashtag := _HASH_WORD.search(raw)):
                cut = raw[hashtag.start() + 1 :]
                message = f"`{clip(key)}` stops before `{clip(cut)}`: YAML reads ` #` and what "
                message += "follows as a comment"
                hint = f"{QUOTES_HINT} (a comment is written with a space after its #: `  # …`)"
                raise YamlSyntaxError(f"invalid YAML: {message}", number, hint)


def _mappings(data: Any) -> Iterator[Located]:
    """Every mapping in ``data`` with the lines of its keys, outermost first."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, Located):
            yield value
            pending += reversed(list(value.values()))
        elif isinstance(value, list):
            pending += reversed(value)


def _sign_hint(text: str, mark: yaml.Mark | None) -> str | None:
    """For a value that starts with a sign YAML reads as its own (`*Breaking* news`, an alias;
    `!Important`, a tag; `@home`, reserved): quotes keep it text."""
    if mark is None:
        return None
    line = text.split("\n")[mark.line] if mark.line < text.count("\n") + 1 else ""
    found = re.match(r"^[ -]*[^\s:#][^:]*:[ \t]+(?P<sign>\S)(?P<next>.?)", line)
    if found is None or found["sign"] not in _SIGNS or found["sign"] + found["next"] == "!!":
        return None  # a `!!` tag has TAG_HINT
    sign = "a backtick" if found["sign"] == "`" else f"`{found['sign']}`"
    return f"{QUOTES_HINT}: YAML gives {sign} at the start of a value a meaning of its own"


def _as_editors(
    text: str, error: yaml.MarkedYAMLError
) -> tuple[yaml.Mark | None, yaml.Mark | None]:
    """The error's marks, their lines counted as an editor counts them."""
    newlines = _newlines(text)
    if newlines is None:
        return error.problem_mark, error.context_mark
    return tuple(  # type: ignore[return-value]
        mark and yaml.Mark(mark.name, mark.index, _line(mark, newlines) - 1, mark.column,
                           mark.buffer, mark.pointer)
        for mark in (error.problem_mark, error.context_mark)
    )  # fmt: skip


def _second_document(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError | None:
    """Lines after an end of document (``...``) or a second start (``---``): a file of
    settings, or a front matter, is one YAML document."""
    mark = error.problem_mark
    if mark is None:
        return None
    if error.problem == "but found another document":
        return YamlSyntaxError(
            "invalid YAML: a second document starts here, and a file is read as one",
            mark.line + 1,
            "delete this `---` line (and a `...` line above it) to make one document of both",
        )
    if error.problem == "did not find expected <document start>":
        lines = text.split("\n")[: mark.line]
        for number in range(len(lines) - 1, -1, -1):
            if lines[number].split("#")[0].strip() == "...":
                return YamlSyntaxError(
                    "invalid YAML: `...` ends the document here, but more lines follow",
                    number + 1,
                    "delete the `...` line",
                )
    return None


# A key and its colon with no space after it (`title:Peru`): YAML reads one text, no key.
# Only at a line's start (or a list item's): an indented line may be a wrapped text's, and a
# one-letter "key" is a drive (`C:\\`).
_KEY_WITHOUT_SPACE = re.compile(r"^(?:- )?([A-Za-z_][\w-]+):(?=[^\s/\\])")


def _key_line_cause(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError | None:
    """What YAML blames on a later line, where an earlier one is the cause: a key with no
    space after its colon, or a first line indented while the ones after it are not."""
    mark = error.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")[: mark.line + 1]
    for number in range(len(lines) - 1, -1, -1):
        if found := _KEY_WITHOUT_SPACE.match(lines[number]):
            return YamlSyntaxError(
                f"invalid YAML: no space after `{found[1]}:`, so YAML reads no key here",
                number + 1,
                f"write a space after the colon: `{found[1]}: …`",
            )
        if number < mark.line and _KEY_LINE.match(lines[number]):
            break  # a key written as it should be comes between
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if (
        error.problem == "did not find expected <document start>"
        and first is not None
        and lines[first][:1] == " "
    ):
        return YamlSyntaxError(
            "invalid YAML: the first line is indented, and the lines after it are not",
            first + 1,
            "start the first line at the beginning of the line, as the others",
        )
    return None


def _tab_at(text: str, mark: yaml.Mark | None) -> YamlSyntaxError | None:
    """A tab where YAML gave up: YAML indents with spaces only (a tab is a common slip)."""
    if mark is None:
        return None
    start = text.rfind("\n", 0, mark.index) + 1
    end = text.find("\n", mark.index)
    line = text[start : len(text) if end < 0 else end]
    if (
        "\t" not in line[: len(line) - len(line.lstrip())]
        and text[mark.index : mark.index + 1] != "\t"
    ):
        return None
    return YamlSyntaxError(
        "invalid YAML: a tab on this line: YAML indents with spaces only",
        mark.line + 1,
        "replace the tab with spaces",
    )


# A key, then its colon, then a space YAML does not count as one (pasted from a web page or a
# word processor): YAML then reads "key:\u00a0value" as one plain text, not a key and a value.
_ODD_SPACE_AFTER_KEY = re.compile(r"^[ -]*([A-Za-z_][\w-]*):([\u00a0\u2000-\u200a\u202f\u3000])")


_KEY_LINE = re.compile(r"^[ -]*[A-Za-z_][\w-]*:(?:[ \t]|$)")


def _odd_space_after_key(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError | None:
    """Such a space after the last key written before the line where YAML gave up (it reads on,
    through a value wrapped onto more lines, to the next key); never one in a text elsewhere."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    lines = text.split("\n")[: mark.line + 1]
    for number in range(len(lines) - 1, -1, -1):
        found = _ODD_SPACE_AFTER_KEY.match(lines[number])
        if found:
            name = unicodedata.name(found[2], "space").lower()
            return YamlSyntaxError(
                f"invalid YAML: a {name} after `{found[1]}:`, where YAML needs an ordinary space",
                number + 1,
                "replace it with an ordinary space",
            )
        if number < mark.line and _KEY_LINE.match(lines[number]):
            return None  # a key written as it should be comes between
    return None


def _raise_syntax(reason: str, line: int | None, hint: str = SYNTAX_HINT) -> Any:
    raise YamlSyntaxError(f"invalid YAML: {reason}", line, hint)
