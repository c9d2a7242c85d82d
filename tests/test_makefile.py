"""The Makefile's commands pass what the editor typed to the program exactly."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest

from .conftest import ROOT

TRICKY = [
    'Castillo Says "No" to `echo INJECTED` $HOME',
    "US$5 million: Peru’s $(shell id) it's $$ done",
    "O'Neil; rm -rf / & echo \\ end",
]


@pytest.mark.skipif(
    shutil.which("make") is None, reason="NOT TESTED: make is not installed on this machine"
)
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
        "--title", title,
        "--source", "El Comercio (Perú)",
        "--url", "https://elcomercio.pe/politica/a?x=1&y=$2",
        "--date", "2021-08-01",
        "--topics", "elections,congress",
        "--authors", "Ana O'Neil, Luis `Gil`",
    ]  # fmt: skip
