"""Names in the archive: where each file goes and its public address.

Links between the archive's own files are relative, so the site works from any address (and
from the disk); only what leaves the site (the "view in browser" link, the feed's ids and
links) needs `[archive] base_url`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from digest.settings.schema import Archive

PAGE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.html")
INDEX = "index.html"
FEED = "feed.xml"


def page_name(date: dt.date) -> str:
    return f"{date.isoformat()}.html"


def audience_dir(archive: Archive, audience: str) -> Path:
    return archive.path / audience


def page_path(archive: Archive, audience: str, date: dt.date) -> Path:
    return audience_dir(archive, audience) / page_name(date)


def public_url(archive: Archive, *parts: str) -> str:
    """The absolute address of a file of the site, or "" without a base_url."""
    if not archive.base_url:
        return ""
    return "/".join((archive.base_url, *parts))


def page_url(archive: Archive | None, audience, date: dt.date) -> str:
    """The "view in browser" address of an audience's issue: "" when the audience is not
    archived or the archive has no public address."""
    if archive is None or not getattr(audience, "archive", False):
        return ""
    return public_url(archive, audience.name, page_name(date))


def entry_id(archive: Archive, audience: str, date: dt.date) -> str:
    """An Atom id that stays the same across rebuilds, and without a base_url too."""
    key = public_url(archive, audience, page_name(date)) or f"digest:{audience}/{date}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key).urn


def feed_id(archive: Archive, audience: str) -> str:
    key = public_url(archive, audience, FEED) or f"digest:{audience}/{FEED}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key).urn
