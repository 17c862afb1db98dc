"""The work queue's index: running case steps by code

"Tugas saya" finds the running steps a role may record by their step code;
a partial index keeps that to the (few) running steps of the office.

Revision ID: 0012_tugas_h15
Revises: 0012_tahan_gangguan
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_tugas_h15'
down_revision = '0012_tahan_gangguan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_langkah_kasus_berjalan', 'langkah_kasus', ['tenant_id', 'kode'],
                    postgresql_where=sa.text("status = 'berjalan'"), sqlite_where=sa.text("status = 'berjalan'"))


def downgrade():
    op.drop_index('ix_langkah_kasus_berjalan', table_name='langkah_kasus')
