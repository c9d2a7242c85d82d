"""The command line: parse arguments, run one command, print problems, choose the exit code."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TypeAlias

from .build import build
from .errors import DigestError


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DigestError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s'[: count != 1]} found. {args.nothing_done}", file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peru-digest",
        description="Build the Peru news digest: Markdown summaries in, a static site out.",
    )
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    add_build(commands)
    add_import_digest(commands)
    add_import_feed(commands)
    return top


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_build(commands: Commands) -> None:
    run = commands.add_parser(
        "build",
        help="build the site into public/",
        description="Validate content/ and build the site. The previous site is replaced "
        "only when the whole build succeeds.",
    )
    content_option(run)
    run.add_argument(
        "--templates", type=Path, default=Path("templates"), help="templates (default: templates)"
    )
    run.add_argument(
        "--output", type=Path, default=Path("public"), help="where to write (default: public)"
    )
    run.add_argument("--base-url", help="the public address of the site, overriding site.yaml")
    run.set_defaults(
        run=run_build, nothing_done="Nothing was built; the previous site is as it was."
    )


def add_import_digest(commands: Commands) -> None:
    run = commands.add_parser(
        "import-digest",
        help="add articles from a pasted digest text",
        description="Turn a digest text (a title, a 'By AUTHORS, SOURCE. -' line, an excerpt; "
        "repeated) into new article files. Existing files are never changed; articles already "
        "in content/ are skipped.",
    )
    run.add_argument("file", type=Path, help="the digest text file")
    run.add_argument(
        "--date", required=True, type=date.fromisoformat, help="the day of the articles, YYYY-MM-DD"
    )
    run.add_argument(
        "--dry-run", action="store_true", help="report what would happen; write nothing"
    )
    content_option(run)
    run.set_defaults(run=run_import_digest, nothing_done="Nothing was imported.")


def add_import_feed(commands: Commands) -> None:
    run = commands.add_parser(
        "import-feed",
        help="add articles from an RSS or Atom feed",
        description="Turn each entry of an RSS or Atom feed (a file or an http(s) URL) into a "
        "new article file. Existing files are never changed; articles already in content/ "
        "(the same link or feed id) are skipped.",
    )
    run.add_argument("feed", metavar="SOURCE", help="the feed: a file or an http(s) URL")
    run.add_argument(
        "--source",
        metavar="NAME",
        help="the outlet of entries that do not name one (default: the feed's title)",
    )
    run.add_argument(
        "--dry-run", action="store_true", help="report what would happen; write nothing"
    )
    content_option(run)
    run.set_defaults(run=run_import_feed, nothing_done="Nothing was imported.")


def content_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help="the content folder (default: content)",
    )


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = build(args.content, args.templates, args.output, base_url=args.base_url)
    seconds = time.perf_counter() - started
    drafts = f", {len(result.left_out)} left out" if result.left_out else ""
    print(
        f"Built {result.articles} articles into {result.pages} pages in {args.output}/"
        f"{drafts} ({seconds:.2f} s)."
    )
    return 0


def run_import_digest(args: argparse.Namespace) -> int:
    from .importers.write import import_digest  # noqa: PLC0415 - only this command needs it

    report = import_digest(args.file, args.content, args.date, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def run_import_feed(args: argparse.Namespace) -> int:
    from .importers.feed import import_feed  # noqa: PLC0415 - only this command needs it

    report = import_feed(
        args.feed, args.content, today=date.today(), outlet=args.source, dry_run=args.dry_run
    )
    for line in report.lines():
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
