"""The Jinja environment (autoescape, StrictUndefined) and rendering of one page."""

from __future__ import annotations

import re
import sqlite3
import traceback
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from types import CodeType, MappingProxyType
from typing import Any

import jinja2
import jinja2.bccache
import markupsafe
from jinja2 import meta
from markupsafe import Markup

from . import urls
from .cache import Summaries, compiled_templates, digest_of, read_only
from .errors import DigestError, Problem
from .feedcheck import conformance
from .feeds import Feed, render_feed
from .group import (
    ArchiveData,
    ArticleData,
    EditionData,
    EditionsData,
    FeedsData,
    ListData,
    NoData,
    Page,
    TermsData,
    YearData,
    shown_title,
    site_feed_links,
)
from .i18n import interface
from .markup import rebased
from .model import Article, Author, Site, SiteConfig, Source, Summary, Topic, pickled_as_tuple
from .output import write_file
from .subscribers import FeedChange, feed_change
from .views import (
    ArchiveContext,
    ArticleContext,
    ArticleView,
    ArticleViews,
    BaseContext,
    Context,
    DaySection,
    EditionContext,
    EditionsContext,
    FeedsContext,
    ListContext,
    PageInfo,
    SiteView,
    TermsContext,
    YearContext,
    edition_link,
    kept,
    site_view,
)
from .weeks import Edition

PACKAGE = str(Path(__file__).parent) + "/"  # this package's source, as tracebacks name it


def escape(value: object, /) -> Markup:
    """``markupsafe.escape``, the same result at half the cost or less: Jinja calls it for
    every ``{{ value }}`` (2.2 million times at 10,000 articles), and markupsafe's own builds
    each result through ``Markup``'s Python-level constructor."""
    kind = type(value)
    if kind is str:
        return _as_markup(Markup, _escape_text(value))  # type: ignore[arg-type]
    if kind is Markup:
        return value  # type: ignore[return-value]
    if hasattr(value, "__html__"):
        return _as_markup(Markup, value.__html__())
    return _as_markup(Markup, _escape_text(str(value)))


_as_markup = str.__new__  # Markup(text) for a text: what markupsafe's constructor comes to

try:  # markupsafe 3's escaping of a text alone, in C; markupsafe 2's escape is C already
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover - markupsafe 2, or no compiled speedups
    _escape_text = markupsafe.escape


class QuickEscapeTemplate(jinja2.Template):
    """A template whose ``{{ value }}`` escapes through :func:`escape`."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # the compiled module's own name for it, which its macros and blocks share
        template.root_render_func.__globals__["escape"] = escape
        return template


class DataEnvironment(jinja2.Environment):
    """Templates receive plain dicts: ``{{ a.b }}`` looks up the key first.

    Jinja tries an attribute first and falls back to the key; over millions of lookups in a
    large build, trying the key first halves their cost. Missing keys still end undefined.
    """

    template_class = QuickEscapeTemplate

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class KeptBytecode(jinja2.BytecodeCache):
    """Compiled templates kept by this process, by file, with the checksum of the source they
    were compiled from (Jinja compiles again whatever changed): each build makes its own
    environment, and a process that builds again and again (serve) need not compile the same
    templates each time."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}
        # The keys of the templates each environment loaded (this process may have drawn
        # with several templates folders: only one's are kept in a build's cache).
        self.loaded: weakref.WeakKeyDictionary[jinja2.Environment, set[str]] = (
            weakref.WeakKeyDictionary()
        )

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        self.loaded.setdefault(environment, set()).add(bucket.key)
        return bucket

    def compiled_for(self, environment: jinja2.Environment) -> dict[str, bytes]:
        """The compiled templates that ``environment`` loaded."""
        keys = self.loaded.get(environment, set())
        return {key: self.kept[key] for key in sorted(keys) if key in self.kept}

    def remember(self, compiled: Mapping[str, bytes]) -> None:
        """Take compiled templates kept elsewhere (the build cache), except those this process
        has: a template whose source changed since is compiled again all the same."""
        for key, code in compiled.items():
            self.kept.setdefault(key, code)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self.kept.get(bucket.key)
        if compiled is not None:
            try:
                bucket.bytecode_from_string(compiled)
            except Exception:  # damaged in the cache: compiled again, as if never kept
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = KeptBytecode()  # as many entries as template files this process has drawn with


def make_environment(templates: Path, language: str = "en") -> jinja2.Environment:
    """Autoescape everything (HTML and XML alike) and fail loudly on any undefined name.

    Templates speak ``language`` (site.yaml's): ``{% trans %}`` and ``_()`` from its catalog,
    numbers through the ``number`` filter. A translation is as trusted as the template, and
    the values put into it are escaped.
    """
    env = DataEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build
        bytecode_cache=COMPILED,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    words = interface(language)
    env.install_gettext_translations(words.translations, newstyle=True)  # type: ignore[attr-defined]
    gettext = KeptGettext(words.translations)
    env.globals.update(gettext=gettext, _=gettext, ngettext=gettext.ngettext)
    env.globals["reuse"] = Reused()
    env.filters["number"] = words.number
    env.filters["rebased"] = lambda summary, page, root: Markup(rebased(summary, page, root))
    return env


class KeptGettext:
    """Jinja's new-style ``gettext`` and ``ngettext`` (same results), keeping each message
    once translated and marked safe: a page asks for the same few dozen about 20 times."""

    def __init__(self, translations: NullTranslations) -> None:
        self.translations = translations
        self.marked: dict[tuple[object, ...], Markup] = {}
        self.filled: dict[str, Markup] = {}  # messages without values, formatted
        self.quick: dict[str, bool] = {}  # whether a message takes the quick way to fill

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, message: str, /, **values: Any) -> str:
        if not context.eval_ctx.autoescape:
            return self.translations.gettext(message) % values
        if not values:
            filled = self.filled.get(message)
            if filled is None:
                filled = self.filled[message] = self.mark(message) % {}
            return filled
        return self.fill(self.mark(message), values)

    @jinja2.pass_context
    def ngettext(
        self,
        context: jinja2.runtime.Context,
        singular: str,
        plural: str,
        n: int,
        /,
        **values: Any,
    ) -> str:
        values.setdefault("num", n)
        if not context.eval_ctx.autoescape:
            return self.translations.ngettext(singular, plural, n) % values
        return self.fill(self.mark(singular, plural, n), values)

    def mark(self, *message: Any) -> Markup:
        """The message (or the singular, plural and count) translated and marked safe."""
        marked = self.marked.get(message)
        if marked is None:
            translate = (
                self.translations.gettext if len(message) == 1 else self.translations.ngettext
            )
            marked = self.marked[message] = Markup(translate(*message))
        return marked

    def fill(self, marked: Markup, values: Mapping[str, Any]) -> Markup:
        """``marked % values``, each value escaped. The quick way when the message shows each
        value as ``%(name)s`` (markupsafe's ``%`` wraps every value in a helper object, whatever
        the format: 3.6 µs for a byline's "by %(names)s", 1.8 µs this way); markupsafe's own
        way for any other format (``%(count)d``)."""
        quick = self.quick.get(marked)
        if quick is None:
            quick = self.quick[marked] = _NAMED_TEXT_ONLY.fullmatch(marked) is not None
        if not quick:
            return marked % values
        return _as_markup(Markup, str.__mod__(marked, Escaped(values)))


class Escaped(dict[str, Any]):
    """Values that come out escaped, for ``%`` to fill a message with."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Markup:
        return escape(dict.__getitem__(self, name))


# A message whose every value is named and shown as text: ``%(name)s``.
_NAMED_TEXT_ONLY = re.compile(r"(?:[^%]|%%|%\([^()]*\)s)*")


class Reused:
    """``reuse(macro, article)``: the macro's HTML for the article, drawn once per article and
    ``root`` while pages drawn together show it (an article's card is the same on every list
    at the same depth). Only for macros that depend on nothing but the article, ``root`` and
    ``site``."""

    MEMORY = 4096

    def __init__(self) -> None:
        # Keyed by the view itself (the same view for the same article facts, see ArticleViews),
        # which the entry keeps alive so that no other view can take its id meanwhile, and by
        # the macro's compiled code (a macro of the same name elsewhere is another one).
        self.kept: OrderedDict[tuple[object, ...], tuple[ArticleView, Any]] = OrderedDict()

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, macro: Any, article: ArticleView, /) -> Any:
        code = getattr(getattr(macro, "_func", None), "__code__", None)
        if code is None:  # not a macro of a template: nothing to key it by
            return macro(article)
        key = (code, context.eval_ctx.autoescape, id(article), context["root"])
        # As it is: what the macro did not mark safe is escaped where it goes.
        return kept(self.kept, key, self.MEMORY, lambda: (article, macro(article)))[1]


TEMPLATES_HINT = "run from the project's folder, or name the templates' folder with --templates"


def check_templates(env: jinja2.Environment, names: set[str]) -> list[Problem]:
    """Compile every template a build needs, and those they name (includes, imports, the
    templates they extend), so all syntax errors show before any page."""
    folders = getattr(env.loader, "searchpath", [])
    if names and (missing := [f for f in folders if not Path(f).is_dir()]):
        return [Problem(missing[0], None, "no such folder", TEMPLATES_HINT)]  # not one a page
    problems = []
    pending, seen = sorted(names), set(names)
    while pending:
        name = pending.pop(0)
        try:
            found = meta.find_referenced_templates(env.parse(read_template(env, name)))
            env.get_template(name)
        except UnicodeDecodeError as error:
            path = _template_path(env, name)
            line = Path(path).read_bytes().count(b"\n", 0, error.start) + 1
            problems.append(Problem(path, line, f"not UTF-8 text ({error.reason})", UTF8_HINT))
        except jinja2.TemplateNotFound as error:
            if name not in names:  # named by another: that one's render says where
                continue
            problems.append(
                Problem(
                    _template_path(env, name),
                    None,
                    f"template not found: {error.name}",
                    TEMPLATES_HINT,
                )
            )
        except jinja2.TemplateSyntaxError as error:
            problems.append(
                Problem(
                    _template_path(env, error.name or name),
                    error.lineno,
                    error.message or "syntax error",
                )
            )
        else:
            named = sorted({other for other in found if other is not None} - seen)
            pending += named
            seen.update(named)
    return problems


UTF8_HINT = "save it as UTF-8"


def read_template(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None  # made with a loader
    source, _, _ = env.loader.get_source(env, name)
    return source


@dataclass(frozen=True)
class Failure:
    """A template's mistake, where it showed (its file and line), and the page it failed."""

    path: str
    line: int | None
    what: str
    page: str


class PageError(DigestError):
    """A page that a template's mistake kept from being drawn."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure
        super().__init__(failure_problems([failure]))


def failure_problems(failures: Iterable[Failure]) -> list[Problem]:
    """One problem per mistake, naming a page it failed and how many others it failed too."""
    tally = FailureTally()
    for failure in failures:
        tally.add(failure)
    return tally.problems()


class FailureTally:
    """Pages that templates' mistakes failed, counted per mistake as they come (a mistake in
    the base template fails every page: 166,000 at 100,000 articles)."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, int | None, str], tuple[str, int]] = {}

    def add(self, failure: Failure) -> None:
        key = (failure.path, failure.line, failure.what)
        first, count = self.found.get(key, (failure.page, 0))
        self.found[key] = (min(first, failure.page), count + 1)

    def problems(self) -> list[Problem]:
        """One per mistake, naming the first page it failed and how many others."""
        problems = []
        for (path, line, what), (first, count) in self.found.items():
            others = count - 1
            more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
            problems.append(Problem(path, line, f"cannot render {first}{more}: {what}"))
        return problems


class Renderer:
    """Draws pages: builds each page's typed context, then renders its template."""

    def __init__(self, env: jinja2.Environment, site: SiteView, views: ArticleViews) -> None:
        self.env = env
        self.site = site
        self.views = views
        self.site_feeds = site_feed_links(site["title"])

    def __call__(self, page: Page) -> str:
        """The page's text; a template mistake becomes a Problem naming the template's line."""
        try:
            return self.env.get_template(page.template).render(self.context(page))
        except jinja2.TemplateError as error:
            path, line = failing_template_line(error, self.env, page.template)
            raise PageError(Failure(path, line, str(error), page.file)) from None
        except Exception as error:  # what a template's own expression raised: `{{ 1 // 0 }}`
            found = template_frame(error)
            if found is None:
                raise
            what = f"{type(error).__name__}: {error}"
            raise PageError(Failure(*found, what, page.file)) from None

    def context(self, page: Page) -> Context:  # noqa: PLR0911 - one case per kind of page
        site = self.site
        base = BaseContext(
            site=site,
            root=urls.root_path(site["base_url"]) if page.anywhere else urls.root_from(page.path),
            page=PageInfo(
                path=page.path,
                title=shown_title(page, self.views.words),
                url=urls.absolute(
                    site["base_url"], page.path if page.canonical is None else page.canonical
                ),
            ),
            feeds=[*self.site_feeds, *page.feeds],
        )
        views = self.views
        match page.data:
            case ListData(kind, heading, articles, pager, term, year):
                sections = by_day([views(article) for article in articles])
                return ListContext(
                    **base,
                    kind=kind,
                    heading=heading,
                    sections=sections,
                    pager=pager,
                    term=term,
                    year=year,
                )
            case ArticleData(article, related):
                view = views(article)
                return ArticleContext(
                    **base,
                    article=view,
                    related=[views(other) for other in related],
                    json_ld=views.json_ld(article, view),
                )
            case TermsData(heading, terms):
                return TermsContext(**base, heading=heading, terms=list(terms))
            case ArchiveData(years):
                return ArchiveContext(**base, years=list(years))
            case YearData(year):
                return YearContext(**base, year=year)
            case FeedsData(feeds):
                return FeedsContext(**base, all_feeds=list(feeds))
            case EditionData(edition, newer, older, latest):
                return EditionContext(
                    **base,
                    edition=edition_link(edition, views.words),
                    sections=views.sections(edition),
                    newer=newer,
                    older=older,
                    latest=latest,
                )
            case EditionsData(years, latest, feeds):
                return EditionsContext(
                    **base,
                    years=list(years),
                    latest=urls.LATEST_EDITION if latest else None,
                    edition_feeds=list(feeds),
                )
            case NoData():
                return base


def by_day(articles: list[ArticleView]) -> list[DaySection]:
    """Consecutive articles of the same day under one heading."""
    sections: list[DaySection] = []
    for article in articles:
        day = article["date"]["day"]
        if not sections or sections[-1]["day"] != day:
            sections.append(DaySection(day=day, label=article["date"]["label"], articles=[]))
        sections[-1]["articles"].append(article)
    return sections


def failing_template_line(
    error: BaseException, env: jinja2.Environment, fallback: str
) -> tuple[str, int | None]:
    """Jinja puts template files into the traceback; the innermost one is where it failed."""
    return template_frame(error, ours_too=True) or (_template_path(env, fallback), None)


def template_frame(
    error: BaseException, *, ours_too: bool = False
) -> tuple[str, int | None] | None:
    """The innermost template file and line in the error's traceback. Unless ``ours_too``,
    only if a template's own expression raised it: not this package's code, called from a
    template or not (a bug of ours)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml")):
            return frame.filename, frame.lineno
        if not ours_too and frame.filename.startswith(PACKAGE):
            return None
    return None


def _template_path(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader) and loader.searchpath:
        return (Path(loader.searchpath[0]) / name).as_posix()
    return name


# Drawing many pages, in a worker or here ------------------------------------------------------


@dataclass(frozen=True)
class RenderSetup:
    """What drawing pages and feeds needs: small, picklable, the same for a whole build."""

    templates: Path
    config: SiteConfig
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]
    authors: tuple[Author, ...]  # authors.yaml
    search: bool
    cache: Path | None  # the summaries; None: the caller registers them with ``prepare``
    folder: Path  # where the files go
    empty: bool  # an empty folder (else files are replaced, never written into)
    # Which build this is: a renderer (its templates, what it keeps, its connection to the
    # cache) serves one build only, so it need not look for changed templates as it draws,
    # and never reads a cache that a later build has made anew.
    build: str = ""
    live: Path | None = None  # the published site, whose feeds a changed feed is compared with
    common: str = ""  # what decides every output's bytes besides its own data


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Job:
    """One page or feed to draw; ``previous`` is the digest of its bytes in the live site."""

    path: str  # the output file
    item: Page | Feed
    previous: str | None


@dataclass(frozen=True)
class Done:
    path: str
    digest: str
    fingerprint: str  # see :func:`fingerprint`
    written: bool  # False: the bytes are what the live site has already
    problems: tuple[str, ...] = ()  # a feed's conformance failures
    change: FeedChange | None = None  # what a feed's subscribers will notice
    failure: Failure | None = None  # the page was not drawn: its template's mistake


@dataclass
class Drawer:
    render: Renderer
    views: ArticleViews
    connection: sqlite3.Connection | None = None  # to the cache, its own: closed with it


_drawers: dict[RenderSetup, Drawer] = {}  # one per worker process and build


def prepare(setup: RenderSetup, summaries: Mapping[str, Summary] | None = None) -> Drawer:
    """The renderer for ``setup``, made once per process (with these summaries, if given)."""
    drawer = _drawers.get(setup)
    if drawer is None or summaries is not None:
        forget_drawers()
        connection = None
        if summaries is None:
            assert setup.cache is not None
            connection = read_only(setup.cache)
            summaries = Summaries(connection)
            COMPILED.remember(compiled_templates(connection))
        site = Site(
            setup.config,
            MappingProxyType({topic.slug: topic for topic in setup.topics}),
            MappingProxyType({source.name: source for source in setup.sources}),
            authors=MappingProxyType({author.name: author for author in setup.authors}),
        )
        views = ArticleViews(site, summaries)
        env = make_environment(setup.templates, setup.config.language)
        drawer = _drawers[setup] = Drawer(
            Renderer(env, site_view(site, search=setup.search), views), views, connection
        )
    return drawer


def forget_drawers() -> None:
    """Let go of this process's renderer, closing its connection to a cache."""
    for drawer in _drawers.values():
        if drawer.connection is not None:
            drawer.connection.close()
    _drawers.clear()


def shown(item: Page | Feed) -> tuple[Article, ...]:
    """The articles a page or feed shows (an edition shows its own)."""
    if isinstance(item, Feed):
        return tuple(
            article
            for entry in item.items
            for article in (entry.articles if isinstance(entry, Edition) else (entry,))
        )
    match item.data:
        case ListData(articles=articles):
            return articles
        case ArticleData(article, related):
            return (article, *related)
        case EditionData(edition=edition):
            return edition.articles
        case _:
            return ()


def fingerprint(common: str, item: Page | Feed) -> str:
    """What decides an output's bytes, digested: the ``common`` facts (settings, templates,
    the generator's version) and the page's or feed's own data, each article in it by the
    digest of all its fields (its ``repr``). The same inputs give the same fingerprint."""
    return digest_of(f"{common}{item!r}".encode())


def draw_batch(setup: RenderSetup, jobs: Sequence[Job]) -> list[Done]:
    """Draw pages and feeds; write those whose bytes changed (a task for ``Workers``)."""
    drawer = prepare(setup)
    summaries = drawer.views.summaries
    if isinstance(summaries, Summaries):
        summaries.preload(article.summary_key for job in jobs for article in shown(job.item))
    done = []
    for job in jobs:
        problems: tuple[str, ...] = ()
        if isinstance(job.item, Feed):
            text = render_feed(job.item, drawer.views)
            problems = tuple(conformance(job.item, text))
        else:
            try:
                text = drawer.render(job.item)
            except PageError as failed:  # the other pages are drawn: all mistakes are told
                done.append(Done(job.path, "", "", written=False, failure=failed.failure))
                continue
        data = text.encode("utf-8")
        digest = digest_of(data)
        written = digest != job.previous and not problems
        change = None
        if written and setup.live is not None and isinstance(job.item, Feed):
            window = setup.config.feed_items
            change = feed_change(setup.live, job.path, job.item.format, data, window)
        if written:
            write_file(setup.folder, job.path, data, fresh=setup.empty)
        drawn_from = fingerprint(setup.common, job.item)
        done.append(Done(job.path, digest, drawn_from, written, problems, change))
    return done
