"""Migrations build the same schema as the models, on SQLite and on PostgreSQL, and keep the data they change."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.accounts import totp_keys
from app.extensions import db
from tests.settings import TEST_CONFIG, fresh_database_url, use_postgres

# The revisions just before and after users.totp_secret was widened, and the one that encrypts it.
BEFORE_WIDENING = "5b1f0c3e9d42"
WIDENED = "5c24cced361b"
PLAIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The revision before addresses were stored NFKC-normalised.
BEFORE_CANONICAL_EMAILS = "8157f21d19f7"
# The revision before enrolments and attempts had their shuffle keys.
BEFORE_SHUFFLE_KEYS = "b41d7e0c5a13"

users = sa.table(
    "users",
    *(sa.column(name) for name in ("id", "email", "display_name", "password_hash", "locale", "session_token")),
    sa.column("is_active", sa.Boolean),
    sa.column("is_demo", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("password_changed_at", sa.DateTime(timezone=True)),
    sa.column("totp_secret", sa.String),
)
recovery_codes = sa.table("recovery_codes", sa.column("user_id"), sa.column("code_hash"))
courses = sa.table(
    "courses",
    *(sa.column(name) for name in ("id", "slug", "programme")),
    sa.column("is_published", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
course_versions = sa.table(
    "course_versions",
    *(sa.column(name) for name in ("id", "course_id", "number", "content_hash")),
    sa.column("text_only", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("meta", sa.JSON),
)
enrolments = sa.table(
    "enrolments",
    *(sa.column(name) for name in ("id", "user_id", "course_id", "version_id", "cycle", "status", "shuffle_key")),
    sa.column("enrolled_at", sa.DateTime(timezone=True)),
)
attempts = sa.table(
    "assessment_attempts",
    *(sa.column(name) for name in ("enrolment_id", "version_id", "number", "status", "shuffle_key")),
    sa.column("question_ids", sa.JSON),
    sa.column("started_at", sa.DateTime(timezone=True)),
)


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(tmp_path):
    url = fresh_database_url(tmp_path, "migrations")
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.session.remove()
        db.engine.dispose()
    assert differences == []


def test_upgrading_encrypts_plain_totp_secrets_and_downgrading_restores_them(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "totp_secrets")})
    with app.app_context():
        upgrade(revision=WIDENED)
        _insert_user_with_plain_secret()
        upgrade()
        encrypted = _stored_secret()
        decrypted = totp_keys.decrypt(encrypted)
        downgrade(revision=WIDENED)
        restored = _stored_secret()
        db.engine.dispose()
    assert encrypted.startswith("gAAAAA")
    assert decrypted == PLAIN_SECRET
    assert restored == PLAIN_SECRET


def test_upgrading_stores_addresses_written_with_fullwidth_letters_in_their_canonical_form(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "canonical_emails")})
    with app.app_context():
        upgrade(revision=BEFORE_CANONICAL_EMAILS)
        fullwidth = _insert_user(email="\uff41\uff4e\uff41@example.pe", session_token="fullwidth")
        plain = _insert_user(email="ana.maria@example.pe", session_token="plain")
        clash = _insert_user(email="\uff41na.maria@example.pe", session_token="clash")
        upgrade()
        with db.engine.connect() as connection:
            stored = dict(connection.execute(sa.select(users.c.id, users.c.email)).all())
        db.engine.dispose()
    assert stored[fullwidth] == "ana@example.pe"
    assert stored[plain] == "ana.maria@example.pe"
    # Its canonical form is another account's: left for an operator rather than merged or lost.
    assert stored[clash] == "\uff41na.maria@example.pe"


def test_upgrading_gives_every_enrolment_and_attempt_a_random_shuffle_key_of_its_own(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "shuffle_keys")})
    with app.app_context():
        upgrade(revision=BEFORE_SHUFFLE_KEYS)
        _insert_enrolments_with_attempts(_insert_user_with_plain_secret())
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.scalars(sa.select(enrolments.c.shuffle_key)).all()
            keys += connection.scalars(sa.select(attempts.c.shuffle_key)).all()
        db.engine.dispose()
    assert len(keys) == 4 and len(set(keys)) == 4
    assert all(len(key) == 64 and int(key, 16) for key in keys)


def test_rebuilding_the_users_table_on_sqlite_keeps_the_rows_that_refer_to_it(tmp_path):
    """SQLite rebuilds a table to alter a column; with foreign keys on, dropping the old copy would cascade."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "rebuild")})
    with app.app_context():
        upgrade(revision=BEFORE_WIDENING)
        user_id = _insert_user_with_plain_secret()
        with db.engine.begin() as connection:
            connection.execute(recovery_codes.insert().values(user_id=user_id, code_hash="0" * 64))
        upgrade()
        with db.engine.connect() as connection:
            kept = connection.scalar(sa.select(sa.func.count()).select_from(recovery_codes))
        db.engine.dispose()
    assert kept == 1


@pytest.mark.skipif(use_postgres(), reason="SQLite's foreign-key pragma")
def test_after_upgrading_sqlite_connections_enforce_foreign_keys_again(tmp_path):
    """The migrations turn the checks off on their connection; the pool must not hand it on without them."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "foreign_keys")})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            enforced = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        db.engine.dispose()
    assert enforced == 1


@pytest.mark.skipif(use_postgres(), reason="SQLite migrates with its foreign-key checks off")
def test_an_upgrade_that_would_leave_references_pointing_nowhere_commits_nothing(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": fresh_database_url(tmp_path, "dangling")})
    with app.app_context():
        upgrade(revision=BEFORE_WIDENING)
        with db.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            connection.execute(recovery_codes.insert().values(user_id=999999, code_hash="0" * 64))
            connection.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate logs the check's error and exits, as the CLI would
            upgrade()
        with db.engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
        db.engine.dispose()
    assert revision == BEFORE_WIDENING


def _insert_user_with_plain_secret() -> int:
    return _insert_user(email="plano@example.pe", session_token="token-of-the-plain-user", totp_secret=PLAIN_SECRET)


def _insert_user(**values) -> int:
    now = datetime.now(UTC)
    row = {
        "display_name": "Persona de migración",
        "password_hash": "x",
        "locale": "es",
        "is_active": True,
        "is_demo": False,
        "created_at": now,
        "password_changed_at": now,
        **values,
    }
    with db.engine.begin() as connection:
        return connection.execute(users.insert().values(**row).returning(users.c.id)).scalar_one()


def _insert_enrolments_with_attempts(user_id):
    """Two enrolments (two cycles of one course) with an attempt each, as they were before shuffle keys."""
    now = datetime.now(UTC)
    with db.engine.begin() as connection:
        course_id = connection.execute(
            courses.insert()
            .values(slug="old-course", programme="citizen", is_published=True, created_at=now)
            .returning(courses.c.id)
        ).scalar_one()
        version_id = connection.execute(
            course_versions.insert()
            .values(course_id=course_id, number=1, content_hash="0" * 64, text_only=False, created_at=now, meta={})
            .returning(course_versions.c.id)
        ).scalar_one()
        for cycle in (1, 2):
            enrolment_id = connection.execute(
                enrolments.insert()
                .values(
                    user_id=user_id,
                    course_id=course_id,
                    version_id=version_id,
                    cycle=cycle,
                    status="active",
                    enrolled_at=now,
                )
                .returning(enrolments.c.id)
            ).scalar_one()
            connection.execute(
                attempts.insert().values(
                    enrolment_id=enrolment_id,
                    version_id=version_id,
                    number=1,
                    status="open",
                    question_ids=["q01"],
                    started_at=now,
                )
            )


def _stored_secret() -> str:
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(users.c.totp_secret))
