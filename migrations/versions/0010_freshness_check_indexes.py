"""indexes for the freshness checks every ranking asks: skills.updated_at (the taxonomy's
max(updated_at) scanned the whole table, 14 ms on PostgreSQL, twice a match page) and the
closed accounts (track records counted every active account)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 13:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.create_index('ix_skills_updated_at', ['updated_at'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(
            'ix_users_closed',
            ['id'],
            unique=False,
            postgresql_where=sa.text('is_active_account = false'),
            sqlite_where=sa.text('is_active_account = 0'),
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_closed')
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_index('ix_skills_updated_at')
