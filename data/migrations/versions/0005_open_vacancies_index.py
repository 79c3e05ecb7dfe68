"""open vacancies index: the open vacancies of the last weeks without reading the postings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Matchen ranks the open vacancies of a region (posted in the last 60 days, cluster heads, not
closed). Without this index SQLite found them through the gemeente or date index and then read
each posting's row (1.0 s for Zwolle, 2.3 s for the whole country on 1,000,068 vacancies); the
index answers the search alone (bench/RESULTS.md, "Pages"). On SQLite a large load drops and
rebuilds it with the table's other secondary indexes (data/store/bulk.py).
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.create_index(
            'ix_vacancies_open',
            ['posted_at', 'is_cluster_head', 'closing_at', 'gemeente_code'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_index('ix_vacancies_open')
