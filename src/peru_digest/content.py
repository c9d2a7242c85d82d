"""Article files → validated :class:`Article` records (front matter + Markdown summary)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from slugify import slugify

from . import fields as f
from .config import Config, load_config
from .errors import Problem
from .markup import MarkdownRenderer
from .model import Article, Site
from .topics import TopicMatcher
from .yamlio import Located, YamlSyntaxError, load_yaml

FENCE = "---"
NO_TOPIC_HINT = "add `topics: [...]`, or keywords to topics.yaml that its text contains"
DUPLICATE_HINTS = {
    "slug": "give one of them a distinct `slug:`",
    "url": "remove the duplicate article, or correct its `url:`",
    "id": "give the newer article a new `id:`, or delete its `id:` line",
}
ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class Parts:
    """A content file split into its front matter and body."""

    front_matter: str
    body: str
    first_line: int  # the file line of the front matter's first line


def load_site(
    content: Path,
    problems: list[Problem],
    base_url: str | None = None,
    warnings: list[Problem] | None = None,
) -> Site | None:
    """Read settings and every article; None (with every problem listed) if anything is wrong.

    Warnings (an article that ends with no topic) go to ``warnings`` and do not stop a build.
    """
    config = load_config(content, problems, base_url)
    if config is None:
        return None
    reader = ArticleReader(content, config, problems, [] if warnings is None else warnings)
    articles = reader.read_all()
    if problems:
        return None
    return Site(config.site, config.topics, config.sources, newest_first(articles))


def article_files(content: Path) -> Iterator[Path]:
    """Every ``.md`` file under ``content/articles``, in a stable order."""
    return iter(sorted((content / ARTICLES_DIR).rglob("*.md")))


@functools.cache
def article_fields(zone: ZoneInfo) -> tuple[f.Field, ...]:
    return (
        f.Field("title", f.text, hint="add `title: The article's headline`"),
        f.Field("date", functools.partial(f.moment, zone=zone), hint="add `date: 2021-07-28`"),
        f.Field("source", f.text, hint="add `source:` with the outlet's name from sources.yaml"),
        f.Field("authors", f.text_list, required=False, default=()),
        f.Field("url", f.http_url, hint="add `url:` with the link to the whole article"),
        f.Field("topics", f.text_list, required=False, default=()),
        f.Field("slug", f.slug, required=False),
        f.Field("id", f.text, required=False),
        f.Field("updated", functools.partial(f.moment, zone=zone), required=False),
        f.Field("draft", f.boolean, required=False, default=False),
    )


class ArticleReader:
    """Reads article files against one configuration, collecting problems and warnings."""

    def __init__(
        self, content: Path, config: Config, problems: list[Problem], warnings: list[Problem]
    ) -> None:
        self.content = content
        self.config = config
        self.problems = problems
        self.warnings = warnings
        self.render = MarkdownRenderer()
        self.schema = article_fields(config.site.time_zone)
        self.matcher = TopicMatcher.from_topics(config.topics.values())

    def read_all(self) -> list[Article]:
        articles = []
        lines: dict[str, Located] = {}
        for path in article_files(self.content):
            found = self.read(path)
            if found is not None:
                articles.append(found[0])
                lines[found[0].path] = found[1]
        check_unique(articles, self.content, lines, self.problems)
        return articles

    def read(self, path: Path) -> tuple[Article, Located] | None:
        """One article and its front matter's line numbers, or None when it has problems."""
        shown = path.as_posix()
        parts = split_file(path, self.problems)
        if parts is None:
            return None
        data = parse_front_matter(parts, shown, self.problems)
        if data is None:
            return None
        clean = f.check_mapping(data, self.schema, shown, self.problems, what="front matter")
        if not references_ok(data, shown, self.config, self.problems) or clean is None:
            return None
        zone = self.config.site.time_zone
        topics = clean["topics"] or self.matcher.suggest(f"{clean['title']}\n{parts.body}")
        if not topics:
            self.warnings.append(Problem(shown, data.line, "no topic", NO_TOPIC_HINT))
        article = Article(
            path=path.relative_to(self.content).as_posix(),
            title=clean["title"],
            date=clean["date"].astimezone(zone),
            source=clean["source"],
            authors=clean["authors"],
            url=clean["url"],
            topics=topics,
            slug=clean["slug"] or slugify(clean["title"]),
            body=parts.body,
            summary_html=self.render(parts.body),
            id=clean["id"] or default_id(clean["url"]),
            updated=clean["updated"] and clean["updated"].astimezone(zone),
            draft=clean["draft"],
            auto_topics=not clean["topics"],
        )
        return article, data


def default_id(url: str) -> str:
    """The feed id of an article whose front matter has none; importers write it down."""
    return uuid.uuid5(uuid.NAMESPACE_URL, url).urn


def split_file(path: Path, problems: list[Problem]) -> Parts | None:
    """Split ``---`` front matter from the body; a problem and None when the fences are wrong."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(
            Problem(shown, None, f"not UTF-8 text ({error.reason})", "save it as UTF-8")
        )
        return None
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != FENCE:
        problems.append(
            Problem(
                shown,
                1,
                "missing front matter: the file must start with a `---` line",
                "did you forget to add `---` above the title?",
            )
        )
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            body = "\n".join(lines[index + 1 :]).strip()
            return Parts("\n".join(lines[1:index]), body, first_line=2)
    problems.append(
        Problem(
            shown,
            1,
            "front matter is not closed",
            "add a `---` line after the last front-matter key, before the summary",
        )
    )
    return None


def parse_front_matter(parts: Parts, shown: str, problems: list[Problem]) -> Located | None:
    try:
        data = load_yaml(parts.front_matter)
    except YamlSyntaxError as error:
        line = None if error.line is None else error.line + parts.first_line - 1
        problems.append(Problem(shown, line, error.message, "check the quotes and indentation"))
        return None
    if not isinstance(data, Located):
        problems.append(Problem(shown, parts.first_line, "front matter must be `key: value` lines"))
        return None
    shift_lines(data, parts.first_line - 1)
    return data


def shift_lines(data: Located, offset: int) -> None:
    """Make YAML line numbers count from the top of the file."""
    data.line += offset
    data.key_lines = {key: line + offset for key, line in data.key_lines.items()}


def references_ok(data: Located, shown: str, config: Config, problems: list[Problem]) -> bool:
    """The source and topics named in the front matter must be declared.

    Checked on the raw values, so they are reported even when other fields are wrong.
    """
    before = len(problems)
    source = data.get("source")
    if isinstance(source, str) and source.strip() and source.strip() not in config.sources:
        problems.append(
            Problem(
                shown,
                data.line_of("source"),
                f"unknown source `{source.strip()}`",
                "declare it in sources.yaml, or " + f.closest(source.strip(), config.sources),
            )
        )
    topics = data.get("topics")
    for topic in topics if isinstance(topics, list) else []:
        if isinstance(topic, str) and topic not in config.topics:
            problems.append(
                Problem(
                    shown,
                    data.line_of("topics"),
                    f"unknown topic `{topic}`",
                    "declare it in topics.yaml, or " + f.closest(topic, config.topics),
                )
            )
    return len(problems) == before


def check_unique(
    articles: list[Article], content: Path, lines: dict[str, Located], problems: list[Problem]
) -> None:
    """No two articles may share a slug, a URL or a feed id."""
    for key in ("slug", "url", "id"):
        first: dict[str, Article] = {}
        for article in articles:
            value = getattr(article, key)
            located = lines[article.path]
            if value not in first:
                first[value] = article
            elif key != "id" or "id" in located:  # a derived id repeats only a repeated url
                problems.append(
                    Problem(
                        (content / article.path).as_posix(),
                        located.line_of(key if key in located else "title"),
                        f"same {key} as {(content / first[value].path).as_posix()}: {value}",
                        DUPLICATE_HINTS[key],
                    )
                )


def newest_first(articles: list[Article]) -> tuple[Article, ...]:
    """Newest first; articles of the same moment by slug, so the order never varies."""
    by_slug = sorted(articles, key=lambda a: a.slug)
    return tuple(sorted(by_slug, key=lambda a: a.date, reverse=True))
