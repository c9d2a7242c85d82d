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

A build that writes every file (``--clean``, a new cache) writes them into the spare too when
there is one, and makes the old site the next spare: making a site's folders is most of what
writing it costs on a busy disk (ext4 spends half a millisecond on each of 17,000), and the
old site has them all already. Files the new site lacks are removed before the swap.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import digester, foreign_files
from .errors import DigestError, Problem, RefusedError, printable
from .urls import folders_above
from .yamlio import clip

MARKER = ".peru-digest-output"
MARKER_TEXT = "Built by peru-digest. The next build replaces this folder whole.\n"
SPARE_SUFFIX = "-spare"
# The folders a build makes beside its output (a stage, a folder being removed) are named
# ``.NAME.peru-digest-build-…`` and ``.NAME.peru-digest-old-…``: no one else names a folder so,
# and a killed build's are removed by the next one whatever they still hold.
STAGE_INFIX = ".peru-digest-build-"
DOOMED_INFIX = ".peru-digest-old-"
# What earlier versions named them: removed only when marked as a site (an editor may well
# keep a ``.public-old-backup`` of their own).
EARLIER_INFIXES = ("-build-", "-new-", "-old-")
# Version control's own folders at the top of the output, as in a ``public/`` deployed as a
# git checkout (Jekyll and Zola keep them too): no build makes, links, prunes or removes one;
# each swap moves them, the same inodes, into the new site.
VERSION_CONTROL = (".git", ".hg", ".svn")

_Exchange = Callable[[bytes, bytes], int]


# A folder as a build left it: its inode and the moment of its last change of status. The
# inode alone is not enough: builds swap the same two folders back and forth, and a folder
# another build (or a killed one) wrote into and swapped back would pass for the one noted.
# Each build changes the status of the folder it swaps in (chmod) and renames it.
Identity = tuple[int, int]


@dataclass(frozen=True)
class Folders:
    """What the last build left: the published folder and its spare (equal to it), known by
    their identities."""

    published: Identity
    spare: Identity | None
    # When the build was done with them: a file of the site changed since then (its inode's
    # ctime later) was changed by hand, in place, in both (they share it), and is not trusted.
    settled_ns: int = 0

    @classmethod
    def from_record(cls, record: object) -> Folders | None:
        """The folders as the cache recorded them (JSON data), or None if not recorded."""
        if not isinstance(record, dict) or not isinstance(record.get("published"), list):
            return None
        spare = record["spare"]
        return cls(
            (record["published"][0], record["published"][1]),
            None if spare is None else (spare[0], spare[1]),
            int(record.get("settled_ns") or 0),
        )


def changed_in_place(folder: Path, paths: Iterable[str], since_ns: int) -> set[str]:
    """The files among ``paths`` in ``folder`` changed (or gone) since ``since_ns``."""
    changed = set()
    root = f"{folder}/"  # joined as text: a Path per file costs as much as its lstat
    for path in paths:
        try:
            if os.lstat(root + path).st_ctime_ns > since_ns:
                changed.add(path)
        except OSError:
            changed.add(path)
    return changed


def folders_changed(folder: Path, paths: Iterable[str], since_ns: int) -> bool:
    """Whether a folder holding any of ``paths`` in ``folder`` changed since ``since_ns``: a
    file added, removed or renamed in it by hand, or its mode changed (``folder`` itself is
    known by its identity). A site where one did is not known to be what was built."""
    seen: set[str] = set()
    root = f"{folder}/"
    for path in paths:
        for inside in folders_above(path):
            if inside in seen:
                break  # and so are the folders above it
            seen.add(inside)
            try:
                if os.lstat(root + inside).st_ctime_ns > since_ns:
                    return True
            except OSError:
                return True
    return False


def identity(path: Path) -> Identity | None:
    """The folder's identity (None: there is no folder there)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_ctime_ns)


@dataclass
class Stage:
    """The folder the new site is written into: the spare brought up to date, or, when what
    it holds is not known, a folder into which every file is written (a new one, or the spare,
    its folders reused and the files the new site lacks removed before the swap).

    In a spare, files may be hard links shared with the published site: they are replaced,
    never written into.
    """

    folder: Path
    fresh: bool  # every file is written (nothing is known of what the folder holds)
    name: str  # the output folder as the user gave it, for messages
    warnings: list[Problem] = field(default_factory=list)  # folders that could not be removed
    # Written or removed by this build; in a fresh stage, where every file is written, only
    # counted (``written``): a set of 166,000 paths at 100,000 articles takes 8 MB.
    changed: set[str] = field(default_factory=set)
    empty: bool = False  # a new folder: files are written in place (every file, so fresh too)
    after: Folders | None = None  # what the next build may trust, once this one is in place
    new: int = 0  # files written into a fresh stage
    # Every file of the new site, given once written: a fresh stage that is not empty then
    # removes what else it holds.
    site: Container[str] | None = None

    @property
    def written(self) -> int:
        """How many files this build wrote or removed."""
        return len(self.changed) + self.new

    def write(self, relative: str, data: bytes | bytearray) -> None:
        write_file(self.folder, relative, data, fresh=self.empty)
        self.noted([relative])

    def write_chunks(self, relative: str, chunks: Iterable[bytes]) -> str:
        """Write a file a chunk at a time; the digest of its bytes (see cache.digest_of)."""
        digest = digester()
        write_file(self.folder, relative, digested(chunks, digest), fresh=self.empty)
        self.noted([relative])
        return digest.hexdigest()

    def remove(self, relative: str) -> None:
        remove_file(self.folder, relative)
        self.noted([relative])

    def noted(self, relative: Collection[str]) -> None:
        """Files written (by others too: workers, the search indexer) or removed."""
        if self.fresh:
            self.new += len(relative)
        else:
            self.changed.update(relative)


def write_file(
    folder: Path, relative: str, data: bytes | bytearray | Iterator[bytes], *, fresh: bool
) -> None:
    """Write one output file (its bytes, or chunks of them); in a spare through a new file
    renamed into place (where the last site had a file in place of one of its folders, or a
    folder in its place, that goes)."""
    target = folder / relative
    written = target if fresh else target.with_name(f".{target.name}.new")
    try:
        file = written.open("wb")
    except (FileNotFoundError, NotADirectoryError):  # the first file of its folder
        if not fresh:  # in a folder that started empty, nothing of an older site is in the way
            _clear_way(folder, target.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        file = written.open("wb")
    try:
        with file:
            if isinstance(data, bytes | bytearray):
                file.write(data)
            else:
                file.writelines(data)
    except BaseException:  # no half-written file is left in the site (chunks may fail)
        written.unlink(missing_ok=True)
        raise
    if not fresh:
        try:
            os.replace(written, target)
        except IsADirectoryError:
            shutil.rmtree(target)
            os.replace(written, target)


def digested(chunks: Iterable[bytes], digest: hashlib.blake2b) -> Iterator[bytes]:
    """The chunks, each added to ``digest`` as it passes."""
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _clear_way(folder: Path, parent: Path) -> None:
    """Remove what is not a folder where ``parent`` (inside ``folder``) or one above needs one."""
    for above in [parent, *parent.parents]:
        if above == folder:
            return
        if above.is_symlink() or (above.exists() and not above.is_dir()):
            above.unlink()
            return


def remove_file(folder: Path, relative: str) -> None:
    """Remove one output file and the folders it leaves empty (a folder of the new site in
    its place stays)."""
    target = folder / relative
    if target.is_dir() and not target.is_symlink():
        return
    try:
        target.unlink(missing_ok=True)
    except NotADirectoryError:  # a file of the new site in place of a folder above it
        return
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
    if target.is_dir() and is_mount_point(target):  # a new site is swapped in by renaming
        raise RefusedError(
            f"refusing to build into {shown}: it is a mount point, which cannot be replaced "
            f"whole; build into a folder inside it (--output {(output / 'site').as_posix()}) "
            "and serve that"
        )
    if target.is_dir() and not (target / MARKER).is_file() and not holds_nothing_built(target):
        raise RefusedError(
            f"refusing to replace {shown}: it is not empty and was not built by peru-digest "
            f"(no {MARKER} file); move it away, or choose another folder with --output"
        )
    check_spare(spare_of(target), [Path.cwd().resolve(), Path.home().resolve(), *read])


def holds_nothing_built(folder: Path) -> bool:
    """Whether ``folder`` is empty but for version control's folders (a fresh checkout)."""
    return all(entry.name in VERSION_CONTROL for entry in folder.iterdir())


MOUNTS = Path("/proc/self/mountinfo")


def is_mount_point(folder: Path, mounts: Path = MOUNTS) -> bool:
    """Whether the (resolved) ``folder`` is a mount point. ``os.path.ismount`` compares
    devices, so it misses a bind mount of a folder of the same file system; Linux lists every
    mount point in ``mounts``."""
    if os.path.ismount(folder):
        return True
    try:
        lines = mounts.read_bytes().splitlines()
    except OSError:
        return False
    wanted = os.fsencode(folder)
    return any(
        len(fields) > 4 and _OCTAL_ESCAPE.sub(_unescaped, fields[4]) == wanted
        for fields in map(bytes.split, lines)
    )


# mountinfo writes a space in a path as \040 (a tab, a newline and a backslash likewise)
_OCTAL_ESCAPE = re.compile(rb"\\([0-7]{3})")


def _unescaped(found: re.Match[bytes]) -> bytes:
    return bytes([int(found.group(1), 8)])


def check_cache(cache: Path, inputs: Iterable[Path]) -> None:
    """Refuse a cache inside the folders a build reads (its files would be changes to them,
    and no build would ever find nothing changed), or in a folder of other files."""
    target = cache.resolve()
    if target.exists() and not target.is_dir():
        raise RefusedError(
            f"refusing to keep the build cache in {cache.as_posix()}: it is a file, not a "
            "folder; choose a new or empty folder with --cache"
        )
    for folder in (p.resolve() for p in inputs):
        if target == folder or folder in target.parents:
            raise RefusedError(
                f"refusing to keep the build cache in {cache.as_posix()}: it is inside "
                f"{folder.as_posix()}, which each build reads; choose a folder outside it "
                "with --cache"
            )
    if found := foreign_files(target):
        named = ", ".join(printable(clip(name)) for name in found[:3])
        named += ", …" if len(found) > 3 else ""
        raise RefusedError(
            f"refusing to keep the build cache in {cache.as_posix()}: it holds files a build "
            f"did not make ({named}), which the cache would replace; choose a new or empty "
            "folder with --cache"
        )


def spare_of(target: Path) -> Path:
    """Where the build keeps its spare copy of the site ``target`` (resolved)."""
    return target.parent / f".{target.name}{SPARE_SUFFIX}"


def check_spare(spare: Path, kept: list[Path]) -> None:
    """The spare copy's folder is emptied and refilled: refuse when a folder there is not one
    a build left (a link there is moved aside, with a warning, by the build)."""
    if not _is_folder(spare):
        return
    for folder in kept:
        if spare == folder or spare in folder.parents:
            raise RefusedError(
                f"refusing to keep the site's spare copy in {spare.as_posix()}: it is or "
                f"contains {_named(folder)}; rename it, or choose another folder with --output"
            )
    if not (spare / MARKER).is_file() and any(spare.iterdir()):
        raise RefusedError(
            f"refusing to keep the site's spare copy in {spare.as_posix()}: it is not empty "
            f"and was not built by peru-digest (no {MARKER} file); move it away, or choose "
            "another folder with --output"
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
    ``note`` is told what the next build may trust before the spare is touched (the spare, no
    longer); what it may trust once the new site is in place is left in the stage's ``after``,
    for the caller to note with what the site is made of. ``spare=False`` keeps no spare (no
    later build could trust it). When ``output`` is a symbolic link (to a web server's
    folder, say), the folder it points to is replaced and the link stays. Builds into one
    output take turns, and each removes what killed builds left behind.
    """
    target = output.resolve()
    with _beside(output, target):
        target.parent.mkdir(parents=True, exist_ok=True)
    spare_folder = spare_of(target)
    warnings: list[Problem] = []
    with _beside(output, target), _turn(target), Sweeper(target, warnings) as sweeper:
        rescue_version_control(target)
        remove_leftovers(target, warnings)
        if folders is not None:
            note(Folders(folders.published, None))
        stage = _prepare(target, spare_folder, folders, sweeper, output.as_posix())
        try:
            yield stage
            if stage.fresh and not stage.empty:
                if stage.site is None:
                    raise RuntimeError("a fresh stage was not told which files the site has")
                prune(stage.folder, stage.site)
            if stage.fresh or stage.changed:
                # mkdtemp makes it private; a site is readable, its folders all alike
                stage.folder.chmod(new_folders_mode(stage.folder))
                old = swap_in(stage.folder, target)
                stage.after = _after_swap_or_none(
                    target, spare_folder if spare else None, old, stage, sweeper
                )
            else:
                stage.after = Folders(identity(target) or (0, 0), identity(spare_folder))
        except OSError:
            if stage.fresh and not stage.empty:  # what the old spare held may be what failed
                sweeper.remove(stage.folder)
            raise
        finally:
            if stage.empty and stage.folder.exists():
                remove_folder(stage.folder, stage.warnings)


_FORBIDDEN = (errno.EACCES, errno.EPERM, errno.EROFS)


@contextmanager
def _beside(output: Path, target: Path) -> Iterator[None]:
    """The folder that holds the site, where a build makes the new one and swaps it in, told
    as the folder to change when it cannot be written: the site's own folder may well be
    the user's (a deploy layout: ``public`` a link to ``/var/www/peru``, ``/var/www`` not)."""
    try:
        yield
    except OSError as error:
        named = error.filename
        if error.errno not in _FORBIDDEN or not isinstance(named, str | bytes):
            raise
        folder = target.parent
        if Path(os.fsdecode(named)).parent != folder and Path(os.fsdecode(named)) != folder:
            raise
        shown = output.as_posix()
        reason = error.strerror or str(error)
        where = f"beside {shown}" if output.absolute() == target else f"beside {target}"
        raise DigestError(
            [
                Problem(
                    shown,
                    None,
                    f"cannot write the site: each build makes the new site {where} and swaps "
                    f"the two, and {folder} cannot be written ({reason})",
                    f"make {folder} writable for you (the site's spare copy, "
                    f"{spare_of(target).name}, is kept there too), or build into a folder "
                    f"inside the site's: --output {(output / 'site').as_posix()}, and serve that",
                )
            ]
        ) from None


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
        doomed = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}{DOOMED_INFIX}", dir=folder.parent)
        )
        doomed.rmdir()
        try:
            folder.rename(doomed)
        except OSError:  # cannot be moved: remove it where it is, now
            remove_folder(folder, self.warnings)
            return
        thread = threading.Thread(target=remove_folder, args=(doomed, self.warnings))
        thread.start()
        self.threads.append(thread)


def _prepare(
    target: Path, spare: Path, folders: Folders | None, sweeper: Sweeper, shown: str
) -> Stage:
    """A fresh folder when the published site is unknown; else the spare, made equal to it."""
    warnings = sweeper.warnings
    if folders is None or not target.is_dir() or identity(target) != folders.published:
        if _is_folder(spare) and only_files_and_folders(spare):
            # Its folders are the site's, mostly: making them is what writing a site costs.
            # Marked first, as the guard knows a spare by its marker (a new file: the others
            # may be the published site's, through hard links).
            if not (spare / MARKER).exists():
                (spare / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            with_new_folders_mode(spare)
            return Stage(spare, fresh=True, name=shown, warnings=warnings)
        if spare.exists():
            sweeper.remove(spare)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGE_INFIX}", dir=target.parent))
        return Stage(folder, fresh=True, name=shown, warnings=warnings, empty=True)
    if folders.spare is None or identity(spare) != folders.spare:
        if spare.exists() and not _is_folder(spare):
            sweeper.remove(spare)
        make_spare(target, spare, sweeper)
    return Stage(spare, fresh=False, name=shown, warnings=warnings)


@contextmanager
def readable_by_all() -> Iterator[None]:
    """Files and folders made in the block can be read by everyone, whatever the umask: a web
    server reads the site as another user, and a copy made with ``rsync -a`` keeps the modes
    (under ``umask 077`` a site was all 0600 files: every page "403 Forbidden"). Of the
    umask, only what it says of writing is kept (``umask 002``: a group that builds the site
    together may still write in it). The umask is the process's, so the worker processes
    started in the block make their files so too."""
    previous = os.umask(0o022)
    os.umask(previous & 0o222)
    try:
        yield
    finally:
        os.umask(previous)


def new_folders_mode(folder: Path) -> int:
    """The mode a folder made in ``folder`` now gets."""
    probe = folder / f".mode-{uuid.uuid4().hex}"  # pruned with the rest, were it left
    probe.mkdir()
    try:
        return stat.S_IMODE(probe.stat().st_mode)
    finally:
        probe.rmdir()


def with_new_folders_mode(folder: Path) -> None:
    """Give each folder under ``folder`` the mode a folder made now gets: as every file is
    written again, the spare's folders are as if made again (a build under ``umask 077`` left
    them private, where a web server running as another user cannot read them)."""
    mode = new_folders_mode(folder)
    for here, names, _ in os.walk(folder):
        for name in names:
            os.chmod(os.path.join(here, name), mode)


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def only_files_and_folders(folder: Path) -> bool:
    """Whether ``folder`` holds nothing but regular files and folders: a file written into it
    can never land elsewhere through a link."""
    with os.scandir(folder) as listed:
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                if not only_files_and_folders(Path(entry.path)):
                    return False
            elif not entry.is_file(follow_symlinks=False):
                return False
    return True


def make_spare(target: Path, spare: Path, sweeper: Sweeper) -> None:
    """Make ``spare`` the published site's twin, from the folders it has; if one of its old
    files cannot be removed, from nothing (the old one goes aside, removed or warned of)."""
    try:
        mirror(target, spare)
    except OSError:
        if not spare.exists():
            raise
        sweeper.remove(spare)
        mirror(target, spare)


def mirror(source: Path, copy: Path) -> None:
    """Make ``copy`` hold what ``source`` holds, each file a hard link to the source's (no
    file's bytes are written); the folders it has already are kept, what ``source`` lacks goes.
    """
    copy.mkdir(exist_ok=True)
    pending = [(str(source), str(copy), False)]
    while pending:
        here, there, made = pending.pop()
        wanted = {entry.name: entry for entry in os.scandir(here)}
        # a folder just made holds nothing: not listed (every article's page has its own)
        present = {} if made else {entry.name: entry for entry in os.scandir(there)}
        if here == str(source):
            for name in VERSION_CONTROL:
                wanted.pop(name, None)
                present.pop(name, None)
        for name, entry in sorted(present.items()):
            if name not in wanted or entry.is_dir(follow_symlinks=False) != wanted[name].is_dir(
                follow_symlinks=False
            ):
                _remove_entry(entry)
                del present[name]
        for name, entry in sorted(wanted.items()):
            inside = os.path.join(there, name)
            if entry.is_dir(follow_symlinks=False):
                if name not in present:
                    os.mkdir(inside)
                pending.append((entry.path, inside, name not in present))
            elif name not in present:
                os.link(entry.path, inside)
            elif present[name].inode() != entry.inode():
                _link_over(entry.path, inside)


def _link_over(source: str, target: str) -> None:
    """Make ``target`` a hard link to ``source``, in one step for a reader of ``target``."""
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.new")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    os.link(source, temporary)
    os.replace(temporary, target)


def _remove_entry(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def prune(folder: Path, kept: Container[str]) -> None:
    """Remove every file of ``folder`` not in ``kept`` (relative paths), and the folders that
    are left empty."""

    def emptied(here: str, prefix: str) -> bool:
        empty = True
        with os.scandir(here) as listed:
            entries = list(listed)
        for entry in entries:
            if not prefix and entry.name in VERSION_CONTROL:
                empty = False
            elif entry.is_dir(follow_symlinks=False):
                if emptied(entry.path, f"{prefix}{entry.name}/"):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif prefix + entry.name in kept:
                empty = False
            else:
                os.unlink(entry.path)
        return empty

    emptied(str(folder), "")


def catch_up(target: Path, spare: Path, relative: str) -> None:
    """Make the spare's file the published one: the same file, through a hard link."""
    published = target / relative
    if not published.exists():
        remove_file(spare, relative)
        return
    copy = spare / relative
    copy.parent.mkdir(parents=True, exist_ok=True)
    _link_over(str(published), str(copy))


def _after_swap_or_none(
    target: Path, spare: Path | None, old: Path | None, stage: Stage, sweeper: Sweeper
) -> Folders:
    """As :func:`_after_swap`; when the spare cannot be made (a full disk, a file system
    without hard links), no spare: the new site is published by then, so that is a warning,
    and the next build writes every file again."""
    try:
        return _after_swap(target, spare, old, stage, sweeper)
    except OSError as error:
        where = spare_of(target)
        if where.exists():
            with contextlib.suppress(OSError):
                sweeper.remove(where)
        reason = error.strerror or str(error)
        stage.warnings.append(
            Problem(
                where.as_posix(),
                None,
                f"the new site is published, but its spare copy could not be made: {reason}",
                "the next build writes every file again; free some space, or build on a file "
                "system with hard links",
            )
        )
        return Folders(identity(target) or (0, 0), None)


def _after_swap(
    target: Path, spare: Path | None, old: Path | None, stage: Stage, sweeper: Sweeper
) -> Folders:
    """Where the old site went: it becomes the spare, made equal to the new site, or goes
    when no spare is kept."""
    published = identity(target) or (0, 0)
    if spare is None:
        if old is not None:
            sweeper.remove(old)
        return Folders(published, None)
    if old is not None and old != spare:
        if spare.exists():
            sweeper.remove(spare)
        old.rename(spare)
    if stage.fresh:
        make_spare(target, spare, sweeper)
        return Folders(published, identity(spare))
    # Made equal now rather than by the next build: in ``serve``, the search index's thousands
    # of files would otherwise hold up the next edit's pages.
    try:
        for relative in sorted(stage.changed):
            catch_up(target, spare, relative)
    except OSError:  # a file became a folder, or the other way round: walk the whole site
        make_spare(target, spare, sweeper)
    return Folders(published, identity(spare))


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
    """The folders that builds killed before they could clean up left beside ``target``."""
    ours = tuple(f".{target.name}{infix}" for infix in (STAGE_INFIX, DOOMED_INFIX))
    earlier = tuple(f".{target.name}{infix}" for infix in EARLIER_INFIXES)
    for path in sorted(target.parent.iterdir()):
        if path.is_symlink() or not path.is_dir():
            continue
        if path.name.startswith(ours) or (
            path.name.startswith(earlier) and (path / MARKER).is_file()
        ):
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
    carried = carry_version_control(target, folder)
    try:
        return _swapped(folder, target)
    except OSError:
        for name in carried:
            os.rename(folder / name, target / name)
        raise


def _swapped(folder: Path, target: Path) -> Path:
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


def carry_version_control(source: Path, folder: Path) -> list[str]:
    """Move version control's folders from ``source`` into ``folder`` (which has none)."""
    carried = []
    for name in VERSION_CONTROL:
        if os.path.lexists(source / name) and not os.path.lexists(folder / name):
            os.rename(source / name, folder / name)
            carried.append(name)
    return carried


def rescue_version_control(target: Path) -> None:
    """Bring back the version control folders a build killed between moving them into its new
    site and swapping that in left in the stage, before the stage is removed as a leftover."""
    if not target.is_dir():
        return
    stage = f".{target.name}{STAGE_INFIX}"
    for path in sorted(target.parent.iterdir()):
        beside = path.name.startswith(stage) or path == spare_of(target)
        if beside and path.is_dir() and not path.is_symlink():
            carry_version_control(path, target)


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
