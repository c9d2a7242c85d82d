"""The peers we compare with: Hugo (Debian's package) and Pelican (installed on the fly).

Pelican goes into a throwaway virtual environment in the bench's temporary folder, at the
version the shared kit's README names, so that nobody installs it by hand and it never
touches the project's own environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HUGO = Path("/usr/bin/hugo")  # Debian's hugo 0.111, as in the kit's README
PELICAN_REQUIREMENTS = ("pelican==4.12.*", "markdown")  # the kit's Pelican 4.12; .md needs it


@dataclass(frozen=True)
class Peers:
    hugo: Path | None = None
    pelican: Path | None = None

    def names(self) -> list[str]:
        return [name for name, path in (("hugo", self.hugo), ("pelican", self.pelican)) if path]


def find_hugo() -> Path | None:
    """/usr/bin/hugo, else a hugo on PATH, else None (and say so)."""
    if HUGO.is_file():
        return HUGO
    found = shutil.which("hugo")
    if found is None:
        print("hugo: not installed (apt-get install hugo); skipped")
        return None
    print(f"hugo: {HUGO} not found, using {found}")
    return Path(found)


def pelican_venv(folder: Path) -> Path | None:
    """Create ``folder`` as a virtual environment with Pelican; its ``pelican``, or None."""
    started = time.perf_counter()
    python = folder / "bin" / "python"
    steps = [
        [sys.executable, "-m", "venv", str(folder)],
        [str(python), "-m", "pip", "install", "--quiet", *PELICAN_REQUIREMENTS],
    ]
    for command in steps:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:]
            print(f"pelican: could not install ({' '.join(reason) or '?'}); skipped")
            return None
    executable = folder / "bin" / "pelican"
    print(
        f"pelican: {version(executable)} installed in a throwaway virtual environment "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return executable


def version(executable: Path, argument: str = "--version") -> str:
    """The first line that ``executable ARGUMENT`` prints, or '?'."""
    try:
        done = subprocess.run(
            [str(executable), argument], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "?"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def find_peers(wanted: bool, tools: Path) -> Peers:
    """With ``--peers``: Hugo if installed, and Pelican in a fresh venv under ``tools``."""
    if not wanted:
        return Peers()
    return Peers(find_hugo(), pelican_venv(tools / "pelican-venv"))
