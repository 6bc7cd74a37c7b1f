"""retained-capability follow-ups (rounds, one-use links, unlinkable self-ratings, the leader's
assessed level per plan item), team-gap matching per need, and exposure counts for the report

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_gap', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('transfer_plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_level', sa.Integer(), nullable=True))
    op.create_table(
        'followup_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('link_salt', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'],
                                name=op.f('fk_followup_rounds_engagement_id_engagements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_rounds')),
        sa.UniqueConstraint('engagement_id', name=op.f('uq_followup_rounds_engagement_id')),
    )
    for table, extra in (('followup_invites', [sa.Column('token_hash', sa.String(length=64), nullable=False),
                                               sa.Column('used', sa.Boolean(), nullable=False)]),
                         ('followup_ratings', [sa.Column('skill_label', sa.String(length=255), nullable=False),
                                               sa.Column('level', sa.Integer(), nullable=False)])):
        uniques = [sa.UniqueConstraint('token_hash', name=op.f(f'uq_{table}_token_hash'))] if table == 'followup_invites' else []
        op.create_table(
            table,
            sa.Column('id', sa.Uuid(), nullable=False),
            sa.Column('round_id', sa.Integer(), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(['round_id'], ['followup_rounds.id'], name=op.f(f'fk_{table}_round_id_followup_rounds')),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            *uniques,
        )
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_round_id'), ['round_id'], unique=False)
    op.create_table(
        'exposure_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('bucket', sa.String(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_exposure_counts_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exposure_counts')),
        sa.UniqueConstraint('organisation_id', 'day', 'dimension', 'bucket',
                            name=op.f('uq_exposure_counts_organisation_id_day_dimension_bucket')),
    )
    with op.batch_alter_table('exposure_counts') as batch_op:
        batch_op.create_index(batch_op.f('ix_exposure_counts_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    for table in ('exposure_counts', 'followup_ratings', 'followup_invites', 'followup_rounds'):
        op.drop_table(table)
    with op.batch_alter_table('transfer_plan_items', schema=None) as batch_op:
        batch_op.drop_column('followup_level')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_column('team_gap')
