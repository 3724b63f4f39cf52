"""audit_keyed: each entry's MAC under the audit key; TRUNCATE refused on PostgreSQL

Revision ID: 0008_audit_keyed
Revises: 0002_accounts
Create Date: 2026-12-04 07:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_keyed"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

# Row triggers do not fire on TRUNCATE: it needs a statement trigger of its own. (SQLite has
# no TRUNCATE; its DELETE trigger already refuses `DELETE FROM audit_log`.)
_PG_NO_TRUNCATE = (
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
)


def upgrade() -> None:
    # Entries written before this stay unkeyed (NULL): verify accepts them only as a prefix.
    op.add_column("audit_log", sa.Column("mac", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_NO_TRUNCATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("mac")
