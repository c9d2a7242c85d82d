"""feedparser's entries → articles to import, or the reason each one is skipped.

What is kept, changed or dropped is listed in the README's "Feed import" section.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import ftfy
from slugify import slugify

from ..errors import DigestError, Problem
from ..fields import SCRIPT_OR_DATA, is_uri, url_fault
from ..inputfile import DIRECTION_CONTROLS, visible, without_controls
from ..markup import plain_text
from ..yamlio import clip
from .bylines import CONJUNCTIONS, DESKS, split_names
from .entities import references_read
from .feeddates import Moment, read_date
from .fetch import is_url
from .links import canonical_url, clean_link, host_of, joined, site_root, web_address
from .records import Candidate, NewArticle, Skipped, future_note
from .redirects import google_news_target, is_feedburner, is_google_news
from .summaries import first_sentence, opening, read_once_more, summary_html, without_title

Parsed = Mapping[str, Any]  # a feedparser dictionary: the feed's header, an entry, a detail

FEED_DATE_NOTE = "no date; the feed's date was used"
IMPORT_DAY_NOTE = "no date; the import day was used"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TITLE_NOTE = "no title; the summary's first sentence was used: review it"
FEEDBURNER_GUID_NOTE = "FeedBurner link without origLink: the guid's address was used: review it"
FEEDBURNER_NOTE = "FeedBurner link: the outlet's address is not in the feed: review it"
GOOGLE_LINK_NOTE = "Google News link: the outlet's address is not in the feed: review it"
GOOGLE_SUMMARY_NOTE = "Google News gives no summary: write one"
MEDIA_SUMMARY_NOTE = "no summary; its media's description was used: review it"
# Credits in a byline that name who took the photos or made the video, not who wrote the text
MEDIA_CREDITS = frozenset({
    "foto", "fotos", "fotografía", "fotografías", "photo", "photos", "photography", "video",
    "vídeo", "videos", "ilustración", "illustration", "infografía", "infographic", "graphics",
    "edición", "cámara", "imagen", "imágenes",
})  # fmt: skip
ROLES = frozenset({  # what a byline says an author was, after the name
    "corresponsal", "enviado", "enviada", "redactor", "redactora", "periodista", "colaborador",
    "colaboradora", "columnista", "reportero", "reportera", "editor", "editora", "correspondent",
    "reporter", "columnist", "contributor", "writer",
})  # fmt: skip
TEXT_CREDITS = frozenset({"texto", "text", "textos", "redacción", "escribe", "por", "by"})
ROLE_WORDS = ROLES | {"especial", "special", "staff", "senior", "jefe", "jefa"}
GUID_SAFE = "-._~!$&'()*+,;=:@/?"  # what a tag URI's specific part holds unencoded
CUT_SHORT = "no date, where the feed breaks off: the entry may be cut short"
OPENING_NOTE = "the feed gives the whole article: its opening was kept as the summary: review it"
GROUP_DESCRIPTION = "media_group_description"  # where feed.py files a media:group's description
# Labels of a host that name no site (www.x.com.pe, www1.folha.uol.com.br).
HOSTS = frozenset({"www", "www1", "www2", "com", "net", "org", "gob", "gov", "edu", "feeds"})
# NYT and breadcrumb-minded systems write "NYT > World > Americas", "Diario » Política".
TAGLINE_SEPARATORS = (" - ", " | ", " : ", ": ", " – ", " — ", " > ", " » ")
_TAGLINE = re.compile("|".join(map(re.escape, TAGLINE_SEPARATORS)))  # at the first one
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a percent sign that starts no escape
_MEDIUM_WRITER = re.compile(r"Stories by (?P<writer>.+) on Medium")
# A tag of the markup titles carry (inline HTML, Word's <o:p>, what sanitizing removes): not
# "A < B", nor words in angle brackets ("<Ministro>")
_TAG = re.compile(
    r"</?(?:a|abbr|b|big|br|center|cite|code|del|em|font|i|iframe|img|ins|mark|nobr|p|q|s"
    r"|small|span|strike|strong|script|style|sub|sup|tt|u|wbr"
    r"|(?:o|st[0-9]|v|w|m):[\w.-]+)(?:\s[^<>]*)?/?>",  # and Office's: o:p, st1:place…
    re.IGNORECASE,
)
WORDPRESS_SEPARATOR = " – "  # between a page's title and the site's name
# Where WordPress serves a site's own feed, below its home; and what names a section in a query
WORDPRESS_MAIN_FEEDS = frozenset({
    "", "/feed", "/rss", "/rss2", "/rdf", "/atom",
    "/wp-rss.php", "/wp-rss2.php", "/wp-rdf.php", "/wp-atom.php",
})  # fmt: skip
WORDPRESS_SECTION_QUERIES = frozenset({"cat", "tag", "author", "category_name"})
# Names content systems give for no author: Blogger's for a profile it hides, WordPress's first
# user's, and accounts that publish for the whole newsroom
JOINERS = "\u200c\u200d"
PLACEHOLDERS = frozenset({
    "unknown", "admin", "administrator", "administrador", "webmaster", "root", "editor",
})  # fmt: skip
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_AN_OUTLET_HINT = "name it with --source NAME"


@dataclass(frozen=True)
class FeedContext:
    """What an entry takes from its feed when it does not say itself."""

    location: str  # the feed's address, or "" for a file
    base: str  # the feed's link: relative entry links resolve against it
    outlet: str
    homepage: str
    feed_date: Moment | None
    today: date
    cut_short: int = 0  # the number of the entry where a feed that is not well-formed breaks off
    home_given: bool = False  # see NewArticle.home_given


def feed_context(
    parsed: Any,
    location: str,
    outlet: str | None,
    today: date,
    declared: Iterable[str],
    *,
    broken: bool = False,
) -> FeedContext:
    """The feed's link, outlet, homepage and date; DigestError when no outlet can be named."""
    feed = parsed.feed
    address = location if is_url(location) else ""
    base = joined(address, str(feed.get("link") or "").strip())
    section = wordpress_section(feed, base)
    title = text_of(feed, "title")
    name = one_line(outlet or "") or outlet_name(title, declared, section, host_of(base))
    if not name and not all(entry_outlet(entry) for entry in parsed.entries):
        problem = Problem(
            location, None, "the feed has no title to name its outlet", NOT_AN_OUTLET_HINT
        )
        raise DigestError([problem])
    feed_date = first_date(feed, ("updated", "published"))
    homepage, guessed = channel_homepage(feed, base, address)
    if is_feedburner(homepage):  # a feed proxy's address: the articles' site is the outlet's
        homepage, guessed = origin_home(parsed.entries), True
    elif (
        not guessed
        and urlsplit(homepage).path.strip("/")
        and (section or names_section_of(homepage, name, title))
    ):
        homepage, guessed = site_root(homepage), True  # a section's page: the site's is
    cut_short = len(parsed.entries) if broken else 0
    given = not guessed and not one_line(outlet or "")
    return FeedContext(address, base, name, homepage, feed_date, today, cut_short, given)


def names_section_of(page: str, name: str, title: str) -> bool:
    """Whether the channel's ``title`` is the outlet ``name`` beside the section its link,
    ``page``, ends in (``Peru | The Guardian`` and ``…/world/peru``, ``World news | The
    Guardian`` and ``…/world``, ``RPP Noticias - Política`` and ``…/politica``): the link is
    the section's page, not the outlet's home. A tagline beside the name (``BBC News Mundo -
    Noticias`` and ``…/mundo``) shares no word with the link, and says nothing of it."""
    parts = [part.strip() for part in _TAGLINE.split(title)]
    last = set(_words(unquote(urlsplit(page).path.rstrip("/").rpartition("/")[2])))
    return name in parts and any(last & set(_words(p)) for p in parts if p != name)


def _words(text: str) -> list[str]:
    """The words of a title's part or of an address's last part, as slugs, of three letters
    or more (``latin_america`` → ``latin``, ``america``)."""
    return [word for word in slugify(text, separator=" ").split() if len(word) >= 3]


def origin_home(entries: Sequence[Parsed]) -> str:
    """The site root of the first article a FeedBurner feed gives the original address of
    (``feedburner:origLink``), else none."""
    for entry in entries:
        original = web_address(str(entry.get("feedburner_origlink") or "").strip())
        if original:
            return site_root(original)
    return ""


def outlet_name(title: str, declared: Iterable[str], section: bool = False, host: str = "") -> str:
    """The channel title without its tagline (``Le Monde.fr - Actualités…`` → ``Le Monde.fr``),
    or a section's feed's without the section (``Política – Kawsachun News`` →
    ``Kawsachun News``, or ``Peru | The Guardian`` → ``The Guardian`` on the site at ``host``,
    www.theguardian.com), or the declared outlet the title starts or ends with."""
    for name in sorted(declared, key=len, reverse=True):
        rest = title[len(name) :] if title.startswith(name) else None
        if rest is not None and name_ends(rest, name, host):
            return name
        if title.endswith(name) and title[: -len(name)].endswith(TAGLINE_SEPARATORS):
            return name
    if section:  # the site's name may hold the separator too; a section's seldom does
        return title.split(WORDPRESS_SEPARATOR, 1)[1].strip()
    if medium := _MEDIUM_WRITER.fullmatch(title):  # a writer's own feed
        return f"{medium['writer']} on Medium"
    first, *later = (part.strip() for part in _TAGLINE.split(title))
    if names_site(first, host):
        return first
    return next((part for part in later if names_site(part, host)), first)  # a section first


def name_ends(rest: str, name: str, host: str) -> bool:
    """Whether a channel title that starts with the declared outlet ``name`` and goes on
    with ``rest`` is that outlet's: nothing, a tagline or a domain follows (``Le Monde.fr -
    Actualités``), or more words where the site at ``host`` is the outlet's (``Kawsachun News
    (Bolivia)`` on kawsachunnews.net, not ``Workers World Party News`` on wwp.org)."""
    if not rest or rest.startswith(TAGLINE_SEPARATORS):
        return True
    if rest[0].isalnum():
        return False
    return not rest[0].isspace() or names_site(name, host)


def names_site(name: str, host: str) -> bool:
    """Whether ``name`` is the name of the site at ``host``, written out: ``The Guardian`` of
    www.theguardian.com, ``RPP Noticias`` of rpp.pe, ``La República`` of larepublica.pe."""
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if c.isascii() and c.isalnum()
    )
    labels = [label for label in host.split(".")[:-1] if len(label) >= 3 and label not in HOSTS]
    return bool(letters) and any(letters.startswith(label) for label in labels)


def wordpress_section(feed: Parsed, link: str) -> bool:
    """Whether the feed is a WordPress site's feed of one section (a category, a tag, an
    author): WordPress titles it ``Section – Site``, where a site's main feed has the site's
    name alone (which may hold ``–`` too). Its ``link`` is the site's home either way; its own
    address (``atom:link rel="self"``) tells them apart: ``{home}/category/x/feed/`` is a
    section's, ``{home}/feed/`` the site's."""
    if not by_wordpress(feed) or WORDPRESS_SEPARATOR not in text_of(feed, "title"):
        return False
    selves = [str(x.get("href")) for x in feed.get("links") or () if x.get("rel") == "self"]
    return any(below_home(self_link, link) for self_link in selves if web_address(self_link))


def by_wordpress(feed: Parsed) -> bool:
    """Whether WordPress wrote the feed: RSS names it by its address, Atom by its name."""
    generator = feed.get("generator_detail") or {}
    addresses = (str(feed.get("generator") or ""), str(generator.get("href") or ""))
    return any(host_of(address) == "wordpress.org" for address in addresses) or (
        str(generator.get("name") or "") == "WordPress"
    )


def below_home(feed_address: str, home: str) -> bool:
    """Whether a WordPress feed's address is a section's, below the site's ``home``, not one
    of the addresses of the site's own feed (``/feed/``, ``/rss2``, ``/?feed=rss2``…)."""
    parts, site = urlsplit(feed_address), urlsplit(home)
    if host_of(feed_address) != host_of(home):  # a proxy's address (FeedBurner) says nothing
        return False
    below = parts.path.rstrip("/").removeprefix(site.path.rstrip("/")).removeprefix("/index.php")
    query = parse_qs(parts.query)
    if query.keys() & WORDPRESS_SECTION_QUERIES:  # plain addresses: ?cat=5&feed=rss2
        return True
    main = below in WORDPRESS_MAIN_FEEDS or below.startswith("/feed/") or "feed" in query
    return not main


def channel_homepage(feed: Parsed, base: str, address: str) -> tuple[str, bool]:
    """The feed's link (without tracking: Medium's ``?source=rss…``), or its site's root when
    the link is the feed itself; and whether that root was guessed (a feed host's, such as
    FeedBurner's, is no outlet's homepage)."""
    page = web_address(clean_link(base))
    feeds = {str(link.get("href")) for link in feed.get("links") or () if link.get("rel") == "self"}
    guessed = bool(page) and page in feeds | {address}
    return (site_root(page), True) if guessed else (page, False)


def entry_candidates(entries: Sequence[Parsed], context: FeedContext) -> Iterator[Candidate]:
    shared = shared_ids(entries)
    for number, entry in enumerate(entries, start=1):
        yield to_candidate(number, entry, context, shared)


def shared_ids(entries: Sequence[Parsed]) -> set[str]:
    """Ids that identify no entry: a placeholder a content system writes for every item
    (``0``, ``null``, an all-zero UUID), and an id that entries with other links share (a
    section's page, one text such as ``noticia``, or one ``urn:uuid:…`` written as every
    item's guid). Kept, each would hide every later entry given it, for good. Links are
    compared as pages (:func:`canonical_url`): one entry given twice keeps its id; so does a
    web address that is the link of one of the entries sharing it."""
    links: dict[str, set[str]] = {}
    for entry in entries:
        links.setdefault(str(entry.get("id") or ""), set()).add(str(entry.get("link") or ""))
    return {
        value
        for value, found in links.items()
        if _PLACEHOLDER_ID.fullmatch(value.strip())
        or (len({canonical_url(link) for link in found}) > 1 and value not in found)
    }


# What content systems write where an item's id was never filled in.
_PLACEHOLDER_ID = re.compile(
    r"(?i)(?:urn:uuid:)?[0-]+|-1|null|none|nil|undefined|nan|n/?a|\{\{.*\}\}|\$\{.*\}|%%.*%%"
)


def to_candidate(
    number: int, entry: Parsed, context: FeedContext, shared: Set[str] = frozenset()
) -> Candidate:
    """The entry as an article, or why it is skipped (one line naming it)."""
    raw_link = str(entry.get("link") or "").strip().replace(" ", "%20")  # sloppy feeds
    if guid_for_link(raw_link, entry):
        raw_link = ""
    google = is_google_news(raw_link)
    link, notes = real_address(joined(context.base, raw_link) if raw_link else "", entry, context)
    summary = "" if google else entry_summary(entry, link)
    if not summary and not google and (summary := media_group_summary(entry, link)):
        notes = (*notes, MEDIA_SUMMARY_NOTE)
    outlet, homepage, home_given = entry_outlet(entry) or (
        context.outlet,
        context.homepage,
        context.home_given,
    )
    title = headline(entry, outlet if google else "")
    summary = without_title(summary, title)
    if (opened := opening(summary)) is not None:
        summary, notes = opened, (*notes, OPENING_NOTE)
    if not title and link and web_address(link) and summary:
        title, notes = first_sentence(summary), (TITLE_NOTE, *notes)
    if reason := unusable(number, title, link):  # added by hand since, it is there
        return Skipped(
            reason, NewArticle(title, context.today, outlet, (), "", "") if title else None
        )
    read = NewArticle(title, context.today, outlet, (), clean_link(link), "")  # so far
    dated = entry_date(entry, context)
    if isinstance(dated, str):
        return Skipped(f"entry {number} ({clip(title)!r}): {dated}", read)
    moment, date_note = dated
    if date_note and number == context.cut_short:
        return Skipped(f"entry {number} ({clip(title)!r}): {CUT_SHORT}", read)
    if not summary and not google:
        return Skipped(f"entry {number} ({clip(title)!r}): empty summary", read)
    day = moment.date() if isinstance(moment, datetime) else moment
    if day > context.today:  # a build would leave it out, without a word at import
        notes = (*notes, future_note(day))
    return replace(
        read,
        date=moment,
        authors=author_names(entry),
        summary=summary,
        id=stable_id(entry, context.base, None if date_note else moment, shared, link),
        homepage=homepage,
        home_given=home_given,
        notes=tuple(note for note in (*notes, date_note) if note),
    )


def guid_for_link(link: str, entry: Parsed) -> bool:
    """Whether ``link`` is feedparser's copy of a guid that is no address (``98765``, which
    RSS takes for a permalink unless told otherwise): no link. feedparser lists no link of
    the entry's own then. A path from the site's root (``/politica/nota-4/``) is one."""
    copied = bool(link) and not entry.get("links")
    return copied and not web_address(link) and not link.startswith("/")


def unusable(number: int, title: str, link: str) -> str | None:
    if not link:
        return f"{clip(title)!r}: no link" if title else f"entry {number}: no title or link"
    if fault := url_fault(link):  # the build's own check of a link
        what = repr(clip(title)) if title else f"entry {number}"
        return f"{what}: the link {fault[0]}: {clip(link)!r}"
    if not title:
        return f"entry {number} ({clip(link)}): no title and no summary"
    return None


# --- links ------------------------------------------------------------------------------------


def real_address(link: str, entry: Parsed, context: FeedContext) -> tuple[str, tuple[str, ...]]:
    """The outlet's own address behind a FeedBurner or Google News link, with what the
    editor should review."""
    if is_feedburner(link):
        original = web_address(str(entry.get("feedburner_origlink") or "").strip())
        if original:
            return original, ()
        guid = web_address(str(entry.get("id") or "").strip())
        if guid and host_of(guid) == host_of(context.base):
            return guid, (FEEDBURNER_GUID_NOTE,)
        return link, (FEEDBURNER_NOTE,)
    if is_google_news(link):
        target = google_news_target(link)
        if target:
            return target, (GOOGLE_SUMMARY_NOTE,)
        return link, (GOOGLE_LINK_NOTE, GOOGLE_SUMMARY_NOTE)
    return link, ()


def stable_id(
    entry: Parsed,
    site: str,
    dated: Moment | None,
    shared: Set[str] = frozenset(),
    link: str = "",
) -> str:
    """The entry's own id, which recognises it when it is imported again under an edited
    title and link; "" when it has none (the build derives one from the link).

    A guid or Atom id that is a URI is kept as it is. One that is not (Arc XP's
    ``5HQ2ZJ5DPFEXZNSW3TLAJBT3KI``, a bare number) is unique only within its feed: it is kept
    as a ``tag:`` URI of the feed's ``site`` (the link it gives: its host, path and query, for
    a site's English and Spanish feeds may number their items alike) and the entry's year; an
    entry without a date of its own, or a feed without a link, has none to give. A guid that
    is a site's homepage or a section of it above the entry's ``link`` (a content system that
    writes it as every item's guid) identifies no entry, nor does one that entries with other
    links share (``shared``), nor one of a scheme that runs script or holds a document
    (``javascript:``, ``data:``): the build would publish it in every feed, where a reader may
    open it."""
    value = one_line(str(entry.get("id") or ""))
    if not value or is_homepage(value) or entry.get("id") in shared or above(value, link):
        return ""
    if SCRIPT_OR_DATA.match(value):  # a reader that opens an id as a link would run it
        return ""
    if is_uri(value):  # the build's own rule for an id
        return value
    host = host_of(site)
    if not host or dated is None:
        return ""
    parts = urlsplit(site)
    path = parts.path.strip("/") + (f"?{parts.query}" if parts.query else "")
    within = f"{uri_quoted(path)}:" if path else ""
    return f"tag:{host},{dated.year}:{within}{uri_quoted(value)}"


def uri_quoted(text: str) -> str:
    """``text`` as a tag URI holds it: an escape already written (``%22`` in a link's query)
    kept as it is, not escaped again (``%2522``)."""
    return quote(_LONE_PERCENT.sub("%25", text), safe=GUID_SAFE + "%")


def above(value: str, link: str) -> bool:
    """Whether the address ``value`` is a section's page the ``link`` lies under
    (``/politica`` for ``/politica/nota-1``), not the entry's own short address
    (``/post/71354`` for ``/post/71354/castillo-juramenta``: its last part is a number)."""
    if not (web_address(value) and web_address(link)):
        return False
    page, entry = urlsplit(value), urlsplit(link)
    section = page.path.rstrip("/")
    return (
        host_of(value) == host_of(link)
        and not page.query
        and entry.path.startswith(section + "/")
        and entry.path.rstrip("/") != section
        and not section.rpartition("/")[2].isdigit()
    )


def is_homepage(value: str) -> bool:
    parts = urlsplit(value) if web_address(value) else None
    return parts is not None and parts.path in ("", "/") and not parts.query


# --- titles, outlets, authors ------------------------------------------------------------------


def headline(entry: Parsed, outlet: str) -> str:
    """The title on one line; Google News' `` - Outlet`` ending dropped."""
    title = text_of(entry, "title")
    suffix = f" - {outlet}"
    return title.removesuffix(suffix).strip() if outlet and title.endswith(suffix) else title


def entry_outlet(entry: Parsed) -> tuple[str, str, bool] | None:
    """The name and homepage of the outlet the entry's own ``source`` element names, and
    whether the homepage is the outlet's own (see :func:`channel_homepage`).

    Atom's source links to the outlet's page; RSS's ``<source url>`` to its feed, whose
    site root is then the homepage.
    """
    source = entry.get("source") or {}
    name = text_of(source, "title")
    if not name:
        return None
    page = web_address(str(source.get("link") or ""))
    if page:
        return name, page, True
    feed = web_address(str(source.get("href") or ""))
    if feed and urlsplit(feed).path in ("", "/"):
        return name, feed, True
    return name, site_root(feed) if feed else "", False


def author_names(entry: Parsed) -> tuple[str, ...]:
    """Each line of several author elements is one author; a single one is a byline whose
    lines are split into names.

    A name written as HTML (``<a href="…/autor/carlos">Carlos León</a>``) is its text; a
    credit for photos or video (``Fotos: Juan Pérez``) names no author, nor do words in lower
    case (``enviado especial a Cusco``; one word such as ``dpa`` is a desk's name), nor a web
    address (``https://www.facebook.com/anaruiz``)."""
    bylines = [lines for author in entry.get("authors") or () if (lines := byline_lines(author))]
    if len(bylines) == 1:
        elements = [name for line in bylines[0] for name in split_names(line)]
    else:
        elements = [line for lines in bylines for line in lines]
    names = (without_place(without_role(credited(name))) for name in elements)
    kept = (n for n in names if n and not is_role(n) and n.casefold() not in PLACEHOLDERS)
    return tuple(dict.fromkeys(kept))


# Where a byline goes on to say what it drew on ("Ana Ruiz con información de EFE", "with
# reporting from Reuters"): no more names follow. Tried only where a run of spaces and commas
# begins (else ", , , …" took quadratic time: 22 s for 20,000).
_SOURCES = re.compile(
    r"(?<![ ,])[ ,]+(?:con|with) (?:(?:la |additional )?(?:información|informaciones|datos|"
    r"reportes?|information|reporting)) (?:de|from|by) ",
    re.IGNORECASE,
)
# The others a byline does not name: "Ana Quispe, Luis Mamani y otros", "et al."
_OTHERS = re.compile(
    r",? (?:(?:y|and|e|et) (?:otros|otras|others|outros|outras|autres)|et al)\.?$", re.IGNORECASE
)


# Where a wire byline goes on to say who edited it ("…; Editing by Leslie Adler and Richard
# Chang"): no more authors follow.
_EDITED = re.compile(r"(?:^|[;,|.] *)(?:edit(?:ing|ed) by|edición de|editado por)(?= |$)", re.I)


# Where a byline written as HTML goes on to another line: a block's start or end, a line break.
_HTML_LINE = re.compile(
    r"<(?:br|hr)\b[^>]*>|</?(?:p|div|li|ul|ol|dt|dd|h[1-6]|blockquote|address|tr|td|th|table"
    r"|section|article|header|footer|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
# A word that is a web address: with a scheme, from www., or a domain then a path.
_WEB_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|[\w-]+(?:\.[\w-]+)+/)\S*", re.I)


def byline_lines(author: Parsed) -> list[str]:
    """An author element's lines, each as text on one line, what names no one after its
    names taken off (:func:`named_only`), and its web addresses dropped (a profile's page
    names no author, as a handle does not). Lines are a byline written as HTML's blocks and
    ``<br>``, or as text's line breaks (``Ana Ruiz<br>Luis Mamani``: two authors, not
    ``Ana RuizLuis Mamani``)."""
    name = str(author.get("name") or "")
    parts = _HTML_LINE.split(name) if "<" in name else name.splitlines()
    lines = (named_only(without_web_addresses(author_text(part))) for part in parts)
    return [line for line in lines if line]


def without_web_addresses(text: str) -> str:
    words = (word for word in text.split(" ") if not _WEB_ADDRESS.fullmatch(word.strip("()[]<>")))
    return " ".join(words)


def named_only(byline: str) -> str:
    """The byline without what names no one after its names: the sources it drew on, who
    edited it, and the others it leaves unnamed."""
    found = _SOURCES.search(byline)
    named = byline[: found.start()] if found else byline
    edited = _EDITED.search(named)
    return _OTHERS.sub("", named[: edited.start()] if edited else named)


def is_role(part: str) -> bool:
    """Words in lower case after a name (``corresponsal``, ``enviado especial a Cusco``), or
    words that start with a role in any case (``Periodista``, ``Corresponsal en Cusco``), say
    what the author was, not who; one word in lower case that is no role (``dpa``, a login such
    as ``jperez``) says who."""
    if not part:
        return False
    words = part.split(" ")
    after = words[1] if len(words) > 1 else ""
    # ``Periodista Juan Pérez`` names Juan Pérez: a role is followed by more of it, or a place.
    role_first = words[0].strip(".:").casefold() in ROLES and (
        not after or after[0].islower() or after.casefold() in ROLE_WORDS
    )
    only_roles = len(words) > 1 and all(w.casefold() in ROLE_WORDS for w in words)  # Staff Writer
    return role_first or only_roles or (part[0].islower() and " " in part)


# A role after a name, in brackets or after a dash: "Ana Quispe (Enviada especial a Cusco)".
_ROLE_AFTER = re.compile(r"(?P<name>.+?) *(?:\((?P<bracketed>[^()]+)\)|[-–—] +(?P<dashed>.+))")


def without_role(name: str) -> str:
    """The name without the role written after it in brackets or after a dash."""
    found = _ROLE_AFTER.fullmatch(name)
    if found is None:
        return name
    role = (found["bracketed"] or found["dashed"]).strip()
    agency = found["bracketed"] is not None and role.casefold() in DESKS  # Franklin Briceño (AP)
    return found["name"] if agency or is_role(role) else name


def author_text(name: str) -> str:
    """A name's text: markup and character references (``O&#8217;Neill``, ``Ruiz &amp;
    Gómez``, which WordPress writes in ``dc:creator``) are read before names are split; a
    reference left after that was escaped once more (feedparser's reading of a feed that is
    not well-formed escapes CDATA again)."""
    text = plain_text(name) if "<" in name or "&" in name else name
    once_more = references_read(text)
    words = one_line(ftfy.fix_encoding(once_more)).split(" ")
    return " ".join(stripped for word in words if (stripped := without_stray_joiners(word)))


# A wire byline's credits of who reported and wrote ("Reporting by Marco Aquino"): authors.
_WIRE_CREDIT = re.compile(r"(?:(?:additional )?(?:reporting|writing) by|reportería de) ", re.I)


def without_stray_joiners(word: str) -> str:
    """The word without a zero-width joiner or non-joiner at an end beside a Latin letter
    (``Ruiz\u200d``), where it means nothing; in other scripts it may (Malayalam's chillu)."""
    while word and word[-1] in JOINERS and word[-2:-1] < "\u0250":
        word = word[:-1]
    while word and word[0] in JOINERS and word[1:2] < "\u0250":
        word = word[1:]
    return word


def credited(name: str) -> str:
    """The author a credit names: ``Texto: Ana Ruiz`` and ``Reporting by Ana Ruiz`` →
    ``Ana Ruiz``; a photo or video credit and a social handle (``@anaruiz``) name none
    ("")."""
    wire = _WIRE_CREDIT.match(name)
    if wire:
        return name[wire.end() :].strip()
    if name.startswith("@"):
        return ""
    role, colon, rest = name.partition(":")
    if not colon:
        return name
    words = set(re.split(r"[\s,&]+", role.strip().casefold())) - CONJUNCTIONS - {""}
    if words and words <= MEDIA_CREDITS:
        return ""
    # "Texto y fotos: Ana Ruiz" and "Enviada especial: Ana Ruiz" name her.
    if words & (TEXT_CREDITS | ROLES) and words <= TEXT_CREDITS | MEDIA_CREDITS | ROLE_WORDS:
        return rest.strip()
    return name


PLACE_WORDS = 3  # at most, in the place a byline names: "en San Juan de Lurigancho" is four


def without_place(name: str) -> str:
    """``Dan Collyns in Lima``, ``Ana Ruiz en Cusco`` → the name: two words or more, then
    where it was written from, capitalised words to the end (``Sophie in 't Veld`` stays;
    so does a name with brackets, whose role says it). One pass from the end."""
    if "(" in name or ")" in name:
        return name
    words = name.split(" ")
    for index in range(len(words) - 2, max(1, len(words) - 2 - PLACE_WORDS), -1):
        if not words[index + 1][:1].isupper():
            return name
        if words[index] in ("in", "en"):
            return " ".join(words[:index])
    return name


def text_of(parsed: Parsed, key: str) -> str:
    """A title or name as plain text on one line, whether the feed wrote it as text or HTML.

    Text that holds a tag is HTML too, whatever feedparser guessed: ``Castillo <br> juramenta``
    and Word's ``<o:p></o:p>`` are markup, never words of a headline (``A < B`` stays). A
    reference left once it is read was escaped once too often (``Cusco&amp;#8217;s``)."""
    value = str(parsed.get(key) or "")
    marked_up = (parsed.get(f"{key}_detail") or {}).get("type") in HTML_TYPES
    text = plain_text(value) if marked_up or _TAG.search(value) else value
    return one_line(ftfy.fix_encoding(read_once_more(text)))  # ftfy: UTF-8 read as cp1252


def one_line(text: str) -> str:
    """Whitespace runs (line breaks too) as one space; control characters dropped, and so
    are direction controls (which no title or name needs, and the build refuses in them) and
    the invisible characters content systems leave in titles (zero-width spaces, word joiners,
    soft hyphens, byte-order marks); letters composed (NFC)."""
    return " ".join(visible(DIRECTION_CONTROLS.sub("", without_controls(text))).split())


# --- dates ------------------------------------------------------------------------------------


def entry_date(entry: Parsed, context: FeedContext) -> tuple[Moment, str] | str:
    """Published, else updated; else the feed's date, else the import day (with a note).

    A date the entry gives but that cannot be read skips it: the reason names the text.
    """
    texts = [text for key in ("published", "updated") if (text := raw_text(entry, key))]
    moments = [read_date(text) for text in texts]
    for moment in moments:
        if moment is not None and not is_epoch(moment):
            return moment, ""
    if None in moments:
        return f"unreadable date {texts[moments.index(None)]!r}"
    if context.feed_date is not None and not is_epoch(context.feed_date):
        return context.feed_date, FEED_DATE_NOTE
    return context.today, IMPORT_DAY_NOTE


def is_epoch(moment: Moment) -> bool:
    """Whether ``moment`` is the Unix epoch (1 January 1970, 00:00 UTC), which content systems
    write for a date they do not have."""
    if isinstance(moment, datetime):
        return moment == EPOCH
    return moment == EPOCH.date()


def first_date(parsed: Parsed, keys: Iterable[str]) -> Moment | None:
    for key in keys:
        moment = read_date(raw_text(parsed, key))
        if moment is not None:
            return moment
    return None


def raw_text(parsed: Parsed, key: str) -> str:
    """The text as the feed wrote it (no fallback from ``updated`` to ``published``)."""
    value = dict.get(parsed, key) if isinstance(parsed, dict) else parsed.get(key)
    return str(value or "").strip()


# --- summaries --------------------------------------------------------------------------------


def entry_summary(entry: Parsed, link: str) -> str:
    """The description, else the content, as HTML blocks; relative addresses resolved
    against the ``xml:base`` in force, else the entry's link."""
    details = [entry.get("summary_detail"), *list(entry.get("content") or [])[:1]]
    for detail in details:
        html = detail_html(detail, link) if detail else ""
        if html:
            return html
    return ""


def media_group_summary(entry: Parsed, link: str) -> str:
    """The description of the entry's ``media:group`` (YouTube's only text), for an entry with
    no text of its own. A photo's caption (``media:description`` in ``media:content``) is never
    read: feed.py drops it."""
    detail = entry.get(f"{GROUP_DESCRIPTION}_detail")
    return detail_html(detail, link) if detail else ""


def detail_html(detail: Parsed, link: str) -> str:
    """A description or content as an article's body, its addresses resolved."""
    base = web_address(joined(link, str(detail.get("base") or ""))) or link
    return summary_html(raw_html(detail), base)


def raw_html(detail: Parsed) -> str:
    """A summary's value as HTML; plain text is escaped, a paragraph per blank line."""
    value = without_controls(str(detail.get("value") or ""))
    if detail.get("type") != "text/plain":
        return value
    return "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs_of(value))


def paragraphs_of(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), each on one line."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            lines.append(line.strip())
        elif lines:
            paragraphs.append(" ".join(" ".join(lines).split()))
            lines = []
    return paragraphs
