"""The build cache: what earlier builds learned, so that a rebuild costs what changed.

One SQLite file outside the output folder. It never decides what a page says, only whether a
page needs drawing again: every entry is keyed by a digest of everything it was made from, so a
stale entry is never found. Only this program writes it (records of articles are pickled: the
cache is as trusted as the code that writes it, unlike content). A cache that is corrupt,
truncated, unreadable, from another version or for another content folder is thrown away and
rebuilt, with a one-line notice.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .model import Summary

FILE_NAME = "build.sqlite"
LOCK_NAME = "build.lock"  # held by the build using the cache
PACKS_NAME = "search"  # the search index's packs
# Marks the folder as a cache (https://bford.info/cachedir/: backup tools skip it) and as ours.
TAG_NAME = "CACHEDIR.TAG"
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by peru-digest: its build cache.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
OWN_NAMES = frozenset({  # what a cache folder holds (and held before it had a tag)
    FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}-shm", f"{FILE_NAME}-journal", LOCK_NAME,
    PACKS_NAME, TAG_NAME,
})  # fmt: skip
SCHEMA = 8
# A file changed within this long of the moment its details were noted may have changed again
# unseen (timestamps are coarse): its contents are read again rather than trusted.
RACY_NS = 2_000_000_000
DEPENDENCIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-slugify", "markupsafe", "babel")

COMPILED_PREFIX = "template:"  # the blobs of compiled templates
_COMPILED_KEYS = (COMPILED_PREFIX, COMPILED_PREFIX[:-1] + chr(ord(COMPILED_PREFIX[-1]) + 1))

CacheError = sqlite3.Error  # anything the database says is wrong: the cache is thrown away


@cache
def generator_version() -> str:
    """Our version, our source code and catalogs, and the versions of what shapes the output."""
    return version_of(Path(__file__).parent)


def version_of(package: Path) -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        digest.update(path.read_bytes())
    for name in DEPENDENCIES:
        digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    return digest.hexdigest()


def digest_of(data: bytes | bytearray) -> str:
    return digester(data).hexdigest()


def digester(data: bytes | bytearray = b"") -> hashlib.blake2b:
    """What :func:`digest_of` digests with: bytes may be added to it a chunk at a time."""
    return hashlib.blake2b(data, digest_size=16)


def digest_of_chunks(chunks: Iterable[bytes]) -> str:
    """:func:`digest_of` the bytes the chunks make together."""
    digest = digester()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


class Outputs(MutableMapping[str, tuple[str, str]]):
    """Output file → (fingerprint, digest of its bytes), each pair of hex digests kept as its
    32 bytes: 166,000 pairs at 100,000 articles, 72 bytes each rather than some 250 as a
    tuple of two strings. Any other pair (a search file's, a file changed by hand) is kept
    as it is."""

    __slots__ = ("rows",)

    def __init__(self, pairs: Iterable[tuple[str, tuple[str, str]]] = ()) -> None:
        self.rows: dict[str, bytes | tuple[str, str]] = {}
        for path, pair in pairs:
            self[path] = pair

    def __getitem__(self, path: str) -> tuple[str, str]:
        return unpacked(self.rows[path])

    def __setitem__(self, path: str, pair: tuple[str, str]) -> None:
        self.rows[path] = packed(pair)

    def __delitem__(self, path: str) -> None:
        del self.rows[path]

    def __contains__(self, path: object) -> bool:
        return path in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def copy(self) -> Outputs:
        found = Outputs()
        found.rows = self.rows.copy()
        return found


class Joined(Mapping[str, tuple[str, str]]):
    """Records of outputs kept apart, read as one; no path is in two of them. The site's
    drawn files and its search index's are kept apart so that neither dict outgrows its
    table: one of 266,000 entries at 100,000 articles takes a table of a million slots
    (measured: the command's peak 1.5 MiB lower with two)."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Mapping[str, tuple[str, str]]) -> None:
        self.parts = parts

    def __getitem__(self, path: str) -> tuple[str, str]:
        for part in self.parts:
            if path in part:
                return part[path]
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return any(path in part for part in self.parts)

    def __iter__(self) -> Iterator[str]:
        for part in self.parts:
            yield from part

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)


def packed(pair: tuple[str, str]) -> bytes | tuple[str, str]:
    """Two digests of 16 bytes, in lower-case hex, as their 32 bytes; else the pair itself."""
    both = pair[0] + pair[1]
    if len(pair[0]) == len(pair[1]) == 32:
        try:
            row = bytes.fromhex(both)
        except ValueError:
            return pair
        if row.hex() == both:
            return row
    return pair


def unpacked(row: bytes | tuple[str, str]) -> tuple[str, str]:
    """The pair :func:`packed` made ``row`` from."""
    return row if isinstance(row, tuple) else (row[:16].hex(), row[16:].hex())


def packed_items(
    outputs: Mapping[str, tuple[str, str]],
) -> Iterator[tuple[str, bytes | tuple[str, str]]]:
    """(path, the pair :func:`packed`) of each output; read as kept where it is kept so."""
    if isinstance(outputs, Outputs):
        yield from outputs.rows.items()
    elif isinstance(outputs, Joined):
        for part in outputs.parts:
            yield from packed_items(part)
    else:
        for path, pair in outputs.items():
            yield path, packed(pair)


STATE_BYTES = 40


class FileState(bytes):
    """What the file system says about a file: it changed if any of these did. Its four
    numbers are kept as 40 bytes (a state for each of 100,000 article files is held while
    they are read: 80 bytes each, not some 190 as a record of four integers)."""

    __slots__ = ()

    def __new__(cls, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> FileState:
        # Times in 12 bytes: any a file system can give (seconds in 64 bits, as nanoseconds)
        return super().__new__(
            cls,
            size.to_bytes(8, "little")
            + inode.to_bytes(8, "little")
            + mtime_ns.to_bytes(12, "little", signed=True)
            + ctime_ns.to_bytes(12, "little", signed=True),
        )

    @classmethod
    def of(cls, stat: os.stat_result) -> FileState:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)

    @classmethod
    def kept(cls, packed: bytes) -> FileState:
        """The state whose 40 bytes these are (as the cache keeps them)."""
        if not isinstance(packed, bytes) or len(packed) != STATE_BYTES:
            found = f"{len(packed)} bytes" if isinstance(packed, bytes) else type(packed).__name__
            raise CacheError(f"a file's state is {found}, not {STATE_BYTES} bytes")
        return bytes.__new__(cls, packed)

    @property
    def size(self) -> int:
        return int.from_bytes(self[:8], "little")

    @property
    def inode(self) -> int:
        return int.from_bytes(self[8:16], "little")

    @property
    def mtime_ns(self) -> int:
        return int.from_bytes(self[16:28], "little", signed=True)

    @property
    def ctime_ns(self) -> int:
        return int.from_bytes(self[28:40], "little", signed=True)

    def __getnewargs__(self) -> tuple[int, int, int, int]:  # type: ignore[override]
        return self.size, self.mtime_ns, self.ctime_ns, self.inode

    def __repr__(self) -> str:
        return f"FileState({self.size}, {self.mtime_ns}, {self.ctime_ns}, {self.inode})"


SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reading (
    path TEXT PRIMARY KEY, settings TEXT NOT NULL, state BLOB NOT NULL, noted_ns INTEGER,
    digest TEXT NOT NULL, record BLOB NOT NULL
);
CREATE TABLE summaries (key TEXT PRIMARY KEY, markdown TEXT, html TEXT, text TEXT);
CREATE TABLE outputs (path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE blobs (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


@contextmanager
def builds_in_turn(folder: Path) -> Iterator[None]:
    """Builds that share the cache in ``folder`` take turns, so that each one starts from
    what the last one noted (a folder that cannot be written has no cache to share)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tag = folder / TAG_NAME
        if not tag.is_file():
            tag.write_text(TAG_TEXT, encoding="utf-8")
        descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def foreign_files(folder: Path) -> list[str]:
    """What a folder chosen for the cache holds that a cache would not: a build empties and
    replaces what it finds there, so it keeps its cache only in a new or empty folder, or in
    one a build made (tagged, or holding nothing but a cache's files)."""
    try:
        if (folder / TAG_NAME).read_text(encoding="utf-8") == TAG_TEXT:
            return []
    except (OSError, UnicodeDecodeError):
        pass
    try:
        return sorted(entry.name for entry in os.scandir(folder) if entry.name not in OWN_NAMES)
    except (FileNotFoundError, NotADirectoryError):
        return []  # made when the build starts; a file there is refused as the cache


class Cache:
    """The cache of one content folder; use as a context manager, or call :meth:`close`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    # Opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, content: Path, *, clean: bool, notices: list[str]) -> Cache:
        """The cache in ``folder`` for ``content``; a fresh one if it cannot be trusted.

        ``clean`` starts afresh without a word. A cache that cannot even be created (the folder
        is not writable) is replaced by one in memory, with a notice: the build still works.
        """
        path = folder.absolute() / FILE_NAME
        owner = str(content.resolve())
        if not clean and path.exists():
            try:
                opened = cls._connect(path)
                with opened.closed_on_error():
                    reason = opened._unfit_because(owner)
                if reason is None:
                    return opened
                opened.close()
                notices.append(f"the build cache {path} is {reason}; it was rebuilt")
            except (CacheError, OSError) as error:
                notices.append(
                    f"the build cache {path} could not be read ({error}); it was rebuilt"
                )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _remove(path)
            return cls._create(cls._connect(path), owner)
        except (CacheError, OSError) as error:
            notices.append(
                f"the build cache {path} cannot be written ({error}); this build keeps it in "
                "memory, and the next one starts afresh"
            )
            return cls._create(cls._connect(Path(":memory:")), owner)

    @classmethod
    def _connect(cls, path: Path) -> Cache:
        if path != Path(":memory:") and path.exists() and not path.is_file():
            raise sqlite3.OperationalError("not a file")
        cache = cls(sqlite3.connect(path, isolation_level=None, check_same_thread=False), path)
        if path != Path(":memory:"):
            with cache.closed_on_error():  # a file that is no database fails here
                cache.db.execute("PRAGMA journal_mode = WAL")  # workers read while we write
                cache.db.execute("PRAGMA synchronous = NORMAL")
        return cache

    @contextmanager
    def closed_on_error(self) -> Iterator[None]:
        """Close the connection if the block fails: the caller will not have it to close."""
        try:
            yield
        except BaseException:
            self.close()
            raise

    @classmethod
    def _create(cls, cache: Cache, owner: str) -> Cache:
        with cache.closed_on_error(), cache.transaction():
            for statement in SCHEMA_SQL.split(";"):
                if statement.strip():
                    cache.db.execute(statement)
            cache.db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("schema", str(SCHEMA)),
                    ("generator", generator_version()),
                    ("content", owner),
                    ("made", uuid.uuid4().hex),  # this cache, not another one made in its place
                ],
            )
        return cache

    def _unfit_because(self, owner: str) -> str | None:
        """Why this cache must not be used, or None; corruption raises CacheError."""
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            return "not a peru-digest cache"
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != str(SCHEMA) or meta.get("generator") != generator_version():
            return "from another version of peru-digest"
        if meta.get("content") != owner:
            return f"for another content folder ({meta.get('content')})"
        self.db.execute("SELECT count(*) FROM outputs").fetchone()  # reads the pages: corruption
        return None

    @property
    def identity(self) -> str:
        """Which cache this is: one made anew in its place (cleaned, rebuilt) is another."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'made'").fetchone()
        return "" if row is None else str(row[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def file_path(self) -> Path | None:
        """The database file, for other processes to read; None for a cache in memory."""
        return None if self.path == Path(":memory:") else self.path

    # Transactions ----------------------------------------------------------------------------

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # Input files: what changed since the last build ------------------------------------------

    def reading(self, settings: str) -> Iterator[tuple[str, FileState, int, str, bytes]]:
        """Each article file read under these settings: its path, state and the moment it was
        noted, its digest and what reading it gave (pickled); readings under other settings
        are forgotten."""
        self.db.execute("DELETE FROM reading WHERE settings != ?", (settings,))
        rows = self.db.execute("SELECT path, state, noted_ns, digest, record FROM reading")
        for path, state, noted, digest, record in rows:
            yield path, FileState.kept(state), noted, digest, record

    def note_reading(
        self, settings: str, read: Iterable[tuple[str, FileState | None, int, str, object]]
    ) -> None:
        """Note what reading files gave (a file that is not a regular one is read every time)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO reading VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    path,
                    settings,
                    bytes(
                        s
                    ),  # not four integers: SQLite's would overflow past 2262 (or inode 2^63)
                    noted,
                    digest,
                    pickle.dumps(record, pickle.HIGHEST_PROTOCOL),
                )
                for path, s, noted, digest, record in read
                if s is not None
            ),
        )

    def forget_reading(self, paths: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM reading WHERE path = ?", ((path,) for path in paths))

    # Summaries -------------------------------------------------------------------------------

    def summaries(self) -> Summaries:
        return Summaries(self.db)

    def note_summaries(self, summaries: Mapping[str, Summary]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO summaries VALUES (?, ?, ?, ?)",
            ((key, s.markdown, s.html, s.text) for key, s in summaries.items()),
        )

    def keep_summaries(self, keys: Iterable[str]) -> None:
        """Forget summaries no article has any more."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM kept")
        self.db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in keys))
        self.db.execute("DELETE FROM summaries WHERE key NOT IN (SELECT key FROM kept)")

    # Outputs ---------------------------------------------------------------------------------

    def outputs(self) -> Outputs:
        """The last build's outputs: path → (fingerprint, digest of the bytes)."""
        rows = self.db.execute("SELECT path, fingerprint, digest FROM outputs")
        return Outputs((path, (fingerprint, digest)) for path, fingerprint, digest in rows)

    def output_paths(self) -> list[str]:
        """The paths of the last build's outputs."""
        return [row[0] for row in self.db.execute("SELECT path FROM outputs")]

    def note_outputs(
        self,
        outputs: Mapping[str, tuple[str, str]],
        noted: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Make the outputs noted these; ``noted`` is what :meth:`outputs` gave (None: not
        known, so every row is written again)."""
        if noted is None:
            self.db.execute("DELETE FROM outputs")
            noted = {}
        self.db.executemany(
            "DELETE FROM outputs WHERE path = ?", ((path,) for path in noted if path not in outputs)
        )
        # Compared as kept (two digests' 32 bytes), not as hex made anew for each side.
        before = noted.rows if isinstance(noted, Outputs) else dict(packed_items(noted))
        self.db.executemany(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
            (
                (path, *unpacked(row))
                for path, row in packed_items(outputs)
                if before.get(path) != row
            ),
        )

    # Small named values ----------------------------------------------------------------------

    def get(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO state VALUES (?, ?)",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def compiled(self) -> dict[str, bytes]:
        return compiled_templates(self.db)

    def keep_compiled(self, compiled: Mapping[str, bytes]) -> None:
        """Keep compiled templates (Jinja's bytecode, by its key) for later builds and their
        workers, which need not compile them again."""
        if compiled:
            self.db.executemany(
                "INSERT OR REPLACE INTO blobs VALUES (?, ?)",
                ((COMPILED_PREFIX + key, code) for key, code in compiled.items()),
            )

    def get_bytes(self, key: str) -> bytes | None:
        """A value kept as bytes (a large table of digests, say: one object, not JSON's
        string per entry)."""
        row = self.db.execute("SELECT value FROM blobs WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def set_bytes(self, key: str, value: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (key, value))


def compiled_templates(db: sqlite3.Connection) -> dict[str, bytes]:
    """The compiled templates kept in a cache (see :meth:`Cache.keep_compiled`)."""
    rows = db.execute("SELECT key, value FROM blobs WHERE key >= ? AND key < ?", _COMPILED_KEYS)
    return {key.removeprefix(COMPILED_PREFIX): bytes(value) for key, value in rows}


def read_only(path: Path) -> sqlite3.Connection:
    """Another connection to a cache, for reading alone (in a worker process)."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)


class Summaries(Mapping[str, Summary]):
    """The summaries of the cache, read as they are asked for: a large site need not hold them
    all in memory. :meth:`preload` reads many in one query."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.loaded: dict[str, Summary] = {}

    def close(self) -> None:
        """Close the connection they are read through (it is theirs alone)."""
        self.db.close()

    def preload(self, keys: Iterable[str]) -> None:
        """Read these summaries at once; those read before are forgotten."""
        wanted = sorted(set(keys))
        self.loaded = {}
        for start in range(0, len(wanted), 500):  # SQLite caps the parameters of a query
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, markdown, html, text FROM summaries WHERE key IN ({marks})", chunk
            )
            self.loaded |= {key: Summary(*rest) for key, *rest in rows}

    def __getitem__(self, key: str) -> Summary:
        if key in self.loaded:
            return self.loaded[key]
        row = self.db.execute(
            "SELECT markdown, html, text FROM summaries WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return Summary(*row)

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT key FROM summaries"))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM summaries").fetchone()[0])


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink(missing_ok=True)
