"""quarantine reason code, vacancy via_intermediary

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The row reason codes at the time of this migration (data/ingest/reasons.py). Rows quarantined
# before it store the code only as the prefix of ``reason`` ("bad_date: Datum is ...").
_CODES = (
    'missing_required', 'bad_date', 'ambiguous_date', 'date_out_of_range', 'too_long',
    'wrong_field_count', 'bad_json', 'repeated_header', 'duplicate_id', 'already_loaded',
)


def upgrade() -> None:
    with op.batch_alter_table('quarantined_rows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))

    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_intermediary', sa.Boolean(), nullable=True))

    # Fill the code of rows quarantined earlier from the prefix of their reason. "\" escapes the
    # underscores, which LIKE would otherwise read as "any character".
    for code in _CODES:
        op.execute(
            sa.text(
                "UPDATE quarantined_rows SET code = :code "
                "WHERE code IS NULL AND reason LIKE :prefix ESCAPE '\\'"
            ).bindparams(code=code, prefix=code.replace('_', '\\_') + ': %')
        )


def downgrade() -> None:
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_column('via_intermediary')

    with op.batch_alter_table('quarantined_rows', schema=None) as batch_op:
        batch_op.drop_column('code')
