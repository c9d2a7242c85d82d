"""The Makefile: its commands pass what the editor typed to the program exactly, and its
set-up (.venv) serves on any machine, or says what to do."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

needs_make = pytest.mark.skipif(
    shutil.which("make") is None, reason="NOT TESTED: make is not installed on this machine"
)

TRICKY = [
    'Castillo Says "No" to `echo INJECTED` $HOME',
    "US$5 million: Peru’s $(shell id) it's $$ done",
    "O'Neil; rm -rf / & echo \\ end",
    "-5% in Lima",  # an option's value that starts with a dash
]


@needs_make
@pytest.mark.parametrize("title", TRICKY)
def test_make_new_hands_each_value_to_the_command_exactly_as_given(title: str) -> None:
    given = [
        f"TITLE={title}",
        "SOURCE=El Comercio (Perú)",
        "URL=https://elcomercio.pe/politica/a?x=1&y=$2",
        "AUTHORS=Ana O'Neil, Luis `Gil`",
        "TOPICS=elections,congress",
        "DATE=2021-08-01",
    ]
    stamp = ".venv/.installed"  # -o: taken as made, so only the command is shown
    shown = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", stamp, "new", *given],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shlex.split(shown.replace("\\\n", " "))[1:] == [
        "new",
        f"--title={title}",
        "--source=El Comercio (Perú)",
        "--url=https://elcomercio.pe/politica/a?x=1&y=$2",
        "--date=2021-08-01",
        "--topics=elections,congress",
        "--authors=Ana O'Neil, Luis `Gil`",
    ]  # fmt: skip


# The set-up ---------------------------------------------------------------------------------
#
# Each test runs the Makefile in a folder of its own with a stand-in for Python: a script that
# answers what the Makefile asks a Python, makes a .venv holding a copy of itself when asked
# to, and notes each command it is given (with what pip would read of the environment).


def stand_in(
    path: Path, *, base: str, version: str = "3.12.1", ensurepip: bool = True, pause: float = 0
) -> Path:
    """A stand-in for the Python installed in ``base``, at ``path`` (its pip taking ``pause``
    seconds to install)."""
    old = "1" if tuple(map(int, version.split("."))) < (3, 11) else "0"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "#!/bin/sh\n"
        'echo "$* (PIP_USER=$PIP_USER PYTHONPATH=$PYTHONPATH)" >> "$LOG"\n'
        'case "$*" in\n'
        f'  *find_spec*) echo "pip {base}" ;;\n'
        f'  *base_prefix*) echo "{base}" ;;\n'
        f"  *version_info*) exit {old} ;;\n"
        f"  *ensurepip*) exit {0 if ensurepip else 1} ;;\n"
        f'  --version) echo "Python {version}" ;;\n'
        f'  "-m pip install"*) sleep {pause} ;;\n'
        f'  "-m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && '
        f'echo "home = {base}/bin" > "$3/pyvenv.cfg" ;;\n'
        "esac\n"
    )
    path.chmod(0o755)
    return path


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout's Makefile and pyproject.toml, in a folder of their own."""
    folder = tmp_path / "peru digest"
    folder.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def environment(checkout: Path, **env: str) -> dict[str, str]:
    """This process's environment but what a `make test` around it passes to the makes it
    runs (its PYTHON= among them), with the stand-ins' log and ``env``."""
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    kept = {name: value for name, value in os.environ.items() if name not in outer}
    return {**kept, "LOG": str(checkout / "log"), **env}


def set_up(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``make -s .venv/.installed`` (the set-up alone) in ``checkout``."""
    return subprocess.run(
        ["make", "-s", "--no-print-directory", ".venv/.installed", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
        env=environment(checkout, **env),
    )


def made(checkout: Path) -> list[str]:
    """What the stand-ins were told to do (not what the Makefile asked them)."""
    log = checkout / "log"
    lines = log.read_text().splitlines() if log.exists() else []
    return [line for line in lines if not line.startswith("-c ")]


def venv(checkout: Path, *, base: str = "/usr", stamp: str | None = None) -> None:
    """A .venv as an earlier ``make build`` left it, its Python the one in ``base``."""
    stand_in(checkout / ".venv/bin/python", base=base)
    (checkout / ".venv/pyvenv.cfg").write_text(f"home = {base}/bin\n")
    if stamp is not None:
        (checkout / ".venv/.installed").write_text(f"{stamp}\n")


INSTALLED = [
    "-m pip install --quiet --upgrade pip (PIP_USER=0 PYTHONPATH=)",
    "-m pip install --quiet -e . (PIP_USER=0 PYTHONPATH=)",
]


@needs_make
def test_a_first_set_up_makes_the_venv_and_notes_the_folder_it_serves(checkout: Path) -> None:
    python = stand_in(checkout.parent / "python3", base="/usr")
    done = set_up(checkout, f"PYTHON={python}")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]
    assert (checkout / ".venv/.installed").read_text() == f"{checkout}\n"


@needs_make
def test_a_set_up_that_serves_is_left_as_it_is(checkout: Path) -> None:
    venv(checkout, stamp=str(checkout))
    assert set_up(checkout, "-q").returncode == 0  # -q: up to date, nothing to run


@needs_make
def test_a_checkout_reached_by_another_path_keeps_its_venv(checkout: Path) -> None:
    """The same folder seen at another path (a bind mount, a container's volume, a link) has
    the same .venv: nothing is made again, nor installed again."""
    (checkout.parent / "link").symlink_to(checkout)
    venv(checkout, stamp=str(checkout.parent / "link"))
    assert set_up(checkout, "-q").returncode == 0


@needs_make
def test_pip_installs_into_the_venv_whatever_the_users_pip_and_python_settings(
    checkout: Path,
) -> None:
    """PIP_USER (or pip.conf's ``user = true``) would have pip refuse to install into a
    virtual environment; a PYTHONPATH or PYTHONHOME meant for other programs would mix
    another Python's packages into it."""
    python = stand_in(checkout.parent / "python3", base="/usr")
    done = set_up(
        checkout, f"PYTHON={python}", PIP_USER="1", PYTHONPATH="/elsewhere", PYTHONHOME="/x"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]


@needs_make
def test_a_venv_of_a_checkout_that_moved_is_made_again(checkout: Path) -> None:
    """Its commands start the Python at the path they were installed at: each would fail
    with `.venv/bin/peru-digest: No such file or directory`."""
    venv(checkout, stamp="/home/ana/peru-digest")
    python = stand_in(checkout.parent / "python3", base="/usr")
    done = set_up(checkout, f"PYTHON={python}")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        ".venv cannot be used: it was made in /home/ana/peru-digest, and the checkout has "
        "moved. Making it again.\n"
    )
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]
    assert (checkout / ".venv/.installed").read_text() == f"{checkout}\n"


@needs_make
def test_a_venv_whose_python_is_gone_is_made_again(checkout: Path) -> None:
    """As after the Python that made it was uninstalled, or upgraded to another version."""
    venv(checkout, base="/opt/python3.11", stamp=str(checkout))
    (checkout / ".venv/bin/python").unlink()
    (checkout / ".venv/bin/python").symlink_to("/opt/python3.11/bin/python3.11")
    done = set_up(checkout, f"PYTHON={stand_in(checkout.parent / 'python3', base='/usr')}")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        ".venv cannot be used: its Python, in /opt/python3.11/bin, is gone. Making it again.\n"
    )
    assert made(checkout)[0] == "-m venv .venv (PIP_USER=0 PYTHONPATH=)"


@needs_make
def test_a_venv_whose_set_up_stopped_before_pip_is_made_again(checkout: Path) -> None:
    """Python's venv fails after making .venv/bin/python when it cannot install pip (Debian
    without python3-venv): once that is installed, the next `make build` must not fail on
    `No module named pip`."""
    venv(checkout)
    (checkout / ".venv/bin/python").write_text('#!/bin/sh\necho "- /usr"\n')
    done = set_up(checkout, f"PYTHON={stand_in(checkout.parent / 'python3', base='/usr')}")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        ".venv cannot be used: its set-up stopped before pip was installed. Making it again.\n"
    )
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]


@needs_make
def test_a_venv_made_by_another_python_than_the_one_named_is_made_again(checkout: Path) -> None:
    """`make build PYTHON=python3.12` over a .venv of Python 3.11 builds with 3.12, as asked
    (a .venv of a Python too old for peru-digest is left behind so)."""
    venv(checkout, base="/usr", stamp=str(checkout))
    python = stand_in(checkout.parent / "python3.12", base="/opt/python3.12")
    done = set_up(checkout, f"PYTHON={python}")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        f".venv cannot be used: it was made with the Python in /usr, not with {python}. "
        "Making it again.\n"
    )
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]


@needs_make
def test_a_python_too_old_is_refused_before_a_venv_is_made(checkout: Path) -> None:
    python = stand_in(checkout.parent / "python3", base="/usr", version="3.10.13")
    done = set_up(checkout, f"PYTHON={python}")
    assert done.returncode == 2
    assert done.stdout == (
        f"make: peru-digest needs Python 3.11 or newer, and {python} is Python 3.10.13.\n"
        "  hint: install one, then name it: make .venv/.installed PYTHON=python3.12 (or its "
        "path)\n"
    )
    assert not (checkout / ".venv").exists()


@needs_make
def test_a_python_too_old_named_over_a_working_venv_is_refused_and_the_venv_kept(
    checkout: Path,
) -> None:
    venv(checkout, base="/usr", stamp=str(checkout))
    python = stand_in(checkout.parent / "python3.10", base="/opt/python3.10", version="3.10.13")
    done = set_up(checkout, f"PYTHON={python}")
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == (
        f"make: peru-digest needs Python 3.11 or newer, and {python} is Python 3.10.13."
    )
    assert (checkout / ".venv/bin/python").exists()
    assert [line for line in made(checkout) if "-m venv" in line] == []


@needs_make
def test_a_venv_whose_python_cannot_start_here_says_why_and_is_kept(checkout: Path) -> None:
    """Python 3.11 and 3.12 stop at start-up in a checkout whose path has letters outside
    ASCII when the locale is C: that Python is not gone, and making .venv again cannot help."""
    venv(checkout, base="/usr", stamp=str(checkout))
    (checkout / ".venv/bin/python").write_text(
        "#!/bin/sh\necho 'Fatal Python error: init_import_site: Failed to import the site "
        "module' >&2\necho 'more' >&2\nexit 1\n"
    )
    done = set_up(checkout)
    assert done.returncode == 2
    assert done.stdout == (
        "make: .venv's Python cannot start here: Fatal Python error: init_import_site: Failed "
        "to import the site module\n"
        "  hint: Python 3.11 and 3.12 need a UTF-8 locale in a checkout whose path has letters "
        "outside ASCII: LC_ALL=C.UTF-8 make .venv/.installed, or make .venv/.installed "
        "PYTHON=python3.13; else remove .venv and run make again\n"
    )
    assert (checkout / ".venv/bin/python").exists()


@needs_make
def test_a_python_not_found_is_named(checkout: Path) -> None:
    done = set_up(checkout, "PYTHON=/nowhere/python3.99")
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == (
        "make: peru-digest needs Python 3.11 or newer, and /nowhere/python3.99 is not found."
    )


@needs_make
def test_a_python_that_cannot_make_a_venv_says_what_to_install(checkout: Path) -> None:
    """Debian's and Ubuntu's Python has no ensurepip without python3-venv: Python's venv would
    leave a .venv without pip behind, and say to make it again."""
    python = stand_in(checkout.parent / "python3", base="/usr", ensurepip=False)
    done = set_up(checkout, f"PYTHON={python}")
    assert done.returncode == 2
    assert done.stdout == (
        f"make: {python} cannot make a virtual environment: its ensurepip module is missing.\n"
        "  hint: on Debian or Ubuntu, sudo apt install python3-venv; or name another Python: "
        "make .venv/.installed PYTHON=...\n"
    )
    assert not (checkout / ".venv").exists()


@needs_make
@pytest.mark.skipif(
    shutil.which("flock") is None, reason="NOT TESTED: flock is not installed on this machine"
)
def test_two_set_ups_at_once_take_turns(checkout: Path) -> None:
    """`make serve` in one terminal and `make build` in another, on a fresh clone: the two
    installed into one .venv together, and one failed with pip's traceback."""
    python = stand_in(checkout.parent / "python3", base="/usr", pause=0.5)
    first, second = (
        subprocess.Popen(
            ["make", "-s", "--no-print-directory", ".venv/.installed", f"PYTHON={python}"],
            cwd=checkout,
            env=environment(checkout),
        )
        for _ in range(2)
    )
    assert (first.wait(), second.wait()) == (0, 0)
    assert made(checkout) == ["-m venv .venv (PIP_USER=0 PYTHONPATH=)", *INSTALLED]
