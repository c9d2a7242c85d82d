"""What the importers hand on: one article to add, or an entry skipped; and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..errors import Problem

SOURCES_FILE = "sources.yaml"
NO_LINK_NOTE = "no link: add its url"


def future_note(day: date) -> str:
    """Why an article imported today is not on the site yet (the build leaves it out)."""
    return f"dated in the future ({day.isoformat()}): built once that day comes"


@dataclass(frozen=True)
class NewArticle:
    """What an importer knows about one article."""

    title: str
    date: date | datetime  # a datetime when the time of day is known
    source: str
    authors: tuple[str, ...]
    url: str  # "" when the importer has no link (a digest)
    summary: str
    topics: tuple[str, ...] = ()
    id: str = ""  # the item's own stable id (a feed's guid); "" when it has none
    homepage: str = ""  # the outlet's homepage, for sources.yaml if the outlet is new
    # The homepage is the one the feed gives its outlet (not a feed host's root, nor the
    # feed's when --source named the outlet): a declared outlet with it is this outlet.
    home_given: bool = False
    notes: tuple[str, ...] = ()  # what the importer had to guess, for the report
    line: int | None = None  # where the article begins in the file read (a digest's title)


@dataclass(frozen=True)
class Skipped:
    """An entry that cannot become an article, and why (one line); with what was read of it
    (its title, outlet and link), to tell whether an editor added it by hand since."""

    reason: str
    read: NewArticle | None = None


Candidate = NewArticle | Skipped


@dataclass
class ImportReport:
    dry_run: bool
    imported: list[str] = field(default_factory=list)  # paths written (or that would be)
    skipped: list[str] = field(default_factory=list)  # "title: reason": already there
    refused: list[Problem] = field(default_factory=list)  # entries that could not be imported
    new_sources: list[str] = field(default_factory=list)
    homepages: dict[str, str] = field(default_factory=dict)  # new source → its homepage
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path → what was guessed
    warnings: list[str] = field(default_factory=list)

    def warning_lines(self) -> list[str]:
        """What the import noticed about its input (for standard error)."""
        return [f"warning: {warning}" for warning in self.warnings]

    def lines(self) -> list[str]:
        """What happened, one line each, ending with the counts."""
        would = "would be " if self.dry_run else ""
        out = [f"{would}imported: {path}{self.note_on(path)}" for path in self.imported]
        out += [f"skipped: {reason}" for reason in self.skipped]
        out += [
            f"{would}added to {SOURCES_FILE}: {name} ({self.homepage_of(name)})"
            for name in self.new_sources
        ]
        summary = f"{len(self.imported)} {would}imported, {len(self.skipped)} skipped"
        summary += f", {len(self.refused)} refused." if self.refused else "."
        out.append(f"Dry run, nothing written: {summary}" if self.dry_run else summary)
        return out

    def note_on(self, path: str) -> str:
        return f" ({'; '.join(self.notes[path])})" if self.notes.get(path) else ""

    def homepage_of(self, source: str) -> str:
        homepage = self.homepages.get(source)
        return f"homepage: {homepage}" if homepage else "fill in its homepage"
