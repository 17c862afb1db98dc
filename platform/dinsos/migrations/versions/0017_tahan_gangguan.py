"""Faults without surprises (issue 24): one pending referral per case, and the Idempotency-Key table.

``uq_rujukan_terbuka``: at most one referral per case waiting for an answer
(draf, dikirim, diterima_tujuan, perlu_info), whatever races to create it. A
database where simultaneous requests already made two is refused with the
cases named: withdraw (or decline) the extra referral first.

``kunci_idempoten``: the keys clients sent with API writes and the answers they
got (``dinsos.core.idempoten``), tenant-owned with row-level security.

Revision ID: 0012_tahan_gangguan
Revises: 0012b_h17_tenggat_kasus
"""
import sqlalchemy as sa
from alembic import op

import dinsos.core.db
import dinsos.core.kripto
from dinsos.core.rls import aktifkan_rls

revision = '0012_tahan_gangguan'
down_revision = '0012b_h17_tenggat_kasus'
branch_labels = None
depends_on = None

TERBUKA = "status IN ('draf', 'dikirim', 'diterima_tujuan', 'perlu_info')"


def upgrade():
    ganda = op.get_bind().execute(sa.text(
        f"SELECT tenant_id, kasus_id FROM rujukan WHERE {TERBUKA} GROUP BY tenant_id, kasus_id HAVING count(*) > 1")).all()
    if ganda:
        raise RuntimeError("Cases with more than one referral waiting for an answer (tenant_id, kasus_id): "
                           f"{ganda}; withdraw the extra referrals, then upgrade again.")
    op.create_index('uq_rujukan_terbuka', 'rujukan', ['tenant_id', 'kasus_id'], unique=True,
                    postgresql_where=sa.text(TERBUKA), sqlite_where=sa.text(TERBUKA))

    op.create_table(
        'kunci_idempoten',
        sa.Column('pengguna_id', sa.Uuid(), nullable=False),
        sa.Column('kunci', sa.String(length=200), nullable=False),
        sa.Column('sidik', sa.String(length=64), nullable=False),
        sa.Column('status_kode', sa.Integer(), nullable=True),
        sa.Column('kepala', dinsos.core.kripto.Terenkripsi(), nullable=True),
        sa.Column('isi', dinsos.core.kripto.Terenkripsi(), nullable=True),
        sa.Column('dijawab_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('dibuat_pada', dinsos.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'pengguna_id'], ['pengguna.tenant_id', 'pengguna.id'],
                                name=op.f('fk_kunci_idempoten_tenant_id_pengguna_id_pengguna'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_kunci_idempoten_tenant_id_tenants'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_kunci_idempoten')),
        sa.UniqueConstraint('tenant_id', 'pengguna_id', 'kunci', name=op.f('uq_kunci_idempoten_tenant_id_pengguna_id_kunci')),
    )
    op.create_index('ix_kunci_idempoten_dibuat_pada', 'kunci_idempoten', ['dibuat_pada'])
    aktifkan_rls(op, 'kunci_idempoten')


def downgrade():
    op.drop_index('ix_kunci_idempoten_dibuat_pada', table_name='kunci_idempoten')
    op.drop_table('kunci_idempoten')
    op.drop_index('uq_rujukan_terbuka', table_name='rujukan')
