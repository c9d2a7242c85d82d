"""The command line: declare the commands, hand each to its module, choose the exit code.

This is the only module that reads the clock or the environment; ``console`` does the printing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias, cast

from . import __version__, console, edition, topics
from .build import build
from .errors import DigestError, Problem, RefusedError
from .fields import shown
from .importers.bylines import split_names
from .loading import Readings
from .weeks import is_week_label
from .workers import frugal_malloc

if TYPE_CHECKING:
    from .importers.records import ImportReport

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
EXIT_PROBLEMS = 1
EXIT_INTERNAL = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # as a command that SIGPIPE ended
MAX_PORT = 65535
CACHE = ".peru-digest-cache"


def main(argv: Sequence[str] | None = None) -> int:
    frugal_malloc()
    printable_streams()
    args, unknown = parser().parse_known_args(argv)
    if unknown:  # told with the command's own usage, not the list of commands
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    previous = signal.signal(signal.SIGTERM, interrupt)
    stdout = sys.stdout
    sys.stdout = cast(TextIO, KnownOutput(stdout))
    try:
        return outcome(args)
    finally:
        sys.stdout = stdout
        signal.signal(signal.SIGTERM, previous)


def outcome(args: argparse.Namespace) -> int:  # noqa: PLR0911 - one status per way to end
    """Run the command; its exit status, every failure told on standard error."""
    try:
        status = int(args.run(args))
        sys.stdout.flush()  # a full disk behind the output is told here, not at exit
        return status
    except DigestError as error:
        console.report_problems(error.problems, args.nothing_done)
        return EXIT_PROBLEMS
    except RefusedError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # what reads the output stopped reading (`| head`): say no more
        output_to_nowhere()
        return EXIT_BROKEN_PIPE
    except OutputError as error:  # `> /dev/full`: the work is done; telling of it failed
        output_to_nowhere()
        print(f"error: cannot write to standard output: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as error:  # the last line of defence: never a bare traceback
        if args.verbose:
            traceback.print_exc()
        else:
            print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
            print("  hint: run again with -v to see where it happened", file=sys.stderr)
        return EXIT_INTERNAL


class OutputError(Exception):
    """Standard output failed (a full disk, a terminal hung up): not the command's work."""


class KnownOutput:
    """Standard output whose failures, other than a closed pipe, are known as its own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        with self.known():
            return self.stream.write(text)

    def flush(self) -> None:
        with self.known():
            self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    @staticmethod
    @contextlib.contextmanager
    def known() -> Iterator[None]:
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.strerror or str(error)) from None


def output_to_nowhere() -> None:
    """Send what is left of the output nowhere: flushed at exit into a closed pipe, it would
    fail again."""
    with contextlib.suppress(OSError, ValueError):  # not a file (a test's): nothing is left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def printable_streams() -> None:
    """Output and messages whose characters the terminal's encoding lacks (``LANG=C``,
    ``PYTHONIOENCODING=ascii``: "Perú", an en dash) are written with escapes, not lost in an
    error after the work is done."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def interrupt(_signal: int, _frame: object) -> None:
    """SIGTERM (CI cancelling, ``docker stop``) cleans up as Ctrl-C does."""
    raise KeyboardInterrupt


def clock() -> datetime:
    """Now, or the moment SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.now(UTC)
    try:
        if not epoch.strip().isascii() or not epoch.strip().isdigit():
            raise ValueError(epoch)
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        problem = Problem(
            "SOURCE_DATE_EPOCH",
            None,
            "must be a whole number of seconds since 1970-01-01 UTC, before the year 10000, "
            f"not {shown(epoch)}",
            "unset it to use the current time, or set it as `date +%s` prints one",
        )
        raise DigestError([problem]) from None


# The parser ---------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peru-digest",
        description="Build the Peru news digest: Markdown summaries in, a static site out.",
    )
    top.add_argument("--version", action="version", version=f"peru-digest {__version__}")
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
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
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


def site_options(command: argparse.ArgumentParser, *, output: bool = True) -> None:
    """What build, serve and check share: which articles, which address, search or not."""
    common(command, templates=True)
    if output:
        command.add_argument(
            "--output", type=Path, default=Path("public"), help="(default: public)"
        )
        command.add_argument(
            "--cache",
            type=Path,
            default=None,
            help="where builds remember what they made, to redo only what changed "
            f"(default: {CACHE} beside the content folder)",
        )
        command.add_argument(
            "--clean", action="store_true", help="ignore the cache: draw every page afresh"
        )
    command.add_argument("--base-url", help="the public address of the site, overriding site.yaml")
    command.add_argument("--drafts", action="store_true", help="include drafts")
    command.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    command.add_argument("--no-search", action="store_true", help="skip the search index")


def build_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``build`` that the shared options give."""
    cached = {"cache": cache_folder(args), "clean": args.clean} if "cache" in args else {}
    return cached | {
        "base_url": args.base_url,
        "drafts": args.drafts,
        "future": args.future,
        "search": not args.no_search,
    }


def cache_folder(args: argparse.Namespace) -> Path:
    """``--cache``, else the cache beside the content folder it describes."""
    return Path(args.cache) if args.cache is not None else args.content.resolve().parent / CACHE


def add_build(commands: Commands) -> None:
    run = commands.add_parser(
        "build",
        help="build the site into public/",
        description="Validate content/ and build the site. The previous site is replaced "
        "only when the whole build succeeds. Drafts and articles dated in the future are "
        "left out, and listed. Each feed is compared with the one it replaces: what its "
        "subscribers would notice (an item re-sent under a new id, an item gone) is a warning.",
    )
    site_options(run)
    run.add_argument("-q", "--quiet", action="store_true", help="print only problems and warnings")
    run.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as problems: build nothing, leave the previous site as it was",
    )
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
    site_options(run)
    run.add_argument(
        "--port", type=port_number, default=8000, help="(default: 8000; 0 picks a free one)"
    )
    run.set_defaults(run=run_serve, nothing_done="The server did not start.")


def add_check(commands: Commands) -> None:
    run = commands.add_parser(
        "check",
        help="validate content, links and feeds without publishing",
        description="Check everything a build checks, then build into a scratch folder and "
        "check every internal link and feed there, compare the feeds with the published ones "
        "as a build does, and apply the editorial rules of site.yaml's `lint`. The published "
        "site is not touched. Exit status: 0 when all is well, 1 when there are problems (or, "
        "with --strict, warnings).",
    )
    site_options(run, output=False)
    run.add_argument(
        "--output",
        type=Path,
        default=Path("public"),
        help="the published site, whose feeds the new ones are compared with; never written "
        "(default: public)",
    )
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
    run.add_argument("--date", type=calendar_day, help="YYYY-MM-DD (default: today)")
    run.add_argument("--topics", type=comma_list, default=(), help="topic slugs: a,b")
    run.add_argument("--authors", type=author_names, default=(), help='a byline: "A, B and C"')
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
        "--date", required=True, type=calendar_day, help="the day of the articles, YYYY-MM-DD"
    )
    common(run, dry_run=True)
    run.set_defaults(run=run_import_digest, nothing_done="Nothing was imported.")


def add_import_feed(commands: Commands) -> None:
    run = commands.add_parser(
        "import-feed",
        help="add articles from an RSS, Atom or JSON feed",
        description="Turn each entry of an RSS, Atom or JSON feed (a file or an http(s) URL) "
        "into a new article file. Existing files are never changed; articles already in content/ "
        "(the same link or feed id) are skipped.",
    )
    run.add_argument("location", metavar="FEED", help="the feed: a file or an http(s) URL")
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
        help="a week's (or a period's) articles, for email or text",
        description="Write the articles of a week (--week 2021-W35, as on the site's edition "
        "pages) or of the days FROM to TO (inclusive), grouped by topic as the site's editions "
        "are, as an email-ready HTML page, plain text, or the digest text that import-digest "
        "reads. Drafts and articles dated in the future are left out, as the site leaves them "
        "out.",
    )
    run.add_argument("--week", type=week_label, help="a week, as the site labels it: 2021-W35")
    run.add_argument("--from", dest="start", type=calendar_day, help="YYYY-MM-DD")
    run.add_argument("--to", dest="end", type=calendar_day, help="YYYY-MM-DD")
    run.add_argument("--format", choices=edition.FORMATS, default="html", help="(default: html)")
    run.add_argument("--topic", help="only articles of this topic (a slug)")
    run.add_argument(
        "--future", action="store_true", help="include articles dated in the future (a preview)"
    )
    run.add_argument("-o", "--output", type=Path, help="write to this new file (default: stdout)")
    common(run, templates=True)
    run.set_defaults(run=run_edition, nothing_done="Nothing was written.", usage=run.error)


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


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r} is no port: write a number from 0 to 65535")
    return int(text)


def calendar_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, such as 2021-07-28"
        ) from None


def week_label(text: str) -> str:
    """A week's label as written (whether the site has that week is the edition's to say)."""
    if not is_week_label(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a week: write it as YYYY-Www, such as 2021-W35"
        )
    return text


def comma_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def author_names(text: str) -> tuple[str, ...]:
    """The names in a byline, split as imports split them ("A, B and C" is three); a text with
    a line break is kept whole, for ``new`` to say it must be one line."""
    if "\n" in text or "\r" in text:
        return (text,)
    return tuple(name for name in split_names(text) if name)


# The commands -------------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    bar = None if args.quiet else console.ProgressBar(sys.stderr, started)
    result = build(
        args.content,
        args.templates,
        args.output,
        now=clock(),
        progress=bar,
        strict=args.strict,
        **build_options(args),
    )
    if bar is not None:
        bar.clear()
    if args.quiet:
        console.report_warnings(result.warnings)  # a feed change's is given once: never lost
    else:
        elapsed = time.perf_counter() - started
        console.print_outcome(result, args.content, args.output, elapsed, verbose=args.verbose)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Pages first (the browser reloads at once), then the search index."""
    from .serve import serve  # noqa: PLC0415 - each command imports what only it needs

    options = build_options(args)
    readings = Readings()  # what the last build read: most files are as they were
    warnings = console.NewWarnings()

    def build_site(*, index: bool = True) -> object:
        result = build(
            args.content,
            args.templates,
            args.output,
            now=clock(),
            index=index,
            readings=readings,
            **options,
        )
        warnings.report(result.warnings)
        return result

    watched = [args.content, args.templates]
    then = build_site if options["search"] else None
    serve(partial(build_site, index=False), args.output, watched, args.port, console.say, then=then)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from .check import check_site  # noqa: PLC0415 - feedparser: 12 MB no build needs

    try:
        result = check_site(
            args.content, args.templates, now=clock(), live=args.output, **build_options(args)
        )
    except DigestError as error:  # with --strict, the warnings found are problems too
        raise DigestError(error.problems + (error.warnings if args.strict else [])) from None
    problems = result.problems + (result.warnings if args.strict else [])
    if not args.strict:
        console.report_warnings(result.warnings)
    if problems:
        console.report_problems(problems, "The check failed.")
        return EXIT_PROBLEMS
    built = result.build
    warned = f"; {console.plural(len(result.warnings), 'warning')}" if result.warnings else ""
    print(
        f"Check passed: {built.articles} articles, {built.pages} pages, {built.feeds} feeds; "
        f"every internal link and feed is valid{warned}."
    )
    return 0


def run_new(args: argparse.Namespace) -> int:
    from .importers.new import new_article  # noqa: PLC0415

    path = new_article(
        args.content,
        title=args.title,
        source=args.source,
        url=args.url,
        day=args.date,
        now=clock(),
        topics=args.topics,
        authors=args.authors,
    )
    print(path.as_posix())
    return 0


def run_import_digest(args: argparse.Namespace) -> int:
    from .importers.digest import import_digest  # noqa: PLC0415

    report = import_digest(args.file, args.content, args.date, dry_run=args.dry_run, now=clock())
    print_report(report)
    return 0


def run_import_feed(args: argparse.Namespace) -> int:
    from .importers.feed import import_feed  # noqa: PLC0415

    report = import_feed(
        args.location,
        args.content,
        now=clock(),
        outlet=args.source,
        dry_run=args.dry_run,
    )
    print_report(report)
    if not report.refused:
        return 0
    were, was = ("would be", "would be") if args.dry_run else ("were", "was")
    outcome = f"The other entries {were} imported." if report.imported else f"None {was} imported."
    console.report_problems(report.refused, outcome)
    return EXIT_PROBLEMS


def print_report(report: ImportReport) -> None:
    for line in report.warning_lines():
        print(line, file=sys.stderr)
    print("\n".join(report.lines()))


def run_edition(args: argparse.Namespace) -> int:
    if not one_period(args):
        args.usage("give either --week, or both --from and --to")
    if args.start is not None and args.end < args.start:
        args.usage(
            f"--to {args.end} is before --from {args.start}: the period runs from one to the other"
        )
    request = edition.Request(args.start, args.end, args.week, args.topic, args.format)
    if args.output is not None:
        edition.check_outside_articles(args.output, args.content)
    now = None if args.future else clock()
    text, count = edition.make_edition(args.content, args.templates, request, now)
    if args.output is None:
        sys.stdout.write(text)
    else:
        edition.write_new_file(args.output, text)
        print(f"Wrote {count} articles to {args.output}")
    return 0


def one_period(args: argparse.Namespace) -> bool:
    """Exactly one of --week, or --from with --to."""
    if args.week is not None:
        return args.start is None and args.end is None
    return args.start is not None and args.end is not None


def run_topics(args: argparse.Namespace) -> int:
    found, listed = topics.explain_file(args.content, args.explain)
    if listed:
        print(
            f"this file lists its own topics ({', '.join(listed)}): keywords give topics only"
            " to an article that lists none; they would give it:"
        )
    for slug, words in found.items():
        print(f"{slug}: {', '.join(words)}")
    if not found:
        print("no topic: none of the keywords in topics.yaml occur in this article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
