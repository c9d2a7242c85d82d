"""What a build wrote: snapshots of an output folder, compared before and after, and a scan
for every file that still mentions something (a deleted article)."""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Stat = tuple[int, int, int]  # inode, mtime in ns, size
EXAMPLES = 5  # paths kept per kind of write, for the JSON results


@dataclass
class Snapshot:
    stats: dict[str, Stat]  # relative path → stat
    digests: dict[str, bytes]  # relative path → BLAKE2b of the bytes (only when asked)


@dataclass
class Writes:
    """One build's effect on the files of the output folder (folders are not counted)."""

    created: int = 0  # new paths
    changed: int = 0  # written again, and the bytes differ
    same_bytes: int = 0  # written again (new inode or mtime) with the very same bytes
    removed: int = 0  # paths gone
    untouched: int = 0  # same inode, mtime and size
    examples: dict[str, list[str]] = field(default_factory=dict)  # a few paths of each kind

    @property
    def written(self) -> int:
        return self.created + self.changed + self.same_bytes

    def add(self, kind: str, path: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if kind != "untouched" and len(kept := self.examples.setdefault(kind, [])) < EXAMPLES:
            kept.append(path)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.changed} changed, {self.same_bytes} rewritten with "
            f"the same bytes, {self.removed} removed, {self.untouched} untouched"
        )


def files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every file under ``folder``."""
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            yield path.relative_to(folder).as_posix(), path


def digest(path: Path) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def snapshot(folder: Path, *, digests: bool) -> Snapshot:
    """Stat every file; with ``digests``, hash every file too (to tell a rewrite with the same
    bytes from a change, after the build has replaced them)."""
    stats: dict[str, Stat] = {}
    hashes: dict[str, bytes] = {}
    for relative, path in files(folder):
        info = path.stat()
        stats[relative] = (info.st_ino, info.st_mtime_ns, info.st_size)
        if digests:
            hashes[relative] = digest(path)
    return Snapshot(stats, hashes)


def compare(before: Snapshot, folder: Path) -> Writes:
    """What happened to each file of ``folder`` since ``before`` (taken with digests)."""
    after = snapshot(folder, digests=False)
    writes = Writes()
    for relative, stat in sorted(after.stats.items()):
        if relative not in before.stats:
            writes.add("created", relative)
        elif stat == before.stats[relative]:
            writes.add("untouched", relative)
        elif digest(folder / relative) == before.digests[relative]:
            writes.add("same_bytes", relative)
        else:
            writes.add("changed", relative)
    for relative in sorted(before.stats.keys() - after.stats.keys()):
        writes.add("removed", relative)
    return writes


def readable(data: bytes) -> bytes:
    """The text of a file: Pagefind's index and fragments are gzip-compressed."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return data
    return data


def mentioning(folder: Path, needles: Iterable[str]) -> list[str]:
    """Every file under ``folder`` whose text (decompressed, for Pagefind) holds a needle."""
    wanted = [needle.encode("utf-8") for needle in needles]
    found = []
    for relative, path in files(folder):
        text = readable(path.read_bytes())
        if any(needle in text for needle in wanted):
            found.append(relative)
    return sorted(found)
