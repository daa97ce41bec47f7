"""Writing the archive: after each `digest run` (`publish`) or all of it from the state
(`rebuild`, for `digest archive`).

Every file is written atomically and only when its bytes change. Publishing a date writes its
page, its neighbours' (their previous/next links), the audience's index and feed, and the
site index; a page whose date is no longer in the state is removed, so nothing in the
indexes points at it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from digest.archive import urls
from digest.archive.feed import build_feed
from digest.archive.indexes import audience_index, site_index, subscribe_link, template
from digest.archive.page import PageLinks, archive_page
from digest.archive.store import issue_counts, store_contents, stored_issues
from digest.delivery.ledger import load_issue
from digest.errors import DigestError
from digest.models import Article
from digest.rendering.context import locale_info
from digest.rendering.outbox import write_atomic
from digest.settings.schema import Audience, Settings
from digest.state import State

log = logging.getLogger("digest")


class ArchiveError(DigestError):
    """A file of the archive could not be written or removed; the message names it."""


@dataclass
class Report:
    """What a rebuild wrote: per audience, the issues archived; files written and removed."""

    issues: dict[str, int] = field(default_factory=dict)
    written: int = 0
    removed: int = 0
    path: Path | None = None


def publish(settings: Settings, state: State, audience: Audience, date: dt.date,
            articles: list[Article]) -> None:
    """The pipeline's hook, once the issue is stored: keep its articles, and, for an archived
    audience, update the site (its page, neighbours, index, feed, site index)."""
    store_contents(state, date, audience.name, articles)
    if audience.archive and settings.archive is not None:
        report = Report(path=settings.archive.path)
        try:
            _write_audience(settings, state, audience, report, changed={date})
            _write_site(settings, state, report)
        except ArchiveError as exc:
            # the issue is stored and can be sent: the archive catches up on the next run
            log.warning("%s (the issue is stored: `digest archive` writes it later)", exc)
            return
        log.info("archive: %s/%s (%d files written)", audience.name, urls.page_name(date),
                 report.written)


def rebuild(settings: Settings, state: State, audiences: list[str] | None = None,
            everything: bool = True) -> Report:
    """(Re)build the archive from the issues in the state: the pages of the chosen
    audiences (default: all archived ones), their indexes and feeds, and the site index.

    `everything`: every page is made again (a file is rewritten only if it changes);
    otherwise only the pages missing on disk (and their neighbours'). Either way the pages
    of dates gone from the state are removed, and audiences no longer archived lose theirs.
    """
    archive = settings.archive
    report = Report(path=archive.path if archive else None)
    if archive is None:
        return report
    for audience in settings.audiences.values():
        if audiences is not None and audience.name not in audiences:
            continue
        if audience.archive:
            _write_audience(settings, state, audience, report,
                            changed=None if everything else set())
        else:
            _withdraw(settings, audience, report)
    _write_site(settings, state, report)
    return report


def _write_audience(settings: Settings, state: State, audience: Audience, report: Report,
                    changed: set[dt.date] | None) -> None:
    archive = settings.archive
    issues = stored_issues(state, audience.name)  # newest first
    report.issues[audience.name] = len(issues)
    folder = urls.audience_dir(archive, audience.name)
    lang, direction = locale_info(audience.locale)
    dates = [issue.date for issue in reversed(issues)]  # oldest first
    gone = _gone_pages(folder, set(dates))
    if changed is not None:
        # the index links every issue in the state: a page missing on disk (an audience
        # archived since, a folder cleaned by hand) is written too
        changed = changed | {d for d in dates if not (folder / urls.page_name(d)).is_file()}
    # a date gone changes its neighbours' links: rare enough to make every page again
    wanted = set(dates) if changed is None or gone else _with_neighbours(dates, changed)
    bar = template("bar.html")
    for i, date in enumerate(dates):
        if date not in wanted:
            continue
        rendered = load_issue(state, date, audience.name)
        links = PageLinks(
            previous=urls.page_name(dates[i - 1]) if i > 0 else "",
            previous_label=dates[i - 1].isoformat() if i > 0 else "",
            next=urls.page_name(dates[i + 1]) if i + 1 < len(dates) else "",
            next_label=dates[i + 1].isoformat() if i + 1 < len(dates) else "",
            subscribe_url=subscribe_link(archive, audience.name),
            own_url=urls.public_url(archive, audience.name, urls.page_name(date)))
        page = archive_page(rendered, links, bar, audience.branding.name)
        report.written += _write(folder / urls.page_name(date), page.encode("utf-8"))
    report.written += _write(folder / urls.INDEX,
                             audience_index(archive, audience, issues, lang,
                                            direction).encode("utf-8"))
    report.written += _write(folder / urls.FEED,
                             build_feed(archive, audience, issues, template("entry.html"), lang))
    # last: until the index and the neighbours no longer link them, the pages stay
    for path in gone:
        _unlink(path)
    report.removed += len(gone)


def _with_neighbours(dates: list[dt.date], changed: set[dt.date]) -> set[dt.date]:
    """The changed dates and the issues before and after each (their links change)."""
    wanted = set()
    for i, date in enumerate(dates):
        if date in changed:
            wanted |= set(dates[max(0, i - 1):i + 2])
    return wanted


def _write_site(settings: Settings, state: State, report: Report) -> None:
    counts = issue_counts(state)
    listed = [(audience, *counts.get(audience.name, (0, "")))
              for audience in sorted(settings.audiences.values(), key=lambda a: a.name)
              if audience.archive]
    report.written += _write(settings.archive.path / urls.INDEX,
                             site_index(listed).encode("utf-8"))


def _withdraw(settings: Settings, audience: Audience, report: Report) -> None:
    """An audience no longer archived: its pages, index and feed go (some digests are
    private, and may have been public once); other files in its folder stay."""
    folder = urls.audience_dir(settings.archive, audience.name)
    if not folder.is_dir():
        return
    for path in _gone_pages(folder, set()):
        _unlink(path)
        report.removed += 1
    for name in (urls.INDEX, urls.FEED):
        if (folder / name).is_file():
            _unlink(folder / name)
            report.removed += 1
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: someone else's files
    log.info("archive: %s is not archived any more: its pages were removed", audience.name)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ArchiveError(f"archive: cannot remove {path}: {exc.strerror or exc}") from None


def _gone_pages(folder: Path, dates: set[dt.date]) -> list[Path]:
    """The pages of dates that are not in the state any more."""
    if not folder.is_dir():
        return []
    gone = []
    for path in sorted(folder.glob("*.html")):
        match = urls.PAGE_NAME.fullmatch(path.name)
        if match is None:
            continue
        try:
            date = dt.date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if date not in dates:
            gone.append(path)
    return gone


def _write(path: Path, data: bytes) -> int:
    """Write atomically when the bytes differ; 1 if written."""
    try:
        if path.read_bytes() == data:
            return 0
    except OSError:
        pass
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ArchiveError(f"archive: cannot write {path}: {exc.strerror or exc}") from None
    return 1
