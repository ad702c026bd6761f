"""Activities can be personal action plans (a private plan the learner downloads as one PDF page)

Revision ID: 5d8e2a41c7b3
Revises: c7a2e95d4f18
Create Date: 2026-12-07 22:30:00

"""
from alembic import op


revision = '5d8e2a41c7b3'
down_revision = 'c7a2e95d4f18'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('knowledge_check', 'dilemma', 'reflection', 'pledge')"
NEW_KINDS = "kind IN ('knowledge_check', 'dilemma', 'reflection', 'pledge', 'action_plan')"


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activities_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', NEW_KINDS)


def downgrade():
    # Fails while a stored course version has an action plan: removing it would change a version learners used.
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activities_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', OLD_KINDS)
