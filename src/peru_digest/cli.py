"""The command line: parse arguments, run one command, print problems, choose the exit code."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

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
        prog="peru-digest", description="Build the Peru news digest: Markdown summaries in, a static site with feeds out."
    )
    commands = top.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("build", help="build the site into public/", description="Validate content/ and build the site. The old site is replaced only when the whole build succeeds.")
    add_folders(run)
    run.add_argument("--output", type=Path, default=Path("public"), help="where to write the site (default: public)")
    run.add_argument("--base-url", help="the public address of the site, overriding site.yaml")
    run.set_defaults(run=run_build, nothing_done="Nothing was built; the previous site is unchanged.")

    imp = commands.add_parser("import-digest", help="add articles from a pasted digest text", description="Turn a digest text (title, 'By AUTHORS, SOURCE. -' line, excerpt) into article files. Existing files are never changed.")
    imp.add_argument("file", type=Path, help="the digest text file")
    imp.add_argument("--date", required=True, type=date.fromisoformat, help="the day the articles appeared (YYYY-MM-DD)")
    imp.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    imp.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content)")
    imp.set_defaults(run=run_import_digest, nothing_done="Nothing was imported.")
    return top


def add_folders(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content)")
    command.add_argument("--templates", type=Path, default=Path("templates"), help="the templates folder (default: templates)")


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = build(args.content, args.templates, args.output, base_url=args.base_url)
    seconds = time.perf_counter() - started
    drafts = f", {result.drafts} drafts left out" if result.drafts else ""
    print(f"Built {result.articles} articles into {result.pages} pages in {args.output}/{drafts} ({seconds:.2f} s).")
    return 0


def run_import_digest(args: argparse.Namespace) -> int:
    from .importers.write import import_digest  # noqa: PLC0415 - only this command needs it

    report = import_digest(args.file, args.content, args.date, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
