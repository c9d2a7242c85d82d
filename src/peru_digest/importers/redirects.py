"""The outlet's own address behind a redirecting link, when the feed holds it.

FeedBurner (``feedproxy.google.com/~r/…``) puts the real address in ``feedburner:origLink``;
Google News links carry it inside their token until July 2024 (base64 of a small protobuf
message with the address in clear). Newer Google News tokens (``AU_yqL…``) only Google's
servers can resolve: those links are kept as they are.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, urlsplit

from .links import host_of, web_address

FEEDBURNER_HOSTS = frozenset({"feedproxy.google.com", "feeds.feedburner.com"})
GOOGLE_NEWS_HOST = "news.google.com"
_MAX_TOKEN = 4096


def is_feedburner(url: str) -> bool:
    return host_of(url) in FEEDBURNER_HOSTS


def is_google_news(url: str) -> bool:
    return host_of(url) == GOOGLE_NEWS_HOST


def google_news_target(url: str) -> str:
    """The outlet's address a Google News link leads to, when the link itself holds it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.path.startswith("/news/url"):  # before 2018: the address as a parameter
        return web_address(parse_qs(parts.query).get("url", [""])[0])
    token = parts.path.rsplit("/articles/", 1)[-1] if "/articles/" in parts.path else ""
    return address_in_token(token) if 0 < len(token) <= _MAX_TOKEN else ""


def address_in_token(token: str) -> str:
    """The first http(s) address among the token's length-delimited protobuf fields."""
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return ""
    at = 0
    try:
        while at < len(data):
            key, at = _varint(data, at)
            if key & 7 == 0:
                _, at = _varint(data, at)
            elif key & 7 == 2:
                length, at = _varint(data, at)
                value, at = data[at : at + length], at + length
                address = web_address(value.decode("utf-8", "replace"))
                if address:
                    return address
            else:
                return ""
    except IndexError:
        return ""
    return ""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
