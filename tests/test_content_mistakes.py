"""Whatever an editor's slip does to the content's files or the templates, a build either
succeeds or says what is wrong, where: never an internal error, never a traceback, and the
previous site stays.

Hypothesis makes the slips editors make (a character typed, deleted or pasted in the wrong
place, a line doubled, a file saved half-way or in another encoding) in any of the content's
files, settings included, or in a template, and runs the ``build`` command on the result."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peru_digest.cli import main

from .conftest import SEED_SITE, TEMPLATES
from .test_incremental import tree

ARTICLES = sorted((SEED_SITE / "articles").rglob("*.md"))[:3]
SETTINGS = ["site.yaml", "topics.yaml", "sources.yaml", "authors.yaml"]
FILES = [f"content/articles/{path.name}" for path in ARTICLES] + [f"content/{n}" for n in SETTINGS]
TEMPLATE_FILES = sorted(f"templates/{path.name}" for path in TEMPLATES.glob("*.html"))

# What slips in: YAML's and Markdown's own signs, invisible and control characters, bytes of
# another encoding, and whole fragments pasted from elsewhere.
PIECES = [
    *":-'\"[]{}#&*!|>%@`,?\t\n\r\\",
    *["\x00", "\x1b", "\ufeff", "\u2028", "\u00a0", "\u200b", "é", "’", "\U0001f600"],
    *["---\n", "...\n", "- ", ": ", "<<: *a\n", "&a ", "*a", "!!python/object:os.system ''"],
    *["date: 2021-02-30\n", "topics: [nowhere]\n", "source: Nobody\n", "draft: maybe\n"],
    *["<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "%YAML 1.1\n", "  "],
]


def insert(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at] + piece + data[at:]


def start_a_value(data: bytes, at: int, piece: bytes) -> bytes:
    """The piece at the start of the next value of a key (``title: <piece>…``)."""
    colon = data.find(b": ", at)
    return data if colon < 0 else insert(data, colon + 2, piece)


def delete(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at] + data[at + len(piece) :]


def double_the_line(data: bytes, at: int, piece: bytes) -> bytes:
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end + 1
    return data[:end] + data[start:end] + data[end:]


def cut_short(data: bytes, at: int, piece: bytes) -> bytes:
    return data[:at]


def in_latin_1(data: bytes, at: int, piece: bytes) -> bytes:
    return data.decode("utf-8", "replace").encode("latin-1", "replace")


Slip = tuple[str, Callable[[bytes, int, bytes], bytes], float, bytes]
SLIPS: list[Callable[[bytes, int, bytes], bytes]] = [
    insert, insert, start_a_value, start_a_value, delete, double_the_line, cut_short, in_latin_1,
]  # fmt: skip

# What slips into a template as an editor changes it: Jinja's own signs, half-typed tags and
# names, values that are not there or cannot be worked out.
TEMPLATE_PIECES = [
    *["{{", "}}", "{%", "%}", "{#", "{{ }}", "{% endif %}", "{% endfor %}", "{% else %}"],
    *["{{ article.titel }}", "{{ site.title | titel }}", "{{ nothing }}", "{{ 1 // 0 }}"],
    *['{% include "missing.html" %}', '{% extends "base.html" %}', "{% block main %}"],
    *["{{ _('Untranslated') }}", "{{ site.title ~ 1 }}", "{{ root[9] }}", "\x00", "é", "\ufeff"],
]


def slips_in(files: list[str], pieces: list[str]) -> st.SearchStrategy[list[Slip]]:
    return st.lists(
        st.tuples(
            st.sampled_from(files),
            st.sampled_from(SLIPS),
            st.floats(0, 1),  # where in the file, as a share of its length
            st.sampled_from(pieces).map(lambda piece: piece.encode("utf-8")),
        ),
        min_size=1,
        max_size=3,
    )


# A problem: the file (the content's, or a template's) and maybe its line, then what is wrong.
PROBLEM = re.compile(r"/\S+/(content|templates)/[^\n:]+(:\d+)?: \S.*")
LAST_LINE = re.compile(
    r"(1 problem|\d+ problems) found\. Nothing was built; the previous site is as it was\."
)


SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIRST = f"content/articles/{ARTICLES[0].name}"


@SLOW
@given(slips_in(FILES, PIECES))
@example([("content/topics.yaml", insert, 0.5, b"<<: *a\n")])
@example([("content/site.yaml", cut_short, 0.3, b"")])
@example([(FIRST, insert, 0.0, "\ufeff".encode())])
@example([(FIRST, in_latin_1, 0.0, b"")])
@example([(FIRST, start_a_value, 0.0, b"&a ")])  # title: &a …
def test_any_slip_in_the_content_is_a_clear_problem_or_none_and_the_site_stays(
    made: list[Slip],
) -> None:
    check_slips(made)


@SLOW
@given(slips_in(TEMPLATE_FILES, TEMPLATE_PIECES))
@example([("templates/article.html", insert, 0.5, b"{{ article.titel }}")])
@example([("templates/base.html", delete, 0.2, b"{%")])
@example([("templates/_macros.html", insert, 0.9, b"{{ 1 // 0 }}")])
def test_any_slip_in_a_template_is_a_clear_problem_or_none_and_the_site_stays(
    made: list[Slip],
) -> None:
    check_slips(made)


def check_slips(made: list[Slip]) -> None:
    with tempfile.TemporaryDirectory(prefix="slips-") as scratch:
        root = Path(scratch)
        a_small_site(root)
        assert run_build(root) == (0, "")
        published = tree(root / "public")
        for name, slip, where, piece in made:
            path = root / name
            data = path.read_bytes()
            path.write_bytes(slip(data, round(where * len(data)), piece))

        status, err = run_build(root)

        assert "internal error" not in err
        assert "Traceback" not in err
        assert status in (0, 1), err
        if status == 1:
            *problems, last = [line for line in err.splitlines() if not line.startswith(" ")]
            assert LAST_LINE.fullmatch(last), err
            assert problems, err
            for problem in problems:
                assert PROBLEM.fullmatch(problem), err
            assert tree(root / "public") == published


def a_small_site(root: Path) -> None:
    """Three articles of the seed, its settings, and the templates, in ``root``."""
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    for name in SETTINGS:
        shutil.copy(SEED_SITE / name, content / name)
    for path in ARTICLES:
        shutil.copy(path, content / "articles" / path.name)
    shutil.copytree(TEMPLATES, root / "templates")


def run_build(root: Path) -> tuple[int, str]:
    """The build command's exit status and what it printed as problems (its errors)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(
            [
                "build", "--quiet", "--no-search",
                "--content", str(root / "content"),
                "--templates", str(root / "templates"),
                "--output", str(root / "public"),
                "--cache", str(root / "cache"),
            ]
        )  # fmt: skip
    return status, err.getvalue()
