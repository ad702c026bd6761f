"""Store a secret shuffle key with every enrolment and assessment attempt

Revision ID: 3f6a1c9e2b7d
Revises: b41d7e0c5a13
Create Date: 2026-11-29 09:00:00

Answer orders used to be seeded from the enrolment, question and attempt ids that the page shows, so a
learner could compute them. Each existing row gets its own random key here, drawn with `secrets` as the
app draws new ones; an attempt still open when this runs is shown in a new order, which its learner
answers as usual.
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '3f6a1c9e2b7d'
down_revision = 'b41d7e0c5a13'
branch_labels = None
depends_on = None

TABLES = ('enrolments', 'assessment_attempts')


def upgrade():
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('shuffle_key', sa.String(length=64), nullable=True))
        _fill(name)
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('shuffle_key', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    for name in reversed(TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('shuffle_key')


def _fill(name):
    table = sa.table(name, sa.column('id', sa.Integer), sa.column('shuffle_key', sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(table.c.id)).scalars().all()
    if ids:
        statement = table.update().where(table.c.id == sa.bindparam('row_id')).values(shuffle_key=sa.bindparam('key'))
        connection.execute(statement, [{'row_id': row_id, 'key': secrets.token_hex(32)} for row_id in ids])
