"""anonymous check-ins: invites and answers keyed by random ids with nothing that points at a
person or a moment; a round's link salt and reminder time. Teams get leaders; one open invitation
per need and freelancer; organisation names unique whatever their case.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:10:00

Each team is led by the leaders who posted needs for it, or, where none did, by every leader of
its organisation, so nobody loses a team they work with. Existing invites keep only whether they were used; existing answers get random ids in a shuffled
order and lose their day stamp. Downgrading cannot give invites back their member: it drops them.
"""
import random
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCORES = ("safety_mistakes", "safety_risks", "safety_asking", "peer_trust", "collaboration", "goal_clarity",
          "workload")


def _invites_table(id_type, extra):
    op.create_table(
        "checkin_invites",
        sa.Column("id", id_type, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(["round_id"], ["checkin_rounds.id"], name=op.f("fk_checkin_invites_round_id_checkin_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_checkin_invites_token_hash")),
    )
    with op.batch_alter_table("checkin_invites") as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_invites_round_id"), ["round_id"], unique=False)


def _responses_table(id_type, extra):
    op.create_table(
        "checkin_responses",
        sa.Column("id", id_type, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in SCORES],
        sa.Column("comment", sa.Text(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(["round_id"], ["checkin_rounds.id"], name=op.f("fk_checkin_responses_round_id_checkin_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_responses")),
    )
    with op.batch_alter_table("checkin_responses") as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_responses_round_id"), ["round_id"], unique=False)


def _drop(name):
    with op.batch_alter_table(name) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{name}_round_id"))
    op.drop_table(name)


OPEN_INVITATION = sa.text("status IN ('sent', 'accepted')")


def upgrade():
    connection = op.get_bind()
    _team_leaders()
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.create_index("uq_invitations_one_open", ["need_id", "profile_id"], unique=True,
                              sqlite_where=OPEN_INVITATION, postgresql_where=OPEN_INVITATION)
    op.create_index("uq_organisations_name_lower", "organisations", [sa.text("lower(name)")], unique=True)
    with op.batch_alter_table("checkin_rounds") as batch_op:
        batch_op.add_column(sa.Column("link_salt", sa.String(length=32), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("checkin_rounds") as batch_op:
        batch_op.alter_column("link_salt", server_default=None)

    invites = connection.execute(sa.text("SELECT round_id, token_hash, used_at FROM checkin_invites")).all()
    _drop("checkin_invites")
    _invites_table(sa.Uuid(), [sa.Column("token_hash", sa.String(length=64), nullable=False),
                               sa.Column("used", sa.Boolean(), nullable=False)])
    rows = [{"id": uuid.uuid4(), "round_id": r.round_id, "token_hash": r.token_hash, "used": r.used_at is not None}
            for r in invites]
    random.SystemRandom().shuffle(rows)
    if rows:
        op.bulk_insert(sa.table("checkin_invites", sa.column("id", sa.Uuid()), sa.column("round_id"),
                                sa.column("token_hash"), sa.column("used", sa.Boolean())), rows)

    columns = ", ".join(("round_id", *SCORES, "comment"))
    answers = [dict(r._mapping) for r in connection.execute(sa.text(f"SELECT {columns} FROM checkin_responses"))]
    _drop("checkin_responses")
    _responses_table(sa.Uuid(), [])
    random.SystemRandom().shuffle(answers)
    if answers:
        op.bulk_insert(sa.table("checkin_responses", sa.column("id", sa.Uuid()), sa.column("round_id"),
                                *[sa.column(name) for name in (*SCORES, "comment")]),
                       [{"id": uuid.uuid4(), **answer} for answer in answers])


def _team_leaders():
    op.create_table(
        "team_leaders",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_team_leaders_team_id_teams")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_team_leaders_user_id_users")),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_leaders")),
    )
    with op.batch_alter_table("team_leaders") as batch_op:
        batch_op.create_index(batch_op.f("ix_team_leaders_user_id"), ["user_id"], unique=False)
    op.execute("""
        INSERT INTO team_leaders (team_id, user_id)
        SELECT DISTINCT needs.team_id, needs.created_by_id FROM needs
        JOIN users ON users.id = needs.created_by_id WHERE users.role = 'leader'
    """)
    op.execute("""
        INSERT INTO team_leaders (team_id, user_id)
        SELECT teams.id, users.id FROM teams JOIN users ON users.organisation_id = teams.organisation_id
        WHERE users.role = 'leader' AND NOT EXISTS (SELECT 1 FROM team_leaders WHERE team_leaders.team_id = teams.id)
    """)


def downgrade():
    connection = op.get_bind()
    op.drop_index("uq_organisations_name_lower", table_name="organisations")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_index("uq_invitations_one_open")
    with op.batch_alter_table("team_leaders") as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_leaders_user_id"))
    op.drop_table("team_leaders")
    columns = ", ".join(("round_id", *SCORES, "comment"))
    answers = [dict(r._mapping) for r in connection.execute(sa.text(f"SELECT {columns} FROM checkin_responses"))]
    _drop("checkin_responses")
    _responses_table(sa.Integer(), [sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False)])
    if answers:
        rounds = dict(connection.execute(sa.text("SELECT id, opened_at FROM checkin_rounds")).all())
        op.bulk_insert(sa.table("checkin_responses", sa.column("id"), sa.column("round_id"),
                                *[sa.column(name) for name in (*SCORES, "comment")],
                                sa.column("submitted_at", sa.DateTime(timezone=True))),
                       [{"id": i, **answer, "submitted_at": rounds[answer["round_id"]]}
                        for i, answer in enumerate(answers, 1)])
    _drop("checkin_invites")
    _invites_table(sa.Integer(), [
        sa.Column("team_member_id", sa.Integer(), sa.ForeignKey("team_members.id", name=op.f("fk_checkin_invites_team_member_id_team_members")), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    ])
    with op.batch_alter_table("checkin_rounds") as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("link_salt")
