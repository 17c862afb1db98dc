"""An incoming referral's response clock names the referral as its parent (``tenggat.induk_id``), as case, step
and complaint clocks name theirs.

Found at 1,000,000 cases: the menu's count of overdue referrals matched clocks to referrals on ``objek_id``, a
uuid cast to text that no index serves under row-level security, and a province with 2,575 waiting referrals
took 2.4 s on every page, past the request's database deadline. Reached by ``induk_id`` it uses the clocks'
``(tenant_id, induk_id)`` index.

Revision ID: 0027_induk_tenggat_rujukan
Revises: 0026_wajib_ganti_sandi
"""
from alembic import op

from dinsos.core.rls import lintas_migrasi

revision = '0027_induk_tenggat_rujukan'
down_revision = '0026_wajib_ganti_sandi'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    induk = "CAST(objek_id AS uuid)" if bind.dialect.name == 'postgresql' else "replace(objek_id, '-', '')"
    lintas_migrasi(bind)  # every office's clocks, by the owner, whom row-level security binds too
    op.execute(f"UPDATE tenggat SET induk_id = {induk} WHERE objek_jenis = 'rujukan_masuk' AND induk_id IS NULL")


def downgrade():
    lintas_migrasi(op.get_bind())
    op.execute("UPDATE tenggat SET induk_id = NULL WHERE objek_jenis = 'rujukan_masuk'")
