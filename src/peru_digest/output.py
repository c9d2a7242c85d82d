"""Atomic output: build the whole site in a fresh folder beside the old one, then swap them.

The output folder is sacred ground for the editor's own files: a build replaces a folder only
when it is missing, empty, or marked by :data:`MARKER` as the output of an earlier build, and
never one that holds the current folder, the content or the templates.
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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import Problem, RefusedError

MARKER = ".peru-digest-output"
MARKER_TEXT = "Built by peru-digest. The next build replaces this folder whole.\n"
STAGE_INFIX = "-build-"
# Names that earlier versions of the writer left behind when they were killed.
OLD_LEFTOVERS = ("-new-", "-old-")


_Exchange = Callable[[bytes, bytes], int]


class Stage:
    """A fresh folder beside the output, that refuses to write any path twice."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.warnings: list[Problem] = []  # folders that could not be removed
        self.written: set[str] = set()
        self.folders: set[Path] = {folder}  # made already: most pages share their parents

    def write(self, relative: str, text: str) -> None:
        self._claim(relative).write_bytes(text.encode("utf-8"))

    def copy_tree(self, source: Path) -> None:
        """Copy static files (stylesheets, images) as they are."""
        if not source.is_dir():
            return
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            shutil.copyfile(path, self._claim(path.relative_to(source).as_posix()))

    def _claim(self, relative: str) -> Path:
        """The file to write ``relative`` to; a second claim on one path is a bug upstream."""
        if relative in self.written:
            raise ValueError(f"{relative} would be written twice")
        self.written.add(relative)
        target = self.folder / relative
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        return target


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
def staged_output(output: Path) -> Iterator[Stage]:
    """Yield a Stage; on success it replaces ``output`` in one step, on any error it goes.

    When ``output`` is a symbolic link (to a web server's folder, say), the folder it points
    to is replaced and the link stays. Builds into one output take turns (a lock file beside
    it), and each removes what killed builds left behind.
    """
    target = output.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _turn(target):
        stage = Stage(Path(tempfile.mkdtemp(prefix=_stage_prefix(target), dir=target.parent)))
        remove_leftovers(target, stage)
        try:
            yield stage
            stage.write(MARKER, MARKER_TEXT)
            stage.folder.chmod(0o755)  # mkdtemp makes it private; a published site is readable
            swap_in(stage.folder, target)
        finally:
            remove_folder(stage.folder, stage.warnings)


def _stage_prefix(target: Path) -> str:
    return f".{target.name}{STAGE_INFIX}"


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


def remove_leftovers(target: Path, stage: Stage) -> None:
    """Stage folders of builds that were killed before they could clean up."""
    prefixes = tuple(f".{target.name}{infix}" for infix in (STAGE_INFIX, *OLD_LEFTOVERS))
    for path in sorted(target.parent.iterdir()):
        if path == stage.folder or path.is_symlink() or not path.is_dir():
            continue
        if path.name.startswith(prefixes):
            remove_folder(path, stage.warnings)


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


def swap_in(folder: Path, target: Path) -> None:
    """Put ``folder`` where ``target`` is; the old site ends up at ``folder``, to be removed.

    An atomic exchange where the system has one, so a reader never finds the site missing;
    elsewhere two renames, with a moment between them.
    """
    if not target.exists():
        folder.rename(target)
        return
    if exchange(folder, target):
        return
    old = Path(tempfile.mkdtemp(prefix=_stage_prefix(target), dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        folder.rename(target)
    except OSError:
        old.rename(target)
        raise
    old.rename(folder)


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
