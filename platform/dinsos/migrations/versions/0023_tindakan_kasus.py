"""Case acts: deliverables with their own clock and recorded acts beside the SOP steps (issue 16)

The social report and litmas request of an ABH case, the SPPA stages and
their diversion clocks, the PPKS biometric check, TKSK cross-check and shelter
log: each is a row here (its answers and notes encrypted, plain TEXT holding
Fernet tokens), its clock a ``tenggat`` row of kind ``tindakan_kasus``.

Revision ID: 0023_tindakan_kasus
Revises: 0022_notifikasi_usang (0022_notifikasi_usang.py)
"""
import sqlalchemy as sa
from alembic import op

import dinsos.core.db
from dinsos.core.rls import aktifkan_rls

revision = '0023_tindakan_kasus'
down_revision = '0022_notifikasi_usang'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tindakan_kasus',
    sa.Column('kasus_id', sa.Uuid(), nullable=False),
    sa.Column('kode', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('dibuka_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('tenggat', sa.String(length=80), nullable=True),
    sa.Column('selesai_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('dikerjakan_oleh_id', sa.Uuid(), nullable=True),
    sa.Column('isian', sa.Text(), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('dokumen_keluaran', sa.String(length=60), nullable=True),
    sa.Column('surat_id', sa.Uuid(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('dibuat_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('terbuka', 'selesai', 'dihentikan')", name=op.f('ck_tindakan_kasus_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'kasus_id'], ['kasus.tenant_id', 'kasus.id'], name=op.f('fk_tindakan_kasus_tenant_id_kasus_id_kasus')),
    sa.ForeignKeyConstraint(['tenant_id', 'dikerjakan_oleh_id'], ['pengguna.tenant_id', 'pengguna.id'], name=op.f('fk_tindakan_kasus_tenant_id_dikerjakan_oleh_id_pengguna')),
    sa.ForeignKeyConstraint(['tenant_id', 'surat_id'], ['surat_terbit.tenant_id', 'surat_terbit.id'], name=op.f('fk_tindakan_kasus_tenant_id_surat_id_surat_terbit')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tindakan_kasus_tenant_id_tenants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_tindakan_kasus'))
    )
    with op.batch_alter_table('tindakan_kasus', schema=None) as batch_op:
        batch_op.create_index('ix_tindakan_kasus_tenant_id_kasus_id', ['tenant_id', 'kasus_id'], unique=False)
    aktifkan_rls(op, 'tindakan_kasus')


def downgrade():
    with op.batch_alter_table('tindakan_kasus', schema=None) as batch_op:
        batch_op.drop_index('ix_tindakan_kasus_tenant_id_kasus_id')
    op.drop_table('tindakan_kasus')
