"""Encrypt the TOTP secrets stored in plain text

Revision ID: 8157f21d19f7
Revises: 5c24cced361b
Create Date: 2026-11-28 09:01:00

The keys come from app.accounts.totp_keys (TOTP_ENCRYPTION_KEYS, else instance/totp-keys), which
imports no model. A database with no plain secret needs no key; otherwise, when no key exists yet, the
key file is created here, just as the app would create it at its first use.
"""
from alembic import op
import sqlalchemy as sa

from app.accounts import totp_keys


revision = '8157f21d19f7'
down_revision = '5c24cced361b'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def upgrade():
    rows = _stored_secrets()
    plain = [row for row in rows if totp_keys.is_plain_secret(row.totp_secret)]
    if plain:
        keys = totp_keys.current_keys()
        _store({row.id: keys.encrypt(row.totp_secret) for row in plain})


def downgrade():
    rows = [row for row in _stored_secrets() if not totp_keys.is_plain_secret(row.totp_secret)]
    if rows:
        keys = totp_keys.current_keys()
        _store({row.id: keys.decrypt(row.totp_secret) for row in rows})


def _stored_secrets():
    return op.get_bind().execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))).all()


def _store(secrets_by_id):
    statement = users.update().where(users.c.id == sa.bindparam('row_id')).values(totp_secret=sa.bindparam('secret'))
    op.get_bind().execute(statement, [{'row_id': row_id, 'secret': secret} for row_id, secret in secrets_by_id.items()])
