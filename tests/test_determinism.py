"""The same content builds the same bytes on any machine: whatever the hash seed, time zone,
locale, folder names, and the order in which the files were written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED_SITE, TEMPLATES
from .test_incremental import tree

MACHINES = {
    "another hash seed, time zone and locale": {
        "PYTHONHASHSEED": "4242",
        "TZ": "Pacific/Kiritimati",  # UTC+14: another day than Lima's for most of it
        "LC_ALL": "C",
        "LANG": "C",
    },
    "a UTF-8 locale and UTC": {
        "PYTHONHASHSEED": "7",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
    },
}


def copy_in_reverse(source: Path, target: Path) -> None:
    """Copy a folder, writing its files in the reverse of their sorted order: the order in
    which a folder lists its files follows the order they were written on many file systems."""
    for path in sorted(source.rglob("*"), reverse=True):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.relative_to(source))


def build_with(env: dict[str, str], folder: Path) -> dict[str, bytes]:
    """The site built, search index included, by a new process in this environment."""
    command = [sys.executable, "-m", "peru_digest", "build", "--quiet"]
    paths = ["--content", "content", "--templates", "templates", "--output", "site"]
    done = subprocess.run(
        [*command, *paths, "--cache", "cache"],
        cwd=folder,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    return tree(folder / "site")


@pytest.mark.parametrize("machine", MACHINES.values(), ids=MACHINES.keys())
def test_the_same_content_builds_the_same_bytes_on_another_machine(
    tmp_path: Path, machine: dict[str, str]
) -> None:
    here, there = tmp_path / "here", tmp_path / "elsewhere, ñandú"
    shutil.copytree(SEED_SITE, here / "content")
    shutil.copytree(TEMPLATES, here / "templates")
    copy_in_reverse(SEED_SITE, there / "content")
    copy_in_reverse(TEMPLATES, there / "templates")

    expected = build_with({"PYTHONHASHSEED": "0", "TZ": "America/Lima"}, here)

    assert build_with(machine, there) == expected
