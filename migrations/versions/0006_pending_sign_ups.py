"""sign-ups wait for their address to be confirmed: pending_sign_ups holds what was typed (the
password hashed) and the hash of the link's token until the link is used or expires

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

Existing accounts are confirmed as they are: nothing to convert. Downgrading drops sign-ups that
were still waiting; their links stop working.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_sign_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.Enum("leader", "freelancer", "program_manager", "admin", name="role", native_enum=False),
                  nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_sign_ups")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_pending_sign_ups_token_hash")),
    )
    with op.batch_alter_table("pending_sign_ups") as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_sign_ups_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_pending_sign_ups_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("pending_sign_ups") as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_sign_ups_expires_at"))
        batch_op.drop_index(batch_op.f("ix_pending_sign_ups_email"))
    op.drop_table("pending_sign_ups")
