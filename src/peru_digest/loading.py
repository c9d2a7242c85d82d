"""Article files → the site, reading only the files that changed since the last build.

A file whose size, times and inode are as the cache noted them is not read again: its article
(or its problems) come from the cache. The others are read and checked on every core.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from .cache import RACY_NS, Cache, FileState, Summaries, digest_of, read_only
from .config import Config, load_config
from .content import (
    ArticleReader,
    Loaded,
    article_files,
    check_unique,
    newest_first,
    read_article_bytes,
)
from .errors import Problem, Report
from .model import Article, Site, Source, Summary, Topic
from .workers import Workers


@dataclass(frozen=True)
class ReadSetup:
    """What a worker needs to read article files: small, picklable, the same for a build."""

    content: Path
    zone: ZoneInfo
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]
    cache: Path | None  # read-only: summaries rendered before need no Markdown again


@dataclass(frozen=True)
class Outcome:
    """One article file, read: its state when read, its digest and what reading it gave."""

    path: str  # relative to the content folder
    state: FileState | None  # None: not a regular file
    noted_ns: int
    digest: str
    record: dict[str, Any]  # the article and the file's problems, as the cache keeps them
    summary: Summary | None  # None when it came from the cache


def load_site(
    content: Path, report: Report, cache: Cache, workers: Workers, base_url: str | None = None
) -> Site:
    """Like :func:`content.load_site`, reading only what changed, on every core."""
    config = load_config(content, report, base_url)
    settings = settings_digest(config)
    files = [path.relative_to(content).as_posix() for path in article_files(content)]
    outcomes = cached_outcomes(content, files, cache, settings)
    setup = ReadSetup(
        content,
        config.site.time_zone,
        tuple(config.topics.values()),
        tuple(config.sources.values()),
        cache.file_path(),
    )
    todo = [path for path in files if path not in outcomes]
    outcomes |= {outcome.path: outcome for outcome in workers.map(read_batch, setup, todo)}
    ordered = [outcomes[path] for path in files]
    zone = config.site.time_zone
    loaded = [found for o in ordered if (found := decode(o.record, content, zone, report))]
    check_unique(loaded, content, report)
    remember(cache, settings, ordered, loaded)
    report.check()
    articles = newest_first(item.article for item in loaded)
    return Site(config.site, config.topics, config.sources, articles, cache.summaries())


def settings_digest(config: Config) -> str:
    """What checking an article depends on besides its file: zone, topics, outlets."""
    facts = (config.site.time_zone.key, tuple(config.topics.values()), tuple(config.sources))
    return digest_of(repr(facts).encode())


def cached_outcomes(
    content: Path, files: Sequence[str], cache: Cache, settings: str
) -> dict[str, Outcome]:
    """The files that are as they were when last read, with what reading them gave then."""
    noted = cache.noted_files()
    records = cache.records(settings)
    found = {}
    for path in files:
        seen = noted.get(path)
        if seen is None:
            continue
        state, noted_ns, digest = seen
        record = records.get((path, digest))
        if record is not None and unchanged(state, noted_ns, file_state(content / path)):
            found[path] = Outcome(path, state, noted_ns, digest, record, None)
    return found


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


def remember(
    cache: Cache, settings: str, outcomes: Sequence[Outcome], loaded: Sequence[Loaded]
) -> None:
    """Note what was read, for the next build; forget files and summaries that are gone."""
    with cache.transaction():
        cache.note_files(
            {o.path: (o.state, o.noted_ns, o.digest) for o in outcomes if o.state is not None}
        )
        cache.note_records(settings, {(o.path, o.digest): o.record for o in outcomes})
        cache.note_summaries({o.summary.key: o.summary for o in outcomes if o.summary is not None})
        cache.keep_summaries(item.article.summary_key for item in loaded)


# In a worker ---------------------------------------------------------------------------------

# One reader per worker process and build: its Markdown parser and keyword patterns are
# made once, not once per batch.
_readers: dict[ReadSetup, ArticleReader] = {}


def read_batch(setup: ReadSetup, paths: Sequence[str]) -> list[Outcome]:
    """Read and check article files (a task for :class:`Workers`)."""
    reader = _readers.get(setup)
    if reader is None:
        _readers.clear()
        known = Summaries(read_only(setup.cache)) if setup.cache else None
        topics = MappingProxyType({topic.slug: topic for topic in setup.topics})
        sources = MappingProxyType({source.name: source for source in setup.sources})
        reader = _readers[setup] = ArticleReader(setup.content, setup.zone, topics, sources, known)
    return [read_one(reader, setup.content, path) for path in paths]


def read_one(reader: ArticleReader, content: Path, path: str) -> Outcome:
    file = content / path
    state = file_state(file)  # before reading: a change while reading shows next time
    noted = time.time_ns()
    report = Report()
    data = read_article_bytes(file, report)
    loaded = None if data is None else reader.parse(file, data, report)
    summary = None if loaded is None else loaded.summary
    record = encode(loaded, report, content)
    return Outcome(path, state, noted, digest_of(data or b""), record, summary)


# The cache's record of an article file -----------------------------------------------------


def encode(loaded: Loaded | None, report: Report, content: Path) -> dict[str, Any]:
    """An article, the lines of its keys and its file's problems and warnings, as JSON data.

    Paths in problems are kept relative to the content folder, however it was named.
    """
    prefix = content.as_posix() + "/"

    def listed(problems: list[Problem]) -> list[list[Any]]:
        return [[p.path.removeprefix(prefix), p.line, p.message, p.hint] for p in problems]

    article: dict[str, Any] | None = None
    if loaded is not None:
        article = asdict(loaded.article)
        del article["digest"]
        article["date"] = loaded.article.date.isoformat()
        article["updated"] = loaded.article.updated and loaded.article.updated.isoformat()
    return {
        "article": article,
        "lines": dict(loaded.lines) if loaded else {},
        "problems": listed(report.problems),
        "warnings": listed(report.warnings),
    }


def decode(
    record: Mapping[str, Any], content: Path, zone: ZoneInfo, report: Report
) -> Loaded | None:
    """The article of a cache record; its file's problems and warnings go to ``report``."""
    prefix = content.as_posix() + "/"
    for key, kept in (("problems", report.problems), ("warnings", report.warnings)):
        kept += [Problem(prefix + path, line, text, hint) for path, line, text, hint in record[key]]
    fields = record["article"]
    if fields is None:
        return None
    updated = fields["updated"]
    article = Article(
        **fields
        | {
            "date": datetime.fromisoformat(fields["date"]).astimezone(zone),
            "updated": updated and datetime.fromisoformat(updated).astimezone(zone),
            "authors": tuple(fields["authors"]),
            "topics": tuple(fields["topics"]),
        }
    )
    return Loaded(article, MappingProxyType(record["lines"]))
