"""Where the suite's database lives: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

import base64
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url


def use_postgres() -> bool:
    return os.environ.get("ACADEMY_TEST_DATABASE") == "postgres"


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("ACADEMY_TEST_DATABASE=postgres needs TEST_DATABASE_URL")
    return url


def fresh_database_url(tmp_dir, name: str) -> str:
    """An empty database for one purpose: a new SQLite file, or a new PostgreSQL database beside the test one."""
    if not use_postgres():
        return f"sqlite:///{tmp_dir}/{name}.db"
    base = make_url(postgres_url().replace("postgresql://", "postgresql+psycopg://", 1))
    database = f"{base.database}_{name}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


class PristineDatabase:
    """The suite's database as migrated and seeded, kept aside and put back before a test that changed it.

    Tests commit for real, as the app does, so each starts from a copy: a file copy on SQLite, a database
    made from a template on PostgreSQL. snapshot() does the same for a state a test has built.
    """

    def __init__(self, app):
        self.app = app
        self.url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        self.changed = False
        event.listen(Engine, "commit", self._note_commit)
        self._save(self._pristine_name())

    def restore(self, *, even_if_unchanged: bool = False) -> None:
        """Put the pristine database back, if anything was committed since (or if asked to anyway)."""
        if self.changed or even_if_unchanged:
            self._put_back(self._pristine_name())
            self.changed = False

    @contextmanager
    def snapshot(self):
        """Keep the database as it is now, and put it back as it was when the block ends (still changed
        since the pristine one, so the next test starts from that)."""
        name = self._pristine_name() + "_snapshot"
        self._save(name)
        try:
            yield
        finally:
            self._put_back(name)

    def _note_commit(self, connection) -> None:
        self.changed = True

    def _pristine_name(self) -> str:
        return f"{self.url.database}.pristine" if self._is_sqlite else f"{self.url.database}_pristine"

    @property
    def _is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _save(self, name: str) -> None:
        self._disconnect()
        if self._is_sqlite:
            shutil.copyfile(self.url.database, name)  # every connection closed: nothing is left in a -wal
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{self.url.database}"')

    def _put_back(self, name: str) -> None:
        self._disconnect()
        if self._is_sqlite:
            path = Path(self.url.database)
            for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(name, path)
        else:
            current = self.url.database
            self._admin(f'DROP DATABASE "{current}" WITH (FORCE)', f'CREATE DATABASE "{current}" TEMPLATE "{name}"')

    def _disconnect(self) -> None:
        from app.core.database import dispose_engines
        from app.extensions import db

        with self.app.app_context():
            db.session.close()
        dispose_engines(self.app)

    def _admin(self, *statements: str) -> None:
        admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        admin.dispose()


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "BASE_URL": "http://localhost",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Cheaper hashing keeps the suite fast; test_passwords checks the production settings separately.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST_KIB": 8,
    "MAIL_SERVER": "",
    # Tasks wait in this process's memory until a test runs them (run_queued_tasks), as the worker would.
    "HUEY_STORAGE": "memory",
    # Signing keys of the test run, never the developer's instance/keys.
    "CERTIFICATE_KEY_DIR": tempfile.mkdtemp(prefix="academy-test-keys-"),
    # A known key, so factories can store encrypted TOTP secrets without an application context, and never
    # a key from the developer's environment; tests of the key file point TOTP_KEY_FILE at their own folder.
    "TOTP_ENCRYPTION_KEYS": base64.urlsafe_b64encode(b"test-totp-key-not-for-production").decode("ascii"),
    "TOTP_KEY_FILE": os.path.join(tempfile.mkdtemp(prefix="academy-test-totp-"), "totp-keys"),
}
