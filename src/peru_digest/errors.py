"""Problems found in input, and the one exception that carries them to the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where, what, and how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class DigestError(Exception):
    """Input was invalid; every problem found is listed, nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.message)


def display_path(path: Path, root: Path) -> str:
    """The path as an editor would type it: relative to ``root`` where possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class RefusedError(Exception):
    """A command declined to act because acting could destroy the user's files; one line."""
