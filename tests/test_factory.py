import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.core.database import normalise_database_url
from app.extensions import db
from tests.settings import TEST_CONFIG, use_postgres


def test_start_up_refuses_a_missing_secret_key_outside_debug_and_testing(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None, "TESTING": False, "DEBUG": False, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_postgres_urls_use_psycopg_3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.skipif(use_postgres(), reason="SQLite pragmas apply to the embedded database only")
def test_sqlite_runs_in_wal_mode_with_full_sync_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path}/pragmas.db"})
    # A connection of this application's engine (db.session is the suite's, on the suite's database).
    with app.app_context(), db.engine.connect() as connection:
        read = lambda pragma: connection.execute(text(f"PRAGMA {pragma}")).scalar()  # noqa: E731
        assert read("journal_mode") == "wal"
        assert read("synchronous") == 2  # FULL
        assert read("foreign_keys") == 1
        assert read("busy_timeout") >= 1000
    with app.app_context():
        db.engine.dispose()


def test_cookies_are_secure_and_host_bound_when_served_over_https(tmp_path):
    app = create_app(
        {**TEST_CONFIG, "BASE_URL": "https://academia.example", "DATABASE_URL": f"sqlite:///{tmp_path}/https.db"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_app_starts_and_serves_with_rate_limiting_turned_off(tmp_path):
    app = create_app({**TEST_CONFIG, "RATELIMIT_ENABLED": False, "DATABASE_URL": f"sqlite:///{tmp_path}/nolimit.db"})
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_without_base_url_the_public_address_is_where_make_run_serves(tmp_path):
    app = create_app(
        {**TEST_CONFIG, "BASE_URL": "", "BIND": "127.0.0.1:8123", "DATABASE_URL": f"sqlite:///{tmp_path}/bind.db"}
    )
    assert app.config["BASE_URL"] == "http://127.0.0.1:8123"


def test_base_url_wins_over_the_address_served_on(tmp_path):
    app = create_app(
        {
            **TEST_CONFIG,
            "BASE_URL": "https://academia.example/",
            "BIND": "127.0.0.1:8123",
            "DATABASE_URL": f"sqlite:///{tmp_path}/base.db",
        }
    )
    assert app.config["BASE_URL"] == "https://academia.example"


@pytest.mark.parametrize("bind", ["0.0.0.0:5000", "[::]:5000", "unix:/run/academy.sock"])
def test_serving_on_every_interface_or_a_socket_needs_base_url(tmp_path, bind):
    with pytest.raises(RuntimeError, match="set BASE_URL"):
        create_app({**TEST_CONFIG, "BASE_URL": "", "BIND": bind, "DATABASE_URL": f"sqlite:///{tmp_path}/any.db"})


def test_make_run_port_sets_the_address_every_process_is_given(tmp_path):
    root = Path(__file__).parents[1]
    # As typed in a shell: not inside `make test`, which exports its own BIND to the suite.
    shell = {
        name: value
        for name, value in os.environ.items()
        if name not in {"BIND", "PORT", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
    }
    printed = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "show-bind", "PORT=8123"],
        input="show-bind:\n\t@echo $$BIND\n",
        cwd=root,
        env=shell,
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "127.0.0.1:8123"
