"""How long a reader of `serve` waits after saving an edit: the pages, then the search index.

`serve` rebuilds in its own process in two steps: the pages first (``build(index=False)``),
then the search index. This times both, in-process and with the build cache, as `serve` does,
after editing one article's summary (the edit is undone at the end):

    .venv/bin/python benchmarks/serve_edit.py CONTENT [--edits 3] [--title]

``--title`` edits the article's title instead: a change that sorts and shows everywhere, so
the site is planned again (a summary edit brings the last plan up to date).

CONTENT is a content folder, such as the benchmark corpus (``bench_build.py --keep`` leaves
one). The first build, into a temporary folder, is a clean one and is not what is measured.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from peru_digest.build import build
from peru_digest.loading import Readings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def timed(
    step: str, content: Path, output: Path, cache: Path, readings: Readings, *, index: bool
) -> float:
    start = time.perf_counter()
    result = build(content, TEMPLATES, output, cache=cache, index=index, readings=readings)
    spent = time.perf_counter() - start
    steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in result.timings)
    print(f"  {step:<7} {spent:5.2f} s  ({steps})")
    return spent


def middle_article(content: Path) -> Path:
    """The article file both serve benchmarks edit: the middle one, by name."""
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def edited(text: str, word: str, *, title: bool) -> str:
    """An article file's text with ``word`` put in its title, or at the end of its summary."""
    if title:
        return re.sub(r'^title: "?', lambda at: f"{at.group(0)}{word}: ", text, count=1, flags=re.M)
    return f"{text.rstrip()} {word}.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--title", action="store_true", help="edit the title, not the summary")
    args = parser.parse_args()
    article = middle_article(args.content)
    original = article.read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="serve-edit-") as scratch:
        output, cache = Path(scratch) / "public", Path(scratch) / "cache"
        readings = Readings()  # kept from build to build, as serve keeps it
        build(args.content, TEMPLATES, output, cache=cache, readings=readings)
        pages, search = [], []
        try:
            for number in range(args.edits):
                article.write_text(edited(original, f"Edited {number}", title=args.title), "utf-8")
                print(f"edit {number + 1} of {article.relative_to(args.content)}:")
                pages.append(timed("pages", args.content, output, cache, readings, index=False))
                search.append(timed("search", args.content, output, cache, readings, index=True))
        finally:
            article.write_text(original, "utf-8")
    print(
        f"median: pages shown {statistics.median(pages):.2f} s after the save, "
        f"search {statistics.median(search):.2f} s later"
    )


if __name__ == "__main__":  # worker processes import this file again
    main()
