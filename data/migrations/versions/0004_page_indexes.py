"""page indexes: covering indexes for the reads no aggregate answers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Measured on a copy of the 1,000,000-posting demo store (bench/RESULTS.md, "Pages"):
``ix_vacancies_source_overview`` lets the per-source and per-method overviews (home, over de
data) read one narrow index instead of every row of the postings table, and
``ix_demand_month_month_gemeente`` answers monthly demand sums and
``ix_skill_demand_month_skill_month`` one skill's demand without visiting their tables.
On SQLite, a large load drops and rebuilds the vacancies index with the table's other
secondary indexes (data/store/bulk.py reads them from sqlite_master).
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # create_index alone never makes Alembic's SQLite batch mode copy the table.
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.create_index(
            'ix_vacancies_source_overview',
            ['source', 'location_method', 'posted_at', 'is_demo', 'cluster_id', 'gemeente_code',
             'batch_id'],
            unique=False,
        )

    with op.batch_alter_table('demand_month', schema=None) as batch_op:
        batch_op.create_index(
            'ix_demand_month_month_gemeente', ['month', 'gemeente_code', 'vacancies'], unique=False
        )

    with op.batch_alter_table('skill_demand_month', schema=None) as batch_op:
        batch_op.create_index(
            'ix_skill_demand_month_skill_month',
            ['skill_id', 'month', 'gemeente_code', 'occupation_code', 'vacancies', 'required'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('skill_demand_month', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_demand_month_skill_month')

    with op.batch_alter_table('demand_month', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_month_month_gemeente')

    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_index('ix_vacancies_source_overview')
