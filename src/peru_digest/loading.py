"""Article files → the site, reading only the files that changed since the last build.

A file whose size, times and inode are as the cache noted them is not read again: its article
(or its problems) come from the cache. The others are read and checked on every core.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from . import articlefile
from .authors import AuthorBook, load_authors
from .cache import RACY_NS, Cache, FileState, Summaries, digest_of, read_only
from .config import Config, Settings, read_settings
from .content import (
    ARTICLES_DIR,
    ArticleReader,
    KeyLines,
    Loaded,
    articles_elsewhere,
    check_articles_folder,
    check_folders_readable,
    check_unique,
    hidden,
    misnamed_articles,
    named_in_utf8,
    settled,
)
from .errors import Problem, Report
from .inputfile import read_article_bytes
from .model import Article, Site, Source, Summary, Topic, pickled_as_tuple
from .workers import Workers


@dataclass(frozen=True)
class ReadSetup:
    """What a worker needs to read article files: small, picklable, the same for a build."""

    content: Path
    zone: ZoneInfo | None  # None: site.yaml's time_zone cannot be read
    topics: tuple[Topic, ...] | None  # None: topics.yaml has problems; names go unchecked
    sources: tuple[Source, ...] | None  # None: sources.yaml has problems
    cache: Path | None  # read-only: summaries rendered before need no Markdown again
    build: str = ""  # which build: a reader (and its connection to the cache) serves one only


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Record:
    """What reading one article file gave, as the cache keeps it (paths relative to the
    content folder, however that was named)."""

    article: Article | None
    lines: KeyLines
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Outcome:
    """One article file, read: its state when read, its digest and what reading it gave."""

    path: str  # relative to the content folder
    state: FileState | None  # None: not a regular file
    noted_ns: int
    digest: str
    record: Record
    summary: Summary | None  # None when it came from the cache


# A file's state when read (None: not a regular file), when that was, and what it gave.
Noted = tuple[FileState | None, int, "Record"]


@dataclass
class Readings:
    """What reading each article file gave, kept by a process between its builds (``serve``):
    a file whose state is as noted is then not looked up in the cache again. Its last plan is
    kept too (see :mod:`replan`)."""

    cache: str = ""  # the identity of the cache these are noted in
    settings: str = ""
    noted: dict[str, Noted] = field(default_factory=dict)
    plan: object = None  # a replan.KeptPlan; this module need not know


def load_site(
    content: Path,
    report: Report,
    cache: Cache,
    workers: Workers,
    *,
    base_url: str | None = None,
    states: Mapping[str, FileState | None] | None = None,
    readings: Readings | None = None,
    more_checks: Callable[[Sequence[Article]], list[Problem]] | None = None,
) -> Site:
    """Like :func:`content.load_site`, reading only what changed, on every core.

    ``states`` are the content folder's files as :func:`snapshot` found them (else looked up).
    ``readings`` are what the last build of this process read, brought up to date.
    ``more_checks`` find what else is wrong with the articles read (such as dates the clock
    says are wrong), reported with the files' own problems.
    """
    authors = load_authors(content, report)  # first: its problems join the settings' ones
    given = read_settings(content, report, base_url)
    check_articles_folder(content, report)
    states = dict(walk(content)) if states is None else states
    prefix = ARTICLES_DIR + "/"
    unlisted = [path for path in states if path.endswith("/") and path.startswith(prefix)]
    check_folders_readable(content, report, unlisted)
    misnamed = Report()  # files whose names are not UTF-8: reported among the articles'
    files = sorted(
        path
        for path in states
        if path.startswith(prefix)
        and path.endswith(articlefile.SUFFIX)
        and not hidden(path)
        and named_in_utf8((content / path).as_posix(), misnamed)
    )
    if report.problems:
        report.problems += misnamed.problems
        report.problems += problems_beside_settings(content, given, files, cache, workers)
        report.check()
    report.merge(misnamed)
    report.warnings += misnamed_articles(states, content)
    report.warnings += articles_elsewhere(states, content)
    config = given.config()
    settings = settings_digest(config)
    names: Names = {}
    if readings is not None and (readings.cache, readings.settings) == (cache.identity, settings):
        records, gone = kept_records(readings, states)
    else:
        records, gone = cached_records(cache, settings, states, names)
    setup = ReadSetup(
        content,
        config.site.time_zone,
        tuple(config.topics.values()),
        tuple(config.sources.values()),
        cache.file_path(),
        uuid.uuid4().hex,
    )
    todo = [path for path in files if path not in records]
    with cache.transaction():
        outcomes = workers.map(read_batch, setup, todo)
        read = zip(todo, outcomes, strict=True)
        records |= read_and_note(cache, settings, read, states, names)
        cache.forget_reading(gone)
    if readings is not None:  # what is noted in the cache, but kept at hand
        readings.cache, readings.settings = cache.identity, settings
        readings.noted = {path: records[path] for path in files if records[path][0] is not None}
    loaded = [
        found for path in files if (found := loaded_from(records.pop(path)[2], content, report))
    ]
    check_unique(loaded, content, report)
    if more_checks is not None:
        report.problems += more_checks([item.article for item in loaded])
    if todo or gone:
        with cache.transaction():
            cache.keep_summaries(item.article.summary_key for item in loaded)
    report.check()
    book = AuthorBook(authors.values(), config.sources)
    articles = settled(loaded, book, content, report)  # names shared as each record came in
    return Site(
        config.site,
        config.topics,
        config.sources,
        articles,
        cache.summaries(),
        MappingProxyType(authors),
    )


def problems_beside_settings(
    content: Path, found: Settings, files: Sequence[str], cache: Cache, workers: Workers
) -> list[Problem]:
    """The articles' problems when some settings file has its own: each article is checked
    against what could be read, so that one run reports every problem (nothing is noted in
    the cache, which keeps what articles gave under whole settings; its summaries spare
    Markdown the work)."""
    setup = ReadSetup(
        content,
        found.zone,
        None if found.topics is None else tuple(found.topics.values()),
        None if found.sources is None else tuple(found.sources.values()),
        cache.file_path(),
        uuid.uuid4().hex,
    )
    report = Report()
    loaded = [
        item
        for outcome in workers.map(read_batch, setup, files)
        if (item := loaded_from(outcome.record, content, report))
    ]
    check_unique(loaded, content, report)
    return report.problems


def cached_records(
    cache: Cache, settings: str, states: Mapping[str, FileState | None], names: Names
) -> tuple[dict[str, Noted], list[str]]:
    """What reading gave for each file that is as it was when read; the files now gone."""
    records: dict[str, Noted] = {}
    gone: list[str] = []
    for path, state, noted_ns, _, record in cache.reading(settings):
        if path not in states:
            gone.append(path)
        elif unchanged(state, noted_ns, states[path]):
            records[path] = (state, noted_ns, shared_record(pickle.loads(record), names))
    return records, gone


def kept_records(
    readings: Readings, states: Mapping[str, FileState | None]
) -> tuple[dict[str, Noted], list[str]]:
    """Like :func:`cached_records`, from what this process read last."""
    records, gone = {}, []
    for path, noted in readings.noted.items():
        state, noted_ns, _ = noted
        if path not in states:
            gone.append(path)
        elif state is not None and unchanged(state, noted_ns, states[path]):
            records[path] = noted
    return records, gone


def read_and_note(
    cache: Cache,
    settings: str,
    outcomes: Iterable[tuple[str, Outcome]],
    states: Mapping[str, FileState | None],
    names: Names,
    *,
    every: int = 500,
) -> dict[str, Noted]:
    """What reading gave (with each path as asked for), noted in the cache as it comes:
    summaries are not kept in memory. A file's path and state are kept as this process has
    them, not as the copies a worker sent back (20 MB at 100,000 articles)."""
    records: dict[str, Noted] = {}
    batch: list[Outcome] = []
    for path, outcome in outcomes:
        state = states.get(path)
        records[path] = (
            state if state == outcome.state else outcome.state,
            outcome.noted_ns,
            shared_record(outcome.record, names),
        )
        batch.append(outcome)
        if len(batch) >= every:
            note(cache, settings, batch)
            batch = []
    note(cache, settings, batch)
    return records


def note(cache: Cache, settings: str, outcomes: Sequence[Outcome]) -> None:
    cache.note_reading(
        settings, ((o.path, o.state, o.noted_ns, o.digest, o.record) for o in outcomes)
    )
    cache.note_summaries({o.summary.key: o.summary for o in outcomes if o.summary is not None})


Names = dict[tuple[str, ...], tuple[str, ...]]  # each list of names, kept once


def shared_record(record: Record, names: Names) -> Record:
    """The record with its article's names shared as soon as it arrives, not once every
    record is in (until then a large site held a copy of each name per article)."""
    if record.article is not None:
        shared_strings(record.article, names)
    return record


def shared_strings(article: Article, names: Names | None = None) -> Article:
    """The article with its outlet, authors and topics as shared strings, and its lists of
    authors and of topics as lists kept in ``names``: a large site repeats the same few
    thousand names, and the same few lists of them, a hundred thousand times."""
    object.__setattr__(article, "source", sys.intern(article.source))  # the same value
    for name in ("authors", "topics"):
        value = tuple(map(sys.intern, getattr(article, name)))
        shared = value if names is None else names.setdefault(value, value)
        object.__setattr__(article, name, shared)  # the same value: frozen in meaning
    return article


@dataclass(frozen=True)
class Snapshot:
    """The state of every input file at once: if it is the same, so is the site."""

    digest: str
    trusted: bool  # False when a file changed so recently that its timestamps may lie
    files: tuple[dict[str, FileState | None], ...]  # for each folder: path → state


def snapshot(folders: Sequence[Path], extra: str) -> Snapshot:
    """The states of all files under ``folders`` (through links), with ``extra`` facts."""
    taken_ns = time.time_ns()
    files = tuple(dict(walk(folder)) for folder in folders)
    newest = max((s.mtime_ns for found in files for s in found.values() if s), default=0)
    return Snapshot(states_digest(extra, files), trusted=taken_ns - newest > RACY_NS, files=files)


def states_digest(extra: str, files: Sequence[Mapping[str, FileState | None]]) -> str:
    """A digest of every folder's files and their states, in order, file by file (their
    text at once would be 10 MB at 100,000 articles)."""
    digest = hashlib.blake2b(extra.encode(), digest_size=16)
    for found in files:
        digest.update(b"\1")  # a folder
        for path in sorted(found):
            state = found[path]
            digest.update(f"{path}\0".encode("utf-8", "surrogateescape"))  # any file name
            digest.update(b"\0" if state is None else b"\2" + state)
    return digest.hexdigest()


def walk(
    folder: Path, prefix: str = "", seen: set[tuple[int, int]] | None = None
) -> Iterator[tuple[str, FileState | None]]:
    """Every file under ``folder`` with its state (None: not a regular file, or a broken
    link); a folder reached twice (a loop of links) is walked once, and one that cannot be
    listed is named, with a ``/`` at its end and None."""
    seen = set() if seen is None else seen
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        if prefix:  # a folder that cannot be listed, for the reader to report
            yield prefix, None
        return
    for entry in entries:
        try:
            found = entry.stat()
        except OSError:
            yield prefix + entry.name, None
            continue
        if not stat.S_ISDIR(found.st_mode):
            regular = stat.S_ISREG(found.st_mode)
            yield prefix + entry.name, FileState.of(found) if regular else None
        elif (found.st_dev, found.st_ino) not in seen:
            seen.add((found.st_dev, found.st_ino))
            yield from walk(Path(entry.path), f"{prefix}{entry.name}/", seen)


def settings_digest(config: Config) -> str:
    """What checking an article depends on besides its file: zone, topics, outlets."""
    facts = (config.site.time_zone.key, tuple(config.topics.values()), tuple(config.sources))
    return digest_of(repr(facts).encode())


def file_state(path: Path) -> FileState | None:
    """The state of a regular file (through symbolic links); None for anything else."""
    try:
        found = path.stat()
    except OSError:
        return None
    return FileState.of(found) if stat.S_ISREG(found.st_mode) else None


def unchanged(before: FileState, noted_ns: int, now: FileState | None) -> bool:
    """Whether the file is as it was when noted, and was noted long enough after its last
    change for equal timestamps to mean equal contents (timestamps are coarse)."""
    return now == before and noted_ns - before.mtime_ns > RACY_NS


# In a worker ---------------------------------------------------------------------------------

# One reader per worker process and build: its Markdown parser and keyword patterns are
# made once, not once per batch.
_readers: dict[ReadSetup, ArticleReader] = {}


def read_batch(setup: ReadSetup, paths: Sequence[str]) -> list[Outcome]:
    """Read and check article files (a task for :class:`Workers`)."""
    reader = _readers.get(setup)
    if reader is None:
        forget_readers()
        known = Summaries(read_only(setup.cache)) if setup.cache else None
        topics = None if setup.topics is None else {topic.slug: topic for topic in setup.topics}
        sources = (
            None if setup.sources is None else {source.name: source for source in setup.sources}
        )
        reader = _readers[setup] = ArticleReader(setup.content, setup.zone, topics, sources, known)
    return [read_one(reader, setup.content, path) for path in paths]


def forget_readers() -> None:
    """Let go of this process's reader, closing its connection to a cache."""
    for reader in _readers.values():
        if isinstance(reader.known, Summaries):
            reader.known.close()
    _readers.clear()


def read_one(reader: ArticleReader, content: Path, path: str) -> Outcome:
    file = content / path
    state = file_state(file)  # before reading: a change while reading shows next time
    noted = time.time_ns()
    report = Report()
    data = read_article_bytes(file, report)
    loaded = None if data is None else reader.parse(file, data, report)
    summary = None if loaded is None else loaded.summary
    record = record_of(loaded, report, content)
    return Outcome(path, state, noted, digest_of(data or b""), record, summary)


# The cache's record of an article file -----------------------------------------------------


def record_of(loaded: Loaded | None, report: Report, content: Path) -> Record:
    """An article, the lines of its keys and its file's problems, as the cache keeps them."""
    prefix = content.as_posix() + "/"

    def relative(problems: list[Problem]) -> tuple[Problem, ...]:
        return tuple(replace(p, path=p.path.removeprefix(prefix)) for p in problems)

    return Record(  # names shared here too: a batch of records is sent with each name once
        None if loaded is None else shared_strings(loaded.article),
        KeyLines({} if loaded is None else loaded.lines),
        relative(report.problems),
        relative(report.warnings),
    )


def loaded_from(record: Record, content: Path, report: Report) -> Loaded | None:
    """The article of a cache record; its file's problems and warnings go to ``report``."""
    prefix = content.as_posix() + "/"
    report.problems += [replace(p, path=prefix + p.path) for p in record.problems]
    report.warnings += [replace(p, path=prefix + p.path) for p in record.warnings]
    if record.article is None:
        return None
    return Loaded(record.article, record.lines)
