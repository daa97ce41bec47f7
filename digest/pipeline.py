"""The day's work as library functions: gather, window, merge, summarise, render, outbox.

`gather_day` is the first half (sources -> state -> the day's window -> one story once);
`run` adds, per audience, what earlier issues already carried, the summaries and the files.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from digest.archive import page_url, publish
from digest.articlework import Job, Progress, warm_up, work_key
from digest.articlework import start as start_work
from digest.delivery.ledger import store_issue
from digest.delivery.personalize import outbox_copy
from digest.errors import SourceError, UsageError
from digest.gathering import Context, collect
from digest.models import Article, Issue
from digest.quotes import key_quotes
from digest.rendering import make_environment, render, write_issue
from digest.settings import Settings, Source, select_audiences, time_zone, today
from digest.summaries import check_algorithm
from digest.summaries.novelty import follow_up_summary
from digest.timing import stage
from digest.topics import arrange, group_articles, layout
from digest.topics.followups import find_followups, record_sent

log = logging.getLogger("digest")


@dataclass(frozen=True)
class Window:
    """Days from `start` to `end`, both included, in the configured time zone; None: open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __contains__(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def make_window(settings: Settings, date: dt.date | None = None, since: dt.date | None = None,
                everything: bool = False) -> tuple[dt.date, Window]:
    """(issue date, window): `--date` alone is that day, `--since` widens it back to a
    first day, `everything` (gather --all) takes all; no date uses the configured window."""
    issue_date = date or today(settings)
    if since is not None and since > issue_date:
        raise UsageError(f"--since {since.isoformat()} is after the date "
                         f"{issue_date.isoformat()}")
    if everything or (date is None and since is None and settings.window == "all"):
        return issue_date, Window()
    return issue_date, Window(since or issue_date, issue_date)


@dataclass
class Day:
    """The day's articles after the window and the merging of duplicates."""

    date: dt.date
    window: Window
    articles: list[Article]
    ok: list[str] = field(default_factory=list)  # sources read
    failed: list[str] = field(default_factory=list)  # sources that failed
    # per article (same order): its ids in the state's `seen` table, all versions together
    seen_ids: list[set[int]] = field(default_factory=list)

    def summary(self) -> str:
        return f"sources: {len(self.ok)} ok, {len(self.failed)} failed"


def gather_day(
    settings: Settings,
    date: dt.date | None = None,
    since: dt.date | None = None,
    everything: bool = False,
    sources: list[Source] | tuple[Source, ...] | None = None,
    now: dt.datetime | None = None,
    conditional: bool = True,
    state=None,
    before_merge: Callable[[list[Article]], None] | None = None,
) -> Day:
    """Read the sources, remember what was seen, keep the window's articles, one per story.

    `sources` replaces the configured ones; `state` is an open digest.state.State (default:
    the configured state file, or none when the settings name none). `before_merge` is
    called with the window's articles before duplicates are merged (`run` starts their
    summaries there). Raises SourceError when there were sources and every one failed.
    """
    from digest.gathering.dedupe import merge_duplicates
    from digest.gathering.seen import remember
    from digest.state import State
    from digest.topics import history

    issue_date, window = make_window(settings, date, since, everything)
    sources = tuple(settings.sources if sources is None else sources)
    tz = time_zone(settings)
    now = now or dt.datetime.now(dt.UTC)
    if state is None and settings.state is not None:
        opened = State(settings.state)
    else:
        opened = nullcontext(state)
    with opened as db:
        ctx = Context(fetch=settings.fetch, tz=tz, state=db,
                      conditional=conditional and settings.fetch.conditional,
                      wanted=window.__contains__)
        try:
            with stage("gather"):
                gathered = collect(sources, ctx)
        finally:
            ctx.close()
        if sources and not gathered.ok:
            raise SourceError(f"every source failed ({gathered.summary()})")
        articles = gathered.articles
        if db is not None:
            with stage("gather"):
                memory = remember(db, articles, now)
        else:
            memory = [(set(), now)] * len(articles)
        # an entry without a date is news the day it was first seen
        days = [article.published or first_seen.astimezone(tz).date()
                for article, (_, first_seen) in zip(articles, memory)]
        if db is not None:
            # what later days' topic grouping learns its word statistics from
            history.record(db, articles, [ids for ids, _ in memory], days)
            history.prune(db, issue_date)
    chosen = []
    for article, (ids, _), day in zip(articles, memory, days):
        if day in window:
            chosen.append((article, ids))
    if before_merge is not None:
        before_merge([a for a, _ in chosen])
    with stage("dedupe"):
        stories = merge_duplicates([a for a, _ in chosen])
    ids_of = {id(a): ids for a, ids in chosen}
    kept = [(story, set().union(*(ids_of[id(v)] for v in versions)))
            for story, versions in stories]
    kept.sort(key=lambda pair: _order_key(pair[0]))
    return Day(date=issue_date, window=window, articles=[a for a, _ in kept],
               ok=gathered.ok, failed=gathered.failed, seen_ids=[ids for _, ids in kept])


# Above this many articles, the audiences' issues are rendered one after the other in this
# process: a worker rendering one holds its whole issue (about 20 KB an article: 211 MB at
# 10,000) beside this process's, and the run's peak memory matters more than the second
# or so saved. Below it, the others are rendered in the per-article workers meanwhile.
PARALLEL_RENDER_UP_TO = 3000


def render_issue(templates, date: dt.date, audience, articles: list[Article], sections,
                 web_url: str, earlier_pages: dict, now: dt.datetime | None,
                 environments: dict | None = None):
    """(rendered issue, subject, html, text, message bytes) of an audience's issue: rendered,
    and its MJML compiled, once (delivery fills each recipient's slots); the outbox copy
    gets the audience's preview values (its .eml made to bytes where it is rendered).
    Runs here or in a worker: its arguments are plain data (`earlier_pages`: the page
    address of each earlier issue a follow-up points to). `environments` keeps one Jinja
    environment per template chain and language."""
    chain = tuple(d for d in (audience.template_dir, templates) if d is not None)
    environments = {} if environments is None else environments
    key = (chain, audience.locale)
    if key not in environments:
        environments[key] = make_environment(list(chain), audience.locale)
    rendered = render(environments[key], date, audience, articles, sections,
                      web_url=web_url, page_of=earlier_pages.get)
    subject, html, text, message = outbox_copy(rendered, audience, now)
    return rendered, subject, html, text, message.as_bytes()


def _render_all(jobs: list[tuple], started: dict[int, Future]) -> Iterator[tuple]:
    """render_issue(*job) for each job, in order. `started`: the jobs a worker is rendering
    (by position); the others are rendered here, all before the workers' results are
    waited for. With none started each is rendered when the next result is asked for, so
    that a big day holds one issue at a time."""
    environments: dict = {}
    if not started:
        for job in jobs:
            yield render_issue(*job, environments)
        return
    here = {i: render_issue(*job, environments) for i, job in enumerate(jobs)
            if started.get(i) is None}
    for i in range(len(jobs)):
        yield here[i] if i in here else started[i].result()


def _rendered_here(plans: list[tuple]) -> int:
    """Which audience's issue this process renders when workers render the others: the one
    of the longest summaries and most quotes (a worker's issue comes back pickled)."""
    return max(range(len(plans)),
               key=lambda i: (plans[i][0].summary_sentences, plans[i][0].quotes))


def _order_key(a: Article):
    """Newest first, then by title: the same input gives the same issue."""
    return (-(a.published or dt.date.min).toordinal(), a.title.casefold(), a.id)


def run(
    settings: Settings,
    date: dt.date | None = None,
    audiences: list[str] | tuple[str, ...] | None = None,
    algorithm: str | None = None,
    now: dt.datetime | None = None,
    write: bool = True,
    since: dt.date | None = None,
    force: bool = False,
    on_gathered: Callable[[Day], None] | None = None,
    progress: Progress | None = None,
) -> list[Issue]:
    """Build and write each chosen audience's issue for `date` (default: today).

    Without `date` the configured window applies (the built-in default takes in every
    sample); with a date, the articles published that day (from `since`, when given).
    A story an earlier issue of the audience carried is left out unless `force`; building
    the same date again gives the same issue. `on_gathered` is called with the Day (the
    articles and the sources read and failed) before the issues are built.
    `write=False` builds the issues without touching the outbox or the record of what
    issues carried (the preview does that). `progress(label, total)`, when given, returns a
    context manager whose value is called with the number of articles done (a progress bar).
    Stage times go to `digest.timing` when the caller measures them.
    """
    from digest.gathering.seen import carried_before, record_issue
    from digest.state import State

    chosen = select_audiences(settings, audiences)
    if algorithm is not None:
        check_algorithm(algorithm)
    algorithms = {a.name: algorithm or a.summary_algorithm for a in chosen}

    def jobs_for(pairs) -> list[Job]:
        """(audience, article) pairs -> one job per article with every variant wanted."""
        jobs: dict[str, Job] = {}
        for audience, article in pairs:
            key = work_key(article)
            job = jobs.setdefault(key, Job(key, article.text, article.language, article.title))
            variant = (algorithms[audience.name], audience.summary_sentences)
            if variant not in job.variants:
                job.variants.append(variant)
            job.quotes = job.quotes or audience.quotes > 0
        return list(jobs.values())

    # with no caps every story of the window is shown, whatever its topic: its summaries and
    # quotes start as soon as the window is known, on the other cores, while this one merges
    # the duplicates and groups the topics (the versions merged away are withdrawn after the
    # merge: only those a worker took meanwhile are done for nothing)
    pending = None

    def start_early(articles: list[Article]) -> None:
        nonlocal pending
        pending = start_work(jobs_for((audience, article) for audience in chosen
                                      for article in articles), progress)

    uncapped = all(a.max_articles is None and a.max_per_topic is None and a.sections is None
                   for a in chosen)
    warm_up()
    state = State(settings.state) if settings.state is not None else None
    try:
        day = gather_day(settings, date=date, since=since, now=now, state=state,
                         before_merge=start_early if uncapped else None)
        # what is read so far (the articles, the modules) lives until the issues are
        # written: the garbage collector's full passes need not walk it again and again
        # (about 0.2 s of the 1,780-article day's topics and rendering)
        gc.freeze()
        if on_gathered is not None:
            on_gathered(day)
        if not day.articles:
            log.warning("no articles for %s: the issues are empty", day.date.isoformat())
        seen_ids = {id(a): ids for a, ids in zip(day.articles, day.seen_ids)}
        # stories an earlier issue of the audience carried are not carried again
        allowed: dict[str, set[int] | None] = {}
        for audience in chosen:
            allowed[audience.name] = None
            if state is not None and not force:
                earlier = carried_before(state, audience.name, day.date)
                allowed[audience.name] = {id(a) for a in day.articles
                                          if not seen_ids[id(a)] & earlier}
        if pending is not None:
            # the versions merged away, and stories no audience carries again: not worked on
            pending.keep_only({work_key(a) for a in day.articles
                               if any(keep is None or id(a) in keep
                                      for keep in allowed.values())})

        # one grouping for the day; each audience then picks, orders and caps its sections
        with stage("topics"):
            background = None
            if state is not None:
                from digest.topics.history import background as earlier_days

                # earlier days' articles, never the day's own, steady the day's word statistics
                background = earlier_days(state, day.window.start or day.date,
                                          exclude=set().union(*day.seen_ids))
            topics = group_articles(day.articles, settings.topics, background)
        plans = []
        for audience in chosen:
            keep = allowed[audience.name]
            candidates = topics if keep is None else [
                replace(t, articles=[a for a in t.articles if id(a) in keep]) for t in topics]
            sections = arrange(candidates, audience.sections, audience.max_per_topic,
                               audience.max_articles)
            # a small issue reads as a list; one-story sections share a final "More news"
            sections = layout(sections, audience.list_under)
            plans.append((audience, algorithms[audience.name], sections))
        if pending is None:
            pending = start_work(jobs_for((audience, article)
                                          for audience, _, sections in plans
                                          for topic in sections for article in topic.articles),
                                 progress)
        # on a day small enough, the workers stay to render the other audiences' issues
        # while this process renders the longest
        parallel = len(chosen) > 1 and len(day.articles) <= PARALLEL_RENDER_UP_TO
        done = pending.results(keep_workers=parallel)
        # the other audiences' issues are built first, each sent to a worker once built
        here = _rendered_here(plans) if parallel else None
        order = sorted(range(len(plans)), key=lambda i: i == here)
        built: list = [None] * len(plans)
        started: dict[int, Future] = {}
        for position in order:
            audience, algo, sections = plans[position]
            carried: set = set()
            with_summary = []
            sent_ids = []
            # stories that continue one an earlier issue carried: marked, and summarised
            # for what they add (digest/topics/followups.py, digest/summaries/novelty.py)
            follows = {} if state is None else find_followups(
                state, audience.name, day.date, [a for t in sections for a in t.articles],
                seen_ids)
            for topic in sections:
                summarised = []
                for article in topic.articles:
                    carried |= seen_ids[id(article)]
                    sent_ids.append(seen_ids[id(article)])
                    result = done[work_key(article)]
                    summary = result.summaries[(algo, audience.summary_sentences)]
                    earlier = follows.get(id(article))
                    if earlier is not None:
                        summary = follow_up_summary(article, earlier.said,
                                                    audience.summary_sentences, algo)
                    quotes = []
                    if audience.quotes:
                        shown = summary + (earlier.said if earlier is not None else [])
                        quotes = key_quotes(result.quotes, audience.quotes,
                                            shown=" ".join(shown))
                    summarised.append(replace(
                        article, summary=summary, quotes=quotes,
                        follows=earlier.issue_date if earlier is not None else None))
                topic.articles = summarised
                with_summary.extend(summarised)
            earlier_pages = {a.follows: page_url(settings.archive, audience, a.follows)
                             for a in with_summary if a.follows is not None}
            job = (settings.templates, day.date, audience, with_summary, sections,
                   page_url(settings.archive, audience, day.date), earlier_pages, now)
            built[position] = (audience, sections, with_summary, carried, sent_ids, job)
            if parallel and position != here:
                future = pending.submit(render_issue, *job)
                if future is not None:
                    started[position] = future
        outputs = _render_all([b[-1] for b in built], started)
        if parallel:
            # all rendered before any is written: a template error leaves nothing written
            # (otherwise each is rendered in turn, after the one before is let go: memory)
            with stage("render"):
                outputs = iter(list(outputs))
        pending.close()
        issues = []
        for audience, sections, with_summary, carried, sent_ids, _ in built:
            with stage("render"):
                rendered, subject, html, text, message = next(outputs)
            if not write:
                issues.append(Issue(date=day.date, audience=audience.name, subject=subject,
                                    html=html, text=text, articles=with_summary,
                                    topics=sections))
                continue
            with stage("write"):
                files = write_issue(settings.outbox, day.date, audience.name, html, text, message)
                if state is not None:
                    record_issue(state, audience.name, day.date, carried)
                    record_sent(state, audience.name, day.date, with_summary, sent_ids)
                    store_issue(state, rendered)
                    # the public archive (digest/archive/): its page, indexes and feed
                    publish(settings, state, audience, day.date, with_summary)
            rendered = message = None  # (html and text stay, in the Issue)
            issues.append(Issue(date=day.date, audience=audience.name, subject=subject,
                                html=html, text=text, articles=with_summary, files=files,
                                topics=sections))
        if write and state is not None:
            from digest.gathering.prune import prune

            log.info("state: %s", prune(state, settings.keep_days, now).summary())
        return issues
    finally:
        gc.unfreeze()
        if pending is not None:
            pending.close()  # when something failed before the results were asked for
        if state is not None:
            state.close()
