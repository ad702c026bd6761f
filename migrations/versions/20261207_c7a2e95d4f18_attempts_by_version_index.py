"""Index the assessment attempts by version, status and id, for the item statistics

Revision ID: c7a2e95d4f18
Revises: 3e1b7c9a4d20
Create Date: 2026-12-07 19:20:00

The statistics of a course version page through its submitted attempts by id; without this index each
page of a thousand rows scanned the whole table.
"""
from alembic import op


revision = 'c7a2e95d4f18'
down_revision = '3e1b7c9a4d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assessment_attempts_version_status_id',
        'assessment_attempts',
        ['version_id', 'status', 'id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_assessment_attempts_version_status_id', table_name='assessment_attempts')
