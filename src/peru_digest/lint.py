"""Editorial lint: the house rules in ``site.yaml``'s ``lint`` that ``check`` applies to every
published article, each finding a warning at the file and line to change.

Every rule is off until ``site.yaml`` sets it: how long a summary or a headline should be is
each digest's own policy, not the generator's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import articlefile
from . import fields as f
from .errors import Problem, Report
from .inputfile import MAX_ARTICLE_BYTES, InputFileError, read_text
from .markup import MarkdownRenderer, plain_text
from .model import SiteConfig, Source
from .workers import Workers
from .yamlio import Located, clip

EXCERPT_END = "[...]"
OTHER_CUTS = ("[…]", "(…)", "(...)", "…", "...")  # other marks of a cut, longest first
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_WORD = re.compile(r"\S*\w\S*")  # a run of text with a letter or digit in it; not `[...]`
TAIL_WORDS = 4  # words quoted from a summary that ends mid-sentence


@dataclass(frozen=True)
class LintRules:
    """``site.yaml``'s ``lint``; None or False: the rule is off."""

    summary_words: tuple[int, int] | None = None  # (fewest, most)
    headline_chars: int | None = None  # most
    require_link: bool = False  # `url` leads to the article, not a home page or this site
    excerpt_ending: bool = False  # a summary cut off mid-text ends in `[...]`


def word_bounds(value: Any) -> tuple[int, int]:
    """``[fewest, most]``: whole numbers, fewest at most most."""
    hint = "write the fewest and the most words, like [20, 120]"
    if not isinstance(value, list) or len(value) != 2:
        raise f.FieldError(f"must be `[fewest, most]`, not {f.shown(value)}", hint)
    fewest, most = value
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise f.FieldError(f"must be two whole numbers, not {f.shown(number)}", hint)
    if fewest > most or most == 0:
        raise f.FieldError(f"must have fewest ≤ most, and most ≥ 1, not [{fewest}, {most}]", hint)
    return int(fewest), int(most)


LINT_FIELDS = (
    f.Field("summary_words", word_bounds, required=False),
    f.Field("headline_chars", f.positive_int, required=False),
    f.Field("require_link", f.boolean, required=False, default=False),
    f.Field("excerpt_ending", f.boolean, required=False, default=False),
)


def lint_rules(site: object, path: str, report: Report) -> LintRules:
    """The ``lint`` mapping, taken out of ``site`` (site.yaml's mapping) and checked at its
    own lines; every rule off when there is none."""
    if not isinstance(site, Located) or site.get("lint") is None:
        if isinstance(site, Located):
            site.pop("lint", None)
        return LintRules()
    data = site.pop("lint")
    if not isinstance(data, Located):
        report.problem(
            path,
            site.line_of("lint"),
            f"`lint` must be a mapping of rules, not {f.shown(data)}",
            "write each rule on its own line below `lint:`, like `  headline_chars: 100`",
        )
        return LintRules()
    clean = f.check_mapping(data, LINT_FIELDS, path, report, what="`lint`")
    return LintRules() if clean is None else LintRules(**clean)


# The rules, applied --------------------------------------------------------------------------


@dataclass(frozen=True)
class House:
    """What the rules are checked against: the rules, the site and its outlets (small and
    picklable, for workers)."""

    rules: LintRules
    site: SiteConfig
    sources: dict[str, Source]


def lint_articles(
    files: Sequence[Path], house: House, pool: Workers | None = None
) -> list[Problem]:
    """Every finding in these article files (which the build has read without problems), on
    every core of ``pool`` when there are many."""
    if house.rules == LintRules():
        return []
    if pool is None:
        return lint_batch(house, files)
    return list(pool.map(lint_batch, house, files))


def lint_batch(house: House, files: Sequence[Path]) -> list[Problem]:
    """The findings in some article files (a task for :class:`Workers`)."""
    render = MarkdownRenderer()
    findings = []
    for path in files:
        try:
            text = read_text(path, MAX_ARTICLE_BYTES)
            parsed = articlefile.parse(text, path.as_posix())
        except (InputFileError, articlefile.ArticleFileError):
            continue  # the build has reported it
        summary = plain_text(render(parsed.body))
        found = lint_article(parsed.front_matter, summary, summary_lines(text), house)
        findings += [Problem(path.as_posix(), *finding) for finding in found]
    return findings


Finding = tuple[int | None, str, str]  # line, message, hint


def lint_article(
    front: Located, summary: str, lines: tuple[int, int], house: House
) -> list[Finding]:
    """The findings in one article: its front matter, its summary as plain text, and the
    lines of the summary's first and last lines."""
    rules = house.rules
    found: list[Finding] = []
    if rules.headline_chars is not None:
        found += headline_findings(str(front.get("title", "")).strip(), rules.headline_chars, front)
    if rules.summary_words is not None:
        found += word_findings(summary, rules.summary_words, lines[0])
    if rules.excerpt_ending:
        found += ending_findings(summary, lines[1])
    if rules.require_link and front.get("url"):
        found += link_findings(str(front["url"]), front, house)
    return found


def headline_findings(title: str, most: int, front: Located) -> list[Finding]:
    if len(title) <= most:
        return []
    return [
        (
            front.line_of("title"),
            f"headline of {len(title)} characters, more than {most}",
            "shorten `title:`: feed readers and search results cut long headlines",
        )
    ]


def word_findings(summary: str, bounds: tuple[int, int], line: int) -> list[Finding]:
    fewest, most = bounds
    count = len(_WORD.findall(summary))
    span = f"in {fewest} to {most} words"
    if count == 0:
        return []  # "no summary" is every build's warning
    if count < fewest:
        words = "1 word" if count == 1 else f"{count} words"
        return [
            (
                line,
                f"summary of {words}, fewer than {fewest}",
                f"say what the article reports {span}",
            )
        ]
    if count > most:
        return [
            (
                line,
                f"summary of {count} words, more than {most}",
                f"keep to what the article reports, {span}; an excerpt may stop early",
            )
        ]
    return []


def ending_findings(summary: str, line: int) -> list[Finding]:
    """A summary that stops mid-text is an excerpt, and an excerpt ends in ``[...]``."""
    if not summary or summary.endswith(EXCERPT_END):
        return []
    cut = next((cut for cut in OTHER_CUTS if summary.endswith(cut)), None)
    if cut is not None:
        return [
            (
                line,
                f"summary ends in `{cut}`: an excerpt ends in `{EXCERPT_END}`",
                f"replace the `{cut}` with `{EXCERPT_END}`",
            )
        ]
    if _SENTENCE_END.search(summary):
        return []
    tail = " ".join(summary.split()[-TAIL_WORDS:])
    return [
        (
            line,
            f"summary ends mid-sentence (“…{clip(tail, 40)}”): an excerpt ends in `{EXCERPT_END}`",
            f"if it is an excerpt, end it with ` {EXCERPT_END}`; if not, finish the sentence",
        )
    ]


def link_findings(url: str, front: Located, house: House) -> list[Finding]:
    """The link must lead to the article: not to a home page, not back to this site."""
    hint = "link the article's own page at the outlet"
    line = front.line_of("url")
    if url.startswith(house.site.base_url):
        return [(line, f"`url` leads to this site, not to the outlet: {clip(url)}", hint)]
    parts = urlsplit(url)
    source = house.sources.get(str(front.get("source", "")))
    homepage = source.homepage if source else ""
    if (parts.path in ("", "/") and not parts.query) or (
        homepage and url.rstrip("/") == homepage.rstrip("/")
    ):
        return [(line, f"`url` is a home page, not the article: {clip(url)}", hint)]
    return []


def summary_lines(text: str) -> tuple[int, int]:
    """The lines of a file's summary: its first and its last; the line after the front
    matter for both when there is no summary."""
    lines = articlefile.lines_of(text)
    closing = next(
        (i for i, line in enumerate(lines[1:], start=1) if line.rstrip() == articlefile.FENCE),
        len(lines) - 1,
    )
    written = [i + 1 for i in range(closing + 1, len(lines)) if lines[i].strip()]
    after = closing + 2
    return (written[0], written[-1]) if written else (after, after)
