"""Store every account's address in the canonical form the sign-in lookup and its limits now share

Revision ID: 3e6f1c2b9a70
Revises: 8157f21d19f7
Create Date: 2026-12-07 18:10:00

Addresses were lower-cased NFC; they are now NFKC as well (fullwidth letters become plain ones), so an
address typed with compatibility characters finds its account. Only addresses that change are
rewritten, and one whose new form another account already has is left as it was (and reported): an
operator decides which of the two is the person's.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '3e6f1c2b9a70'
down_revision = '8157f21d19f7'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))


def upgrade():
    connection = op.get_bind()
    # Only an address with a character outside ASCII can change; the rest are streamed past, not kept.
    everyone = sa.select(users.c.id, users.c.email).execution_options(stream_results=True, yield_per=1000)
    candidates = [(user_id, email) for user_id, email in connection.execute(everyone) if not email.isascii()]
    for user_id, email in candidates:
        canonical = unicodedata.normalize('NFKC', email).lower()
        if canonical == email:
            continue
        holder = connection.execute(sa.select(users.c.id).where(users.c.email == canonical)).scalar()
        if holder is not None:
            print(f'users.id {user_id}: {email!r} kept; its canonical form belongs to users.id {holder}')
            continue
        connection.execute(users.update().where(users.c.id == user_id).values(email=canonical))


def downgrade():
    # The earlier form cannot be recovered, and the canonical one is a valid address for it.
    pass
