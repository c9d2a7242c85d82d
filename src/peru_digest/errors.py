"""Problems found in input, the report that gathers them, and the exceptions that end a command."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


def os_reason(error: OSError) -> str:
    """Why the system refused, as a message goes on: "no such file or directory"."""
    return (error.strerror or str(error)).lower()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where, what, and how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        path = printable(self.path)
        where = f"{path}:{self.line}" if self.line is not None else path
        text = f"{where}: {shown(self.message)}"
        return f"{text}\n  hint: {shown(self.hint)}" if self.hint else text


# What a terminal acts on rather than shows: C0 controls but tab (a line feed would fake a line
# of its own), DEL, C1 controls, line and paragraph separators, the marks that reorder text (a
# line could read as another), and the invisible ones (a zero-width space, a word joiner, a BOM).
_CONTROLS = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060\u2066-\u2069\ufeff]"
)


def shown(text: str) -> str:
    """A message as a terminal may show it: what it quotes of a file (a hostile one may hold
    escape sequences that clear the screen, or a line feed that fakes a line) with each
    control character written as ``\\xNN``."""
    return _CONTROLS.sub(lambda found: ascii(found[0])[1:-1], text)


def printable(path: str) -> str:
    """A file's path as a terminal may show it: a byte of its name that is not UTF-8, and a
    control character (an escape sequence, a line break), written as ``\\xNN``."""
    try:
        text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name has
        text = path.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


class DigestError(Exception):
    """Input was invalid; every problem found is listed, nothing was written."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems = sorted(problems, key=_problem_order)
        self.warnings = list(warnings)  # what the run found besides, for a strict caller
        super().__init__("\n".join(str(p) for p in self.problems))


class RefusedError(Exception):
    """A command declined to act because acting could destroy the user's files; one line."""


@dataclass
class Report:
    """What one run found: problems stop it (all reported together), warnings do not."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    strict: bool = False  # warnings are problems too: a run that ends says them all

    def problem(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, message, hint))

    def warn(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.warnings.append(Problem(path, line, message, hint))

    def merge(self, other: Report) -> None:
        self.problems += other.problems
        self.warnings += other.warnings

    def check(self) -> None:
        """The one place problems end a run: raise them all (with the warnings, when
        strict), or carry on."""
        if self.problems and self.strict:
            raise DigestError(self.problems + self.warnings)
        if self.problems:
            raise DigestError(self.problems, self.warnings)


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.message)
