"""A link checker for built sites: every internal ``href`` and ``src`` must lead to a file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from .markup import urls_in


def links_in(page: Path) -> list[str]:
    return urls_in(page.read_text(encoding="utf-8"))


def broken_links(site: Path, base_url: str) -> list[tuple[str, str]]:
    """``(page, link)`` for each internal link that leads to no file in ``site``."""
    return [(page, link) for page, link, _ in broken_targets(site, base_url)]


def broken_targets(site: Path, base_url: str) -> list[tuple[str, str, Path]]:
    """``(page, link, the file it leads to)`` for each internal link to no file in ``site``."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in links_in(page):
            target = resolve(site, page, link, base_url)
            if target is not None and not target.is_file():
                broken.append((page.relative_to(site).as_posix(), link, target))
    return broken


def resolve(site: Path, page: Path, link: str, base_url: str) -> Path | None:
    """The file a link leads to, or None for links that leave the site."""
    root = urlsplit(base_url).path or "/"
    if link.startswith(base_url):
        link = root + link[len(base_url) :]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
        return None
    path = unquote(parts.path)
    if path.startswith(root):  # root-relative, as on the 404 page
        return _file_at(site / path[len(root) :], path)
    if path.startswith("/"):  # on the same host but outside the site: nothing of ours
        return site / "(outside the site)" / path.lstrip("/")
    return _file_at(page.parent / path, path)


def _file_at(target: Path, path: str) -> Path:
    target = target.resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target
