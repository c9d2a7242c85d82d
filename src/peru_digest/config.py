"""``site.yaml``, ``topics.yaml`` and ``sources.yaml`` → frozen, typed configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from . import fields as f
from .errors import Problem, Report
from .i18n import missing_catalog
from .inputfile import MAX_SETTINGS_BYTES, InputFileError, read_text
from .lint import LintRules, lint_rules
from .model import SiteConfig, Source, Topic
from .urls import slug_for
from .weeks import WEEKDAYS
from .yamlio import YamlSyntaxError, clip, line_of_document, line_of_item, load_yaml

SITE_FIELDS = (
    f.Field("title", f.text, hint="add `title: Peru Digest`"),
    f.Field("description", f.optional_prose, required=False, default=""),
    f.Field("base_url", f.site_url, hint="add `base_url: https://example.org/`"),
    f.Field("language", f.language_tag, required=False, default="en"),
    f.Field("articles_language", f.language_tag, required=False, default=""),
    f.Field("time_zone", f.time_zone, hint="add `time_zone: America/Lima`"),
    f.Field("feed_items", f.positive_int, required=False, default=20),
    f.Field("page_size", f.positive_int, required=False, default=20),
    f.Field("feed_content", f.choice("full", "summary"), required=False, default="full"),
    f.Field("week_start", f.choice(*WEEKDAYS), required=False, default="monday"),
)
TOPIC_FIELDS = (
    f.Field("slug", f.slug, hint="add `slug:`, the topic's part of its address: `slug: election`"),
    f.Field("name", f.text, hint="add `name:` as the site should write it"),
    f.Field("description", f.optional_prose, required=False, default=""),
    f.Field("keywords", f.text_list, required=False, default=()),
)
SOURCE_FIELDS = (
    f.Field("name", f.text, hint="add `name:` as the site and articles' `source:` write it"),
    f.Field("homepage", f.optional_http_url, required=False, default=""),
    f.Field("description", f.optional_prose, required=False, default=""),
)

T = TypeVar("T")


SETTINGS_FILES = ("site.yaml", "topics.yaml", "sources.yaml")
BASE_URL_OPTION = "--base-url"  # where a problem with the option is reported


@dataclass(frozen=True)
class Config:
    site: SiteConfig
    topics: MappingProxyType[str, Topic]  # by slug, in file order
    sources: MappingProxyType[str, Source]  # by name, in file order
    lint: LintRules = field(default_factory=LintRules)  # site.yaml's editorial rules, for `check`


def load_config(
    content: Path, report: Report, base_url: str | None = None, *, sources_optional: bool = False
) -> Config:
    """Read the three settings files; every problem in any of them ends the run.

    ``sources_optional``: a missing or blank sources.yaml is an empty list (importers create it).
    """
    settings = read_settings(content, report, base_url, sources_optional=sources_optional)
    report.check()
    return settings.config()


@dataclass(frozen=True)
class Settings:
    """What could be read of the three settings files: None for a file with problems."""

    site: SiteConfig | None
    topics: MappingProxyType[str, Topic] | None
    sources: MappingProxyType[str, Source] | None
    lint: LintRules
    zone: ZoneInfo | None = None  # site.yaml's time_zone, if it reads (the rest may not)

    def config(self) -> Config:
        """The whole configuration (only once every file could be read)."""
        assert self.site is not None and self.topics is not None and self.sources is not None
        return Config(self.site, self.topics, self.sources, self.lint)


def read_settings(
    content: Path, report: Report, base_url: str | None = None, *, sources_optional: bool = False
) -> Settings:
    """Like :func:`load_config`, reporting problems without ending the run (but for a content
    folder that is not there), so that the articles can be checked against what was read."""
    if not content.is_dir():
        what = "is not a folder" if content.exists() else "not found"
        hint = "pass the folder of site.yaml, topics.yaml and articles/ with --content"
        report.problem(content.as_posix(), None, f"content folder {what}", hint)
        report.check()
    site, lint, zone = _load_site(content / "site.yaml", report, base_url)
    topics = load_topics(content, report)
    sources_file = content / "sources.yaml"
    sources = (
        {}
        if sources_optional and _blank(sources_file)
        else _load_list(sources_file, SOURCE_FIELDS, _source, "name", report)
    )
    return Settings(
        site,
        None if topics is None else MappingProxyType(topics),
        None if sources is None else MappingProxyType(sources),
        lint,
        zone,
    )


def load_topics(content: Path, report: Report) -> dict[str, Topic] | None:
    """Only ``topics.yaml``: what importers need to suggest topics; None when it is broken."""
    return _load_list(content / "topics.yaml", TOPIC_FIELDS, _topic, "slug", report)


def _blank(path: Path) -> bool:
    try:
        return not path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError):
        return False  # read_yaml_file reports it


class Unreadable:
    """What :func:`read_yaml_file` gives for a file it could not read (the problem is
    reported): unlike None, which is an empty file."""


UNREADABLE = Unreadable()


def read_yaml_file(path: Path, report: Report) -> Any:
    """The parsed file (None when it is empty), or UNREADABLE with a problem."""
    shown = path.as_posix()
    try:
        return load_yaml(read_text(path, MAX_SETTINGS_BYTES))
    except (InputFileError, YamlSyntaxError) as error:
        report.problem(shown, error.line, error.message, error.hint)
        return UNREADABLE


def _load_site(
    path: Path, report: Report, base_url: str | None
) -> tuple[SiteConfig | None, LintRules, ZoneInfo | None]:
    """site.yaml's settings (None when it has problems), its lint rules, and its time zone
    (when that field reads, though others may not)."""
    data = read_yaml_file(path, report)
    override = _base_url_option(base_url, report)
    if data is UNREADABLE:
        return None, LintRules(), None
    lint = lint_rules(data, path.as_posix(), report)  # a mapping of its own, at its own lines
    schema: tuple[f.Field, ...] = SITE_FIELDS
    if override is not None and isinstance(data, dict):  # the option replaces site.yaml's
        data.pop("base_url", None)
        schema = tuple(field for field in SITE_FIELDS if field.name != "base_url")
    clean = f.check_mapping(
        data, schema, path.as_posix(), report, what="site.yaml", checked_apart=("lint",),
        line=line_of_document(data),
    )  # fmt: skip
    if clean is None or override == "":
        return None, lint, _time_zone_in(data)
    clean["base_url"] = (override or clean["base_url"]).rstrip("/") + "/"
    clean["articles_language"] = clean["articles_language"] or clean["language"]
    _warn_untranslated(clean["language"], data.line_of("language"), path.as_posix(), report)
    return SiteConfig(**clean), lint, clean["time_zone"]


def _time_zone_in(data: Any) -> ZoneInfo | None:
    try:
        return f.time_zone(data["time_zone"]) if isinstance(data, dict) else None
    except (f.FieldError, KeyError):
        return None


def _warn_untranslated(language: str, line: int | None, path: str, report: Report) -> None:
    """A language the interface cannot speak: its pages would mix it with English words."""
    name = missing_catalog(language)
    if name is None:
        return
    report.warn(
        path,
        line,
        f"no {name} translation of the interface: its words and dates stay in English,"
        f" on pages marked `{language}`",
        "add its catalog (README: Translating the interface); until then, screen readers"
        f" read those English words as `{language}`",
    )


def _base_url_option(base_url: str | None, report: Report) -> str | None:
    """``--base-url``, checked as itself: a mistake there is not site.yaml's.

    None when the option was not given, "" when it is wrong (and reported).
    """
    if base_url is None:
        return None
    try:
        return f.site_url(base_url)
    except f.FieldError as error:
        report.problem(BASE_URL_OPTION, None, error.message, error.hint)
        return ""


def not_a_list(shown: str, key: str, data: object) -> Problem:
    """The problem of a settings file that is not a list of entries, each starting ``key``."""
    return Problem(
        shown,
        line_of_document(data),
        f"must be a list of entries, each starting `- {key}:`",
        f"write each entry as a `- {key}: …` line, its other keys below it, indented two spaces",
    )


def _load_list(
    path: Path,
    schema: tuple[f.Field, ...],
    make: Callable[[dict[str, Any]], T],
    key: str,
    report: Report,
) -> dict[str, T] | None:
    data = read_yaml_file(path, report)
    shown = path.as_posix()
    if data is UNREADABLE:
        return None
    if data is None:  # an empty file: nothing declared yet
        data = []
    if not isinstance(data, list):
        report.problems.append(not_a_list(shown, key, data))
        return None
    entries = Report()
    found: dict[str, T] = {}
    named: set[str] = set()  # every entry's name, even one with other problems
    by_slug: dict[str, str] = {}  # pages are named by slug: two names may not share one
    for index, entry in enumerate(data):
        valid: dict[str, Any] = {}
        clean = f.check_mapping(
            entry, schema, shown, entries, what="an entry", valid=valid,
            line=line_of_item(data, index),
        )  # fmt: skip
        name = valid.get(key) or None  # a missing name (its default) is no name
        if name in named:
            entries.problem(
                shown,
                entry.line_of(key),
                f"`{clip(name)}` is listed twice",
                "delete one of the two entries",
            )
            continue
        if name:
            named.add(name)
        if clean is None:
            continue
        made, line = make(clean), entry.line_of(key)
        slug = str(getattr(made, "slug", clean[key]))
        if slug in by_slug:
            message = f"`{clean[key]}` and `{by_slug[slug]}` would share the address `{slug}`"
            entries.problem(shown, line, message, "rename one of them")
        found[clean[key]] = made
        by_slug.setdefault(slug, clean[key])
    report.merge(entries)
    return None if entries.problems else found


def _topic(clean: dict[str, Any]) -> Topic:
    return Topic(**clean)


def _source(clean: dict[str, Any]) -> Source:
    return Source(slug=slug_for(clean["name"], "source"), **clean)
