"""Whose turn a step with a disposition chain is: ``langkah_kasus.disposisi_ke`` counts the chain's acts so far.

The work queue read a chain step (Magetan's step 3: Kepala Dinas, then Kepala Bidang, then the Fungsional
Pekerja Sosial) as everyone's turn at once. Steps already part-way through their chain get the count of the
acts their run has on the timeline.

Revision ID: 0025_giliran_disposisi
Revises: 0024_citus (0024_citus.py)
"""
import sqlalchemy as sa
from alembic import op

revision = '0025_giliran_disposisi'
down_revision = '0024_citus'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('langkah_kasus') as batch_op:
        batch_op.add_column(sa.Column('disposisi_ke', sa.Integer(), nullable=False, server_default='0'))
    pg = op.get_bind().dialect.name == 'postgresql'
    urutan, kode = (("(p.rincian->>'urutan')::integer", "p.rincian->>'langkah'") if pg else
                    ("json_extract(p.rincian, '$.urutan')", "json_extract(p.rincian, '$.langkah')"))
    hitung = (f"UPDATE langkah_kasus SET disposisi_ke = (SELECT count(*) FROM peristiwa_kasus p"
              f" WHERE p.tenant_id = langkah_kasus.tenant_id AND p.kasus_id = langkah_kasus.kasus_id"
              f" AND p.jenis = 'disposisi' AND {urutan} = langkah_kasus.urutan AND {kode} = langkah_kasus.kode)"
              f" WHERE status = 'berjalan'")
    if not pg:
        op.execute(hitung)
        return
    # Row-level security is forced on the owner too: lifted for this one statement over every office.
    for tabel in ('langkah_kasus', 'peristiwa_kasus'):
        op.execute(f'ALTER TABLE "{tabel}" NO FORCE ROW LEVEL SECURITY')
    op.execute(hitung)
    for tabel in ('langkah_kasus', 'peristiwa_kasus'):
        op.execute(f'ALTER TABLE "{tabel}" FORCE ROW LEVEL SECURITY')


def downgrade():
    with op.batch_alter_table('langkah_kasus') as batch_op:
        batch_op.drop_column('disposisi_ke')
