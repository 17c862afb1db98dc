"""Indexes the menu's counts read on a busy office: running clocks by kind and due time, referrals by status.

Measured on Provinsi Banten in the 1,000,000-case benchmark data (18,086 incoming referrals, 2,575 waiting):
the menu's referral figures read every referral and every referral clock of the office on each page.

Revision ID: 0028_indeks_antrean
Revises: 0027_induk_tenggat_rujukan
"""
import sqlalchemy as sa
from alembic import op

revision = '0028_indeks_antrean'
down_revision = '0027_induk_tenggat_rujukan'
branch_labels = None
depends_on = None

# A stopped clock is also finished (selesai_pada set), so the two nulls are the whole of "running".
BERJALAN = "selesai_pada IS NULL AND dijeda_pada IS NULL"


def upgrade():
    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.create_index('ix_tenggat_berjalan', ['tenant_id', 'objek_jenis', 'due_at'], unique=False,
                              postgresql_where=sa.text(BERJALAN), sqlite_where=sa.text(BERJALAN))
    with op.batch_alter_table('rujukan_masuk', schema=None) as batch_op:
        batch_op.create_index('ix_rujukan_masuk_status', ['tenant_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('rujukan_masuk', schema=None) as batch_op:
        batch_op.drop_index('ix_rujukan_masuk_status')
    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.drop_index('ix_tenggat_berjalan')
