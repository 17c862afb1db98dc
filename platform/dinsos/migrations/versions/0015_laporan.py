"""Registers and reports: the NIK's region in clear beside the encrypted NIK, and the indexes recaps read

The recaps count an office's cases received in a period (``kasus (tenant_id,
diterima_pada)``) and the register book reads one year of registered cases
(``kasus (tenant_id, berkas_lengkap_pada)``); without them PostgreSQL scans
every case of the office. ``klien.kode_wilayah_nik`` (PP.KK.CC) is filled by
the application whenever a NIK is written; existing clients get it on their
next change (the NIK is encrypted, SQL cannot derive it here).

Revision ID: 0012_h17_laporan
Revises: 0011 (0014_versi_data.py)
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_h17_laporan'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('klien', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kode_wilayah_nik', sa.String(length=8), nullable=True))
    with op.batch_alter_table('kasus', schema=None) as batch_op:
        batch_op.create_index('ix_kasus_tenant_id_diterima_pada', ['tenant_id', 'diterima_pada'], unique=False)
        batch_op.create_index('ix_kasus_tenant_id_berkas_lengkap_pada', ['tenant_id', 'berkas_lengkap_pada'], unique=False)


def downgrade():
    with op.batch_alter_table('kasus', schema=None) as batch_op:
        batch_op.drop_index('ix_kasus_tenant_id_berkas_lengkap_pada')
        batch_op.drop_index('ix_kasus_tenant_id_diterima_pada')
    with op.batch_alter_table('klien', schema=None) as batch_op:
        batch_op.drop_column('kode_wilayah_nik')
