"""Any sequence of an editor's changes, each followed by a rebuild through the cache, gives
what a clean build of the same content gives: the same bytes, or the same problems.

A hypothesis state machine writes, edits, moves and deletes articles, changes settings,
topics and templates, and moves the clock, in any order; every rebuild is compared with a
clean build made beside it, and a rebuild right after it must write no file at all."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from peru_digest.build import build
from peru_digest.errors import DigestError
from peru_digest.loading import Readings

from .conftest import SEED_SITE, TEMPLATES
from .test_incremental import stamps, tree

TOPICS = ["election-2021", "fraud-claims", "coup-threats", "castillo-government"]
OUTLETS = ["Workers World", "Orinoco Tribune", "The Grayzone", "Green Left"]
AUTHORS = ["Ana Ruiz", "Kenji Haddad", "Noémie Johansson", "Ana Ruíz"]  # first and last alike
TITLES = ["Castillo Names His Cabinet", "The Count Goes On", "A Coup Brewing", "Castillo Sworn In"]


@dataclass(frozen=True)
class Article:
    """What the machine writes into one article file."""

    title: str
    day: int  # days after 2021-06-01
    hour: int | None  # None: a date without a time
    source: str
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str
    draft: bool = False
    link: int = 0  # which of a few addresses

    def text(self) -> str:
        date = datetime(2021, 6, 1) + timedelta(days=self.day)
        fields: dict[str, object] = {
            "title": self.title,
            "date": date.strftime("%Y-%m-%d")
            + ("" if self.hour is None else f"T{self.hour:02d}:00:00-05:00"),
            "source": self.source,
            "url": f"https://news.example/{self.link}/{zlib.crc32(self.title.encode()) % 1000}",
        }
        if self.authors:
            fields["authors"] = list(self.authors)
        if self.topics:
            fields["topics"] = list(self.topics)
        if self.draft:
            fields["draft"] = True
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n\n{self.summary}\n"


articles = st.builds(
    Article,
    title=st.builds("{} {}".format, st.sampled_from(TITLES), st.integers(1, 30)),
    day=st.integers(0, 120),  # some after the clock's first day: dated in the future
    hour=st.none() | st.integers(0, 23),
    source=st.sampled_from(OUTLETS),
    authors=st.lists(st.sampled_from(AUTHORS), max_size=2, unique=True).map(tuple),
    topics=st.lists(st.sampled_from(TOPICS), max_size=2, unique=True).map(tuple),
    summary=st.sampled_from(["Lima.", "Cusco & Puno.", "A <b>bold</b> claim.", "*Quoted* text."]),
    draft=st.sampled_from([False, False, False, True]),
    link=st.integers(0, 2),
)

SITE = {
    "title": "Peru Digest",
    "description": "Summaries of news about Peru.",
    "base_url": "https://peru-digest.example.org/",
    "language": "en",
    "time_zone": "America/Lima",
    "feed_items": 3,
    "page_size": 2,
}


class EditorAndBuilds(RuleBasedStateMachine):
    search = False  # the search index: slow to make, so fewer sequences with it
    keeps_readings = False  # builds in one process that keeps what it read, as serve does

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="sequences-"))
        self.unchecked = False  # changes made since the last rebuild
        self.content = self.root / "content"
        (self.content / "articles").mkdir(parents=True)
        self.saved = time.time_ns() - 3600 * 10**9
        for name in ("topics.yaml", "sources.yaml"):
            self.save(self.content / name, (SEED_SITE / name).read_text(encoding="utf-8"))
        self.templates = self.root / "templates"
        shutil.copytree(TEMPLATES, self.templates)  # as old as the checkout's
        self.site = dict(SITE)
        self.write_site()
        self.files: dict[str, Article] = {}
        self.made = 0
        self.now = datetime(2021, 8, 1, tzinfo=UTC)
        self.clean_builds = 0
        self.readings = Readings() if self.keeps_readings else None

    def teardown(self) -> None:
        """The last changes are rebuilt too, whatever the sequence's last step was."""
        try:
            if self.unchecked:
                self.rebuild()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def save(self, path: Path, text: str) -> None:
        """Write as an editor saves: each save a second after the one before, all of them
        long enough ago for a build to trust a file's timestamps (one saved within the last
        two seconds is always read again, which would leave the trusting path untried)."""
        path.write_text(text, encoding="utf-8")
        self.unchecked = True
        self.saved += 10**9
        os.utime(path, ns=(self.saved, self.saved))

    def write_site(self) -> None:
        text = yaml.safe_dump(self.site, allow_unicode=True, sort_keys=False)
        self.save(self.content / "site.yaml", text)

    def write(self, name: str, article: Article) -> None:
        self.files[name] = article
        self.save(self.content / "articles" / name, article.text())

    # What an editor does ---------------------------------------------------------------------

    @initialize(first=st.lists(articles, min_size=1, max_size=8))
    def write_the_first_articles(self, first: list[Article]) -> None:
        for article in first:
            self.add_an_article(article)

    @rule(article=articles)
    def add_an_article(self, article: Article) -> None:
        self.made += 1
        self.write(f"article-{self.made}.md", article)

    @precondition(lambda self: self.files)
    @rule(data=st.data(), article=articles)
    def rewrite_an_article(self, data: st.DataObject, article: Article) -> None:
        self.write(data.draw(st.sampled_from(sorted(self.files))), article)

    @precondition(lambda self: self.files)
    @rule(data=st.data(), summary=st.sampled_from(["Edited.", "Lima, *again*."]))
    def edit_a_summary(self, data: st.DataObject, summary: str) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        self.write(name, replace(self.files[name], summary=summary))

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def delete_an_article(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        (self.content / "articles" / name).unlink()
        del self.files[name]
        self.unchecked = True

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def rename_an_article_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        self.made += 1
        new = f"renamed-{self.made}.md"
        (self.content / "articles" / name).rename(self.content / "articles" / new)
        self.files[new] = self.files.pop(name)
        self.unchecked = True

    @rule(
        setting=st.sampled_from(["page_size", "feed_items"]),
        value=st.integers(1, 4),
    )
    def change_a_number(self, setting: str, value: int) -> None:
        self.site[setting] = value
        self.write_site()

    @rule(language=st.sampled_from(["en", "es"]), title=st.sampled_from(["Peru Digest", "Perú"]))
    def change_the_site(self, language: str, title: str) -> None:
        self.site.update(language=language, title=title)
        self.write_site()

    @rule(name=st.sampled_from(["2021 Election", "The Runoff"]))
    def rename_a_topic(self, name: str) -> None:
        path = self.content / "topics.yaml"
        topics = yaml.safe_load(path.read_text(encoding="utf-8"))
        topics[0]["name"] = name
        self.save(path, yaml.safe_dump(topics, allow_unicode=True))

    @rule(words=st.sampled_from(["Skip to content", "Skip to the articles"]))
    def change_a_template(self, words: str) -> None:
        path = self.templates / "base.html"
        text = path.read_text(encoding="utf-8")
        for old in ("Skip to content", "Skip to the articles"):
            text = text.replace(f'_("{old}")', f'_("{words}")')
        self.save(path, text)

    @rule(days=st.integers(0, 90))
    def let_time_pass(self, days: int) -> None:
        self.now += timedelta(days=days, hours=7)
        self.unchecked = True

    # The builds ------------------------------------------------------------------------------

    @rule()
    def rebuild(self) -> None:
        """A rebuild through the cache equals a clean build, and one more writes nothing."""
        rebuilt = self.outcome(self.root / "public", cache=self.root / "cache")
        self.clean_builds += 1
        clean = self.outcome(self.root / f"clean-{self.clean_builds}", cache=None)
        assert rebuilt == clean
        if isinstance(rebuilt, dict):
            before = stamps(self.root / "public")
            assert self.outcome(self.root / "public", cache=self.root / "cache") == rebuilt
            assert stamps(self.root / "public") == before
        shutil.rmtree(self.root / f"clean-{self.clean_builds}", ignore_errors=True)
        self.unchecked = False

    def outcome(self, output: Path, cache: Path | None) -> dict[str, bytes] | list[str]:
        """The site's files, or the problems that kept it from being built."""
        try:
            build(
                self.content, self.templates, output, cache=cache, now=self.now, search=self.search,
                workers=1, readings=self.readings if cache else None,
            )  # fmt: skip
        except DigestError as error:
            return [str(problem) for problem in error.problems]
        return tree(output)


def in_turn(machine: type[EditorAndBuilds], sequences: int, steps: int) -> type:
    """The machine's test case, trying that many sequences of at most that many steps."""
    machine.TestCase.settings = settings(
        max_examples=sequences,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    return machine.TestCase


class KeepingWhatItRead(EditorAndBuilds):
    keeps_readings = True


class WithSearch(EditorAndBuilds):
    search = True


test_any_sequence_of_changes_rebuilds_as_a_clean_build_would = in_turn(EditorAndBuilds, 10, 12)
test_rebuilds_in_one_process_that_keeps_what_it_read_equal_clean_builds = in_turn(
    KeepingWhatItRead, 6, 12
)
test_any_sequence_of_changes_rebuilds_the_search_index_as_a_clean_build_would = in_turn(
    WithSearch, 3, 8
)
