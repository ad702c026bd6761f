"""Officials as the HR rosters know them (by DNI) and their posts at organisations

Revision ID: c518772e49c7
Revises: 5d8e2a41c7b3
Create Date: 2026-12-08 02:26:47

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c518772e49c7'
down_revision = '5d8e2a41c7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('compliance_officials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dni', sa.String(length=8), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=False),
    sa.Column('surnames', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(dni) = 8', name=op.f('ck_compliance_officials_dni_has_eight_digits')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_compliance_officials_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_officials')),
    sa.UniqueConstraint('dni', name=op.f('uq_compliance_officials_dni')),
    sa.UniqueConstraint('user_id', name=op.f('uq_compliance_officials_user_id'))
    )
    with op.batch_alter_table('compliance_officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliance_officials_email'), ['email'], unique=False)

    op.create_table('compliance_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('regime', sa.String(length=16), nullable=False),
    sa.Column('hire_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("regime IN ('cas', 'dleg_276', 'dleg_728', 'ley_30057', 'other')", name=op.f('ck_compliance_appointments_regime_known')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= hire_date', name=op.f('ck_compliance_appointments_ends_after_it_starts')),
    sa.ForeignKeyConstraint(['official_id'], ['compliance_officials.id'], name=op.f('fk_compliance_appointments_official_id_compliance_officials'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_compliance_appointments_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_appointments')),
    sa.UniqueConstraint('official_id', 'organisation_id', name='uq_compliance_appointments_official_organisation')
    )
    with op.batch_alter_table('compliance_appointments', schema=None) as batch_op:
        batch_op.create_index('ix_compliance_appointments_organisation_unit', ['organisation_id', 'unit'], unique=False)



def downgrade():
    with op.batch_alter_table('compliance_appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_appointments_organisation_unit')

    op.drop_table('compliance_appointments')
    with op.batch_alter_table('compliance_officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compliance_officials_email'))

    op.drop_table('compliance_officials')
