"""The full-text search index: Pagefind over the article pages, by sections, merged into one.

The article pages are put in one order (month folder, then publication time, then path) and
cut into *sections*: each month's pages, in runs of at most :data:`SECTION_PAGES`. Pagefind
indexes each section on its own (``pagefind --service``, at most :data:`MAX_PROCESSES` at a
time, none given more than a section's worth of pages, so its memory stays bounded) and the
result is kept in the build cache as a *pack*, named by a key of everything Pagefind was given.
A build indexes only the sections whose key is new, then merges every pack into one ordinary
Pagefind bundle (:mod:`.pagefind_merge`): the files one Pagefind run over all the pages in the
same order would write, so the browser loads one index, as before.

Pagefind is given only what it reads of a page (:func:`search_html`): so a change elsewhere on
a page (its list of related articles, say) neither re-indexes its section nor changes the
index. What each page gave is remembered by the digest of the page's bytes, so an unchanged
page is not read again.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import queue
import re
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .cache import PACKS_NAME, Cache, digest_of
from .errors import DigestError, Problem
from .group import ArticleData, Page
from .output import Stage
from .pagefind_format import PAGEFIND_VERSION
from .pagefind_merge import (
    CHUNK_WEIGHT,
    ENTRY,
    BundleFile,
    MergeError,
    merge,
    pack_exists,
    read_head,
    write_pack,
)
from .pagefind_service import PagefindError, PagefindService
from .urls import SEARCH_INDEX, in_search_index

SECTION_PAGES = 1000  # at most this many pages per Pagefind process: ~180 MiB at worst
MAX_PROCESSES = 2  # Pagefind processes at a time
PACKS = PACKS_NAME  # the packs' folder in the build cache
STATE = "search"  # what the build cache remembers: page digest → digest of what Pagefind read
DIGEST_BYTES = 16  # of a digest_of
COMPRESSORS = 2  # threads compressing the merged files (zlib lets go of the GIL)
ARTICLE_TEMPLATE = "article.html"


@dataclass(frozen=True)
class Section:
    name: str
    pages: tuple[str, ...]  # the article pages' files in the site, in the index's order


@dataclass
class SearchSettings:
    language: str  # the articles' (articles_language): Pagefind makes one index in it
    cache: Path | None  # the build cache's folder; None: packs last for this build only
    processes: int = MAX_PROCESSES
    section_pages: int = field(default_factory=lambda: SECTION_PAGES)

    def pagefind_config(self) -> dict[str, Any]:
        # Lower case, as Pagefind writes the language it reads from <html lang>.
        return {"force_language": self.language.lower()}


@dataclass
class IndexingReport:
    """What the Pagefind processes of one build did (for tests and benchmarks)."""

    sections: int = 0  # sections of the site
    indexed: list[str] = field(default_factory=list)  # names of the sections indexed again
    processes: int = 0  # Pagefind processes started
    most_pages: int = 0  # the most pages any one process was given
    peak_mib: float = 0.0  # the largest resident set of any Pagefind process


def searched_articles(drawn: Iterable[tuple[str, object]]) -> list[tuple[str, datetime]]:
    """The article pages among the outputs (path → what draws it), each with when its article
    was published: found before they are drawn, as drawing lets go of them."""
    return [
        (path, item.data.article.date)
        for path, item in drawn
        if isinstance(item, Page)
        and item.template == ARTICLE_TEMPLATE
        and isinstance(item.data, ArticleData)
    ]


def search_pages(articles: Iterable[tuple[str, datetime]], recorded: Iterable[str]) -> list[str]:
    """The article pages' files, from (file, published) each, in order of publication, then
    file. Each is the very string ``recorded`` holds: the list is all the search step keeps of
    a page besides its record (8 bytes, not some 190 for a record of path, date and digest)."""
    published = dict(articles)
    return sorted(
        (path for path in recorded if path in published), key=lambda path: (published[path], path)
    )


def pagefind_executable() -> Path | None:
    """The Pagefind binary that the ``pagefind-bin`` package ships, if installed."""
    try:
        from pagefind_bin import get_executable  # noqa: PLC0415 - optional at import time
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def installed_version() -> str | None:
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return None


# The build step ------------------------------------------------------------------------------


def index_search(  # noqa: PLR0917 - what the step is given
    stage: Stage,
    pages: Sequence[str],
    known: Mapping[str, tuple[str, str]],
    settings: SearchSettings,
    store: Cache,
    drawn: Mapping[str, tuple[str, str]],
    recorded: MutableMapping[str, tuple[str, str]],
) -> None:
    """Bring the stage's search index up to date with its article pages, whose bytes are as
    ``drawn`` records them; what each of the index's files now is (path → fingerprint,
    digest) goes into ``recorded``, as the build records outputs.

    ``known`` is what the live site's files are. Only files whose bytes change are written
    (as new files: the stage may share files with the live site). Raises DigestError.
    """
    executable = _checked_executable()
    memo = Memo(store)
    with _packs_folder(settings.cache, fresh=memo.fresh) as packs:
        indexer = Indexing(stage, pages, drawn, settings, packs, executable)
        try:
            _failing_as_problem(lambda: indexer.run(known, recorded, memo), merging=False)
        except MergeError as error:  # a pack damaged since it was made: make them all again
            message = f"the search index's cache could not be read ({error}); it was rebuilt"
            stage.warnings.append(Problem(str(packs), None, message))
            shutil.rmtree(packs, ignore_errors=True)
            packs.mkdir(parents=True)
            for path in searched(recorded):  # what the failed merge had recorded
                del recorded[path]
            indexer = Indexing(stage, pages, drawn, settings, packs, executable)
            _failing_as_problem(lambda: indexer.run(known, recorded, Memo(store)), merging=True)


def _checked_executable() -> Path:
    executable = pagefind_executable()
    if executable is None:
        raise DigestError(
            [
                Problem(
                    "search",
                    None,
                    "Pagefind is not installed, so the search index cannot be built",
                    "run `make build` (it installs pagefind-bin), or build with --no-search",
                )
            ]
        )
    version = installed_version()
    if version not in (None, PAGEFIND_VERSION):
        message = f"Pagefind {version} is installed; the search index needs {PAGEFIND_VERSION}"
        raise DigestError([Problem("search", None, message, "run `make build` to install it")])
    return executable


@contextmanager
def _packs_folder(cache: Path | None, *, fresh: bool) -> Iterator[Path]:
    """The packs' folder in the build cache (emptied when the cache is new: --clean, or a
    cache thrown away), or a temporary one when there is no cache folder."""
    if cache is None:
        with tempfile.TemporaryDirectory(prefix="peru-digest-search-") as scratch:
            yield Path(scratch)
        return
    folder = cache / PACKS
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    yield folder


class Memo:
    """What Pagefind reads of each page (the digest of its search HTML) by the digest of the
    page's bytes, kept in the build cache from one build to the next: as rows of the two
    digests' bytes, in one object (at 100,000 articles, a dict of strings saved as JSON raised
    the search step's highest by 12 MiB)."""

    def __init__(self, store: Cache) -> None:
        self.store = store
        rows = store.get_bytes(STATE)
        self.fresh = rows is None  # a cache that has never kept one: new, or thrown away
        self.rows = rows or b""
        row = 2 * DIGEST_BYTES
        self.old = {
            self.rows[at : at + DIGEST_BYTES]: self.rows[at + DIGEST_BYTES : at + row]
            for at in range(0, len(self.rows) - row + 1, row)
        }
        self.new = bytearray()  # this build's pages' rows

    def get(self, page: str) -> str | None:
        """The search digest of the page whose bytes have this digest, if known."""
        found = self.old.get(_raw(page))
        return None if found is None else found.hex()

    def note(self, page: str, search: str) -> None:
        if len(raw := _raw(page) + _raw(search)) == 2 * DIGEST_BYTES:
            self.new += raw

    def save(self) -> None:
        """Keep this build's pages in the cache, and let go of both builds' (the merge after
        it is the step's largest)."""
        if self.new != self.rows:
            self.store.set_bytes(STATE, bytes(self.new))
        self.rows, self.old, self.new = b"", {}, bytearray()


def _raw(digest: str) -> bytes:
    """A digest_of's 16 bytes; none when it is not one (a file's record made by hand)."""
    try:
        raw = bytes.fromhex(digest)
    except ValueError:
        return b""
    return raw if len(raw) == DIGEST_BYTES else b""


def _failing_as_problem(work: Callable[[], None], *, merging: bool) -> None:
    """Do ``work``; Pagefind failing (and, if ``merging``, the merge) a Problem."""
    try:
        work()
    except PagefindError as error:
        raise DigestError([Problem("search", None, f"Pagefind failed: {error}")]) from None
    except MergeError as error:
        if not merging:
            raise
        message = f"the search index cannot be merged: {error}"
        hint = f"peru-digest supports Pagefind {PAGEFIND_VERSION} with one language, no filters"
        raise DigestError([Problem("search", None, message, hint)]) from None


class Indexing:
    """One build's search index: plan the sections, index the new ones, merge, write."""

    def __init__(  # noqa: PLR0917 - what one indexing needs
        self,
        stage: Stage,
        pages: Sequence[str],
        outputs: Mapping[str, tuple[str, str]],
        settings: SearchSettings,
        packs: Path,
        executable: Path,
    ) -> None:
        self.stage = stage
        self.outputs = outputs  # what each drawn file is: a page's digest is its bytes'
        self.settings = settings
        self.packs = packs
        self.executable = executable
        self.sections = sections_of(pages, settings.section_pages)
        self.report = IndexingReport(sections=len(self.sections))

    def run(
        self,
        known: Mapping[str, tuple[str, str]],
        recorded: MutableMapping[str, tuple[str, str]],
        memo: Memo,
    ) -> None:
        """Index the sections that changed, then merge and write the bundle if it did; what
        each of its files is goes into ``recorded``."""
        keys = self.index(memo)
        memo.save()
        bundle = digest_of(repr((PAGEFIND_VERSION, CHUNK_WEIGHT, self.config, keys)).encode())
        entry = f"{SEARCH_INDEX}/{ENTRY}"
        if not self.stage.fresh and known.get(entry, ("",))[0] == bundle:
            recorded.update((path, known[path]) for path in searched(known))
            return
        with BundleWriter(self.stage, known, recorded) as writer:
            for made in self.bundle(keys, bundle):
                writer.put(made)
            writer.finish()
        self.forget_packs_but(keys)

    @property
    def config(self) -> dict[str, Any]:
        return self.settings.pagefind_config()

    def index(self, memo: Memo) -> list[str]:
        """Every section's key; the sections without a pack are indexed into one, in parallel
        Pagefind processes, as soon as they are planned (each page is read at most once)."""
        keys = []
        with SectionIndexer(self) as indexer:
            for section in self.sections:
                indexer.wait_for_room()
                read: dict[str, bytes] = {}
                key = self.section_key(section, memo, read)
                keys.append(key)
                if pack_exists(self.packs, key):
                    indexer.give_room()
                    continue
                given = [(page, read.get(page) or self.read(page)) for page in section.pages]
                indexer.submit(section, key, given)
                self.report.indexed.append(section.name)
        return keys

    def section_key(self, section: Section, memo: Memo, read: dict[str, bytes]) -> str:
        """A name for everything Pagefind is given for the section: the same key, the same
        output. What had to be read for it goes into ``read`` (file → search HTML)."""
        given = [(page, self.search_digest(page, memo, read)) for page in section.pages]
        digest = digest_of(repr((PAGEFIND_VERSION, self.config, given)).encode())
        return f"{section.name}-{digest}"

    def search_digest(self, page: str, memo: Memo, read: dict[str, bytes]) -> str:
        page_digest = self.outputs[page][1]
        digest = memo.get(page_digest)
        if digest is None:
            read[page] = self.read(page)
            digest = digest_of(read[page])
        memo.note(page_digest, digest)
        return digest

    def read(self, page: str) -> bytes:
        return search_html((self.stage.folder / page).read_bytes())

    # Merging ----------------------------------------------------------------------------------

    def bundle(self, keys: list[str], name: str) -> Iterator[BundleFile]:
        """The merged bundle; its entry file's fingerprint is ``name``, the whole bundle's
        (so a build whose sections are all the same need not merge at all)."""
        for made in self.merged(keys):
            yield dataclasses.replace(made, fingerprint=name) if made.path == ENTRY else made

    def merged(self, keys: list[str]) -> Iterator[BundleFile]:
        if keys:
            yield from merge(self.packs, keys)
            return
        with PagefindService(self.executable) as service:  # no article: an empty index
            self.report.processes += 1
            index = service.new_index(self.config)
            files = service.get_files(index)
        for path, data in sorted(files.items()):
            yield BundleFile(path, digest_of(data), _constant(data))

    def forget_packs_but(self, keys: list[str]) -> None:
        """Remove the packs no section uses any more (and what killed builds left)."""
        kept = {f"{key}.{part}" for key in keys for part in ("head", "words", "frags")}
        kept |= {read_head(self.packs, key).statics for key in keys}
        for path in self.packs.iterdir():
            if path.name not in kept:
                path.unlink(missing_ok=True)


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def sections_of(pages: Iterable[str], size: int) -> list[Section]:
    """The site's sections in index order: month folders, each in runs of ``size`` pages in
    the order given (of publication, then path: see search_pages), so a new article changes
    only its month's last run."""
    months: dict[str, list[str]] = {}
    for page in pages:
        months.setdefault("/".join(page.split("/")[:2]), []).append(page)
    sections = []
    for month in sorted(months):
        ordered = months[month]
        for start in range(0, len(ordered), size):
            name = f"{month.replace('/', '-')}-{start // size}"
            sections.append(Section(name, tuple(ordered[start : start + size])))
    return sections


SectionJob = tuple[Section, str, list[tuple[str, bytes]]]  # section, key, (file, HTML) each


class SectionIndexer:
    """Threads, each driving one Pagefind process at a time, that index sections into packs.

    A process is replaced before it would be given more than a section's worth of pages, so
    none grows with the site. Sections wait in a queue of one, their pages in memory, which
    a thread lets go of once Pagefind has them; no more sections than threads have their
    pages in memory at once (``wait_for_room``). The threads start with the first section.
    """

    def __init__(self, indexing: Indexing) -> None:
        self.indexing = indexing
        count = max(1, min(indexing.settings.processes, MAX_PROCESSES))
        self.jobs: queue.Queue[SectionJob | None] = queue.Queue(maxsize=1)
        self.room = threading.Semaphore(count)  # for a section's pages in memory
        self.failures: list[BaseException] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(count)]

    def __enter__(self) -> SectionIndexer:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if not self.threads[0].is_alive():
            return
        for _thread in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()
        if self.failures and kind is None:
            raise self.failures[0]

    def wait_for_room(self) -> None:
        """Wait until a section's pages may be read (each thread gives room back once
        Pagefind has its section's pages: 2.2 MB of HTML for 1,000 pages)."""
        self.room.acquire()

    def give_room(self) -> None:
        """A section waited for room but has nothing to index."""
        self.room.release()

    def submit(self, section: Section, key: str, pages: list[tuple[str, bytes]]) -> None:
        if self.failures:
            raise self.failures[0]
        if not self.threads[0].is_alive():
            for thread in self.threads:
                thread.start()
        self.jobs.put((section, key, pages))

    def _work(self) -> None:
        service: PagefindService | None = None
        given = 0
        try:
            while (job := self.jobs.get()) is not None:
                if self.failures:
                    continue  # drain the queue: the build stops
                _, key, pages = job
                limit = self.indexing.settings.section_pages
                if service is None or given + len(pages) > limit:
                    service = self._replaced(service)
                    given = 0
                given += len(pages)
                self._index(service, key, pages, given)
        except BaseException as error:  # reported by the thread that waits
            with self.lock:
                self.failures.append(error)
            self.room.release(len(self.threads))  # the build must not wait for room
            while self.jobs.get() is not None:
                pass
        finally:
            if service is not None:
                self._closed(service)

    def _replaced(self, service: PagefindService | None) -> PagefindService:
        if service is not None:
            self._closed(service)
        started = PagefindService(self.indexing.executable)
        with self.lock:
            self.indexing.report.processes += 1
        return started

    def _closed(self, service: PagefindService) -> None:
        with self.lock:
            report = self.indexing.report
            report.peak_mib = max(report.peak_mib, service.peak_mib)
        service.close()

    def _index(
        self, service: PagefindService, key: str, pages: list[tuple[str, bytes]], given: int
    ) -> None:
        index = service.new_index(self.indexing.config)
        service.add_files(index, pages)
        pages.clear()  # the job's own list: its HTML is let go of before the index's files come
        self.room.release()
        files = service.get_files(index)
        service.delete_index(index)
        write_pack(files, self.indexing.packs, key)
        with self.lock:
            report = self.indexing.report
            report.most_pages = max(report.most_pages, given)


# Writing ------------------------------------------------------------------------------------


class BundleWriter:
    """Puts a bundle's files into the stage's search folder: those whose fingerprint or bytes
    differ from the live site's, as new files; compression in threads, writing in this one."""

    def __init__(
        self,
        stage: Stage,
        known: Mapping[str, tuple[str, str]],
        recorded: MutableMapping[str, tuple[str, str]],
    ) -> None:
        self.stage = stage
        self.known = {} if stage.fresh else known
        self.recorded = recorded  # where the bundle's files are recorded
        self.pending: deque[tuple[str, str, Future[bytes]]] = deque()
        self.pool = ThreadPoolExecutor(COMPRESSORS, thread_name_prefix="search-compress")

    def put(self, made: BundleFile) -> None:
        path = f"{SEARCH_INDEX}/{made.path}"
        before = self.known.get(path)
        if before is not None and before[0] == made.fingerprint:
            self.recorded[path] = before
            return
        self.pending.append((path, made.fingerprint, self.pool.submit(made.make)))
        # One file ahead per thread: a word chunk of the index is up to 1.3 MB at 100,000
        # articles (380 KB on average), held until written, as is what it is made from.
        if len(self.pending) > COMPRESSORS:
            self._finish_one()

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.pool.shutdown(cancel_futures=True)

    def finish(self) -> None:
        """Write what is pending, remove the live site's files the bundle no longer has."""
        while self.pending:
            self._finish_one()
        # Not ``set(...) - set(self.recorded)``: a set of the whole index's files, made when
        # the merge is at its largest (100,000 fragments at 100,000 articles)
        for path in sorted(p for p in searched(self.known) if p not in self.recorded):
            self.stage.remove(path)

    def _finish_one(self) -> None:
        path, fingerprint, future = self.pending.popleft()
        data = future.result()
        digest = digest_of(data)
        if self.known.get(path, ("", ""))[1] != digest:
            self.stage.write(path, data)
        self.recorded[path] = (fingerprint, digest)


def searched(known: Iterable[str]) -> list[str]:
    """The search index's files among output paths."""
    return [path for path in known if in_search_index(path)]


# What Pagefind reads of a page ------------------------------------------------------------
# Found in bytes, lower-cased: tag and attribute names are ASCII, and bytes.lower() changes
# only ASCII letters, so positions in it are positions in the page.

_BODY = b"data-pagefind-body"
_LANG = re.compile(rb'<html\b[^>]*?\slang="([^"]*)"')
_TITLE = re.compile(rb"<title>[^<]*</title>")
# A start or end tag, its quoted attribute values skipped whole (they may hold "<" or ">").
_TAG = re.compile(rb"""<(/?)([a-z][a-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
# Outside its body element Pagefind still reads these: attributes for meta, filters and sort
# keys; the first <h1> (the result's title); the first <img> after it.
_READ_OUTSIDE = (b"data-pagefind", b"<h1", b"<img")


def search_html(page: bytes) -> bytes:
    """What Pagefind reads of a page (UTF-8): its language, title and ``data-pagefind-body``
    element, as a small page that Pagefind indexes exactly as the whole one. The whole page
    where the shortcut cannot be sure of that."""
    low = page.lower()
    body = _body_span(low)
    lang = _LANG.search(low)
    if body is None or lang is None:
        return page
    start, end = body
    if any(low.find(mark, 0, start) >= 0 or low.find(mark, end) >= 0 for mark in _READ_OUTSIDE):
        return page
    title = _TITLE.search(low, 0, start)
    return b"".join(
        [
            b'<!DOCTYPE html><html lang="',
            page[lang.start(1) : lang.end(1)],
            b'"><head><meta charset="utf-8">',
            page[title.start() : title.end()] if title else b"",
            b"</head><body>",
            page[start:end],
            b"</body></html>",
        ]
    )


def _body_span(low: bytes) -> tuple[int, int] | None:
    """Where the one element marked ``data-pagefind-body`` starts and ends, if it can tell."""
    marked = low.find(_BODY)
    if marked < 0 or low.find(_BODY, marked + 1) >= 0:
        return None
    start = low.rfind(b"<", 0, marked)
    opening = _TAG.match(low, start) if start >= 0 else None
    if opening is None or opening.end() <= marked or opening.group(1):
        return None
    name = opening.group(2)
    depth = 1
    for tag in _TAG.finditer(low, opening.end()):
        if tag.group(2) != name:
            continue
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return start, tag.end()
        elif not tag.group(3).endswith(b"/"):
            depth += 1
    return None
