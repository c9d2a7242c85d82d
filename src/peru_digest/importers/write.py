"""New article files from imported items: never overwrite, never duplicate, always report."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from ..config import read_yaml_file
from ..content import ARTICLES_DIR, FENCE, article_files, split_file
from ..errors import DigestError, Problem
from ..yamlio import Located, YamlSyntaxError, load_yaml
from .digest import DigestItem, parse_digest

SOURCES_FILE = "sources.yaml"


@dataclass(frozen=True)
class NewArticle:
    """What an importer knows about one article."""

    title: str
    date: date
    source: str
    authors: tuple[str, ...]
    url: str
    summary: str
    topics: tuple[str, ...] = ()


@dataclass
class ImportReport:
    dry_run: bool
    imported: list[str] = field(default_factory=list)  # paths written (or that would be)
    skipped: list[str] = field(default_factory=list)  # "title: reason"
    new_sources: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What happened, one line each, ending with the counts."""
        would = "would be " if self.dry_run else ""
        out = [f"{would}imported: {path}" for path in self.imported]
        out += [f"skipped: {reason}" for reason in self.skipped]
        out += [
            f"{would}added to {SOURCES_FILE}: {name} (fill in its homepage)"
            for name in self.new_sources
        ]
        summary = f"{len(self.imported)} {would}imported, {len(self.skipped)} skipped."
        out.append(f"Dry run, nothing written: {summary}" if self.dry_run else summary)
        return out


@dataclass
class ExistingContent:
    """What is already in content/, to recognise an article imported before."""

    urls: dict[str, str] = field(default_factory=dict)  # url → path
    titles: dict[tuple[str, str], str] = field(default_factory=dict)  # (title, source) → path
    slugs: set[str] = field(default_factory=set)

    def duplicate_of(self, item: NewArticle) -> str | None:
        """The file that already holds this article, if any."""
        if item.url and item.url in self.urls:
            return f"same url as {self.urls[item.url]}"
        key = title_key(item.title, item.source)
        if key in self.titles:
            return f"same title and source as {self.titles[key]}"
        return None

    def add(self, path: str, title: str, source: str, url: str, slug: str) -> None:
        if url:
            self.urls[url] = path
        self.titles[title_key(title, source)] = path
        self.slugs.add(slug)


def title_key(title: str, source: str) -> tuple[str, str]:
    return (" ".join(title.casefold().split()), " ".join(source.casefold().split()))


def import_digest(file: Path, content: Path, day: date, *, dry_run: bool) -> ImportReport:
    """Import a digest text; a malformed digest imports nothing and lists every problem."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DigestError(
            [Problem(file.as_posix(), None, f"cannot read the digest: {error}")]
        ) from None
    items = parse_digest(text, file.as_posix(), known_source_names(content))
    return write_articles((from_digest(item, day) for item in items), content, dry_run=dry_run)


def from_digest(item: DigestItem, day: date) -> NewArticle:
    return NewArticle(item.title, day, item.source, item.authors, "", item.excerpt)


def write_articles(items: Iterable[NewArticle], content: Path, *, dry_run: bool) -> ImportReport:
    """Write each new article to its own new file; skip those already in ``content``."""
    report = ImportReport(dry_run)
    existing = scan_existing(content)
    known = set(known_source_names(content))
    for item in items:
        reason = existing.duplicate_of(item)
        if reason:
            report.skipped.append(f"{item.title!r}: {reason}")
            continue
        slug, path = free_place(item, content, existing.slugs)
        if not dry_run:
            write_new_file(path, article_text(item, slug))
        existing.add(path.as_posix(), item.title, item.source, item.url, slug)
        report.imported.append(path.as_posix())
        if item.source not in known:
            known.add(item.source)
            report.new_sources.append(item.source)
    if report.new_sources and not dry_run:
        append_sources(content / SOURCES_FILE, report.new_sources)
    return report


def free_place(item: NewArticle, content: Path, taken: set[str]) -> tuple[str, Path]:
    """A slug no article uses and a file name no file has: ``-2``, ``-3``… when needed."""
    folder = content / ARTICLES_DIR / f"{item.date:%Y}"
    base = slugify(item.title) or "article"
    slug, number = base, 2
    while slug in taken or (folder / f"{item.date.isoformat()}-{slug}.md").exists():
        slug, number = f"{base}-{number}", number + 1
    return slug, folder / f"{item.date.isoformat()}-{slug}.md"


def article_text(item: NewArticle, slug: str) -> str:
    """The file's text: front matter in a fixed order, then the summary."""
    front: dict[str, Any] = {
        "title": item.title,
        "date": item.date,
        "source": item.source,
        "authors": list(item.authors),
        "url": item.url,
        "topics": list(item.topics),
        "id": new_id(item),
    }
    if slug != slugify(item.title):
        front["slug"] = slug
    dumped = yaml.safe_dump(
        front, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000
    )
    return f"{FENCE}\n{dumped}{FENCE}\n\n{item.summary.strip()}\n"


def new_id(item: NewArticle) -> str:
    """A feed id fixed at import: later edits to title, slug or url never change it."""
    seed = item.url or f"{item.source}\n{item.title}"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed).urn


def write_new_file(path: Path, text: str) -> None:
    """Create ``path``; mode "x" fails rather than overwrite a file that appeared meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def scan_existing(content: Path) -> ExistingContent:
    """Titles, sources, urls and slugs of the articles already there (unreadable ones ignored)."""
    existing = ExistingContent()
    for path in article_files(content):
        data = front_matter_of(path)
        if data is None:
            continue
        title, source = str(data.get("title") or ""), str(data.get("source") or "")
        slug = str(data.get("slug") or slugify(title))
        existing.add(path.as_posix(), title, source, str(data.get("url") or ""), slug)
    return existing


def front_matter_of(path: Path) -> Located | None:
    parts = split_file(path, [])
    if parts is None:
        return None
    try:
        data = load_yaml(parts.front_matter)
    except YamlSyntaxError:
        return None
    return data if isinstance(data, Located) else None


def known_source_names(content: Path) -> list[str]:
    data = read_yaml_file(content / SOURCES_FILE, [])
    if not isinstance(data, list):
        return []
    return [str(entry["name"]) for entry in data if isinstance(entry, dict) and entry.get("name")]


def append_sources(path: Path, names: Iterable[str]) -> None:
    """Add outlets at the end of sources.yaml, keeping the editor's comments and order."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        lead = "" if not text or text.endswith("\n") else "\n"
    else:
        lead = "# Outlets: name, homepage, description.\n"
    added = "".join(yaml.safe_dump([{"name": name}], allow_unicode=True) for name in names)
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(lead + added)
