"""Outgoing mail is delivered by the task worker: each message records when it left

Revision ID: b41d7e0c5a13
Revises: 3e6f1c2b9a70
Create Date: 2026-12-07 18:40:00

Messages recorded before were delivered at their commit, so they count as delivered then.
"""
from alembic import op
import sqlalchemy as sa



revision = 'b41d7e0c5a13'
down_revision = '3e6f1c2b9a70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE outbox_messages SET delivered_at = created_at')
    op.create_index(
        'ix_outbox_messages_undelivered',
        'outbox_messages',
        ['created_at'],
        unique=False,
        sqlite_where=sa.text('delivered_at IS NULL'),
        postgresql_where=sa.text('delivered_at IS NULL'),
    )


def downgrade():
    op.drop_index('ix_outbox_messages_undelivered', table_name='outbox_messages')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('delivered_at')
