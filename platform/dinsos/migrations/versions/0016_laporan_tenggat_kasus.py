"""Recaps by timeliness: a partial index on each case's own time-limit clock

A recap by "on time" joins every case of the period to its case clock
(``tenggat`` of kind ``kasus``); ``ix_tenggat_induk`` also holds every step's
clocks, so each lookup read four or five rows to keep one.

Revision ID: 0012b_h17_tenggat_kasus
Revises: 0012_h17_laporan (0015_laporan.py)
"""
import sqlalchemy as sa
from alembic import op

revision = '0012b_h17_tenggat_kasus'
down_revision = '0012_h17_laporan'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.create_index('ix_tenggat_kasus_induk', ['tenant_id', 'induk_id'], unique=False,
                              postgresql_where=sa.text("objek_jenis = 'kasus'"), sqlite_where=sa.text("objek_jenis = 'kasus'"))


def downgrade():
    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.drop_index('ix_tenggat_kasus_induk')
