"""accounts: usernames unique regardless of case and width (NFKC, case-folded key)

Revision ID: 0008a_accounts_folded
Revises: 0002_accounts
Create Date: 2026-12-04 07:20:00.000000
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008a_accounts_folded"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def _key(username: str) -> str:
    # The same rule as domain.accounts.username_key, frozen here as migrations must be.
    return unicodedata.normalize("NFKC", username).strip().casefold()


def upgrade() -> None:
    op.add_column("users", sa.Column("username_key", sa.String(length=80), nullable=True))
    bind = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("username_key", sa.String),
    )
    for user_id, username in bind.execute(sa.select(users.c.id, users.c.username)).all():
        bind.execute(
            users.update().where(users.c.id == user_id).values(username_key=_key(username))
        )
    # Two stored accounts that fold to the same key fail here, by name, rather than silently.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("username_key", existing_type=sa.String(length=80), nullable=False)
        batch_op.create_unique_constraint(op.f("uq_users_username_key"), ["username_key"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_users_username_key"), type_="unique")
        batch_op.drop_column("username_key")
