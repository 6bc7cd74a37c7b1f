"""embeddings.text_vectors: the vectors of the texts an item's vector was read from, so that its
next save encodes only the texts that changed (matching.known_texts)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('embeddings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_vectors', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('embeddings', schema=None) as batch_op:
        batch_op.drop_column('text_vectors')
