"""a freelancer's proposed final level on a plan item, kept until the leader records one

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transfer_plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_final_level', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('transfer_plan_items', schema=None) as batch_op:
        batch_op.drop_column('proposed_final_level')
