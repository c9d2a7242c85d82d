"""Article files → validated :class:`Article` records and their summaries."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from slugify import slugify

from . import articlefile
from . import fields as f
from .config import Config, load_config
from .errors import Problem, Report
from .markup import MarkdownRenderer, plain_text
from .model import Article, Site, Summary
from .topics import TopicMatcher
from .yamlio import Located

NO_TOPIC_HINT = "add `topics: [...]`, or keywords to topics.yaml that its text contains"
NO_LINK_HINT = "add `url:` with the link to the whole article; until then its page has no link"
DUPLICATE_HINTS = {
    "slug": "give one of them a distinct `slug:`",
    "url": "remove the duplicate article, or correct its `url:`",
    "id": "give the newer article a new `id:`, or delete its `id:` line",
}
ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class Loaded:
    """One article as read from its file, with the lines its unique keys were written on."""

    article: Article
    summary: Summary
    lines: Mapping[str, int]  # "title", "slug", "url", "id" → line; only keys written


def load_site(content: Path, report: Report, base_url: str | None = None) -> Site:
    """Read settings and every article; every problem in any file ends the run.

    Warnings (an article that ends with no topic) go to ``report`` and do not stop a build.
    """
    config = load_config(content, report, base_url)
    reader = ArticleReader(content, config)
    loaded = [found for path in article_files(content) if (found := reader.read(path, report))]
    check_unique(loaded, content, report)
    report.check()
    summaries = {item.article.summary_key: item.summary for item in loaded}
    return Site(
        config.site,
        config.topics,
        config.sources,
        newest_first(item.article for item in loaded),
        MappingProxyType(summaries),
    )


def article_files(content: Path) -> Iterator[Path]:
    """Every ``.md`` file under ``content/articles``, in a stable order."""
    return iter(sorted((content / ARTICLES_DIR).rglob("*" + articlefile.SUFFIX)))


@functools.cache
def article_fields(zone: ZoneInfo) -> tuple[f.Field, ...]:
    return (
        f.Field("title", f.text, hint="add `title: The article's headline`"),
        f.Field("date", functools.partial(f.moment, zone=zone), hint="add `date: 2021-07-28`"),
        f.Field("source", f.text, hint="add `source:` with the outlet's name from sources.yaml"),
        f.Field("authors", f.text_list, required=False, default=()),
        f.Field("url", f.optional_http_url, required=False, default=""),
        f.Field("topics", f.text_list, required=False, default=()),
        f.Field("slug", f.slug, required=False),
        f.Field("id", f.text, required=False),
        f.Field("updated", functools.partial(f.moment, zone=zone), required=False),
        f.Field("draft", f.boolean, required=False, default=False),
    )


class ArticleReader:
    """Reads article files against one configuration."""

    def __init__(self, content: Path, config: Config) -> None:
        self.content = content
        self.config = config
        self.render = MarkdownRenderer()
        self.schema = article_fields(config.site.time_zone)
        self.matcher = TopicMatcher.from_topics(config.topics.values())

    def read(self, path: Path, report: Report) -> Loaded | None:
        """One article, or None when its file has problems (all of them reported)."""
        shown = path.as_posix()
        try:
            parsed = articlefile.parse(path.read_text(encoding="utf-8"), shown)
        except UnicodeDecodeError as error:
            report.problem(shown, None, f"not UTF-8 text ({error.reason})", "save it as UTF-8")
            return None
        except articlefile.ArticleFileError as error:
            report.problems.append(error.problem)
            return None
        data = parsed.front_matter
        clean = f.check_mapping(data, self.schema, shown, report, what="front matter")
        if not self.references_ok(data, shown, report) or clean is None:
            return None
        topics = clean["topics"] or self.matcher.suggest(f"{clean['title']}\n{parsed.body}")
        if not topics:
            report.warn(shown, data.line, "no topic", NO_TOPIC_HINT)
        if not clean["url"]:
            report.warn(shown, data.line_of("url"), "no link to the whole article", NO_LINK_HINT)
        zone = self.config.site.time_zone
        summary = self.summary(parsed.body)
        article = Article(
            path=path.relative_to(self.content).as_posix(),
            title=clean["title"],
            date=clean["date"].astimezone(zone),
            source=clean["source"],
            authors=clean["authors"],
            url=clean["url"],
            topics=topics,
            slug=clean["slug"] or slugify(clean["title"]),
            id=clean["id"] or articlefile.derived_id(clean["url"], clean["source"], clean["title"]),
            summary_key=summary_key(parsed.body),
            updated=clean["updated"] and clean["updated"].astimezone(zone),
            draft=clean["draft"],
            auto_topics=not clean["topics"],
        )
        lines = {key: data.line_of(key) for key in ("title", *DUPLICATE_HINTS) if key in data}
        return Loaded(article, summary, lines)

    def summary(self, markdown: str) -> Summary:
        html = self.render(markdown)
        return Summary(markdown, html, plain_text(html))

    def references_ok(self, data: Located, shown: str, report: Report) -> bool:
        """The source and topics named in the front matter must be declared.

        Checked on the raw values, so they are reported even when other fields are wrong.
        """
        config = self.config
        unknown: list[tuple[str, f.FieldError]] = []
        source = data.get("source")
        name = source.strip() if isinstance(source, str) else ""
        if name and name not in config.sources:
            error = f.unknown_reference("source", name, config.sources, "sources.yaml")
            unknown.append(("source", error))
        topics = data.get("topics")
        for topic in topics if isinstance(topics, list) else []:
            if isinstance(topic, str) and topic not in config.topics:
                error = f.unknown_reference("topic", topic, config.topics, "topics.yaml")
                unknown.append(("topics", error))
        for key, error in unknown:
            report.problem(shown, data.line_of(key), error.message, error.hint)
        return not unknown


def summary_key(markdown: str) -> str:
    """Where a summary is kept: the same text always has the same key."""
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).hexdigest()


def check_unique(loaded: Iterable[Loaded], content: Path, report: Report) -> None:
    """No two articles may share a slug, a URL or a feed id."""
    items = list(loaded)
    for key, hint in DUPLICATE_HINTS.items():
        first: dict[str, Loaded] = {}
        for item in items:
            value = getattr(item.article, key)
            if not value:  # articles without a link do not share one
                continue
            if value not in first:
                first[value] = item
            elif key != "id" or "id" in item.lines or not item.article.url:
                # a derived id repeats a repeated url, which is reported already
                other = (content / first[value].article.path).as_posix()
                report.problems.append(
                    Problem(
                        (content / item.article.path).as_posix(),
                        item.lines.get(key, item.lines["title"]),
                        f"same {key} as {other}: {value}",
                        hint,
                    )
                )


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Newest first; articles of the same moment by slug, so the order never varies."""
    by_slug = sorted(articles, key=lambda a: a.slug)
    return tuple(sorted(by_slug, key=lambda a: a.date, reverse=True))
