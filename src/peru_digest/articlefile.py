"""The article file: YAML front matter between ``---`` lines, then the summary in Markdown.

The loader reads it and every importer writes it through this module, so both agree on the
format (the rule that gives an article its permanent feed id is ``model.derived_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml

from .errors import Problem
from .inputfile import editor_lines
from .yamlio import Located, YamlSyntaxError, load_yaml, moved_down

FENCE = "---"
SUFFIX = ".md"
FIELD_ORDER = ("title", "date", "source", "authors", "url", "topics", "slug", "id")


class ArticleFileError(Exception):
    """The file is not an article file; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class ArticleFile:
    """A parsed article file: its front matter (with line numbers) and its summary."""

    front_matter: Located
    body: str
    body_line: int = 0  # the body's first line with text (else the line after the `---`)


def lines_of(text: str) -> list[str]:
    """A file's lines as an editor numbers them (:func:`inputfile.editor_lines`), past a BOM."""
    return editor_lines(text.removeprefix("\ufeff"))


def _no_opening_fence(lines: list[str], shown: str) -> Problem:
    """The file does not start with ``---``: it comes after blank lines, or not at all."""
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].rstrip() == FENCE:
        return Problem(
            shown,
            first + 1,
            "the front matter's `---` must be the file's first line",
            f"delete the blank line{'s' if first > 1 else ''} above it",
        )
    return Problem(
        shown,
        1,
        "missing front matter: the file must start with a `---` line",
        "did you forget to add `---` above the title?",
    )


def parse(text: str, shown: str) -> ArticleFile:
    """Split and parse the file's text; ``shown`` names the file in problems."""
    lines = lines_of(text)
    if lines[0].rstrip() != FENCE:
        raise ArticleFileError(_no_opening_fence(lines, shown))
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            front = _front_matter("\n".join(lines[1:index]), shown)
            rest = lines[index + 1 :]
            blank = next((n for n, line in enumerate(rest) if line.strip()), 0)
            return ArticleFile(front, "\n".join(rest).strip(), index + 2 + blank)
    raise ArticleFileError(
        Problem(
            shown,
            1,
            "front matter is not closed",
            "add a `---` line after the last front-matter key, before the summary",
        )
    )


def _front_matter(text: str, shown: str) -> Located:
    """The front matter as a mapping whose line numbers count from the top of the file."""
    first_line = 2  # the line after the opening fence
    try:
        data = load_yaml(text)
    except YamlSyntaxError as error:
        line = None if error.line is None else error.line + first_line - 1
        problem = Problem(shown, line, error.message, error.hint)
        raise ArticleFileError(problem) from None
    if not isinstance(data, Located):
        problem = Problem(
            shown,
            first_line,
            "front matter must be `key: value` lines",
            "write one `key: value` a line between the two `---` lines, such as `title: …`",
        )
        raise ArticleFileError(problem)
    moved_down(data, first_line - 1)
    return data


class _Dumper(yaml.SafeDumper):
    """Writes a date-time as ISO 8601 with a ``T``: 2021-07-28T09:30:00-05:00."""


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(datetime, _represent_datetime)


def dump(front_matter: Mapping[str, Any], body: str) -> str:
    """The file's text: front matter in the usual key order, then the summary."""
    ordered = {key: front_matter[key] for key in FIELD_ORDER if key in front_matter}
    ordered |= {key: value for key, value in front_matter.items() if key not in ordered}
    dumped = yaml.dump(
        ordered,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=1000,
    )
    return f"{FENCE}\n{dumped}{FENCE}\n\n{body.strip()}\n"
