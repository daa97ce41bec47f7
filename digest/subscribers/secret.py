"""The key that signs every personal link: $DIGEST_SECRET, else one made once and kept.

Made with `secrets` the first time it is needed and stored in the state database's `meta`
table, so that links in mail sent months ago still verify. Changing it (or $DIGEST_SECRET)
makes every earlier link invalid: they then get the "not valid" page and change nothing.
"""

from __future__ import annotations

import os
import secrets

from digest.errors import ConfigError
from digest.state import State

SECRET_VARIABLE = "DIGEST_SECRET"
_KEY = "link_secret"


def link_secret(state: State) -> bytes:
    from_env = os.environ.get(SECRET_VARIABLE)
    if from_env:
        if len(from_env) < 16:
            raise ConfigError(f"${SECRET_VARIABLE} must be at least 16 characters")
        return from_env.encode()
    with state.lock, state.transaction() as db:
        # INSERT OR IGNORE: two processes starting at once keep the same secret
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                   (_KEY, secrets.token_hex(32)))
        value = db.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()[0]
    return value.encode()
