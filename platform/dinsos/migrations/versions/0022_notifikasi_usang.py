"""Superseded notices: a "your turn" notice stops asking for action once someone else did the step.

``kelompok`` names what a notice asks its reader to act on (``langkah:<case>:<step code>``, ``kasus:<case>:pj``);
when that is done, or handed to someone else, every earlier notice of the group gets ``usang_pada`` and the
reason in words (``usang_alasan``). Existing notices have no group and are never superseded.

Revision ID: 0022_notifikasi_usang
Revises: 0021_ringkasan_rekap (0021_ringkasan_rekap.py)
"""
import sqlalchemy as sa
from alembic import op

import dinsos.core.db

revision = '0022_notifikasi_usang'
down_revision = '0021_ringkasan_rekap'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifikasi') as batch_op:
        batch_op.add_column(sa.Column('kelompok', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('usang_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('usang_alasan', sa.String(length=300), nullable=True))
    # Only the notices still standing are looked up by their group.
    op.create_index('ix_notifikasi_kelompok', 'notifikasi', ['tenant_id', 'kelompok'],
                    postgresql_where=sa.text('usang_pada IS NULL AND kelompok IS NOT NULL'),
                    sqlite_where=sa.text('usang_pada IS NULL AND kelompok IS NOT NULL'))


def downgrade():
    op.drop_index('ix_notifikasi_kelompok', table_name='notifikasi')
    with op.batch_alter_table('notifikasi') as batch_op:
        batch_op.drop_column('usang_alasan')
        batch_op.drop_column('usang_pada')
        batch_op.drop_column('kelompok')
