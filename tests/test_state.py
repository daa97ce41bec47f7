import sqlite3

import pytest

from digest import state as state_module
from digest.state import State, StateError


def test_new_database_is_at_the_latest_version(tmp_path):
    with State(tmp_path / "s.sqlite3") as state:
        assert state.version == len(state_module.MIGRATIONS)
        assert state.db.execute("SELECT value FROM meta WHERE key='created_by'").fetchone()[0] \
            == "digest"


def test_transaction_rolls_back_on_error(tmp_path):
    with State(tmp_path / "s.sqlite3") as state:
        with pytest.raises(RuntimeError):
            with state.transaction() as db:
                db.execute("INSERT INTO meta VALUES ('x', 'y')")
                raise RuntimeError("killed")
        assert state.db.execute("SELECT count(*) FROM meta WHERE key='x'").fetchone()[0] == 0


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    State(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 999")
    db.close()
    with pytest.raises(StateError, match="schema version 999, newer than this digest knows"):
        State(path)


def test_failed_migration_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    State(path).close()
    monkeypatch.setattr(state_module, "MIGRATIONS",
                        state_module.MIGRATIONS + ["CREATE TABLE t (a);", "NOT SQL AT ALL;"])
    with pytest.raises(StateError):
        State(path)
    db = sqlite3.connect(path)
    # the good migration landed, the broken one did not
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(state_module.MIGRATIONS) - 1
