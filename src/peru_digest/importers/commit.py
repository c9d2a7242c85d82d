"""Writing an import plan all at once, or not at all.

Each new file is first written in full to a temporary file beside its place; then each is
linked into place (a link never replaces a file that is there), and sources.yaml is replaced
last, atomically. A failure or an interruption (Ctrl-C, or SIGTERM, which the CLI turns into
one) removes what this import created, unless sources.yaml is in place already: content/ is as
it was, or complete. The two signals are held while files are written and answered between
two of them, so no file is left half-done, nor any temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DigestError, Problem
from .plan import ImportPlan, SourcesChange

TEMPORARY_SUFFIX = ".import-tmp"
RETRY_HINT = "nothing was imported; run the import again"
NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})
HELD = (signal.SIGINT, signal.SIGTERM)


@dataclass
class _Undo:
    """What this import has created so far, to take it all back."""

    folders: list[Path] = field(default_factory=list)
    temporary: list[Path] = field(default_factory=list)
    placed: list[Path] = field(default_factory=list)
    complete: bool = False  # sources.yaml is in place: nothing is taken back any more

    def remove_temporary(self) -> None:
        for path in reversed(self.temporary):
            _remove(path)
        self.temporary.clear()

    def take_back(self) -> None:
        self.remove_temporary()
        if self.complete:
            return
        for path in reversed(self.placed):
            _remove(path)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # not empty: someone else wrote there meanwhile
                folder.rmdir()


def commit(plan: ImportPlan) -> None:
    """Write every file of ``plan`` and its sources.yaml change, or nothing."""
    undo = _Undo()
    with signals_held() as interrupted:
        try:
            staged = [(_stage(file.path, file.text, undo), file.path) for file in plan.files]
            sources = plan.sources
            target = None if sources is None else through_links(sources.path)
            staged_sources = None
            if sources is not None and target is not None:
                staged_sources = (_stage(target, sources.after, undo), sources, target)
            for temporary, path in staged:
                _stop_if(interrupted())
                _place(temporary, path, undo)
            if staged_sources is not None:
                _stop_if(interrupted())
                _replace_sources(*staged_sources)
            undo.complete = True
        except OSError as error:
            undo.take_back()
            raise DigestError([write_problem(error)]) from None
        except BaseException:
            undo.take_back()
            raise
        undo.remove_temporary()


def write_problem(error: OSError) -> Problem:
    """What kept a file from being written, with what to do about it: running the import
    again mends only a passing fault."""
    path = Path(error.filename) if error.filename else None
    where = path.as_posix() if path else "content"
    message = f"cannot write: {error.strerror or error}"
    if path is not None and error.errno in {errno.EEXIST, errno.ENOTDIR}:
        blocking = next((p for p in (path, *path.parents) if _not_a_folder(p)), None)
        if blocking is not None:
            return Problem(
                blocking.as_posix(),
                None,
                "cannot write: a file is where a folder is needed",
                "nothing was imported; rename or move that file, then run the import again",
            )
    if error.errno in {errno.ENOSPC, errno.EDQUOT}:
        return Problem(where, None, message, "nothing was imported; free some space, then run"
                       " the import again")  # fmt: skip
    if path is not None and error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        folder = next((p for p in path.parents if p.is_dir()), path.parent).as_posix()
        hint = f"nothing was imported; make `{folder}` writable, then run the import again"
        return Problem(where, None, message, hint)
    return Problem(where, None, message, RETRY_HINT)


def _not_a_folder(path: Path) -> bool:
    """Something is at ``path`` that is no folder: a file, or a link to none (broken, a loop)."""
    return (path.is_symlink() or path.exists()) and not path.is_dir()


@contextmanager
def signals_held() -> Iterator[Callable[[], bool]]:
    """Ctrl-C and SIGTERM wait until the block ends, then are answered as before: an
    interruption between two steps could otherwise leave a temporary file behind, or half the
    files. The function yielded tells whether one is waiting.

    Their handlers are replaced for the block (a signal mask would not do: the kernel hands a
    signal to any thread that does not mask it, and Python then runs its handler at once)."""
    if threading.current_thread() is not threading.main_thread():  # only it may set handlers
        yield lambda: False
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda n, _: caught.append(n)) for number in HELD}
    try:
        yield lambda: bool(caught)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            _answer(caught[0], previous[signal.Signals(caught[0])])


def _answer(number: int, handler: Any) -> None:
    """Answer a signal held back as its handler would have (the default one ends the process)."""
    if callable(handler):
        handler(number, None)
    elif handler == signal.SIG_DFL:
        signal.raise_signal(number)


def _stop_if(interrupted: bool) -> None:
    """Stop before the next file is placed (what is placed is taken back; the waiting signal
    follows as the files are let go)."""
    if interrupted:
        raise KeyboardInterrupt


def _stage(path: Path, text: str, undo: _Undo) -> Path:
    """``text`` in a new temporary file in ``path``'s folder (made if needed)."""
    _make_folders(path.parent, undo)
    temporary = path.parent / f".{uuid.uuid4().hex[:16]}{TEMPORARY_SUFFIX}"
    undo.temporary.append(temporary)  # first: there is no moment it exists unnoted
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return temporary


def _make_folders(folder: Path, undo: _Undo) -> None:
    missing = [path for path in (folder, *folder.parents) if not path.is_dir()]
    for path in reversed(missing):
        path.mkdir()
        undo.folders.append(path)


def _place(temporary: Path, path: Path, undo: _Undo) -> None:
    """Link the finished file into place; a file there already is never replaced."""
    try:
        try:
            os.link(temporary, path)
        except OSError as error:
            if error.errno not in NO_HARD_LINKS:
                raise
            _copy_to_new_file(temporary, path, undo)
            return
    except FileExistsError:
        problem = Problem(path.as_posix(), None, "appeared during the import", RETRY_HINT)
        raise DigestError([problem]) from None
    undo.placed.append(path)


def _copy_to_new_file(temporary: Path, path: Path, undo: _Undo) -> None:
    """Where the file system has no hard links: create the file exclusively, then fill it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    undo.placed.append(path)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(temporary.read_bytes())


def through_links(path: Path) -> Path:
    """The file a symbolic link leads to (an editor who keeps sources.yaml elsewhere keeps
    the link: the file it leads to is what changes), else ``path``."""
    return path.resolve() if path.is_symlink() else path


def _replace_sources(temporary: Path, sources: SourcesChange, path: Path) -> None:
    """Swap in the new sources.yaml at ``path`` (where a link to it leads), unless an editor
    changed it since it was read."""
    now = path.read_bytes().decode("utf-8") if path.exists() else None
    if now != sources.before:
        problem = Problem(path.as_posix(), None, "changed during the import", RETRY_HINT)
        raise DigestError([problem])
    if now is not None:
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    """Remove a file this import made, if it was made: on a read-only file system, removing
    one that never was fails as read-only, not as missing."""
    if os.path.lexists(path):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
