"""Where the suite's database lives: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

import base64
import os
import tempfile

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


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
