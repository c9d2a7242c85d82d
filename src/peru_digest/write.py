"""Atomic output: build the whole site in a fresh folder, then swap it in for the old one."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Stage:
    """A fresh folder beside the output, that refuses to write any path twice."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
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


@contextmanager
def staged_output(output: Path) -> Iterator[Stage]:
    """Yield a Stage; on success it replaces ``output``, on any error it is removed.

    The old output is renamed away before the new one is renamed in, so a reader of the
    folder sees either the whole old site or the whole new one.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield Stage(folder)
        folder.chmod(0o755)  # mkdtemp makes it private; a published site is readable
        swap_in(folder, output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(folder: Path, output: Path) -> None:
    if not output.exists():
        folder.rename(output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    old.rmdir()
    output.rename(old)
    try:
        folder.rename(output)
    except OSError:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)
