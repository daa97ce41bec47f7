"""The state database: one SQLite file (stdlib sqlite3) kept between runs.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[i]` takes the database from
version i to i + 1, inside a transaction, so a run killed half-way leaves the old version
intact. WAL mode lets a preview read while a run writes.

Each concern that keeps state adds its tables as a new migration at the end of the list;
a migration already released is never edited.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.errors import DigestError

MIGRATIONS: list[str] = [
    # 1: what the state file is, for people who open it by hand
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('created_by', 'digest');
    """,
    # 2: HTTP validators and the last body of each address, for conditional GET (digest/fetch.py)
    """
    CREATE TABLE fetch_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        final_url TEXT NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        body BLOB NOT NULL,
        fetched_at TEXT NOT NULL,
        used_at TEXT NOT NULL
    );
    """,
    # 3: articles seen, and the issues that carried them (digest/seen.py)
    """
    CREATE TABLE seen (
        id INTEGER PRIMARY KEY,
        canonical_url TEXT,
        guid TEXT,
        content_hash TEXT,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        first_seen TEXT NOT NULL
    );
    CREATE INDEX seen_url ON seen (canonical_url);
    CREATE INDEX seen_guid ON seen (guid);
    CREATE INDEX seen_hash ON seen (content_hash);
    CREATE TABLE carried (
        seen_id INTEGER NOT NULL REFERENCES seen (id) ON DELETE CASCADE,
        audience TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        PRIMARY KEY (seen_id, audience, issue_date)
    );
    CREATE INDEX carried_issue ON carried (audience, issue_date);
    """,
    # 4: delivery (digest/ledger.py): each issue as sent (recipient fields still placeholders),
    # and one row per (issue, audience, recipient) written before and after each SMTP transaction
    """
    CREATE TABLE sendable_issues (
        issue_date TEXT NOT NULL,
        audience TEXT NOT NULL,
        subject TEXT NOT NULL,
        sender TEXT NOT NULL,
        html TEXT NOT NULL,
        text TEXT NOT NULL,
        token TEXT NOT NULL,
        rendered_at TEXT NOT NULL,
        PRIMARY KEY (issue_date, audience)
    );
    CREATE TABLE deliveries (
        issue_date TEXT NOT NULL,
        audience TEXT NOT NULL,
        email TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
            ('pending', 'sending', 'sent', 'failed-temporary', 'failed-permanent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_reply TEXT NOT NULL DEFAULT '',
        message_id TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (issue_date, audience, email)
    );
    CREATE INDEX deliveries_status ON deliveries (issue_date, audience, status);
    """,
    # 5: what topic grouping keeps of each article seen (digest/history.py): its day, title
    # and a capped prefix of its text, for the background statistics of later days
    """
    CREATE TABLE history (
        seen_id INTEGER PRIMARY KEY REFERENCES seen (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX history_day ON history (day);
    """,
    # 6: what the public archive shows of each issue besides its page (digest/archive/store.py):
    # its articles' titles, links, sources and summaries as JSON, for indexes and the feed
    """
    CREATE TABLE issue_contents (
        issue_date TEXT NOT NULL,
        audience TEXT NOT NULL,
        articles TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        PRIMARY KEY (issue_date, audience)
    );
    """,
    # 7: when each article was last seen (digest/gathering/seen.py), so that pruning
    # (digest/gathering/prune.py) forgets only articles no source carries any more
    """
    ALTER TABLE seen ADD COLUMN last_seen TEXT;
    UPDATE seen SET last_seen = first_seen;
    CREATE INDEX seen_last ON seen (last_seen);
    """,
    # 8: subscribers' own choices (digest/subscribers/): the opaque reference of each address in
    # signed links, the suppression list and its log, soft bounces, sign-ups, the mailbox
    # messages already read (so none is counted twice), and bounces found by Message-ID
    """
    CREATE TABLE subscriber_refs (ref TEXT PRIMARY KEY, email TEXT NOT NULL);
    CREATE TABLE suppressions (
        email TEXT NOT NULL,
        audience TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        since TEXT NOT NULL,
        PRIMARY KEY (email, audience)
    );
    CREATE TABLE suppression_log (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        audience TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE TABLE soft_bounces (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        at TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX soft_bounces_email ON soft_bounces (email, at);
    CREATE TABLE signups (
        audience TEXT NOT NULL,
        email TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        PRIMARY KEY (audience, email)
    );
    CREATE TABLE mailbox_seen (key TEXT PRIMARY KEY, outcome TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX deliveries_message_id ON deliveries (message_id);
    """,
    # 9: what each issue told its audience about each story (digest/topics/followups.py):
    # its title, summary, key quotes and opening, so that a later issue can tell a follow-up
    # and summarise what is new
    """
    CREATE TABLE sent_stories (
        audience TEXT NOT NULL,
        issue_date TEXT NOT NULL,
        seen_id INTEGER NOT NULL REFERENCES seen (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        quotes TEXT NOT NULL,
        opening TEXT NOT NULL,
        PRIMARY KEY (audience, issue_date, seen_id)
    );
    CREATE INDEX sent_stories_day ON sent_stories (audience, issue_date);
    """,
]


class StateError(DigestError):
    """The state file cannot be opened or is newer than this version of digest."""


class State:
    """An open state database. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        # threads that share this connection (the HTTP client's) take turns with this lock
        self.lock = threading.RLock()
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode: transactions are explicit (see `transaction`)
            # the HTTP client's threads share the connection, under `self.lock`
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30,
                                      check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state database {path}: {exc}") from None

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise StateError(
                f"state database {self.path} has schema version {current}, newer than this "
                f"digest knows ({len(MIGRATIONS)}); upgrade digest"
            )
        for version in range(current, len(MIGRATIONS)):
            with self.transaction():
                # executescript would commit on its own; run the statements one by one
                for statement in _statements(MIGRATIONS[version]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows where they end)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
