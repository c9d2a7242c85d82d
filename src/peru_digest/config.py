"""``site.yaml``, ``topics.yaml`` and ``sources.yaml`` → frozen, typed configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from slugify import slugify

from . import fields as f
from .errors import Problem
from .model import SiteConfig, Source, Topic
from .yamlio import YamlSyntaxError, load_yaml

SITE_FIELDS = (
    f.Field("title", f.text, hint="add `title: Peru Digest`"),
    f.Field("description", f.optional_text, required=False, default=""),
    f.Field("base_url", f.http_url, hint="add `base_url: https://example.org/`"),
    f.Field("language", f.text, required=False, default="en"),
    f.Field("time_zone", f.time_zone, hint="add `time_zone: America/Lima`"),
    f.Field("feed_items", f.positive_int, required=False, default=20),
    f.Field("page_size", f.positive_int, required=False, default=20),
    f.Field("feed_content", f.choice("full", "summary"), required=False, default="full"),
)
TOPIC_FIELDS = (
    f.Field("slug", f.slug),
    f.Field("name", f.text),
    f.Field("description", f.optional_text, required=False, default=""),
    f.Field("keywords", f.text_list, required=False, default=()),
)
SOURCE_FIELDS = (
    f.Field("name", f.text),
    f.Field("homepage", f.optional_http_url, required=False, default=""),
    f.Field("description", f.optional_text, required=False, default=""),
)

T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    site: SiteConfig
    topics: MappingProxyType[str, Topic]  # by slug, in file order
    sources: MappingProxyType[str, Source]  # by name, in file order


def load_config(
    content: Path, problems: list[Problem], base_url: str | None = None
) -> Config | None:
    """Read the three settings files; problems go to ``problems``; None if any file failed."""
    site = _load_site(content / "site.yaml", problems, base_url)
    topics = _load_list(content / "topics.yaml", TOPIC_FIELDS, _topic, "slug", problems)
    sources = _load_list(content / "sources.yaml", SOURCE_FIELDS, _source, "name", problems)
    if site is None or topics is None or sources is None:
        return None
    return Config(site, MappingProxyType(topics), MappingProxyType(sources))


def load_topics(content: Path, problems: list[Problem]) -> dict[str, Topic] | None:
    """Only ``topics.yaml``: what importers need to suggest topics."""
    return _load_list(content / "topics.yaml", TOPIC_FIELDS, _topic, "slug", problems)


def read_yaml_file(path: Path, problems: list[Problem]) -> Any:
    """The parsed file, or None (with a problem) when it is missing or not YAML."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(shown, None, "file not found", "create it; see README.md"))
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(shown, None, f"cannot read file: {error}"))
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as error:
        problems.append(Problem(shown, error.line, error.message))
        return None


def _load_site(path: Path, problems: list[Problem], base_url: str | None) -> SiteConfig | None:
    data = read_yaml_file(path, problems)
    if data is None:
        return None
    if base_url is not None and isinstance(data, dict):
        data["base_url"] = base_url
    clean = f.check_mapping(data, SITE_FIELDS, path.as_posix(), problems, what="site.yaml")
    if clean is None:
        return None
    clean["base_url"] = clean["base_url"].rstrip("/") + "/"
    return SiteConfig(**clean)


def _load_list(
    path: Path,
    schema: tuple[f.Field, ...],
    make: Callable[[dict[str, Any]], T],
    key: str,
    problems: list[Problem],
) -> dict[str, T] | None:
    data = read_yaml_file(path, problems)
    shown = path.as_posix()
    if data is None:
        return None
    if not isinstance(data, list):
        problems.append(
            Problem(shown, None, f"must be a list of entries, each starting `- {key}:`")
        )
        return None
    before = len(problems)
    found: dict[str, T] = {}
    by_slug: dict[str, str] = {}  # pages are named by slug: two names may not share one
    for entry in data:
        clean = f.check_mapping(entry, schema, shown, problems, what="an entry")
        if clean is None:
            continue
        made, line = make(clean), entry.line_of(key)
        slug = str(getattr(made, "slug", clean[key]))
        if clean[key] in found:
            problems.append(Problem(shown, line, f"`{clean[key]}` is listed twice"))
        elif slug in by_slug:
            message = f"`{clean[key]}` and `{by_slug[slug]}` would share the address `{slug}`"
            problems.append(Problem(shown, line, message, "rename one of them"))
        found[clean[key]] = made
        by_slug.setdefault(slug, clean[key])
    return found if len(problems) == before else None


def _topic(clean: dict[str, Any]) -> Topic:
    return Topic(**clean)


def _source(clean: dict[str, Any]) -> Source:
    return Source(slug=slugify(clean["name"]), **clean)
