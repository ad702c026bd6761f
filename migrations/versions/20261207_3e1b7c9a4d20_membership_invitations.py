"""Memberships can be invitations: the invited status, and the address, name and expiry the inviter gave

Revision ID: 3e1b7c9a4d20
Revises: 3f6a1c9e2b7d
Create Date: 2026-11-29 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3e1b7c9a4d20'
down_revision = '3f6a1c9e2b7d'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('active', 'pending', 'ended')"
NEW_STATUSES = "status IN ('active', 'pending', 'invited', 'ended')"
INVITATION_COMPLETE = (
    "status != 'invited' OR (invited_email IS NOT NULL AND invited_name IS NOT NULL "
    "AND invitation_expires_at IS NOT NULL)"
)


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('invited_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('invitation_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_memberships_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', NEW_STATUSES)
        batch_op.create_check_constraint('invitation_complete', INVITATION_COMPLETE)


def downgrade():
    # An invitation nobody answered grants nothing: ending it loses no role.
    memberships = sa.table('memberships', sa.column('status', sa.String))
    op.execute(memberships.update().where(memberships.c.status == 'invited').values(status='ended'))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_invitation_complete'), type_='check')
        batch_op.drop_constraint(op.f('ck_memberships_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', OLD_STATUSES)
        batch_op.drop_column('invitation_expires_at')
        batch_op.drop_column('invited_name')
        batch_op.drop_column('invited_email')
