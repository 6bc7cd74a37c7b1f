"""a need's augment lean read from its own words, and the words behind it; "derived" intent; a
budget the leader calls firm

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('augment_lean', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('lean_evidence', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('budget_firm', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.execute("UPDATE needs SET intent = 'balanced' WHERE intent = 'derived'")
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_column('budget_firm')
        batch_op.drop_column('lean_evidence')
        batch_op.drop_column('augment_lean')
