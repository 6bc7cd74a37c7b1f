"""skills keep their hidden labels apart, and the AI-skills extension's links, lean and source

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_labels', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('broader', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('augment_lean', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=60), nullable=False, server_default='esco'))


def downgrade():
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('augment_lean')
        batch_op.drop_column('broader')
        batch_op.drop_column('hidden_labels')
