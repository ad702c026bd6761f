"""Index the certificates still to sign, which the background runner looks for

Revision ID: 5b1f0c3e9d42
Revises: aa7d90f26108
Create Date: 2026-11-27 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b1f0c3e9d42'
down_revision = 'aa7d90f26108'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_certificates_unsigned',
            ['id'],
            unique=False,
            sqlite_where=sa.text("credential = ''"),
            postgresql_where=sa.text("credential = ''"),
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_unsigned', sqlite_where=sa.text("credential = ''"), postgresql_where=sa.text("credential = ''"))
