"""Everything an import will write, decided and checked before anything is written.

An import is planned whole: each new article's file name and text, and the new text of
sources.yaml. Every new file is checked against the build's schema; ``commit`` then writes the
plan all at once, or nothing.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from slugify import slugify

from .. import articlefile
from .. import fields as f
from ..config import SOURCE_FIELDS, Config, load_config
from ..content import ARTICLES_DIR, ArticleReader
from ..errors import DigestError, Problem, Report
from ..inputfile import MAX_ARTICLE_BYTES
from ..markup import plain_text
from ..model import Source
from ..topics import TopicMatcher
from ..urls import slug_for
from ..yamlio import load_yaml
from .existing import ExistingContent, article_id, index_content
from .links import host_of, web_address, without_www
from .records import NO_LINK_NOTE, SOURCES_FILE, Candidate, ImportReport, NewArticle, Skipped

MAX_SLUG = 100  # characters; a longer title keeps its words, its slug is cut at a hyphen
NAME_MAX = 255  # bytes in a file name, where the file system does not say
REFUSED_HINT = "add it by hand (`peru-digest new`) if the digest needs it"
TOO_LONG_HINT = "shorten its summary (or its title): a digest sums up, it does not republish"
SOURCES_HEADER = "# Outlets: name, homepage, description.\n"


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


@dataclass(frozen=True)
class SourcesChange:
    """sources.yaml as read when planning (None: no file yet), and as it will be."""

    path: Path
    before: str | None
    after: str


@dataclass(frozen=True)
class ImportPlan:
    files: tuple[NewFile, ...]
    sources: SourcesChange | None
    report: ImportReport


@dataclass(frozen=True)
class Settings:
    """The site's settings and the articles already there, read as the build reads them."""

    content: Path
    config: Config
    existing: ExistingContent


def read_settings(content: Path) -> Settings:
    """Settings and articles; a broken settings file ends the import with its problems."""
    config = load_config(content, Report(), sources_optional=True)
    return Settings(content, config, index_content(content, config))


def plan_import(
    candidates: Iterable[Candidate], settings: Settings, *, dry_run: bool, origin: str = ""
) -> ImportPlan:
    """The new files and the sources.yaml change; DigestError if a file would not be valid."""
    report = ImportReport(dry_run)
    places = Places(settings.content, settings.existing.slugs, settings.config.site.time_zone)
    matcher = TopicMatcher.from_topics(settings.config.topics.values())
    outlets = Outlets(settings.config)
    check = FileCheck(settings, outlets)
    files: list[NewFile] = []
    for candidate in candidates:
        if isinstance(candidate, Skipped):
            there = candidate.read and settings.existing.duplicate_of(candidate.read)
            if candidate.read and there:  # refused before, then added by hand
                report.skipped.append(f"{f.shown(candidate.read.title)}: {there}")
            else:
                report.refused.append(Problem(origin, None, candidate.reason, REFUSED_HINT))
            continue
        item = with_topics(outlets.resolve(candidate), matcher)
        if reason := settings.existing.duplicate_of(item):
            report.skipped.append(f"{f.shown(item.title)}: {reason}")
            continue
        item = settings.existing.identified(item)
        slug, path = places.take(item)
        text = article_text(item, slug)
        if refusal := check.refusal(text, path, item):
            places.release(slug, path)
            message = f"{f.shown(item.title)}: {refusal.message}"
            report.refused.append(Problem(origin, item.line, message, refusal.hint or REFUSED_HINT))
            continue
        files.append(NewFile(path, text))
        settings.existing.add_new(path.as_posix(), item, slug)
        note(report, path.as_posix(), item)
        outlets.add(item)
    report.new_sources = list(outlets.new)
    report.homepages = {name: page for name, page in outlets.new.items() if page}
    sources = sources_change(settings.content / SOURCES_FILE, outlets.new)
    check_sources(sources)
    return ImportPlan(tuple(files), sources, report)


class FileCheck:
    """Why the build would refuse a new file: an entry it would refuse is skipped with the
    reason (an archive item dated before the site's time zone began, say), not the import."""

    def __init__(self, settings: Settings, outlets: Outlets) -> None:
        config = settings.config
        self.declared = dict(config.sources)
        self.reader = ArticleReader(
            settings.content, config.site.time_zone, config.topics, self.declared
        )
        self.outlets = outlets

    def refusal(self, text: str, path: Path, item: NewArticle) -> Problem | None:
        """The first problem the build would find in the file (its path aside)."""
        data = text.encode("utf-8")
        if len(data) > MAX_ARTICLE_BYTES:
            size = f"{len(data):,} bytes; at most {MAX_ARTICLE_BYTES:,}"
            return Problem("", None, f"too long for an article file ({size})", TOO_LONG_HINT)
        outlet = item.source
        if outlet not in self.declared:  # as it will be declared if the file is written
            self.declared[outlet] = new_source(outlet, self.outlets.new.get(outlet, item.homepage))
        found = Report()
        self.reader.parse(path, data, found)
        if (
            found.problems
            and outlet not in self.outlets.declared
            and outlet not in self.outlets.new
        ):
            del self.declared[outlet]
        return found.problems[0] if found.problems else None


def note(report: ImportReport, shown: str, item: NewArticle) -> None:
    report.imported.append(shown)
    notes = item.notes + (() if item.url else (NO_LINK_NOTE,))
    if notes:
        report.notes[shown] = notes


def with_topics(item: NewArticle, matcher: TopicMatcher) -> NewArticle:
    """The topics whose keywords the item's text contains, for the editor to review."""
    if item.topics:
        return item
    found = matcher.suggest(f"{item.title}\n{plain_text(item.summary)}")
    return dataclasses.replace(item, topics=found)


class Outlets:
    """The outlets sources.yaml declares, and those the import will add to it."""

    def __init__(self, config: Config) -> None:
        self.declared = config.sources
        self.by_slug = {source.slug: name for name, source in config.sources.items()}
        self.by_home = homepages(config.sources)
        self.new: dict[str, str] = {}  # name → homepage

    def resolve(self, item: NewArticle) -> NewArticle:
        """An outlet declared under a name with the same address (``Peru21``, ``Perú21``)
        is that outlet: two names may not share one outlet page. So is the one outlet
        declared with the item's homepage, or a folder above it: an editor who renamed an
        outlet in sources.yaml (``RPP Noticias`` → ``Radio Programas del Perú``) keeps it."""
        name = item.source
        if name in self.declared or name in self.new:
            return item
        same = self.by_slug.get(slug_for(name, "source"))
        if same is None and item.home_given:
            same = owner(item.homepage, self.by_home)
        return dataclasses.replace(item, source=same) if same else item

    def add(self, item: NewArticle) -> None:
        if item.source not in self.declared and item.source not in self.new:
            self.new[item.source] = item.homepage
            self.by_slug[slug_for(item.source, "source")] = item.source


def homepages(sources: Mapping[str, Source]) -> dict[str, str | None]:
    """The outlet each homepage (see :func:`home_key`) leads to; None where several outlets
    are declared with it."""
    owners: dict[str, set[str]] = {}
    for name, source in sources.items():
        if key := home_key(source.homepage):
            owners.setdefault(key, set()).add(name)
    return {key: next(iter(names)) if len(names) == 1 else None for key, names in owners.items()}


def owner(homepage: str, by_home: Mapping[str, str | None]) -> str | None:
    """The outlet declared with ``homepage``, or else with the nearest folder above it; None
    when the nearest one is several outlets' or there is none."""
    key = home_key(homepage)
    while key:
        if key in by_home:
            return by_home[key]
        key = key[: key.rstrip("/").rfind("/") + 1]
    return None


def home_key(homepage: str) -> str:
    """A homepage as outlets are told apart by it: its host without ``www.``, and its path
    (``https://www.rpp.pe/`` and ``http://rpp.pe`` are one; ``medium.com/a`` and
    ``medium.com/b`` two); "" when it is no web address."""
    if not web_address(homepage):
        return ""
    path = urlsplit(homepage).path.rstrip("/")
    return f"{without_www(host_of(homepage))}{path}/"


class Places:
    """Slugs and file names no article and no file has: ``-2``, ``-3``… when needed."""

    def __init__(self, content: Path, slugs: set[str], zone: tzinfo) -> None:
        self.content = content
        self.slugs = slugs
        self.zone = zone
        self.paths: set[Path] = set()

    def take(self, item: NewArticle) -> tuple[str, Path]:
        """A slug and a path for the item, named by its day where the site is (where its page
        will be), not where the outlet is."""
        day = local_day(item.date, self.zone)
        folder = self.content / ARTICLES_DIR / f"{day:%Y}"
        prefix = f"{day:%Y-%m-%d}-"
        longest = min(MAX_SLUG, name_max(folder) - len(prefix) - len(articlefile.SUFFIX))
        base = title_slug(item.title, longest)
        for number in count(1):
            suffix = "" if number == 1 else f"-{number}"
            slug = cut_slug(base, longest - len(suffix)) + suffix
            path = folder / f"{prefix}{slug}{articlefile.SUFFIX}"
            if slug not in self.slugs and path not in self.paths and not os.path.lexists(path):
                self.slugs.add(slug)
                self.paths.add(path)
                return slug, path
        raise AssertionError("unreachable")  # pragma: no cover

    def release(self, slug: str, path: Path) -> None:
        """Give back a place taken for an item that will not be written."""
        self.slugs.discard(slug)
        self.paths.discard(path)


def title_slug(title: str, longest: int) -> str:
    return cut_slug(slugify(title), longest) or slug_for(title, "article")


def cut_slug(slug: str, longest: int) -> str:
    """At most ``longest`` characters, cut at a hyphen where there is one."""
    return slugify(slug, max_length=longest, word_boundary=True)


def name_max(folder: Path) -> int:
    """The longest file name the folder's file system allows, in bytes."""
    for existing in (folder, *folder.parents):
        if existing.is_dir():
            try:
                return min(NAME_MAX, os.pathconf(existing, "PC_NAME_MAX"))
            except (OSError, ValueError):
                return NAME_MAX
    return NAME_MAX


def article_text(item: NewArticle, slug: str) -> str:
    """The file's text: front matter in the usual order, then the summary."""
    front: dict[str, Any] = {
        "title": item.title,
        "date": item.date,
        "source": item.source,
        "authors": list(item.authors),
        "topics": list(item.topics),
        "id": article_id(item),
    }
    if item.url:
        front["url"] = item.url
    if slug != slugify(item.title) or slug != slug_for(item.title, "article"):
        front["slug"] = slug  # whichever default the loader applies, the address stays
    return articlefile.dump(front, item.summary)


def sources_change(path: Path, new: dict[str, str]) -> SourcesChange | None:
    """sources.yaml with the new outlets appended; the editor's comments, order, indentation
    and line endings kept. A file whose layout takes no appended entry (a flow-style list) is
    written out as a block list when it has no comment to lose; else the import stops."""
    if not new:
        return None
    before = path.read_bytes().decode("utf-8") if path.exists() else None
    entries = [source_entry(name, page) for name, page in new.items()]
    if not before or not before.strip():
        return SourcesChange(path, before, SOURCES_HEADER + block_list(entries, ""))
    newline = "\r\n" if "\r\n" in before else "\n"
    text = before.replace("\r\n", "\n")
    if not text.endswith("\n"):  # as editors save it: the last line ends (a `|` block's too)
        text += "\n"
    old = yaml.safe_load(text) or []
    after = appended(text, entries)
    if not reads_as(after, [*old, *entries]):
        after = rewritten(path, text, old, entries)
    return SourcesChange(path, before, after.replace("\n", newline))


def appended(text: str, entries: list[dict[str, str]]) -> str:
    """``entries`` added at the end of the list in ``text``, indented as its items are (and
    before a closing ``...``, which ends the YAML document)."""
    body, end = text, ""
    closing = re.search(r"^\.\.\.[ \t]*(#.*)?\n?\s*\Z", text, re.MULTILINE)
    if closing:
        body, end = text[: closing.start()], text[closing.start() :]
    item = re.search(r"^( *)- ", body, re.MULTILINE)
    lead = "" if body.endswith("\n") else "\n"
    return body + lead + block_list(entries, item.group(1) if item else "") + end


def reads_as(text: str, entries: list[dict[str, Any]]) -> bool:
    try:
        return bool(yaml.safe_load(text) == entries)
    except yaml.YAMLError:
        return False


def rewritten(
    path: Path, text: str, old: list[dict[str, Any]], entries: list[dict[str, Any]]
) -> str:
    """The whole list, ``old`` entries and new, as a block list, when the editor's layout
    cannot take more entries."""
    if re.search(r"(?:^|\s)#", text):  # a comment: "#" at a line's start or after a space
        problem = Problem(
            path.as_posix(),
            None,
            "the import cannot add outlets to this file: its list is not one `- name:` entry "
            "per line, and writing it anew would lose its comments",
            "write it as a block list (`- name: …` lines), or add the new outlets by hand: "
            + "; ".join(f"`- name: {yaml_text(entry['name'])}`" for entry in entries),
        )
        raise DigestError([problem])
    return block_list([*old, *entries], "")


def yaml_text(text: str) -> str:
    """``text`` as YAML writes it on one line: quoted when it would read otherwise."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").strip()


def block_list(entries: list[dict[str, Any]], indent: str) -> str:
    dumped = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    return "".join(indent + line for line in dumped.splitlines(keepends=True))


def source_entry(name: str, homepage: str) -> dict[str, str]:
    return {"name": name, "homepage": homepage} if homepage else {"name": name}


def check_sources(sources: SourcesChange | None) -> None:
    """The new sources.yaml as the build will read it (each new file was checked on its own,
    with the outlets it declares): a problem stops the import."""
    if sources is None:
        return
    report = Report()
    entries = load_yaml(sources.after)
    for entry in entries if isinstance(entries, list) else []:
        f.check_mapping(entry, SOURCE_FIELDS, sources.path.as_posix(), report, what="an entry")
    if report.problems:
        raise DigestError(
            Problem(p.path, p.line, f"the import would write this invalid: {p.message}", p.hint)
            for p in report.problems
        )


def new_source(name: str, homepage: str) -> Source:
    return Source(slug_for(name, "source"), name, homepage, "")


def local_day(moment: date | datetime, zone: tzinfo) -> date | datetime:
    """The moment where the site is; as written when that is beyond the calendar's ends (the
    file is then refused for its date, as the build would refuse it)."""
    if not isinstance(moment, datetime):
        return moment
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment
