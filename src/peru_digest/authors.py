"""Authors: one name per person, a page for each, and bylines that name no one in particular.

``authors.yaml`` (optional) lists people whose names are written in several ways (``aliases``)
and bylines that name a desk rather than a person (``desk: true``). A byline matches an entry
when it is written like the entry's name or one of its aliases, ignoring case, accents and
punctuation; the site then shows the entry's name.

A desk gets no author page and no link: "Staff" at one outlet and "Staff" at another are not one
person. Desks are the entries marked so; the newsroom and agency bylines in :data:`DESKS`, and
names that begin or end with one of :data:`DESK_WORDS` ("Telesur Staff", "Redacción Perú21");
any outlet's own name from sources.yaml; and a byline of desks alone written as one name
("AFP / EFE", "EFE y AFP"), split as the importers split bylines.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import fields as f
from .config import UNREADABLE, not_a_list, read_yaml_file
from .errors import Problem, Report
from .importers.bylines import AGENCIES, split_names
from .importers.bylines import DESKS as ONE_WORD_DESKS
from .model import Article, Author
from .urls import author_path, fold, slug_for
from .yamlio import Located, line_of_item

FILE_NAME = "authors.yaml"
AUTHOR_FIELDS = (
    f.Field("name", f.text, hint="add `name:` as the site should write it"),
    f.Field("aliases", f.text_list, required=False, default=()),
    f.Field("description", f.optional_prose, required=False, default=""),
    f.Field("desk", f.boolean, required=False, default=False),
)


DESKS = frozenset(
    fold(name)
    for name in (
        *ONE_WORD_DESKS,  # the importers split bylines on these too
        *AGENCIES, *(f"the {agency}" for agency in AGENCIES),
        "staff writer", "staff writers", "staff reporter", "newsroom", "editorial",
        "editorial board", "editors", "the editors", "news desk", "wire services",
    )
)  # fmt: skip
# Words no personal name begins or ends with, that a desk's name often does.
DESK_WORDS = frozenset({"staff", "newsroom", "redaccion", "redacao", "redaction", "agencies"})


@dataclass(frozen=True)
class Byline:
    """What one way of writing a name stands for."""

    name: str  # as the site writes it
    slug: str
    desk: bool
    declared: Author | None  # its entry in authors.yaml


class AuthorBook:
    """Who a byline name is: the one name the site writes, and its page (none for a desk).

    Each spelling is worked out once: the same names come back in article after article.
    """

    def __init__(self, declared: Iterable[Author], outlets: Iterable[str]) -> None:
        self.entries = {
            fold(written): author
            for author in declared
            for written in (author.name, *author.aliases)
        }
        self.outlets = frozenset(fold(name) for name in outlets)
        self.known: dict[str, Byline] = {}

    def __getitem__(self, written: str) -> Byline:
        found = self.known.get(written)
        if found is None:
            found = self.known[written] = self.look_up(written)
        return found

    def look_up(self, written: str) -> Byline:
        folded = fold(written)
        entry = self.entries.get(folded)
        if entry is not None:
            return Byline(entry.name, entry.slug, entry.desk, entry)
        parts = [fold(name) for name in split_names(written) if name]
        desk = self.names_a_desk(folded) or (bool(parts) and all(map(self.names_a_desk, parts)))
        return Byline(written, slug_for(written, "author"), desk, None)

    def names_a_desk(self, folded: str) -> bool:
        """Whether one folded name is a newsroom, an agency or an outlet."""
        words = folded.split() or [""]
        return (
            folded in DESKS
            or folded in self.outlets
            or words[0] in DESK_WORDS
            or words[-1] in DESK_WORDS
        )

    def name(self, written: str) -> str:
        return self[written].name

    def declared(self, name: str) -> Author | None:
        return self[name].declared

    def is_desk(self, name: str) -> bool:
        return self[name].desk

    def slug(self, name: str) -> str:
        return self[name].slug

    def path(self, name: str) -> str:
        """The author's page; "" for a desk."""
        byline = self[name]
        return "" if byline.desk else author_path(byline.slug)


def with_declared_names(articles: Sequence[Article], book: AuthorBook) -> tuple[Article, ...]:
    """The articles with each author written as authors.yaml says (each once)."""
    result = []
    for article in articles:
        names = tuple(dict.fromkeys(book.name(name) for name in article.authors))
        result.append(article if names == article.authors else replace(article, authors=names))
    return tuple(result)


# authors.yaml --------------------------------------------------------------------------------


def load_authors(content: Path, report: Report) -> dict[str, Author]:
    """The entries of ``authors.yaml`` by name, in file order; no file means none.

    Every problem is reported, each at its line, and the entries are then none.
    """
    path = content / FILE_NAME
    if not path.exists() and not path.is_symlink():
        return {}
    data = read_yaml_file(path, report)
    if data is UNREADABLE or data is None:  # unreadable (reported), or empty
        return {}
    shown = path.as_posix()
    if not isinstance(data, list):
        report.problems.append(not_a_list(shown, "name", data))
        return {}
    entries = Report()
    found: dict[str, Author] = {}
    claims = Claims()
    for number, entry in enumerate(data):
        valid: dict[str, Any] = {}
        clean = f.check_mapping(
            entry, AUTHOR_FIELDS, shown, entries, what="an entry", valid=valid,
            line=line_of_item(data, number),
        )  # fmt: skip
        if clean is None:
            if valid.get("name"):  # what is right of it still claims its spellings
                partial = {"aliases": (), "description": "", "desk": False} | valid
                claims.check(number, author_of(partial), entry, shown, entries)
            continue
        author = author_of(clean)
        claims.check(number, author, entry, shown, entries)
        found.setdefault(author.name, author)
    report.merge(entries)
    return {} if entries.problems else found


def author_of(clean: dict[str, Any]) -> Author:
    return Author(slug=slug_for(clean["name"], "author"), **clean)


class Claims:
    """Which entry each spelling and each address belongs to, as authors.yaml is read."""

    def __init__(self) -> None:
        self.spellings: dict[str, tuple[int, str, int]] = {}  # folded → (entry, name, line)
        self.addresses: dict[str, str] = {}  # slug → name

    def check(
        self, number: int, author: Author, entry: Located, shown: str, report: Report
    ) -> None:
        """Each spelling of a name belongs to one entry, and each address to one author."""
        for key, written in [("name", author.name), *(("aliases", a) for a in author.aliases)]:
            line = entry.line_of(key)
            folded = fold(written)
            if folded not in self.spellings:
                self.spellings[folded] = (number, author.name, line)
                continue
            owner, name, first = self.spellings[folded]
            if owner == number:
                message = f"`{written}` repeats a spelling of this entry"
                hint = "remove it: case, accents and punctuation are ignored"
            elif written == name == author.name:
                message = f"`{written}` is listed twice (first at line {first})"
                hint = "keep one entry"
            else:
                message = f"`{written}` is already a spelling of `{name}` (line {first})"
                hint = "a spelling (ignoring case, accents and punctuation) belongs to one entry"
            report.problem(shown, line, message, hint)
            if key == "name":
                return  # its address is the other entry's, as reported
        if not author.desk:
            other = self.addresses.setdefault(author.slug, author.name)
            if other != author.name:
                message = f"`{author.name}` and `{other}` would share the address `{author.slug}`"
                report.problem(shown, entry.line_of("name"), message, "rename one of them")


# Names that look like one person's ----------------------------------------------------------

ALIAS_HINT = "if so, add `{variant}` to the aliases of `{name}` in authors.yaml"
DISTINCT_HINT = "if they are two people, list both in authors.yaml"
ALIKE_HINT = (
    "add `- name: {name}` to authors.yaml: names written like it but for case, accents and "
    "punctuation then show as it"
)


def look_alike_warnings(
    articles: Sequence[Article],
    book: AuthorBook,
    where: Callable[[Article], tuple[str, int | None]],
) -> list[Problem]:
    """A warning for each two names that look like one person's, at the first article of the
    one to change (not the one authors.yaml lists, else the one fewer articles use).

    Two names look alike when they are the same ignoring case, accents and punctuation
    (``José Pérez``, ``JOSE PEREZ``), or when they have as many words, the same last word, and
    every other word the same or an initial of it (``J. Pérez``, ``José Pérez``). Desks, and two
    names that authors.yaml lists as two entries, are left alone.
    """
    users: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for name in article.authors:
            if not book.is_desk(name):
                users[name].append(article)
    warnings = []
    for one, other in alike_pairs(users):
        if book.declared(one) is not None and book.declared(other) is not None:
            continue
        # The name to keep: the one authors.yaml lists, else the one more articles use, else
        # the one with more accents or more letters (an initial stands for a whole name).
        common, rare = sorted(
            (one, other),
            key=lambda n: (book.declared(n) is None, -len(users[n]), *fullness(n)),
        )
        shown, line = where(min(users[rare], key=lambda a: a.path))
        elsewhere, _ = where(min(users[common], key=lambda a: a.path))
        if fold(rare) == fold(common):
            hint = ALIKE_HINT.format(name=common)
        else:
            hint = ALIAS_HINT.format(variant=rare, name=common) + "; " + DISTINCT_HINT
        message = f"`{rare}` looks like the same person as `{common}` ({elsewhere})"
        warnings.append(Problem(shown, line, message, hint))
    return warnings


def alike_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each two of ``names`` that look alike, once, in a stable order."""
    by_last: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for name in sorted(names):
        words = fold(name).split()
        if words:
            by_last[words[-1]].append((name, words))
    pairs = []
    for group in by_last.values():
        for index, (one, one_words) in enumerate(group):
            for other, other_words in group[index + 1 :]:
                if initials_match(one_words, other_words):
                    pairs.append((one, other))
    return pairs


def initials_match(one: list[str], other: list[str]) -> bool:
    """As many words, each the same or an initial of the other's (folded words)."""
    return len(one) == len(other) and all(
        a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
        for a, b in zip(one, other, strict=True)
    )


# Author pages --------------------------------------------------------------------------------


@dataclass
class AuthorPage:
    """An author's page, as it is gathered: the articles, and how the name was written."""

    slug: str
    articles: list[Article] = field(default_factory=list)  # in the order given
    spellings: Counter[str] = field(default_factory=Counter)
    name: str = ""
    description: str = ""


def author_pages(articles: Iterable[Article], book: AuthorBook) -> list[AuthorPage]:
    """Each author's page (desks have none), in the order of their names; names written alike
    share one page."""
    found: dict[str, AuthorPage] = {}
    for article in articles:
        for name in article.authors:
            byline = book[name]
            if byline.desk:
                continue
            page = found.get(byline.slug) or found.setdefault(byline.slug, AuthorPage(byline.slug))
            if not page.articles or page.articles[-1] is not article:
                page.articles.append(article)
            page.spellings[name] += 1
    for page in found.values():
        page.name = shown_name(page.spellings, book)
        entry = book.declared(page.name)
        page.description = "" if entry is None else entry.description
    return sorted(found.values(), key=lambda page: (fold(page.name), page.slug))


def shown_name(spellings: Mapping[str, int], book: AuthorBook) -> str:
    """The name an author's page goes by: authors.yaml's, else the spelling most articles use
    (the one with more accents on a tie, as accents are more often dropped than added)."""
    for written in spellings:
        entry = book.declared(written)
        if entry is not None:
            return entry.name
    return min(spellings, key=lambda n: (-spellings[n], *fullness(n)))


def fullness(name: str) -> tuple[int, int, str]:
    """Sorts the fuller of two spellings first: more accents, then more letters."""
    return (-sum(not c.isascii() for c in name), -len(name), name)
