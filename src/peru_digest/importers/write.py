"""New article files from imported items: never overwrite, never duplicate, always report."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import yaml
from slugify import slugify

from .. import articlefile
from ..config import load_topics, read_yaml_file
from ..content import ARTICLES_DIR, article_files
from ..digesttext import DigestItem, parse_digest
from ..errors import DigestError, Problem, Report
from ..markup import plain_text
from ..topics import TopicMatcher
from ..yamlio import Located

SOURCES_FILE = "sources.yaml"
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset({
    "_hsenc", "_hsmi", "dclid", "fbclid", "gbraid", "gclid", "igshid", "mc_cid", "mc_eid",
    "mkt_tok", "msclkid", "oly_anon_id", "oly_enc_id", "ref_src", "ref_url", "twclid",
    "vero_id", "wbraid", "yclid",
})  # fmt: skip
DEFAULT_PORTS = (None, "", "80", "443")
_NETLOC = re.compile(r"(?P<user>.*@)?(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>\d*))?")


@dataclass(frozen=True)
class NewArticle:
    """What an importer knows about one article."""

    title: str
    date: date | datetime  # a datetime when the time of day is known
    source: str
    authors: tuple[str, ...]
    url: str
    summary: str
    topics: tuple[str, ...] = ()
    id: str = ""  # the item's own stable id (a feed's guid); derived from the url when empty
    homepage: str = ""  # the outlet's homepage, for sources.yaml if the outlet is new
    note: str = ""  # what the importer had to guess, for the report


@dataclass
class ImportReport:
    dry_run: bool
    imported: list[str] = field(default_factory=list)  # paths written (or that would be)
    skipped: list[str] = field(default_factory=list)  # "title: reason"
    new_sources: list[str] = field(default_factory=list)
    homepages: dict[str, str] = field(default_factory=dict)  # new source → its homepage
    notes: dict[str, str] = field(default_factory=dict)  # path → what was guessed
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What happened, one line each, ending with the counts."""
        would = "would be " if self.dry_run else ""
        out = [f"warning: {warning}" for warning in self.warnings]
        out += [f"{would}imported: {path}{self.note_on(path)}" for path in self.imported]
        out += [f"skipped: {reason}" for reason in self.skipped]
        out += [
            f"{would}added to {SOURCES_FILE}: {name} ({self.homepage_of(name)})"
            for name in self.new_sources
        ]
        summary = f"{len(self.imported)} {would}imported, {len(self.skipped)} skipped."
        out.append(f"Dry run, nothing written: {summary}" if self.dry_run else summary)
        return out

    def note_on(self, path: str) -> str:
        return f" ({self.notes[path]})" if path in self.notes else ""

    def homepage_of(self, source: str) -> str:
        homepage = self.homepages.get(source)
        return f"homepage: {homepage}" if homepage else "fill in its homepage"


@dataclass
class ExistingContent:
    """What is already in content/, to recognise an article imported before."""

    urls: dict[str, str] = field(default_factory=dict)  # canonical url → path
    ids: dict[str, str] = field(default_factory=dict)  # feed id → path
    titles: dict[tuple[str, str], str] = field(default_factory=dict)  # (title, source) → path
    slugs: set[str] = field(default_factory=set)

    def duplicate_of(self, item: NewArticle) -> str | None:
        """The file that already holds this article, if any."""
        url = canonical_url(item.url) if item.url else ""
        if url in self.urls:
            return f"same url as {self.urls[url]}"
        key = title_key(item.title, item.source)
        if key in self.titles:
            return f"same title and source as {self.titles[key]}"
        if item_id(item) in self.ids:
            return f"same id as {self.ids[item_id(item)]}"
        return None

    def add(self, path: str, *, title: str, source: str, url: str, id: str, slug: str) -> None:
        if url:
            self.urls[canonical_url(url)] = path
        if id:
            self.ids[id] = path
        self.titles[title_key(title, source)] = path
        self.slugs.add(slug)


def title_key(title: str, source: str) -> tuple[str, str]:
    return (" ".join(title.casefold().split()), " ".join(source.casefold().split()))


def canonical_url(url: str) -> str:
    """The form every link to the same page shares, to recognise it however it was shared.

    http and https become https; the host is lowercased; default ports, tracking parameters,
    the fragment and a trailing slash go. Other schemes only lose their fragment.
    """
    url = trimmed(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return trimmed(urlunsplit(parts._replace(fragment="")))
    path, query = parts.path.rstrip("/"), untracked_query(parts.query)
    return urlunsplit(("https", canonical_netloc(parts.netloc), path, query, ""))


def trimmed(url: str) -> str:
    """Without the spaces and control characters around it, which urlsplit would partly drop."""
    start, end = 0, len(url)
    while start < end and (url[start] <= " " or url[start].isspace()):
        start += 1
    while end > start and (url[end - 1] <= " " or url[end - 1].isspace()):
        end -= 1
    return url[start:end]


def without_tracking(url: str) -> str:
    """``url`` without its tracking parameters; otherwise as written."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(parts._replace(query=untracked_query(parts.query)))


def untracked_query(query: str) -> str:
    """The query without tracking parameters; the others keep their order and spelling."""
    kept = [pair for pair in query.split("&") if pair and not is_tracking(pair)]
    return "&".join(kept)


def is_tracking(pair: str) -> bool:
    name = unquote_plus(pair.partition("=")[0]).lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def canonical_netloc(netloc: str) -> str:
    """The host lowercased and any default port (80, 443) dropped; user info kept."""
    found = _NETLOC.fullmatch(netloc)
    if found is None:
        return netloc.lower()
    port = "" if found["port"] in DEFAULT_PORTS else ":" + found["port"]
    return (found["user"] or "") + found["host"].lower() + port


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
    suggest = topic_suggester(content)
    for item in map(suggest, items):
        reason = existing.duplicate_of(item) or write_article(item, content, existing, report)
        if reason:
            report.skipped.append(f"{item.title!r}: {reason}")
        elif item.source not in known:
            known.add(item.source)
            report.new_sources.append(item.source)
            if item.homepage:
                report.homepages[item.source] = item.homepage
    if report.new_sources and not dry_run:
        append_sources(content / SOURCES_FILE, report.new_sources, report.homepages)
    return report


def topic_suggester(content: Path) -> Callable[[NewArticle], NewArticle]:
    """Fill in the topics whose keywords the item's text contains, for the editor to review."""
    matcher = TopicMatcher.from_topics((load_topics(content, Report()) or {}).values())

    def suggest(item: NewArticle) -> NewArticle:
        if item.topics:
            return item
        found = matcher.suggest(f"{item.title}\n{plain_text(item.summary)}")
        return dataclasses.replace(item, topics=found)

    return suggest


def write_article(
    item: NewArticle, content: Path, existing: ExistingContent, report: ImportReport
) -> str | None:
    """Write ``item`` to a file of its own and note it; the reason when it cannot be."""
    slug, path = free_place(item, content, existing.slugs)
    shown = path.as_posix()
    if not report.dry_run:
        try:
            write_new_file(path, article_text(item, slug))
        except FileExistsError:
            return f"{shown} appeared meanwhile and was left as it was"
    existing.add(
        shown, title=item.title, source=item.source, url=item.url, id=item_id(item), slug=slug
    )
    report.imported.append(shown)
    if item.note:
        report.notes[shown] = item.note
    return None


def free_place(item: NewArticle, content: Path, taken: set[str]) -> tuple[str, Path]:
    """A slug no article uses and a file name no file has: ``-2``, ``-3``… when needed."""
    folder = content / ARTICLES_DIR / f"{item.date:%Y}"
    base = slugify(item.title) or "article"
    slug, number = base, 2
    while slug in taken or (folder / f"{item.date:%Y-%m-%d}-{slug}.md").exists():
        slug, number = f"{base}-{number}", number + 1
    return slug, folder / f"{item.date:%Y-%m-%d}-{slug}.md"


def article_text(item: NewArticle, slug: str) -> str:
    """The file's text: front matter in a fixed order, then the summary."""
    front: dict[str, Any] = {
        "title": item.title,
        "date": item.date,
        "source": item.source,
        "authors": list(item.authors),
        "url": item.url,
        "topics": list(item.topics),
        "id": item_id(item),
    }
    if slug != slugify(item.title):
        front["slug"] = slug
    return articlefile.dump(front, item.summary)


def item_id(item: NewArticle) -> str:
    """The item's own stable id, else one derived from its url: written down at import."""
    return item.id or new_id(item)


def new_id(item: NewArticle) -> str:
    """A feed id fixed at import: later edits to title, slug or url never change it."""
    seed = canonical_url(item.url) if item.url else f"{item.source}\n{item.title}"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed).urn


def write_new_file(path: Path, text: str) -> None:
    """Create ``path``; mode "x" fails rather than overwrite a file that appeared meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def scan_existing(content: Path) -> ExistingContent:
    """Titles, sources, urls, ids and slugs of the articles there (unreadable ones ignored)."""
    existing = ExistingContent()
    for path in article_files(content):
        data = front_matter_of(path)
        if data is None:
            continue
        title, url = str(data.get("title") or ""), str(data.get("url") or "")
        existing.add(
            path.as_posix(),
            title=title,
            source=str(data.get("source") or ""),
            url=url,
            id=str(data.get("id") or (articlefile.derived_id(url, "", "") if url else "")),
            slug=str(data.get("slug") or slugify(title)),
        )
    return existing


def front_matter_of(path: Path) -> Located | None:
    try:
        return articlefile.parse(path.read_text(encoding="utf-8"), path.as_posix()).front_matter
    except (OSError, UnicodeDecodeError, articlefile.ArticleFileError):
        return None


def known_source_names(content: Path) -> list[str]:
    data = read_yaml_file(content / SOURCES_FILE, Report())
    if not isinstance(data, list):
        return []
    return [str(entry["name"]) for entry in data if isinstance(entry, dict) and entry.get("name")]


def append_sources(
    path: Path, names: Iterable[str], homepages: Mapping[str, str] | None = None
) -> None:
    """Add outlets, with their homepage where known, at the end of sources.yaml; the editor's
    comments and order stay as they are."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        lead = "" if not text or text.endswith("\n") else "\n"
    else:
        lead = "# Outlets: name, homepage, description.\n"
    homepages = homepages or {}
    added = "".join(
        yaml.safe_dump(
            [source_entry(name, homepages.get(name, ""))], allow_unicode=True, sort_keys=False
        )
        for name in names
    )
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(lead + added)


def source_entry(name: str, homepage: str) -> dict[str, str]:
    return {"name": name, "homepage": homepage} if homepage else {"name": name}
