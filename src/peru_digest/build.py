"""The recipe: load and validate → plan pages and feeds → draw what changed → swap it in.

Phase 1 gathers and checks everything and writes nothing. Phase 2 draws only the outputs whose
inputs changed since the last build (the cache knows each output's fingerprint), writes only
the files whose bytes changed, and swaps the new site in whole.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import multiprocessing
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, overload

from . import articlefile, dates, urls
from .cache import (
    Cache,
    CacheError,
    FileState,
    Joined,
    Outputs,
    builds_in_turn,
    digest_of,
    digest_of_chunks,
    generator_version,
)
from .errors import DigestError, Problem, Report
from .feeds import FORMAT_NAMES, Feed, render_opml
from .group import LastRelated, Page, Plan, find_collisions, plan_site
from .loading import Readings, Snapshot, load_site, snapshot
from .model import Article, Site, SiteConfig
from .output import (
    MARKER,
    MARKER_TEXT,
    VERSION_CONTROL,
    Folders,
    Stage,
    changed_in_place,
    check_cache,
    check_output,
    folders_changed,
    identity,
    readable_by_all,
    staged_output,
)
from .render import (
    COMPILED,
    Done,
    FailureTally,
    Job,
    RenderSetup,
    check_templates,
    draw_batch,
    fingerprint,
    make_environment,
    prepare,
    shown,
)
from .replan import Drawn, KeptPlan, output_path, replanned
from .search import (
    SearchSettings,
    index_search,
    search_pages,
    searched,
    searched_articles,
)
from .sitemap import Chunks, SitemapEntry, robots_txt, sitemap_files, sitemap_paths
from .subscribers import Articles, FeedChange, subscriber_warnings
from .weeks import week_end
from .workers import Workers, collected_seldom

STATIC_DIR = "static"
# What writing the site can meet that is no bug of ours: full, over quota, read-only, forbidden.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG,
                errno.ENAMETOOLONG}  # fmt: skip

Progress = Callable[[int, int], None]  # (pages done, pages to draw)


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    feeds: int
    left_out: tuple[tuple[str, str], ...]  # (content file, why)
    warnings: tuple[Problem, ...]
    base_url: str
    written: int = 0  # files written or removed; 0 when nothing changed
    notices: tuple[str, ...] = ()  # about the cache
    timings: tuple[tuple[str, float], ...] = ()  # (step, seconds), for -v


class Stopwatch:
    """How long each step of a build took (durations only: nothing built depends on them)."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps.append((step, now - self.last))
        self.last = now


def build(
    content: Path,
    templates: Path,
    output: Path,
    *,
    cache: Path | None = None,
    clean: bool = False,
    base_url: str | None = None,
    now: datetime | None = None,
    drafts: bool = False,
    future: bool = False,
    search: bool = True,
    index: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
    strict: bool = False,
    live: Path | None = None,
    readings: Readings | None = None,
) -> BuildResult:
    """Build the site into ``output``; on problems raise DigestError and leave ``output`` be.

    ``cache`` is the cache folder (None: a throwaway one, so every output is drawn); ``clean``
    ignores what is in it. ``base_url`` overrides site.yaml; ``now`` is the clock (articles
    dated after it are left out unless ``future``); ``drafts`` includes drafts; ``search``
    gives the site a search page and its index (``index=False``: leave the index as it is this
    time, to show pages sooner); ``workers`` caps the processes (default: one per core).
    ``strict`` fails on any warning, leaving ``output`` be. Each feed drawn anew is compared
    with the one subscribers read now, in ``live`` (default: ``output``), if one was built there.
    ``readings`` (kept by a process that builds again and again, such as ``serve``) are what
    its last build read: files found unchanged need not be looked up in the cache.
    """
    refuse_in_worker_start()
    if cache is not None:  # first: a cache in a folder of other files is what to change
        check_cache(cache, [content, templates])
    check_output(output, [content, templates, *([cache] if cache else [])])
    notices: list[str] = []
    options = Options(
        content, templates, output, cache, base_url, now, drafts, future, search, index,
        progress, strict=strict, live=live_site(output if live is None else live),
        readings=readings,
    )  # fmt: skip
    with readable_by_all(), Workers(workers) as pool, collected_seldom():
        try:
            with opened_cache(cache, content, clean, notices) as store:
                result = run(options, store, pool)
        except CacheError as error:  # found wrong while in use
            with opened_cache(None, content, True, notices) as store:
                result = run(options, store, pool)
            anew = ", and it was made anew" if made_anew(cache, content) else ""
            notices.append(f"the build cache failed ({error}); this build did without it{anew}")
    return dataclasses.replace(result, notices=tuple(notices))


def made_anew(cache: Path | None, content: Path) -> bool:
    """Whether the cache in ``cache`` could be made anew, empty, for the next build (one
    found wrong would otherwise fail every build after, each then a whole one)."""
    if cache is None:
        return False
    said: list[str] = []
    try:
        with opened_cache(cache, content, True, said):
            pass
    except CacheError:
        return False
    return not said  # a word from it: the cache could not be written


def refuse_in_worker_start() -> None:
    """A worker process imports the script that started the build; a ``build()`` at its top
    level would start a second build there, which would wait for the first one forever."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):  # as multiprocessing
        raise RuntimeError(
            "build() was called while a worker process was importing the script that calls it; "
            'call build() under `if __name__ == "__main__":`'
        )


@dataclass(frozen=True)
class Options:
    content: Path
    templates: Path
    output: Path
    cache: Path | None
    base_url: str | None
    now: datetime | None
    drafts: bool
    future: bool
    search: bool
    index: bool
    progress: Progress | None
    strict: bool = False  # any warning fails the build
    live: Path | None = None  # the published site, to compare feeds with
    readings: Readings | None = None  # what this process's last build read


def live_site(folder: Path) -> Path | None:
    """The site subscribers read now, if ``folder`` holds one built before."""
    return folder if (folder / MARKER).is_file() else None


@contextmanager
def opened_cache(
    folder: Path | None, content: Path, clean: bool, notices: list[str]
) -> Iterator[Cache]:
    """The cache in ``folder``, or a throwaway one."""
    if folder is not None:
        with (
            builds_in_turn(folder),
            Cache.open(folder, content, clean=clean, notices=notices) as store,
        ):
            yield store
        return
    with (
        tempfile.TemporaryDirectory(prefix="peru-digest-cache-") as scratch,
        Cache.open(Path(scratch), content, clean=True, notices=notices) as store,
    ):
        yield store


def run(options: Options, store: Cache, pool: Workers) -> BuildResult:
    # Phase 0: when no input changed since the last build, neither has the site.
    inputs = snapshot(
        [options.content, options.templates],
        repr((generator_version(), options.output.resolve(), options.base_url,
              options.drafts, options.future, options.search, options.index)),
    )  # fmt: skip
    last = store.get("last")
    watch = Stopwatch()
    if last is not None and unchanged_site(last, inputs, options, store):
        return said_again(last, options, watch)

    # Phase 1: gather and check everything; nothing is written yet.
    pool.warm_up(len(inputs.files[0]))  # the content folder's files
    report = Report(strict=options.strict)
    site = read_site(options, report, store, pool, inputs.files[0])
    inputs = dataclasses.replace(inputs, files=())  # a state per file: 50 MB at 100,000
    watch.lap("read")
    site_articles = site.articles
    published, left_out = select_published(
        site.articles, options.now, drafts=options.drafts, future=options.future
    )
    site = dataclasses.replace(site, articles=published)
    common = common_facts(site, options)
    kept = planned_pages(site, options, common)
    watch.lap("plan")
    report.problems += compiled_templates(
        options.templates, {page.template for page in kept.plan.pages}, store
    )
    static = static_files(options.templates)  # listed once: made, and checked for clashes
    prints = kept.prints if options.readings is not None else None  # kept with the plan
    # The made outputs (the sitemap holds every listed page) are held by ``planned`` alone,
    # which lets go of them and of the pages once drawn (see draw).
    planned = Planned(
        kept.drawn,
        made_outputs(kept.plan, site, options.templates, static),
        kept.repeated,
        common,
        prints,
    )
    pages, feeds = len(kept.plan.pages), len(kept.plan.feeds)
    del kept  # ``planned`` holds what is drawn, and lets go of it as it is drawn (see draw)
    report.problems += find_collisions(
        planned.paths(),
        options.output.as_posix(),
        static,
        search=options.search,
    )
    report.check()
    fail_if_strict(options, report.warnings)
    watch.lap("fingerprint")

    # Phase 2: draw what changed into the spare folder, then swap it in for the live site.
    outputs, folders, known = live_records(store, options.output)
    keep_spare = options.cache is not None
    with (
        unwritable(options.output),
        staged_output(options.output, folders, note(store), spare=keep_spare) as stage,
        pool.stopped_on_error(),
    ):
        recorded, changes, searched_pages = write_site(
            planned, known, site, options, store, pool, stage, watch
        )
        del planned
        feed_warnings = subscriber_warnings(
            changes,
            Articles(options.content, site.config, site_articles, published),
            (options.live or options.output).as_posix(),
        )
        until = next_change(site_articles, site.config, options)
        config, count = site.config, len(published)
        # The search step needs the article pages alone: the articles are let go of first
        # (80 MB at 100,000, where the step would make the build's largest moment).
        del site, site_articles, published
        indexed = Outputs()
        write_search(searched_pages, known, recorded, indexed, config, options, store, pool, stage)
        del searched_pages
        watch.lap("search")
        stage.site = site_files = Joined(recorded, indexed)
        # The cache's rows are ``outputs`` (``known`` says which of them are not to be trusted),
        # unless the stage started afresh (another build's site may have been swapped in since).
        noted = None if stage.fresh else outputs
        fail_if_strict(options, stage.warnings + feed_warnings)
    watch.lap("swap")
    result = BuildResult(
        articles=count,
        pages=pages,
        feeds=feeds,
        left_out=tuple(left_out),
        warnings=tuple(report.warnings + stage.warnings + feed_warnings),
        base_url=config.base_url,
        written=stage.written,
        timings=tuple(watch.laps),
    )
    after = stage.after and dataclasses.replace(stage.after, settled_ns=time.time_ns())
    with store.transaction():  # the folders with what they hold, or neither
        store.set("folders", after and dataclasses.asdict(after))
        store.note_outputs(site_files, noted)
        store.set(
            "last",
            {
                "inputs": inputs.digest if inputs.trusted else None,
                "since": options.now and options.now.isoformat(),
                "until": until,
                # a no-change build says again what the content says, not what changed then
                "result": result_record(result, without=feed_warnings),
            },
        )
    return result


def compiled_templates(templates: Path, names: set[str], store: Cache) -> list[Problem]:
    """Compile the templates the pages need, and those they name, so that all syntax errors
    show before any page; those earlier builds compiled are taken from the cache, which
    keeps what this one compiled for the next build and for this one's workers."""
    stored = store.compiled()
    COMPILED.remember(stored)
    env = make_environment(templates)
    problems = check_templates(env, names)
    compiled = COMPILED.compiled_for(env)
    store.keep_compiled({key: code for key, code in compiled.items() if stored.get(key) != code})
    return problems


def read_site(
    options: Options,
    report: Report,
    store: Cache,
    pool: Workers,
    states: Mapping[str, FileState | None],
) -> Site:
    """The content, read and checked (see :func:`load_site`). When it has problems, the
    templates are checked too, so that their mistakes are told in the same run."""
    try:
        return load_site(
            options.content,
            report,
            store,
            pool,
            base_url=options.base_url,
            states=states,
            readings=options.readings,
            more_checks=lambda articles: updated_later(articles, options),
        )
    except DigestError as error:
        found = compiled_templates(options.templates, page_templates(options.templates), store)
        raise DigestError([*error.problems, *found], error.warnings) from None


def page_templates(templates: Path) -> set[str]:
    """The templates in the folder that pages may be drawn with (when there is no plan to
    say which ones a site's pages are)."""
    return {path.name for path in templates.glob("*.html")}


def said_again(last: Any, options: Options, watch: Stopwatch) -> BuildResult:
    """The last build's outcome, when nothing has changed since."""
    watch.lap("nothing changed")
    result = dataclasses.replace(result_from(last["result"]), timings=tuple(watch.laps))
    fail_if_strict(options, result.warnings)
    return result


def live_records(store: Cache, output: Path) -> tuple[Outputs, Folders | None, Outputs]:
    """What the cache says the live site's files are, the folders it noted them in, and what
    of it can be trusted now (``known``: nothing, when the folders changed)."""
    folders = Folders.from_record(store.get("folders"))
    outputs = store.outputs()
    if folders is not None and folders_changed(output.resolve(), outputs, folders.settled_ns):
        folders = None  # a file added by hand in a folder of the site: every file is written
    known = trusted(outputs, folders, output) if folders is not None else Outputs()
    return outputs, folders, known


def trusted(known: Outputs, folders: Folders, output: Path) -> Outputs:
    """What the last build's outputs are, but a file changed by hand since (an appended
    snippet, ``echo >> public/robots.txt``) is not known to be anything: it is written again.
    A file of the search index stands for the whole index."""
    changed = changed_in_place(output.resolve(), known, folders.settled_ns)
    if searched(changed):
        changed |= set(searched(known))
    found = known.copy()
    for path in changed:
        if path in found:
            found[path] = ("", "")
    return found


def unchanged_site(last: Any, inputs: Snapshot, options: Options, store: Cache) -> bool:
    """Whether the last build, from these very inputs, is live and still true now."""
    since, until = last.get("since"), last["until"]
    if last["inputs"] != inputs.digest or not inputs.trusted:
        return False
    if options.now is None and since is not None:
        return False  # built by a clock then, which left out what was dated after it
    if options.now is not None and (
        (until is not None and options.now >= datetime.fromisoformat(until))
        or (since is None or options.now < datetime.fromisoformat(since))
    ):
        return False  # an article dated in the future is due, a week has ended, or the clock
        # went back (SOURCE_DATE_EPOCH): what was published then may not be yet
    folders = Folders.from_record(store.get("folders"))
    target = options.output.resolve()
    return (
        folders is not None
        and target.is_dir()
        and identity(target) == folders.published
        and (target / MARKER).is_file()
        and not changed_in_place(target, paths := store.output_paths(), folders.settled_ns)
        and not folders_changed(target, paths, folders.settled_ns)
    )


def next_change(articles: Sequence[Article], config: SiteConfig, options: Options) -> str | None:
    """The next moment the site changes by itself: the end of this week (its edition
    appears), or earlier, when the next article dated in the future is due."""
    now = options.now
    if now is None:
        return None
    due = [
        a.date
        for a in articles
        if a.date > now and not options.future and (options.drafts or not a.draft)
    ]
    ends = week_end(now, config)
    moments = [*due, *([ends] if ends else [])]
    return min(moments).isoformat() if moments else None


def result_record(result: BuildResult, without: Sequence[Problem] = ()) -> dict[str, Any]:
    """A build's outcome as JSON data, to say again when nothing has changed, ``without``
    the warnings that were true of this build only."""
    record = dataclasses.asdict(result)
    record["warnings"] = [dataclasses.astuple(w) for w in result.warnings if w not in without]
    return record


def fail_if_strict(options: Options, warnings: Sequence[Problem]) -> None:
    """With ``--strict``, a warning ends the build before anything is swapped in."""
    if options.strict and warnings:
        raise DigestError(warnings)


def result_from(record: dict[str, Any]) -> BuildResult:
    return BuildResult(
        articles=record["articles"],
        pages=record["pages"],
        feeds=record["feeds"],
        left_out=tuple((path, why) for path, why in record["left_out"]),
        warnings=tuple(Problem(*w) for w in record["warnings"]),
        base_url=record["base_url"],
    )


def write_site(  # noqa: PLR0917 - the one place everything meets
    planned: Planned,
    known: Mapping[str, tuple[str, str]],
    site: Site,
    options: Options,
    store: Cache,
    pool: Workers,
    stage: Stage,
    watch: Stopwatch,
) -> tuple[Outputs, list[FeedChange], list[str]]:
    """Draw and write what changed into the stage (all but the search index); what each output
    file now is, what subscribers will notice in the feeds that changed, and the article pages
    to index for search (none unless the index is made)."""
    setup = RenderSetup(
        options.templates,
        site.config,
        tuple(site.topics.values()),
        tuple(site.sources.values()),
        tuple(site.authors.values()),
        options.search,
        store.file_path(),
        stage.folder,
        stage.empty,
        uuid.uuid4().hex,
        options.live,
        planned.common,
    )
    if setup.cache is None:  # a cache in memory: no worker can read its summaries
        prepare(setup, site.summaries)
    watch.lap("prepare output")
    # Made first: a large sitemap's text is made while drawing has yet to add what it keeps.
    made = write_made(planned, known, stage)
    indexing = options.search and options.index
    articles = searched_articles(planned.items()) if indexing else []
    recorded, changes = draw(planned, known, setup, pool, stage, options.progress)
    recorded.update(made)  # the small one into the large one: no copy of 150,000 entries
    pages = search_pages(articles, recorded)
    del articles  # and the drawn pages' paths, which ``pages`` takes from ``recorded``
    watch.lap("draw")
    # Not ``set(known) - set(recorded)``: a set of every output (5 MB at 100,000 articles)
    for path in sorted(p for p in known if p not in recorded and not urls.in_search_index(p)):
        stage.remove(path)
    return recorded, changes, pages


def write_search(  # noqa: PLR0917 - what the search step is given
    pages: list[str],
    known: Mapping[str, tuple[str, str]],
    drawn: Outputs,
    indexed: Outputs,
    config: SiteConfig,
    options: Options,
    store: Cache,
    pool: Workers,
    stage: Stage,
) -> None:
    """Bring the stage's search index up to date with the article pages, drawn as ``drawn``
    says (or leave it as it is, with ``index=False``; or remove it, without search); its
    files go into ``indexed``."""
    if options.search and options.index:
        cache = store.file_path()  # the packs are kept beside it
        language = config.articles_language  # Pagefind makes one index, in the articles'
        settings = SearchSettings(language, cache and cache.parent, processes=pool.count)
        index_search(stage, pages, known, settings, store, drawn, indexed)
    elif options.search:
        if not stage.fresh:  # the index stays as it is, for now (a fresh stage has none)
            indexed.update((path, known[path]) for path in searched(known))
    else:
        for path in searched(known):
            stage.remove(path)


@contextmanager
def unwritable(output: Path) -> Iterator[None]:
    """A disk that is full, read-only or forbidden is one clear problem, not a traceback."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRORS and not refused_beside(error, output):
            raise
        reason = error.strerror or str(error)
        hint = (
            "build into a folder with a shorter path, with --output"
            if error.errno == errno.ENAMETOOLONG
            else "free some space or fix the permissions, or build elsewhere with --output"
        )
        problem = Problem(output.as_posix(), None, f"cannot write the site: {reason}", hint)
        raise DigestError([problem]) from None


def refused_beside(error: OSError, output: Path) -> bool:
    """Whether the folder that holds ``output`` would not let a folder be made in it (as
    ``/proc`` answers "no such file or directory")."""
    return (
        error.errno == errno.ENOENT
        and isinstance(error.filename, str)
        and Path(error.filename).parent == output.resolve().parent
        and output.resolve().parent.is_dir()
    )


def note(store: Cache) -> Callable[[Folders | None], None]:
    """Record what the output folders are, at once: a build killed next must find it true."""

    def remember(folders: Folders | None) -> None:
        with store.transaction():
            store.set("folders", folders and dataclasses.asdict(folders))

    return remember


def select_published(
    articles: Sequence[Article], now: datetime | None, *, drafts: bool, future: bool
) -> tuple[tuple[Article, ...], list[tuple[str, str]]]:
    """The articles readers see, and each one left out with the reason."""
    published, left_out = [], []
    for article in articles:
        if article.draft and not drafts:
            left_out.append((article.path, "draft"))
        elif now and article.date > now and not future:
            left_out.append((article.path, f"dated in the future ({article.date.isoformat()})"))
        else:
            published.append(article)
    return tuple(published), left_out


def updated_later(articles: Sequence[Article], options: Options) -> list[Problem]:
    """A problem for each article published and ``updated`` after now: every feed it is in
    would say it changed then, and stay so dated (a date in the future is no date the summary
    changed)."""
    now, content = options.now, options.content
    if now is None or options.future:
        return []
    published, _ = select_published(articles, now, drafts=options.drafts, future=False)
    return [
        Problem(
            (content / article.path).as_posix(),
            line_of_key(content / article.path, "updated"),
            f"`updated` is later than now ({now.isoformat(timespec='seconds')}): "
            f"{article.updated.isoformat()}",
            "`updated` is when the summary last changed: write that date, or delete the line "
            "(--future builds it as it is)",
        )
        for article in published
        if article.updated is not None and article.updated > now
    ]


def line_of_key(path: Path, key: str) -> int | None:
    """The line of the front matter's ``key:``, for a message (None if it cannot be read)."""
    try:
        parsed = articlefile.parse(path.read_text(encoding="utf-8"), path.as_posix())
    except (OSError, UnicodeError, articlefile.ArticleFileError):
        return None
    return parsed.front_matter.key_lines.get(key)


# What the site holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """Outputs made together besides pages and feeds (a sitemap and its parts, robots.txt, a
    static file…): their paths, what decides their bytes, and how to make them."""

    paths: tuple[str, ...]
    fingerprint: str
    make: Callable[[], Iterable[tuple[str, Chunks]]]  # (path, its bytes), a file at a time


@dataclass
class Planned:
    """Every output file of the site, with what decides its bytes."""

    drawn: Drawn
    made: list[Made]
    repeated: list[str]  # paths planned twice
    common: str  # what decides every output's bytes besides its own data (see fingerprint)
    # For a process that keeps its plan: what it last fingerprinted (see KeptPlan.prints).
    prints: dict[str, tuple[Page | Feed, str]] | None = None

    def fingerprint(self, path: str, item: Page | Feed) -> str:
        """The item's fingerprint, looked up when the very item was fingerprinted before."""
        if self.prints is None:
            return fingerprint(self.common, item)
        last = self.prints.get(path)
        if last is not None and last[0] is item:
            return last[1]
        found = self.prints[path] = (item, fingerprint(self.common, item))
        return found[1]

    def paths(self) -> Iterator[str]:
        yield from self.drawn
        for made in self.made:
            yield from made.paths
        yield from self.repeated

    def items(self) -> Iterator[tuple[str, Page | Feed]]:
        """Each page and feed drawn, with its output path."""
        yield from self.drawn.items()

    def let_go(self) -> None:
        """Forget what the outputs are drawn from, once it is given out (a process that keeps
        its plan, such as ``serve``, keeps it still: the dictionary is not emptied)."""
        self.drawn, self.made = {}, []


def common_facts(site: Site, options: Options) -> str:
    """What decides every output's bytes besides its own data, digested."""
    facts = (
        generator_version(),
        template_digests(options.templates),
        site.config,
        tuple(site.topics.values()),
        tuple(site.sources.values()),
        tuple(site.authors.values()),
        options.search,
    )
    return digest_of(repr(facts).encode())


def planned_pages(site: Site, options: Options, common: str) -> KeptPlan:
    """The pages and feeds, by output file. A process that builds again and again keeps its
    last plan with its ``readings``: when only summaries changed it brings that up to date
    instead, and otherwise keeps what it found related to each article no change came near."""
    moment = options.now and (week_end(options.now, site.config) or options.now)
    shapes = "".join(article.shape for article in site.articles)
    key = digest_of(f"{common} {moment} {shapes}".encode())
    last = options.readings and options.readings.plan
    kept = None
    if isinstance(last, KeptPlan) and last.key == key and not last.repeated:
        kept = replanned(last, site.articles)
    if kept is None:
        found = (
            LastRelated.of(last.articles, last.plan.pages) if isinstance(last, KeptPlan) else None
        )
        plan = plan_site(site, search=options.search, now=options.now, last=found)
        drawn: Drawn = {}
        repeated = []
        items: list[Page | Feed] = [*plan.pages, *plan.feeds]
        for item in items:
            path = output_path(item)
            if path in drawn:
                repeated.append(path)
            drawn[path] = item
        kept = KeptPlan(key, plan, drawn, repeated, site.articles)
    if options.readings is not None:
        options.readings.plan = kept
    return kept


def template_digests(templates: Path) -> tuple[tuple[str, str], ...]:
    return tuple(
        (path.relative_to(templates).as_posix(), digest_of(path.read_bytes()))
        for path in sorted(templates.rglob("*"))
        if path.is_file() and STATIC_DIR not in path.relative_to(templates).parts
    )


def made_outputs(plan: Plan, site: Site, templates: Path, static: Iterable[str]) -> list[Made]:
    """What crawlers and feed readers read besides pages and feeds, the ``static`` files (see
    :func:`static_files`), the marker."""
    base_url, title = site.config.base_url, site.config.title
    listed = [page for page in plan.pages if page.in_sitemap]

    def entry(page: Page) -> SitemapEntry:
        lastmod = dates.rfc3339(page.lastmod) if page.lastmod else None
        return SitemapEntry(urls.absolute(base_url, page.path), lastmod)

    def sitemap() -> Iterator[tuple[str, Chunks]]:  # made when written, a chunk at a time
        return sitemap_files(listed, base_url, entry)

    made = [
        Made(tuple(sitemap_paths(len(listed))), sitemap_fingerprint(base_url, listed), sitemap),
        Made(
            (urls.ROBOTS,),
            fingerprint_of(base_url),
            lambda: [(urls.ROBOTS, chunks_of(robots_txt(base_url).encode()))],
        ),
        Made(
            (urls.OPML,),
            fingerprint_of(title, plan.feeds),
            lambda: [(urls.OPML, chunks_of(render_opml(plan.feeds, title).encode()))],
        ),
        constant(MARKER, MARKER_TEXT.encode()),
    ]
    for name in sorted(static):
        made.append(constant(name, (templates / STATIC_DIR / name).read_bytes()))
    return made


def static_files(templates: Path) -> set[str]:
    """The templates' static files, by their path in the site (never a version control folder:
    the site's own, if it has one, is kept)."""
    static = templates / STATIC_DIR
    found = static.rglob("*") if static.is_dir() else []
    paths = (path.relative_to(static) for path in found if path.is_file())
    return {path.as_posix() for path in paths if path.parts[0] not in VERSION_CONTROL}


def sitemap_fingerprint(base_url: str, pages: Sequence[Page]) -> str:
    """What decides the sitemap's bytes, digested page by page (its text would be 25 MB at
    100,000 articles)."""
    digest = hashlib.blake2b(base_url.encode(), digest_size=16)
    for page in pages:
        digest.update(f"\n{page.path}\0{page.lastmod}".encode())
    return digest.hexdigest()


def constant(path: str, data: bytes) -> Made:
    return Made((path,), digest_of(data), lambda: [(path, chunks_of(data))])


def chunks_of(data: bytes) -> Chunks:
    return lambda: iter([data])


def fingerprint_of(*facts: object) -> str:
    return digest_of(repr(facts).encode())


# Drawing and writing ------------------------------------------------------------------------


def draw(  # noqa: PLR0917 - the one place these meet
    planned: Planned,
    known: Mapping[str, tuple[str, str]],
    setup: RenderSetup,
    pool: Workers,
    stage: Stage,
    progress: Progress | None,
) -> tuple[Outputs, list[FeedChange]]:
    """Draw the pages and feeds whose fingerprints changed; write the files whose bytes did.
    The workers fingerprint what they draw: a clean build need not hold 166,000 fingerprints
    at 100,000 articles before drawing, and its main process has less to do. What each page
    and feed is drawn from is let go of once it is given out (100 MB at 100,000 articles
    that need not wait beside what is recorded of the drawn files)."""
    recorded = Outputs()
    changes: list[FeedChange] = []
    drawn = planned.drawn
    paths = []  # the plan's strings, not the workers' copies
    for path, item in drawn.items():
        before = known.get(path)
        if stage.fresh or before is None or before[0] != planned.fingerprint(path, item):
            paths.append(path)
        else:
            recorded[path] = before
    # pages of one time are drawn together, and share the views of their articles
    paths.sort(key=lambda path: newest_shown(drawn[path]), reverse=True)
    feeds = {index: item for index, path in enumerate(paths)
             if isinstance(item := drawn[path], Feed)}  # fmt: skip
    prints = planned.prints  # kept by a process that builds again and again, with its plan
    items = [drawn[path] for path in paths] if prints is not None else []
    jobs = Jobs(paths, drawn, None if stage.fresh else known, keep=prints is not None)
    planned.let_go()
    problems: list[Problem] = []
    parallel = setup.cache is not None
    results = pool.map(draw_batch, setup, jobs, parallel=parallel, drain=True)
    failures = FailureTally()
    for count, (path, done) in enumerate(zip(paths, results, strict=True), start=1):
        if progress is not None:
            progress(count, len(paths))
        if done.failure is not None:
            failures.add(done.failure)
            continue
        recorded[path] = (done.fingerprint, done.digest)
        if prints is not None:  # the workers' fingerprint, for the next build to look up
            prints[path] = (items[count - 1], done.fingerprint)
        if done.written:
            stage.noted([path])
        feed = feeds.get(count - 1)
        problems += feed_problems(done, feed, stage.name) if feed else []
        changes += [done.change] if done.change else []
    problems += failures.problems()
    if problems:
        raise DigestError(problems)
    return recorded, changes


class Jobs(Sequence[Job]):
    """The pages and feeds to draw at ``paths``, each made a job only as it is given out:
    no job waits beside its page (13 MB at 100,000 articles). Unless ``keep``, each page or
    feed is taken out of ``drawn`` then, and let go of once drawn. ``known`` is what the live
    site's files are (None: none is to be trusted)."""

    def __init__(
        self,
        paths: list[str],
        drawn: Drawn,
        known: Mapping[str, tuple[str, str]] | None,
        *,
        keep: bool,
    ) -> None:
        self.paths, self.drawn, self.known, self.keep = paths, drawn, known, keep

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> Job: ...
    @overload
    def __getitem__(self, index: slice) -> list[Job]: ...
    def __getitem__(self, index: int | slice) -> Job | list[Job]:
        if isinstance(index, slice):
            return [self.job(path) for path in self.paths[index]]
        return self.job(self.paths[index])

    def job(self, path: str) -> Job:
        item = self.drawn[path] if self.keep else self.drawn.pop(path)
        before = None if self.known is None else self.known.get(path)
        return Job(path, item, None if before is None else before[1])


def newest_shown(item: Page | Feed) -> float:
    return max((article.date.timestamp() for article in shown(item)), default=0.0)


def feed_problems(done: Done, item: Feed, output: str) -> list[Problem]:
    """A feed that breaks its format's rules fails the build, naming the feed and the item."""
    name = FORMAT_NAMES[item.format]
    where = f"{output}/{item.path}"
    return [Problem(where, None, f"invalid {name} feed: {text}") for text in done.problems]


def write_made(
    planned: Planned, known: Mapping[str, tuple[str, str]], stage: Stage
) -> dict[str, tuple[str, str]]:
    """Make the outputs whose fingerprints changed; write the files whose bytes did."""
    recorded: dict[str, tuple[str, str]] = {}
    for made in planned.made:
        if not stage.fresh and all(known.get(p, ("",))[0] == made.fingerprint for p in made.paths):
            recorded |= {path: known[path] for path in made.paths}
            continue
        for path, chunks in made.make():
            before = None if stage.fresh else known.get(path, ("", ""))[1]
            digest = None if before is None else digest_of_chunks(chunks())
            if digest is None or digest != before:  # made again to be written: never held
                digest = stage.write_chunks(path, chunks())
            recorded[path] = (made.fingerprint, digest)
    return recorded
