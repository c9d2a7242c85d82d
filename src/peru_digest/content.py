"""Article files → validated :class:`Article` records and their summaries."""

from __future__ import annotations

import codecs
import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import articlefile
from . import fields as f
from .authors import AuthorBook, load_authors, look_alike_warnings, with_declared_names
from .config import Settings, read_settings
from .errors import Problem, Report, os_reason
from .importers.links import canonical_url
from .inputfile import CONTROL_CHARACTERS, article_text, read_article_bytes
from .markup import (
    MAX_SUMMARY_HTML,
    MarkdownLimit,
    MarkdownRenderer,
    beyond_limits,
    plain_text,
)
from .model import Article, Site, Source, Summary, Topic
from .topics import TopicMatcher
from .urls import slug_for
from .yamlio import Located, clip, line_of_item, written

UTC_ZONE = ZoneInfo("UTC")  # dates' zone for checking when site.yaml's cannot be read
NO_TOPIC_HINT = "add `topics: [...]`, or keywords to topics.yaml that its text contains"
NO_LINK_HINT = "add `url:` with the link to the whole article; until then its page has no link"
NO_SUMMARY_HINT = "write what the article reports below the front matter"
# A link reference's definition, which Markdown writes out wherever the reference is used.
_LINK_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
_WORD = re.compile(r"\w")  # a summary with no letter or digit says nothing ("[...]")
DUPLICATE_HINTS = {
    "slug": "give one of them a distinct `slug:`",
    "url": "remove the duplicate article, or correct its `url:`",
    "id": "give the newer article a new `id:`, or delete its `id:` line",
}
# Two articles without `id:` or `url:` whose ids, made from their outlet and title, are equal.
DERIVED_ID_HINT = (
    "its id is made from its outlet and title, as the other's is: add its `url:`, or write "
    "an `id:` of its own (like `urn:uuid:` and a new UUID)"
)
ARTICLES_DIR = "articles"


class KeyLines(Mapping[str, int]):
    """The lines the keys that must be unique (and the title) were written on; small, as a
    large site keeps one per article."""

    KEYS = ("title", "authors", "slug", "url", "id")
    __slots__ = ("numbers",)

    def __init__(self, lines: Mapping[str, int]) -> None:
        self.numbers = tuple(lines.get(key, 0) for key in self.KEYS)  # 0: not written

    def __getitem__(self, key: str) -> int:
        number = self.numbers[self.KEYS.index(key)] if key in self.KEYS else 0
        if not number:
            raise KeyError(key)
        return number

    def __iter__(self) -> Iterator[str]:
        return (key for key, number in zip(self.KEYS, self.numbers, strict=True) if number)

    def __len__(self) -> int:
        return sum(1 for number in self.numbers if number)

    def __repr__(self) -> str:  # the same every run (the default one shows an address)
        return f"KeyLines({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Loaded:
    """One article as read from its file, with the lines its unique keys were written on."""

    article: Article
    lines: Mapping[str, int]  # "title", "authors", "slug", "url", "id" → line; keys written
    summary: Summary | None = None  # None when it was read before and is in the cache


def load_site(content: Path, report: Report, base_url: str | None = None) -> Site:
    """Read settings and every article; every problem in any file ends the run.

    Warnings (an article that ends with no topic) go to ``report`` and do not stop a build.
    """
    authors = load_authors(content, report)  # first: its problems join the settings' ones
    settings = read_settings(content, report, base_url)
    check_articles_folder(content, report)
    check_folders_readable(content, report)
    if report.problems:
        checked = Report()  # with settings broken, only the articles' problems are news
        reader = lenient_reader(content, settings)
        check_unique([x for p in article_files(content) if (x := reader.read(p, checked))],
                     content, checked)  # fmt: skip
        report.problems += checked.problems
        report.check()
    config = settings.config()
    reader = ArticleReader(content, config.site.time_zone, config.topics, config.sources)
    loaded = [found for path in article_files(content) if (found := reader.read(path, report))]
    check_unique(loaded, content, report)
    report.check()
    summaries = {item.article.summary_key: item.summary for item in loaded if item.summary}
    return Site(
        config.site,
        config.topics,
        config.sources,
        settled(loaded, AuthorBook(authors.values(), config.sources), content, report),
        MappingProxyType(summaries),
        MappingProxyType(authors),
    )


def lenient_reader(content: Path, settings: Settings) -> ArticleReader:
    """A reader for when some settings file has problems: the articles are checked against
    what could be read, so that one run reports every problem."""
    return ArticleReader(content, settings.zone, settings.topics, settings.sources)


def settled(
    loaded: Sequence[Loaded], book: AuthorBook, content: Path, report: Report
) -> tuple[Article, ...]:
    """The articles newest first, their authors named as authors.yaml says; a warning for
    each two names that look like one person's."""
    articles = with_declared_names(newest_first(item.article for item in loaded), book)
    lines = {item.article.path: item.lines.get("authors", item.lines["title"]) for item in loaded}

    def where(article: Article) -> tuple[str, int | None]:
        return (content / article.path).as_posix(), lines[article.path]

    report.warnings += look_alike_warnings(articles, book, where)
    return articles


def check_articles_folder(content: Path, report: Report) -> None:
    """A content folder without ``articles/`` (renamed, moved, a file in its place) would
    publish a site with no articles, replacing the one readers have: a problem instead."""
    folder = content / ARTICLES_DIR
    if folder.is_dir():
        return
    what = "is not a folder" if folder.exists() or folder.is_symlink() else "not found"
    named = [p.name for p in content.iterdir() if p.name.casefold() == ARTICLES_DIR and p.is_dir()]
    hint = (
        f"rename {named[0]}/ to {ARTICLES_DIR}/"
        if named
        else f"article files go in {ARTICLES_DIR}/ beside site.yaml (an empty folder: a site "
        "with no articles yet)"
    )
    report.problem(folder.as_posix(), None, f"articles folder {what}", hint)


def check_folders_readable(
    content: Path, report: Report, unlisted: Iterable[str] | None = None
) -> None:
    """A folder of articles that cannot be read would leave its articles out of the site that
    replaces the one readers have: a problem for each. ``unlisted`` are the folders (relative
    to ``content``) a walk could not list; without them, they are looked for."""
    if unlisted is None:
        errors: list[OSError] = []
        for _ in os.walk(content / ARTICLES_DIR, onerror=errors.append):
            pass
        unlisted = [Path(e.filename).relative_to(content).as_posix() for e in errors if e.filename]
    for folder in sorted(set(unlisted)):
        path = content / folder
        if hidden(folder) or not path.is_relative_to(content / ARTICLES_DIR):
            continue
        try:
            os.scandir(path).close()
        except OSError as error:
            report.problem(
                path.as_posix(),
                None,
                f"cannot read the folder: {os_reason(error)}",
                "check its permissions: the articles in it cannot be published",
            )


def article_files(content: Path) -> Iterator[Path]:
    """Every ``.md`` name under ``content/articles`` but folders', in a stable order.

    What is not a regular file (a broken link, a FIFO) is listed, for the reader to report.
    """
    folder = content / ARTICLES_DIR
    found = folder.rglob("*" + articlefile.SUFFIX)
    return iter(
        sorted(
            path
            for path in found
            if not hidden(path.relative_to(folder).as_posix()) and not path.is_dir()
        )
    )


def hidden(path: str) -> bool:
    """Whether a file's path (``/``-separated) has a name that starts with a dot: what
    editors, version control and file managers keep beside an article (``.#name.md`` while
    Emacs edits it, ``._name.md`` from a Mac, ``.git/``) is no article."""
    return path.startswith(".") or "/." in path


# Endings an article file gets from other editors (Notepad's ".txt", a Mac's ".markdown"):
# such a file is not read, and an editor could not tell why it is not on the site.
MARKDOWN_ENDINGS = (".md.txt", ".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def misnamed_articles(paths: Iterable[str], content: Path) -> list[Problem]:
    """A warning for each file under ``articles/`` named like an article but not read as one
    (``x.MD``, ``x.markdown``, ``x.md.txt``)."""
    warnings = []
    for path in paths:
        name = path.rpartition("/")[2]
        ending = next((e for e in MARKDOWN_ENDINGS if name.lower().endswith(e)), None)
        if (
            ending is None
            or name.endswith(articlefile.SUFFIX)
            or not path.startswith(ARTICLES_DIR + "/")
            or hidden(path)
        ):
            continue
        renamed = name[: -len(ending)] + articlefile.SUFFIX
        message = f"not read as an article: its name does not end in {articlefile.SUFFIX}"
        warnings.append(
            Problem((content / path).as_posix(), None, message, f"rename it to {renamed}")
        )
    return warnings


def articles_elsewhere(states: Mapping[str, object | None], content: Path) -> list[Problem]:
    """A warning for each article file (named like one, starting with front matter) that is
    not under ``articles/``, where no article is looked for (``article/x.md``, ``x.md``).
    ``states`` are the content folder's files (None: not a regular file, left unread)."""
    warnings = []
    for path, state in states.items():
        if state is None or path.startswith(ARTICLES_DIR + "/") or hidden(path):
            continue
        name = path.rpartition("/")[2].lower()
        if not name.endswith(MARKDOWN_ENDINGS) or not starts_with_front_matter(content / path):
            continue
        warnings.append(
            Problem(
                (content / path).as_posix(),
                None,
                f"not read as an article: it is not in {ARTICLES_DIR}/",
                f"move it into {(content / ARTICLES_DIR).as_posix()}/",
            )
        )
    return warnings


def starts_with_front_matter(path: Path) -> bool:
    """Whether the file starts (past a BOM) with the fence that opens an article's front
    matter (:data:`articlefile.FENCE`)."""
    try:
        with path.open("rb") as file:
            start = file.read(8)
    except OSError:
        return False
    return start.removeprefix(codecs.BOM_UTF8).startswith(articlefile.FENCE.encode())


def named_in_utf8(shown: str, report: Report) -> bool:
    """Whether the file's name is UTF-8 text, as the site's addresses and the cache need
    (else a problem: its other bytes are shown as ``\\xff``)."""
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        report.problem(
            shown,
            None,
            "the file's name is not UTF-8 text",
            "rename the file (its name's bytes that are not UTF-8 are shown as \\xNN)",
        )
        return False
    return True


def within_limits(text: str, shown: str, report: Report) -> bool:
    """Whether the summary is within the limits that keep Markdown fast (a problem for each
    place it is not)."""
    limits = summary_limits(text)
    for limit in limits:
        report.problem(shown, limit.line, limit.message, limit.hint)
    return not limits


def summary_limits(text: str) -> list[MarkdownLimit]:
    """Markdown's limits, on the lines after the front matter (as ``articlefile.parse`` splits
    them), numbered as in the file; none when there is no front matter to split off."""
    lines = articlefile.lines_of(text)
    if lines[0].rstrip() != articlefile.FENCE:
        return []
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == articlefile.FENCE:
            summary = "\n".join(lines[index + 1 :])
            return [replace(limit, line=limit.line + index + 1) for limit in beyond_limits(summary)]
    return []


# How to write each optional field, for one written with no value: `draft:` is no `false`.
AUTHORS_HINT = (
    "write the names as [Ana Quispe, Luis Mamani], or [] when the byline names only the outlet"
)
URL_HINT = "write the link to the whole article, like https://example.org/page, or delete the line"
TOPICS_HINT = (
    "write the topics as [election-2021], or delete the line to have topics.yaml's keywords "
    "choose them"
)
SLUG_HINT = "write the slug, like `peru-2021`, or delete the line to have it made from the title"
ID_HINT = "write the feed id, or delete the line to have one made from the article's link"
UPDATED_HINT = "write when the summary last changed, like 2021-07-29, or delete the line"
DRAFT_HINT = "write `draft: true` to keep the article off the site, or delete the line"


@functools.cache
def article_fields(zone: ZoneInfo) -> tuple[f.Field, ...]:
    return (
        f.Field("title", f.text, hint="add `title: The article's headline`"),
        f.Field("date", functools.partial(f.moment, zone=zone), hint="add `date: 2021-07-28`"),
        f.Field("source", f.text, hint="add `source:` with the outlet's name from sources.yaml"),
        f.Field("authors", f.byline, required=False, default=(), hint=AUTHORS_HINT),
        f.Field("url", f.optional_http_url, required=False, default="", hint=URL_HINT),
        f.Field("topics", f.text_list, required=False, default=(), hint=TOPICS_HINT),
        f.Field("slug", f.slug, required=False, hint=SLUG_HINT),
        f.Field("id", f.feed_id, required=False, hint=ID_HINT),
        f.Field("updated", functools.partial(f.moment, zone=zone), required=False,
                hint=UPDATED_HINT),
        f.Field("draft", f.boolean, required=False, default=False, hint=DRAFT_HINT),
    )  # fmt: skip


class ArticleReader:
    """Reads article files against one configuration."""

    def __init__(
        self,
        content: Path,
        zone: ZoneInfo | None,
        topics: Mapping[str, Topic] | None,
        sources: Mapping[str, Source] | None,
        known: Mapping[str, Summary] | None = None,
    ) -> None:
        """``topics`` or ``sources`` None: their file could not be read, so the names an
        article gives are not checked against it; ``zone`` None: nor is what depends on the
        site's time zone (whether ``updated`` is earlier than ``date``)."""
        self.content = content
        self.zone_known = zone is not None
        zone = UTC_ZONE if zone is None else zone
        self.zone = zone
        self.topics = topics
        self.sources = sources
        # Summaries rendered before, by key: no Markdown again. (An empty cache's is an empty
        # Mapping: kept all the same, as its connection is closed with the reader.)
        self.known = {} if known is None else known
        self.render = MarkdownRenderer()
        self.schema = article_fields(zone)
        self.matcher = TopicMatcher.from_topics(() if topics is None else topics.values())

    def read(self, path: Path, report: Report) -> Loaded | None:
        """One article, or None when its file has problems (all of them reported)."""
        if not named_in_utf8(path.as_posix(), report):
            return None
        data = read_article_bytes(path, report)
        return None if data is None else self.parse(path, data, report)

    def parse(self, path: Path, data: bytes, report: Report) -> Loaded | None:
        """The article in ``data``, the bytes of the file at ``path``."""
        shown = path.as_posix()
        read = article_text(data, shown, report)
        if read is None:
            return None
        text, clean = read
        summary_ok = within_limits(text, shown, report) and clean
        try:
            parsed = articlefile.parse(text, shown)
        except articlefile.ArticleFileError as error:
            report.problems.append(error.problem)
            return None
        return self.validate(path, parsed, report, summary_ok=summary_ok)

    def validate(
        self,
        path: Path,
        parsed: articlefile.ArticleFile,
        report: Report,
        *,
        summary_ok: bool = True,
    ) -> Loaded | None:
        """The article, or None with its problems; ``summary_ok`` False: the summary passes a
        limit or the file holds a control character (reported), so only the front matter is
        checked."""
        shown = path.as_posix()
        data = parsed.front_matter
        valid: dict[str, Any] = {}
        clean = f.check_mapping(data, self.schema, shown, report, what="front matter", valid=valid)
        # Each check reports its problems whatever the others found: one run tells them all.
        references = self.references_ok(data, shown, report)
        dates = self.dates_in_order(valid, data, shown, report)
        summary = self.checked_summary(parsed, shown, report) if summary_ok else None
        if clean is None or not references or not dates or summary is None:
            return None
        # A topic named twice would list the article twice on its page and in its feeds.
        topics = tuple(dict.fromkeys(clean["topics"])) or self.matcher.suggest(
            f"{clean['title']}\n{parsed.body}"
        )
        if not topics:
            report.warn(shown, data.line_of("topics"), "no topic", NO_TOPIC_HINT)
        if not clean["url"]:
            report.warn(shown, data.line_of("url"), "no link to the whole article", NO_LINK_HINT)
        zone = self.zone
        if not _WORD.search(summary.text):
            report.warn(shown, parsed.body_line, "no summary", NO_SUMMARY_HINT)
        article = Article(
            path=path.relative_to(self.content).as_posix(),
            title=clean["title"],
            date=clean["date"].astimezone(zone),
            source=self.declared_source(clean["source"]) or clean["source"],
            authors=tuple(nfc(name) for name in clean["authors"]),
            url=clean["url"],
            topics=topics,
            slug=article_slug(clean["slug"], clean["title"]),
            written_id=clean["id"] or "",
            summary_key=summary_key(parsed.body),
            # no earlier than ``date``: a day written alone may be the day it appeared
            updated=clean["updated"] and max(clean["updated"], clean["date"]).astimezone(zone),
            draft=clean["draft"],
            auto_topics=not clean["topics"],
        )
        lines = KeyLines({key: data.line_of(key) for key in KeyLines.KEYS if key in data})
        return Loaded(article, lines, summary)

    def dates_in_order(
        self, valid: Mapping[str, Any], data: Located, shown: str, report: Report
    ) -> bool:
        """Whether ``updated`` (if written and valid) is no earlier than ``date``."""
        date, updated = valid.get("date"), valid.get("updated")
        if not (self.zone_known and date and updated and updated < date):
            return True
        if (
            f.is_day_only(data.get("updated"))
            and updated.date() == date.astimezone(self.zone).date()
        ):
            return True  # the day it appeared: taken as its moment (see ``Article.updated``)
        report.problem(
            shown,
            data.line_of("updated"),
            f"`updated` must not be earlier than `date` ({date.isoformat()}), not "
            f"{updated.isoformat()}",
            "`updated` is when the summary last changed: write that date, or delete the line",
        )
        return False

    def checked_summary(
        self, parsed: articlefile.ArticleFile, shown: str, report: Report
    ) -> Summary | None:
        """The summary as published, or None when its HTML breaks a rule (reported)."""
        summary = self.summary(parsed.body)
        if len(summary.html) > MAX_SUMMARY_HTML:
            report.problem(
                shown,
                parsed.body_line,
                f"the summary makes {len(summary.html):,} characters of HTML; at most "
                f"{MAX_SUMMARY_HTML:,}",
                "a link reference is written out in full at each use: link a long address "
                "once, or shorten the summary"
                if _LINK_REFERENCE.search(parsed.body)
                else "shorten the summary",
            )
            return None
        if found := CONTROL_CHARACTERS.search(summary.html):
            report.problem(
                shown,
                parsed.body_line + reference_line(parsed.body, found.group()),
                f"the summary writes a control character (U+{ord(found.group()):04X}) as a "
                "character reference",
                "delete the reference: the character is invisible, and feeds cannot carry it",
            )
            return None
        return summary

    def summary(self, markdown: str) -> Summary:
        known = self.known.get(summary_key(markdown))
        if known is not None:
            return known
        html = self.render(markdown)
        return Summary(markdown, html, plain_text(html))

    def declared_source(self, name: str) -> str | None:
        """The outlet of sources.yaml that ``name`` is, if any: written in another Unicode
        form (``é`` as e and a combining accent) it is the same, as it looks the same."""
        if self.sources is None or name in self.sources:
            return name
        wanted = nfc(name)
        return next((known for known in self.sources if nfc(known) == wanted), None)

    def references_ok(self, data: Located, shown: str, report: Report) -> bool:
        """The source and topics named in the front matter must be declared.

        Checked on the raw values, so they are reported even when other fields are wrong.
        """
        unknown: list[tuple[int, f.FieldError]] = []
        name = as_name(data.get("source"))
        if name and self.sources is not None and self.declared_source(name) is None:
            error = f.unknown_reference("source", name, self.sources, "sources.yaml")
            unknown.append((data.line_of("source"), error))
        topics, declared = data.get("topics"), self.topics
        listed = topics if isinstance(topics, list) else []
        for index, topic in enumerate(map(as_name, listed)):
            if declared is not None and topic and topic not in declared:
                error = f.unknown_reference("topic", topic, declared, "topics.yaml")
                unknown.append((line_of_item(listed, index) or data.line_of("topics"), error))
        for line, error in unknown:
            report.problem(shown, line, error.message, error.hint)
        return not unknown


def as_name(value: object) -> str:
    """A name as the front matter gives it, a number as written (``topics: [2021]``); "" for
    what is no name (the field's own check reports it)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return written(value).strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def article_slug(written: str | None, title: str) -> str:
    """The last part of an article's address: as the front matter says, else its title's."""
    return written or slug_for(title, "article")


def summary_key(markdown: str) -> str:
    """Where a summary is kept: the same text always has the same key."""
    return Summary(markdown, "", "").key


def check_unique(loaded: Iterable[Loaded], content: Path, report: Report) -> None:
    """No two articles may share a slug, a URL or a feed id; each pair is reported once, at the
    article to change, naming the other."""
    items = list(loaded)
    for key, hint in DUPLICATE_HINTS.items():
        first: dict[str, Loaded] = {}
        for item in items:
            value = getattr(item.article, key)
            if not value:  # articles without a link do not share one
                continue
            earlier = first.setdefault(same_page(value) if key == "url" else value, item)
            if earlier is item or _ids_of_one_url(key, earlier, item):
                continue
            blamed, other = _blamed(key, earlier, item)
            written, there = getattr(blamed.article, key), getattr(other.article, key)
            shown = clip(written) if written == there else f"{clip(written)} ({clip(there)} there)"
            report.problem(
                (content / blamed.article.path).as_posix(),
                blamed.lines.get(key, blamed.lines["title"]),
                f"same {key} as {(content / other.article.path).as_posix()}: {shown}",
                DERIVED_ID_HINT if key == "id" and key not in blamed.lines else hint,
            )


def same_page(url: str) -> str:
    """What two links to one page share, as imports compare them (http or https, `www.`, a
    trailing slash, trackers…), but for the anchor: two anchors into a page (a live blog's
    entries) may be two articles."""
    return f"{canonical_url(url)}#{urlsplit(url).fragment}"


def _ids_of_one_url(key: str, one: Loaded, other: Loaded) -> bool:
    """Two ids derived from the same link: the repeated link is reported already."""
    derived = "id" not in one.lines and "id" not in other.lines
    return key == "id" and derived and one.article.url == other.article.url != ""


def _blamed(key: str, earlier: Loaded, later: Loaded) -> tuple[Loaded, Loaded]:
    """The article to change, and the other: the one that wrote ``key`` when only one did
    (an explicit `id:` equal to another article's derived id), else the later one."""
    if key in earlier.lines and key not in later.lines:
        return earlier, later
    return later, earlier


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Newest first; articles of the same moment by slug, so the order never varies."""
    by_slug = sorted(articles, key=lambda a: a.slug)
    return tuple(sorted(by_slug, key=lambda a: a.date, reverse=True))


_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")


def reference_line(body: str, character: str) -> int:
    """The line of ``body`` (0: its first) where a numeric reference writes ``character``."""
    for found in _NUMERIC_REFERENCE.finditer(body):
        hexadecimal, decimal = found.groups()
        if int(hexadecimal or decimal, 16 if hexadecimal else 10) == ord(character):
            return body.count("\n", 0, found.start())
    return 0
