"""What commands print: problem reports, the build's outcome, a progress bar on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .build import BuildResult
from .errors import Problem, printable


def say(line: str) -> None:
    print(line, flush=True)


def report_problems(problems: Sequence[Problem], outcome: str) -> None:
    """Every problem, then how many and what that meant (``Nothing was built; …``)."""
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{plural(len(problems), 'problem')} found. {outcome}", file=sys.stderr)


def report_warnings(warnings: Sequence[Problem]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


class NewWarnings:
    """For a process that builds again and again (``serve``): each build's warnings that the
    build before did not give. A feed change's warning is given by one build only, so it must
    be printed; one that every build gives is printed once, not after every save."""

    def __init__(self) -> None:
        self.last: set[Problem] = set()

    def report(self, warnings: Sequence[Problem]) -> None:
        report_warnings([warning for warning in warnings if warning not in self.last])
        self.last = set(warnings)


def print_outcome(
    result: BuildResult, content: Path, output: Path, seconds: float, *, verbose: bool
) -> None:
    """Notices, warnings and what was left out (named as warnings name files: from where the
    command was run), then the one summary line."""
    for notice in result.notices:
        print(f"notice: {notice}", file=sys.stderr)
    report_warnings(result.warnings)
    for path, why in result.left_out:
        print(f"left out: {printable((content / path).as_posix())}: {why}")
    extras = [
        f"{len(result.left_out)} left out" if result.left_out else "",
        plural(len(result.warnings), "warning") if result.warnings else "",
    ]
    tail = "; ".join(filter(None, extras))
    print(
        f"Built {plural(result.articles, 'article')} into {plural(result.pages, 'page')} and "
        f"{plural(result.feeds, 'feed')} in {output}/ in {seconds:.2f} s"
        + (f"; {tail}." if tail else ".")
    )
    if verbose:
        print(f"base URL: {result.base_url}")
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result.timings)
        print(f"steps: {steps}; {result.written} files written or removed")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s'[: count != 1]}"


class ProgressBar:
    """A one-line page counter on a terminal, shown only once a build has taken a second."""

    def __init__(self, out: TextIO, started: float, delay: float = 1.0) -> None:
        self.out = out
        self.started = started
        self.delay = delay
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if not self.out.isatty() or now - self.started < self.delay or now - self.last < 0.1:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.out.write(f"\rRendering [{bar}] {done}/{total} pages")
        self.out.flush()
        self.shown, self.last = True, now

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r" + " " * 60 + "\r")
            self.out.flush()
