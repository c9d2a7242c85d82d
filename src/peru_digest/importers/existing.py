"""The articles already in content/, indexed to recognise one imported again.

Front matter is checked as the build checks it (the same settings, the same schema); a file
that fails validation today still counts, as far as its front matter can be read, so an import
never adds a second copy of an article an editor is still fixing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .. import articlefile
from .. import fields as f
from ..config import Config
from ..content import article_fields, article_files, article_slug
from ..errors import Report
from ..inputfile import InputFileError, read_bytes
from ..model import derived_id
from .links import anchor, canonical_url
from .records import NewArticle
from .redirects import is_google_news

INDEX_READ_LIMIT = 1024 * 1024  # bytes: more than an article file may hold, never endless
# How far apart the days of two articles of one title and outlet may be for one to be the
# other (a digest goes out the day after, or past midnight); a column that comes back under one
# title ("Editorial", "Minuto a minuto") is another article each time.
SAME_STORY_DAYS = timedelta(days=1)
RECOGNISING = ("title", "source", "url", "id", "slug")  # the keys an article is recognised by
READ_KEYS = (*RECOGNISING, "date")  # what is read of a front matter to recognise an article


@dataclass(frozen=True)
class Known:
    """One article already there (or planned), as duplicates are recognised."""

    path: str
    anchor: str  # the link's fragment, when it points into a page
    own_id: bool  # the id was given (a feed's guid), not derived from the link or title
    has_url: bool  # a link to the outlet's page (a Google News link that hides it is none)
    day: date | None = None  # where the site is; None when its front matter does not say
    # The day is the article's own, as its feed gave it with its link; without a link (a
    # digest's item), it is the digest's, which may come long after the article.
    published: bool = True


@dataclass
class ExistingContent:
    """Ids, pages, titles and slugs of the articles in content/ and of those planned."""

    ids: dict[str, str] = field(default_factory=dict)  # feed id → path
    pages: dict[str, list[Known]] = field(default_factory=dict)  # canonical url → articles
    titles: dict[tuple[str, str], list[Known]] = field(default_factory=dict)  # (title, source)
    summaries: dict[bytes, list[Known]] = field(default_factory=dict)  # see wording_key
    slugs: set[str] = field(default_factory=set)
    zone: tzinfo = UTC  # the site's: the day an article's date falls on there

    def duplicate_of(self, item: NewArticle) -> str | None:
        """Why ``item`` is already there, or None: its own id first, then its page, then its
        title and outlet (only when one of the two has no link, and their days allow it: see
        :func:`one_story`), then its outlet and summary (when one of the two has no link,
        whatever their titles and days: a digest page pasted again a week later, after an
        editor corrected a title), then its derived id."""
        if item.id and item.id in self.ids:
            return f"same id as {self.ids[item.id]}"
        day = local_day(item.date, self.zone)
        mine = Known(
            "", anchor(item.url), bool(item.id), outlet_link(item.url), day, bool(item.url)
        )
        for other in self.pages.get(canonical_url(item.url), []) if item.url else []:
            if not different_anchors(mine, other):
                return f"same url as {other.path}"
        for other in self.titles.get(title_key(item.title, item.source), []):
            if not (mine.has_url and other.has_url) and one_story(mine, other):
                return f"same title and source as {other.path}"
        for other in self.summaries.get(wording_key(item.summary, item.source), []):
            if not (mine.has_url and other.has_url):
                return f"same source and summary as {other.path}"
        written = self.written_id(item)
        if written in self.ids:
            return f"same id as {self.ids[written]}"
        return None

    def written_id(self, item: NewArticle) -> str:
        """The id ``item``'s file is written with: :func:`article_id`; but for one without a
        link or an id of its own, whose id (its outlet's and title's) an article of the same
        title on another day has (a digest's "Editorial" of each week), one of its day too."""
        derived = article_id(item)
        if item.id or item.url or derived not in self.ids:
            return derived
        day = local_day(item.date, self.zone)
        return derived_id("", item.source, f"{item.title}\n{day}")

    def identified(self, item: NewArticle) -> NewArticle:
        """``item`` with the id its file is written with, where that is not :func:`article_id`'s."""
        written = self.written_id(item)
        return item if written == article_id(item) else dataclasses.replace(item, id=written)

    def add(
        self,
        path: str,
        *,
        title: str,
        source: str,
        url: str,
        id: str,
        own_id: bool,
        slug: str,
        moment: object = None,
        summary: str = "",
    ) -> None:
        day = local_day(moment, self.zone)
        known = Known(path, anchor(url), own_id, outlet_link(url), day, bool(url))
        if url:
            self.pages.setdefault(canonical_url(url), []).append(known)
        self.ids.setdefault(id, path)
        self.titles.setdefault(title_key(title, source), []).append(known)
        if (said := wording_key(summary, source)) != NO_SUMMARY:
            self.summaries.setdefault(said, []).append(known)
        self.slugs.add(slug)

    def add_new(self, path: str, item: NewArticle, slug: str) -> None:
        self.add(
            path,
            title=item.title,
            source=item.source,
            url=item.url,
            id=article_id(item),
            own_id=bool(item.id),
            slug=slug,
            moment=item.date,
            summary=item.summary,
        )


def local_day(moment: object, zone: tzinfo) -> date | None:
    """The day ``moment`` (a date, a date-time, or one written in ISO 8601, as a front matter
    the build refuses may hold it) falls on where the site is; None when it says none."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.strip())
        except ValueError:
            return None
    if isinstance(moment, datetime):
        try:
            return moment.astimezone(zone).date() if moment.tzinfo else moment.date()
        except OverflowError:  # at the calendar's ends
            return moment.date()
    return moment if isinstance(moment, date) else None


# A word of a summary: its Markdown's marks, escapes, quotes and line breaks are none.
_WORD = re.compile(r"\w+")
# Fewer words say too little to tell one article from another ("Foto", "Video en vivo").
SUMMARY_WORDS = 8
NO_SUMMARY = b""


def wording_key(summary: str, source: str) -> bytes:
    """A digest of a summary's words, in order and folded (case, letters' forms), and of its
    outlet: one text pasted twice, or typed again with other quotes, line breaks or Markdown
    escapes, has the same. ``NO_SUMMARY`` for a summary of fewer than ``SUMMARY_WORDS``."""
    words = _WORD.findall(unicodedata.normalize("NFC", summary).casefold())
    if len(words) < SUMMARY_WORDS:
        return NO_SUMMARY
    text = "\n".join([" ".join(source.casefold().split()), *words])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def one_story(one: Known, other: Known) -> bool:
    """Whether two articles of one title and outlet, one without a link, may be one story
    by their days: both dated as published (a Google News link that hides the outlet's), or
    both by digests, at most ``SAME_STORY_DAYS`` apart; one of each, when the article was
    published by the digest's day (a digest may sum up weeks; it cannot sum up what came
    out later). An article whose day is not known may be any (an editor may be halfway
    through its front matter)."""
    if one.day is None or other.day is None:
        return True
    if one.published == other.published:
        return abs(one.day - other.day) <= SAME_STORY_DAYS
    published, digest = (one.day, other.day) if one.published else (other.day, one.day)
    return published - digest <= SAME_STORY_DAYS


def outlet_link(url: str) -> bool:
    """Whether ``url`` leads to the outlet's page; a Google News link whose target could not be
    read does not, so the same title from the outlet's own feed is the same article."""
    return bool(url) and not is_google_news(url)


def different_anchors(one: Known, other: Known) -> bool:
    """Two anchors into one page (a live blog's posts) are two articles when each has its id."""
    return bool(one.anchor and other.anchor and one.anchor != other.anchor) and (
        one.own_id and other.own_id
    )


def article_id(item: NewArticle) -> str:
    """The id an importer writes into the new file: the item's own, else the one id rule."""
    return item.id or derived_id(item.url, item.source, item.title)


# A title pasted from a web page and typed by hand differ in their quotes: ’ and ', “ and ".
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'}
)


def title_key(title: str, source: str) -> tuple[str, str]:
    """A title and outlet as two spellings of one article compare: letters composed (NFC),
    soft hyphens, case and quotes' shapes aside."""
    folded = unicodedata.normalize("NFC", title.replace("\u00ad", "")).translate(_QUOTES).casefold()
    return (" ".join(folded.split()), " ".join(source.casefold().split()))


def index_content(content: Path, config: Config) -> ExistingContent:
    """Every article file in ``content``, its front matter checked with the build's schema.

    The summaries are not rendered: recognising an article needs only its front matter.
    """
    schema = article_fields(config.site.time_zone)
    index = ExistingContent(zone=config.site.time_zone)
    for path in article_files(content):
        shown = path.as_posix()
        try:
            text = read_bytes(path, INDEX_READ_LIMIT).decode("utf-8", "replace")
        except InputFileError:
            continue  # not an article: its name is still taken, and never overwritten
        try:
            parsed = articlefile.parse(text, shown)
        except articlefile.ArticleFileError:  # an editor may be halfway through an edit
            if found := scanned(text):
                index_article(index, shown, found, written_id=bool(found["id"]))
            continue
        data = parsed.front_matter
        clean = f.check_mapping(data, schema, shown, Report(), what="front matter")
        values = clean or as_text(data)
        index_article(index, shown, values, written_id="id" in data, summary=parsed.body)
    return index


def as_text(data: Mapping[str, Any]) -> dict[str, str]:
    """What a front matter the build rejects today says, as far as it can be read."""
    return {key: str(data.get(key) or "").strip() for key in READ_KEYS}


_KEY_LINE = re.compile(rf"^({'|'.join(READ_KEYS)})[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def scanned(text: str) -> dict[str, str]:
    """What a front matter YAML cannot read says of the keys that recognise an article (and
    of its date), line by line (``title: "Unclosed quote``): an article an editor is still
    fixing is never imported a second time. Empty when it says nothing of them."""
    found = dict.fromkeys(READ_KEYS, "")
    for match in _KEY_LINE.finditer(text.split("\n---", 1)[0]):
        key, value = match.groups()
        if not found[key]:
            found[key] = value.strip("\"'").strip()
    return found if any(found[key] for key in RECOGNISING) else {}


def index_article(
    index: ExistingContent,
    shown: str,
    values: Mapping[str, Any],
    *,
    written_id: bool,
    summary: str = "",
) -> None:
    title, source, url = values["title"] or "", values["source"] or "", values["url"] or ""
    derived = derived_id(url, source, title)
    id = values["id"] or derived
    index.add(
        shown,
        title=title,
        source=source,
        url=url,
        id=id,
        own_id=written_id and id != derived,
        slug=article_slug(values["slug"], title),
        moment=values.get("date"),
        summary=summary,
    )
