"""The command line: parse arguments, run one command, print problems, choose the exit code.

This is the only module that prints, reads the clock or looks at the environment.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO, TypeAlias

from .build import BuildResult, build
from .errors import DigestError, Problem, RefusedError

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
EXIT_PROBLEMS = 1
EXIT_INTERNAL = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        return int(args.run(args))
    except DigestError as error:
        report_problems(error.problems, args.nothing_done)
        return EXIT_PROBLEMS
    except RefusedError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: never a bare traceback
        if args.verbose:
            traceback.print_exc()
        else:
            print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
            print("  hint: run again with -v to see where it happened", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupt(_signal: int, _frame: object) -> None:
    """SIGTERM (CI cancelling, ``docker stop``) cleans up as Ctrl-C does."""
    raise KeyboardInterrupt


def report_problems(problems: Sequence[Problem], outcome: str) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s'[: count != 1]} found. {outcome}", file=sys.stderr)


def clock() -> datetime:
    """Now, or the moment SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)


# The parser ---------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peru-digest",
        description="Build the Peru news digest: Markdown summaries in, a static site out.",
    )
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    for add in (
        add_build,
        add_serve,
        add_check,
        add_new,
        add_import_digest,
        add_import_feed,
        add_edition,
        add_topics,
    ):
        add(commands)
    return top


def common(
    command: argparse.ArgumentParser, *, templates: bool = False, dry_run: bool = False
) -> None:
    """The options most commands share."""
    if dry_run:
        command.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )
    command.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    if templates:
        command.add_argument(
            "--templates", type=Path, default=Path("templates"), help="(default: templates)"
        )
    command.add_argument(
        "-v", "--verbose", action="store_true", help="more detail; tracebacks on internal errors"
    )


def selection(command: argparse.ArgumentParser) -> None:
    command.add_argument("--drafts", action="store_true", help="include drafts")
    command.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )


def add_build(commands: Commands) -> None:
    run = commands.add_parser(
        "build",
        help="build the site into public/",
        description="Validate content/ and build the site. The previous site is replaced "
        "only when the whole build succeeds. Drafts and articles dated in the future are "
        "left out, and listed.",
    )
    common(run, templates=True)
    run.add_argument("--output", type=Path, default=Path("public"), help="(default: public)")
    run.add_argument("--base-url", help="the public address of the site, overriding site.yaml")
    run.add_argument("--no-search", action="store_true", help="skip the search index")
    run.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    selection(run)
    run.set_defaults(
        run=run_build, nothing_done="Nothing was built; the previous site is as it was."
    )


def add_serve(commands: Commands) -> None:
    run = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on every change",
        description="Build the site, serve it on 127.0.0.1, watch content/ and templates/, "
        "rebuild on each change and reload open pages. A failed build shows in the terminal "
        "and in the browser; the server keeps running. Ctrl-C stops it.",
    )
    common(run, templates=True)
    run.add_argument("--output", type=Path, default=Path("public"), help="(default: public)")
    run.add_argument("--port", type=int, default=8000, help="(default: 8000; 0 picks a free one)")
    selection(run)
    run.set_defaults(run=run_serve, nothing_done="The server did not start.")


def add_check(commands: Commands) -> None:
    run = commands.add_parser(
        "check",
        help="validate content, links and feeds without publishing",
        description="Check everything a build checks, then build into a scratch folder and "
        "check every internal link and feed there. public/ is not touched. Exit status: 0 when "
        "all is well, 1 when there are problems (or, with --strict, warnings).",
    )
    common(run, templates=True)
    run.add_argument("--strict", action="store_true", help="treat warnings as problems")
    run.set_defaults(run=run_check, nothing_done="The check failed.")


def add_new(commands: Commands) -> None:
    run = commands.add_parser(
        "new",
        help="create a new article file",
        description="Write a new, valid article file named after its date and title, with the "
        "summary left for you to write; prints its path. Never overwrites a file.",
    )
    run.add_argument("--title", required=True)
    run.add_argument("--source", required=True, help="the outlet, as named in sources.yaml")
    run.add_argument("--url", required=True, help="link to the whole article")
    run.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    run.add_argument("--topics", type=comma_list, default=(), help="topic slugs: a,b")
    run.add_argument("--authors", type=comma_list, default=(), help='names: "A, B"')
    common(run)
    run.set_defaults(run=run_new, nothing_done="No file was written.")


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
    common(run, dry_run=True)
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
    common(run, dry_run=True)
    run.set_defaults(run=run_import_feed, nothing_done="Nothing was imported.")


def add_edition(commands: Commands) -> None:
    run = commands.add_parser(
        "edition",
        help="the articles of a period, for email or text",
        description="Write the articles dated FROM to TO (inclusive) as an email-ready HTML "
        "page, plain text, or the digest text that import-digest reads.",
    )
    run.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
    run.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
    run.add_argument("--format", choices=("html", "text", "digest"), default="html")
    run.add_argument("--topic", help="only articles of this topic (a slug)")
    run.add_argument("-o", "--output", type=Path, help="write to this new file (default: stdout)")
    common(run, templates=True)
    run.set_defaults(run=run_edition, nothing_done="Nothing was written.")


def add_topics(commands: Commands) -> None:
    run = commands.add_parser(
        "topics",
        help="explain which topics an article's keywords give it",
        description="Show, for one article file, which topics.yaml keywords its title and "
        "summary contain.",
    )
    run.add_argument("--explain", type=Path, required=True, metavar="FILE")
    common(run)
    run.set_defaults(run=run_topics, nothing_done="Nothing to explain.")


def comma_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# The commands -------------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    bar = ProgressBar(sys.stderr, started) if not args.quiet else None
    result = build(
        args.content,
        args.templates,
        args.output,
        base_url=args.base_url,
        now=clock(),
        drafts=args.drafts,
        future=args.future,
        search=not args.no_search,
        progress=bar,
    )
    if bar is not None:
        bar.clear()
    if not args.quiet:
        print_outcome(result, args.output, time.perf_counter() - started, verbose=args.verbose)
    return 0


def print_outcome(result: BuildResult, output: Path, seconds: float, *, verbose: bool) -> None:
    """Warnings and what was left out, then the one summary line."""
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path, why in result.left_out:
        print(f"left out: {path}: {why}")
    extras = [
        f"{len(result.left_out)} left out" if result.left_out else "",
        f"{len(result.warnings)} warning{'s'[: len(result.warnings) != 1]}"
        if result.warnings
        else "",
    ]
    tail = "; ".join(filter(None, extras))
    print(
        f"Built {result.articles} articles into {result.pages} pages and {result.feeds} feeds "
        f"in {output}/ in {seconds:.2f} s" + (f"; {tail}." if tail else ".")
    )
    if verbose:
        print(f"base URL: {result.base_url}")


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


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve  # noqa: PLC0415 - only this command needs the server

    def build_once() -> BuildResult:
        return build(
            args.content,
            args.templates,
            args.output,
            now=clock(),
            drafts=args.drafts,
            future=args.future,
        )

    serve(build_once, args.output, [args.content, args.templates], args.port, say)
    return 0


def say(line: str) -> None:
    print(line, flush=True)


def run_check(args: argparse.Namespace) -> int:
    from .check import check_site  # noqa: PLC0415 - only this command needs it

    result = check_site(args.content, args.templates, now=clock())
    problems = result.problems + (result.warnings if args.strict else [])
    if not args.strict:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    if problems:
        report_problems(problems, "The check failed.")
        return EXIT_PROBLEMS
    built = result.build
    print(
        f"Check passed: {built.articles} articles, {built.pages} pages, {built.feeds} feeds; "
        "every internal link and feed is valid."
    )
    return 0


def run_new(args: argparse.Namespace) -> int:
    from .importers.new import new_article  # noqa: PLC0415 - only this command needs it

    path = new_article(
        args.content,
        title=args.title,
        source=args.source,
        url=args.url,
        day=args.date or clock().date(),
        topics=args.topics,
        authors=args.authors,
    )
    print(path.as_posix())
    return 0


def run_import_digest(args: argparse.Namespace) -> int:
    from .importers.write import import_digest  # noqa: PLC0415 - only this command needs it

    report = import_digest(args.file, args.content, args.date, dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return 0


def run_import_feed(args: argparse.Namespace) -> int:
    from .importers.feed import import_feed  # noqa: PLC0415 - only this command needs it

    report = import_feed(
        args.feed, args.content, today=clock().date(), outlet=args.source, dry_run=args.dry_run
    )
    print("\n".join(report.lines()))
    return 0


def run_edition(args: argparse.Namespace) -> int:
    from . import edition  # noqa: PLC0415 - only this command needs it
    from .content import load_site  # noqa: PLC0415

    problems: list[Problem] = []
    site = load_site(args.content, problems)
    if site is None:
        raise DigestError(problems)
    articles = edition.select_edition(site, args.start, args.end, args.topic)
    writers: dict[str, Callable[[], str]] = {
        "digest": lambda: edition.edition_digest(articles),
        "text": lambda: edition.edition_text(site, articles, args.start, args.end),
        "html": lambda: edition.edition_html(site, articles, args.start, args.end, args.templates),
    }
    text = writers[args.format]()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with args.output.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        problem = Problem(str(args.output), None, "already exists", "choose a new file name")
        raise DigestError([problem]) from None
    print(f"Wrote {len(articles)} articles to {args.output}")
    return 0


def run_topics(args: argparse.Namespace) -> int:
    from .config import load_topics  # noqa: PLC0415
    from .content import parse_front_matter, split_file  # noqa: PLC0415
    from .topics import TopicMatcher  # noqa: PLC0415

    problems: list[Problem] = []
    topics = load_topics(args.content, problems)
    parts = split_file(args.explain, problems)
    data = None if parts is None else parse_front_matter(parts, args.explain.as_posix(), problems)
    if topics is None or parts is None or data is None:
        raise DigestError(problems)
    title = str(data.get("title", ""))
    found = TopicMatcher.from_topics(topics.values()).explain(f"{title}\n{parts.body}")
    for slug, words in found.items():
        print(f"{slug}: {', '.join(words)}")
    if not found:
        print("no topic: none of the keywords in topics.yaml occur in this article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
