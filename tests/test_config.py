"""The settings files: each mistake named with its file, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import problems_for


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "site.yaml",
            ("base_url: https://digest.test/\n", ""),
            "site.yaml:1: site.yaml is missing `base_url`\n"
            "  hint: add `base_url: https://example.org/`",
        ),
        (
            "site.yaml",
            ("America/Lima", "Lima"),
            "site.yaml:5: `time_zone` is not a known time zone: 'Lima'\n"
            "  hint: use an IANA name such as America/Lima",
        ),
        (
            "site.yaml",
            ("feed_items: 3", "feed_items: 0"),
            "site.yaml:6: `feed_items` must be a whole number of at least 1, not 0",
        ),
        (
            "site.yaml",
            ("page_size: 2", "page_size: 2\nfeed_content: everything"),
            "site.yaml:8: `feed_content` must be `full` or `summary`, not 'everything'",
        ),
        (
            "site.yaml",
            ("language: en", "langauge: en"),
            "site.yaml:4: unknown key `langauge` in site.yaml\n  hint: did you mean `language`?",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- slug: Quiet Topic"),
            "topics.yaml:5: `slug` must be a slug, not 'Quiet Topic'\n"
            "  hint: write it as `quiet-topic`",
        ),
        (
            "topics.yaml",
            ("- slug: quiet", "- slug: election"),
            "topics.yaml:5: `election` is listed twice",
        ),
        (
            "sources.yaml",
            ("- name: Lima Weekly", "- name: Daily-Andes"),
            "sources.yaml:4: `Daily-Andes` and `Daily Andes` would share the address "
            "`daily-andes`\n  hint: rename one of them",
        ),
        (
            "sources.yaml",
            ("homepage: https://andes.test/", "homepage: andes.test"),
            "sources.yaml:2: `homepage` must be an absolute http(s) URL, not 'andes.test'\n"
            "  hint: write it like https://example.org/page",
        ),
        (
            "sources.yaml",
            ("- name: Lima Weekly", "  name: Lima Weekly"),
            "sources.yaml:4: invalid YAML: found duplicate key `name`",
        ),
    ],
    ids=[
        "missing-base-url",
        "unknown-time-zone",
        "zero-feed-items",
        "bad-feed-content",
        "misspelt-key",
        "topic-slug-not-a-slug",
        "topic-twice",
        "sources-sharing-a-slug",
        "relative-homepage",
        "key-given-twice",
    ],
)
def test_each_settings_mistake_is_reported_exactly(
    site_dir: Path, file: str, change: tuple[str, str], expected: str
) -> None:
    replace_in(site_dir / file, *change)
    assert problems_for(site_dir) == [expected]


def test_a_missing_settings_file_says_what_to_do(site_dir: Path) -> None:
    (site_dir / "topics.yaml").unlink()
    assert problems_for(site_dir) == [
        "topics.yaml: file not found\n  hint: create it; see README.md"
    ]
