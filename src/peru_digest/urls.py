"""Every rule for slugs, URL paths and output files, in one place so links and files agree.

A *path* is relative to the site root: ``""`` is the home page, ``"topics/"`` a folder page
(written as ``topics/index.html``), ``"feed.xml"`` a file.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from .model import Article

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# Article pages are the only pages three folders deep (YYYY/MM/slug/); the search index reads
# just these, instead of every list page of the site.
ARTICLE_FILES_GLOB = "*/*/*/index.html"


def article_path(article: Article) -> str:
    return f"{month_path(article.date.year, article.date.month)}{article.slug}/"


def topic_path(slug: str) -> str:
    return f"topics/{slug}/"


def source_path(slug: str) -> str:
    return f"sources/{slug}/"


def year_path(year: int) -> str:
    return f"{year:04d}/"


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def numbered_page(path: str, number: int) -> str:
    """Page ``number`` of a paginated list: the list's own path for page 1, then ``page/N/``."""
    return path if number == 1 else f"{path}page/{number}/"


def output_file(path: str) -> str:
    """The file a path is written to."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def root_from(path: str) -> str:
    """The relative prefix that leads from the page at ``path`` back to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


def root_path(base_url: str) -> str:
    """The site root as an address on its own host, e.g. ``/peru/``: for pages served anywhere."""
    return urlsplit(base_url).path or "/"


def absolute(base_url: str, path: str) -> str:
    """The public URL of a path; ``base_url`` ends with ``/``."""
    return base_url + path


def day_label(moment: date) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def rfc822(moment: datetime) -> str:
    """RSS dates; English names whatever the machine's locale."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    offset = moment.strftime("%z") or "+0000"
    return (
        f"{days[moment.weekday()]}, {moment.day:02d} {MONTHS[moment.month - 1][:3]} "
        f"{moment.year:04d} {moment:%H:%M:%S} {offset}"
    )


def rfc3339(moment: datetime) -> str:
    return moment.isoformat()
