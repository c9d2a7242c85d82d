"""Atomic output: write the new site beside the old one, then swap the two in one step.

The output folder is sacred ground for the editor's own files: a build replaces a folder only
when it is missing, empty, or marked by :data:`MARKER` as the output of an earlier build, and
never one that holds the current folder, the content or the templates.

Beside the published folder lies a *spare*: the site as it was one build ago, its unchanged
files hard links to the published ones. A build brings the spare up to date, writes only the
files whose bytes change into it, and swaps it in; the old site becomes the next spare. So a
rebuild costs what changed, a reader never finds a file missing, and a build killed at any
moment leaves the published site whole (the next build sees the spare was left half-done and
makes it again).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, RefusedError

MARKER = ".peru-digest-output"
MARKER_TEXT = "Built by peru-digest. The next build replaces this folder whole.\n"
STAGE_INFIX = "-build-"
SPARE_SUFFIX = "-spare"
# Names that earlier versions of the writer left behind when they were killed.
OLD_LEFTOVERS = ("-new-", "-old-")

_Exchange = Callable[[bytes, bytes], int]


@dataclass(frozen=True)
class Folders:
    """What the last build left: the published folder and its spare, known by their inodes,
    and the files (relative paths) in which the spare still differs from the published site."""

    published: int
    spare: int | None
    pending: tuple[str, ...] = ()

    @classmethod
    def from_record(cls, record: object) -> Folders | None:
        """The folders as the cache recorded them (JSON data), or None if not recorded."""
        if not isinstance(record, dict):
            return None
        return cls(record["published"], record["spare"], tuple(record["pending"]))


@dataclass
class Stage:
    """The folder the new site is written into: a fresh one, or the spare brought up to date.

    In a spare, files may be hard links shared with the published site: they are replaced,
    never written into.
    """

    folder: Path
    fresh: bool
    name: str  # the output folder's name, for messages
    warnings: list[Problem] = field(default_factory=list)  # folders that could not be removed
    changed: set[str] = field(default_factory=set)  # written or removed by this build

    def write(self, relative: str, data: bytes) -> None:
        write_file(self.folder, relative, data, fresh=self.fresh)
        self.changed.add(relative)

    def remove(self, relative: str) -> None:
        remove_file(self.folder, relative)
        self.changed.add(relative)

    def noted(self, relative: Iterable[str]) -> None:
        """Files written by others (workers, the search indexer)."""
        self.changed.update(relative)


def write_file(folder: Path, relative: str, data: bytes, *, fresh: bool) -> None:
    """Write one output file; in a spare through a new file renamed into place."""
    target = folder / relative
    written = target if fresh else target.with_name(f".{target.name}.new")
    try:
        written.write_bytes(data)
    except FileNotFoundError:  # the first file of its folder: make the folder (rarely needed)
        target.parent.mkdir(parents=True, exist_ok=True)
        written.write_bytes(data)
    if not fresh:
        os.replace(written, target)


def remove_file(folder: Path, relative: str) -> None:
    """Remove one output file and the folders it leaves empty."""
    target = folder / relative
    target.unlink(missing_ok=True)
    for parent in target.parents:
        if parent == folder:
            break
        try:
            parent.rmdir()
        except OSError:
            break


# The guard ---------------------------------------------------------------------------------


def check_output(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse (raise :class:`RefusedError`) to build into a folder whose loss would hurt.

    ``inputs`` are the folders the build reads (content, templates): the output may be neither
    inside one nor contain one, and neither the current folder, the home folder nor any folder
    that contains them.
    """
    shown = output.as_posix() if output.parts else "."
    target = output.resolve()
    read = [p.resolve() for p in inputs]
    for folder in [Path.cwd().resolve(), Path.home().resolve(), *read]:
        if target == folder or target in folder.parents:
            raise RefusedError(
                f"refusing to build into {shown}: it is or contains {_named(folder)}; "
                "choose an empty or new folder with --output"
            )
    for folder in read:
        if folder in target.parents:
            raise RefusedError(
                f"refusing to build into {shown}: it is inside {_named(folder)}; "
                "choose a folder outside it with --output"
            )
    if target.exists() and not target.is_dir():
        raise RefusedError(f"refusing to build into {shown}: it is a file, not a folder")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise RefusedError(
            f"refusing to replace {shown}: it is not empty and was not built by peru-digest "
            f"(no {MARKER} file); move it away, or choose another folder with --output"
        )


def _named(folder: Path) -> str:
    if folder == Path.cwd().resolve():
        return "the current folder"
    if folder == Path.home().resolve():
        return "the home folder"
    return folder.as_posix()


# Staging and the swap ----------------------------------------------------------------------


@contextmanager
def staged_output(
    output: Path,
    folders: Folders | None,
    note: Callable[[Folders | None], None],
    *,
    spare: bool = True,
) -> Iterator[Stage]:
    """Yield the Stage to write the new site into; on success swap it in, on error keep the
    published site as it is.

    ``folders`` is what the last build left (None when unknown: everything is written afresh).
    ``note`` is told what the next build may trust: before the spare is touched (the spare,
    no longer), and after the swap. ``spare=False`` keeps no spare (no later build could
    trust it). When ``output`` is a symbolic link (to a web server's
    folder, say), the folder it points to is replaced and the link stays. Builds into one
    output take turns, and each removes what killed builds left behind.
    """
    target = output.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    spare_folder = target.parent / f".{target.name}{SPARE_SUFFIX}"
    warnings: list[Problem] = []
    with _turn(target), Sweeper(target, warnings) as sweeper:
        remove_leftovers(target, warnings)
        if folders is not None:
            note(Folders(folders.published, None))
        stage = _prepare(target, spare_folder, folders, sweeper)
        try:
            yield stage
            if stage.fresh or stage.changed:
                stage.folder.chmod(0o755)  # mkdtemp makes it private; a site is readable
                old = swap_in(stage.folder, target)
                note(_after_swap(target, spare_folder if spare else None, old, stage, sweeper))
            else:
                note(Folders(_inode(target) or 0, _inode(spare_folder)))
        finally:
            if stage.fresh:
                remove_folder(stage.folder, stage.warnings)


class Sweeper:
    """Removes whole folders while the build goes on: each is first renamed out of the way
    (to a name the next build removes, should this one be killed), then deleted by a thread
    of its own; leaving the block waits for them. Deleting a site's 27,000 files takes
    seconds on a slow disk, time the build spends rendering meanwhile."""

    def __init__(self, target: Path, warnings: list[Problem]) -> None:
        self.target = target
        self.warnings = warnings
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> Sweeper:
        return self

    def __exit__(self, *_: object) -> None:
        for thread in self.threads:
            thread.join()

    def remove(self, folder: Path) -> None:
        doomed = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=folder.parent))
        doomed.rmdir()
        try:
            folder.rename(doomed)
        except OSError:  # cannot be moved: remove it where it is, now
            remove_folder(folder, self.warnings)
            return
        thread = threading.Thread(target=remove_folder, args=(doomed, self.warnings))
        thread.start()
        self.threads.append(thread)


def _prepare(target: Path, spare: Path, folders: Folders | None, sweeper: Sweeper) -> Stage:
    """A fresh folder when the published site is unknown; else the spare, made equal to it."""
    warnings = sweeper.warnings
    if folders is None or not target.is_dir() or _inode(target) != folders.published:
        if spare.exists():
            sweeper.remove(spare)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGE_INFIX}", dir=target.parent))
        return Stage(folder, fresh=True, name=target.name, warnings=warnings)
    if folders.spare is None or _inode(spare) != folders.spare:
        if spare.exists():
            sweeper.remove(spare)
        clone(target, spare)
    else:
        for relative in folders.pending:
            catch_up(target, spare, relative)
    return Stage(spare, fresh=False, name=target.name, warnings=warnings)


def clone(source: Path, copy: Path) -> None:
    """A copy of ``source`` made of hard links to its files: no file's bytes are written."""
    for folder, _, names in os.walk(source):
        here = copy / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, here / name)


def catch_up(target: Path, spare: Path, relative: str) -> None:
    """Make the spare's file the published one: the same file, through a hard link."""
    published = target / relative
    if not published.exists():
        remove_file(spare, relative)
        return
    copy = spare / relative
    copy.parent.mkdir(parents=True, exist_ok=True)
    temporary = copy.with_name(f".{copy.name}.new")
    temporary.unlink(missing_ok=True)
    os.link(published, temporary)
    os.replace(temporary, copy)


def _after_swap(
    target: Path, spare: Path | None, old: Path | None, stage: Stage, sweeper: Sweeper
) -> Folders:
    """Where the old site went: it becomes the spare (or goes, after a fresh build)."""
    if spare is None or stage.fresh:
        if old is not None:
            sweeper.remove(old)
        if spare is None:
            return Folders(_inode(target) or 0, None)
    elif old is not None and old != spare:
        old.rename(spare)
    if stage.fresh:
        clone(target, spare)
        return Folders(_inode(target) or 0, _inode(spare))
    return Folders(_inode(target) or 0, _inode(spare), tuple(sorted(stage.changed)))


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


@contextmanager
def _turn(target: Path) -> Iterator[None]:
    """Lock the folder that holds the output: concurrent builds write and swap in turn.

    Locking the folder itself leaves no lock file behind.
    """
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def remove_leftovers(target: Path, warnings: list[Problem]) -> None:
    """Stage folders of builds that were killed before they could clean up."""
    prefixes = tuple(f".{target.name}{infix}" for infix in (STAGE_INFIX, *OLD_LEFTOVERS))
    for path in sorted(target.parent.iterdir()):
        if path.is_symlink() or not path.is_dir():
            continue
        if path.name.startswith(prefixes):
            remove_folder(path, warnings)


def remove_folder(folder: Path, warnings: list[Problem]) -> None:
    """Remove a whole folder; what cannot be removed becomes a warning, not a failure."""
    failures: list[str] = []

    def note(_function: object, path: str, error: BaseException) -> None:
        failures.append(f"{path}: {getattr(error, 'strerror', None) or error}")

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=note)
    else:
        shutil.rmtree(folder, onerror=lambda f, p, info: note(f, p, info[1]))
    if failures and folder.exists():
        message = f"could not remove the old build folder ({failures[0]})"
        warnings.append(Problem(folder.as_posix(), None, message, "remove it by hand"))


def swap_in(folder: Path, target: Path) -> Path | None:
    """Put ``folder`` where ``target`` is; returns where the old site went (None: there was
    none). An atomic exchange where the system has one, so a reader never finds the site
    missing; elsewhere two renames, with a moment between them.
    """
    if not target.exists():
        folder.rename(target)
        return None
    if exchange(folder, target):
        return folder
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGE_INFIX}", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        folder.rename(target)
    except OSError:
        old.rename(target)
        raise
    return old


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``, macOS ``renamex_np``)."""
    call = _exchange_call()
    if call is None:
        return False
    if call(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # not on this file system
        return False
    raise OSError(error, os.strerror(error), str(second))


def _exchange_call() -> _Exchange | None:
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    libc = ctypes.CDLL(library, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2

        def linux(first: bytes, second: bytes) -> int:
            return int(libc.renameat2(at_fdcwd, first, at_fdcwd, second, rename_exchange))

        return linux
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2

        def darwin(first: bytes, second: bytes) -> int:
            return int(libc.renamex_np(first, second, rename_swap))

        return darwin
    return None
