"""Links as imported: tracking removed for storing, one canonical form for comparing.

An outlet shares the same page under many addresses (http or https, a default port, a trailing
slash, ``utm_*`` and other trackers). ``clean_link`` is what an article file keeps;
``canonical_url`` is what two links are compared by.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

from ..fields import is_http_url

TRACKING_PREFIXES = ("utm_", "at_", "ns_", "mc_", "_hs", "oly_", "pk_", "mtm_", "itm_")
TRACKING_PARAMETERS = frozenset({
    "_ga", "cmp", "cmpid", "dclid", "fbclid", "gbraid", "gclid", "icid", "igshid", "ito",
    "mkt_tok", "msclkid", "ncid", "ocid", "ref_src", "ref_url", "spm", "twclid", "vero_id",
    "wbraid", "wt.mc_id", "wt_mc", "xtor", "yclid",
})  # fmt: skip
DEFAULT_PORTS = (None, "", "80", "443")
_NETLOC = re.compile(r"(?P<user>.*@)?(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>\d*))?")


def clean_link(url: str) -> str:
    """``url`` as an article file keeps it: without tracking parameters or a tracking
    fragment (``#xtor=…``); everything else as the outlet wrote it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    fragment = "" if is_tracking_query(parts.fragment) else parts.fragment
    return urlunsplit(parts._replace(query=untracked_query(parts.query), fragment=fragment))


def canonical_url(url: str) -> str:
    """The form every link to the same page shares, to recognise it however it was shared.

    http and https become https; the host is lowercased, without ``www.``; default ports,
    tracking parameters, the fragment, a trailing slash and the marks of a page's AMP copy
    (``/amp/``, ``?amp=1``, ``?outputType=amp``) go; escapes are written one way (``%2D`` is
    ``-``, ``%c3%a1`` and ``á`` are ``%C3%A1``). Other schemes only lose their fragment.
    """
    url = trimmed(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return trimmed(urlunsplit(parts._replace(fragment="")))
    path = without_amp(escaped_one_way(parts.path).rstrip("/"))
    query = untracked_query(escaped_one_way(parts.query)).split("&")
    query_kept = "&".join(pair for pair in query if not amp(pair))
    netloc = without_www(canonical_netloc(parts.netloc))
    return urlunsplit(("https", netloc, path, query_kept, ""))


def without_www(host: str) -> str:
    """The host without its leading ``www.``: the same site's."""
    while host.startswith("www."):
        host = host.removeprefix("www.")
    return host


def without_amp(path: str) -> str:
    while path.endswith("/amp"):
        path = path.removesuffix("/amp").rstrip("/")
    return path


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})|[^\x00-\x7f]+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def escaped_one_way(text: str) -> str:
    """Percent escapes as RFC 3986 compares them: an unreserved character as itself, others
    in capitals, and text beyond ASCII escaped as its UTF-8 bytes (as browsers send it)."""

    def one_way(found: re.Match[str]) -> str:
        if found[1] is None:
            return quote(found[0], safe="", errors="surrogatepass")
        character = chr(int(found[1], 16))
        return character if character in _UNRESERVED else f"%{found[1].upper()}"

    return _ESCAPE.sub(one_way, text)


def amp(pair: str) -> bool:
    """Whether a query parameter asks for the page's AMP copy: ``amp``, ``amp=1``,
    ``outputType=amp`` (Arc XP)."""
    name, _, value = (unquote_plus(part).lower() for part in pair.partition("="))
    return name == "amp" or (name == "outputtype" and value == "amp")


def anchor(url: str) -> str:
    """The fragment that points into a page (``#post-1205``); "" for none or a tracker."""
    try:
        fragment = urlsplit(trimmed(url)).fragment
    except ValueError:
        return ""
    return "" if is_tracking_query(fragment) else fragment


def trimmed(url: str) -> str:
    """Without the spaces and control characters around it, which urlsplit would partly drop."""
    start, end = 0, len(url)
    while start < end and (url[start] <= " " or url[start].isspace()):
        start += 1
    while end > start and (url[end - 1] <= " " or url[end - 1].isspace()):
        end -= 1
    return url[start:end]


def untracked_query(query: str) -> str:
    """The query without tracking parameters; the others keep their order and spelling."""
    kept = [pair for pair in query.split("&") if pair and not is_tracking(pair)]
    return "&".join(kept)


def is_tracking_query(text: str) -> bool:
    """Whether ``text`` is made only of tracking parameters (``xtor=RSS-3``)."""
    pairs = [pair for pair in text.split("&") if pair]
    return bool(pairs) and all("=" in pair and is_tracking(pair) for pair in pairs)


# ``ref`` names a page's referrer as often as it names something real (a branch, a product):
# only the feed's own referrer values are tracking.
FEED_REFERRERS = frozenset({"rss", "feed", "rss2", "atom", "feedly", "newsletter"})


def is_tracking(pair: str) -> bool:
    name, _, value = (unquote_plus(part).lower() for part in pair.partition("="))
    if name == "ref":
        return value in FEED_REFERRERS
    if name == "source":  # Medium's `source=rss-8f2b…------2`; other sources are real
        return value.startswith("rss")
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def canonical_netloc(netloc: str) -> str:
    """The host lowercased and any default port (80, 443) dropped; user info kept."""
    found = _NETLOC.fullmatch(netloc)
    if found is None:
        return netloc.lower()
    port = "" if found["port"] in DEFAULT_PORTS else ":" + found["port"]
    return (found["user"] or "") + unicode_host(found["host"].lower()) + port


def unicode_host(host: str) -> str:
    """A host as its letters, each ``xn--`` label decoded (``xn--caf-dma.pe`` is
    ``café.pe``), in NFC: one host however a feed or an editor wrote it. Decoding is
    exact, where encoding is not (IDNA 2003 maps ``ß`` to ``ss``, another domain now)."""
    labels = []
    for label in host.split("."):
        labels.append(_decoded(label) if label.startswith("xn--") else label)
    return unicodedata.normalize("NFC", ".".join(labels))


def _decoded(label: str) -> str:
    """An ``xn--`` label's letters; as written when they are no host's (not punycode)."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode").lower()
    except UnicodeError:
        return label
    return decoded if decoded and all(c.isalnum() or c == "-" for c in decoded) else label


def web_address(url: str) -> str:
    """``url`` if it is an absolute http(s) URL the build takes as a link, else ""."""
    return url if is_http_url(url) else ""


def site_root(url: str) -> str:
    """The scheme and host of a web address, as a homepage: ``https://wayka.pe/``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def joined(base: str, link: str) -> str:
    """``link`` made absolute against ``base``; as it is when either cannot be parsed."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link
