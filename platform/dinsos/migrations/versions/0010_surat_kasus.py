"""Letters of case steps; complainants' identity and the WhatsApp webhook URL encrypted at rest.

``langkah_kasus.surat_id`` records the letter a completed step issued.
``pengaduan.nama_pelapor``/``kontak_pelapor`` stay TEXT and
``pengaturan_notifikasi.webhook_whatsapp`` becomes TEXT (a Fernet token of a
500-character URL is longer than 500): the values already stored are
encrypted here with the app's first key (``dinsos.core.kripto``), and
decrypted again on downgrade.

Revision ID: 0010
Revises: 0004
Create Date: 2026-11-25 15:20:27.369499

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import column, select, table, update

revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None

# Table -> its columns that now hold Fernet tokens.
TERENKRIPSI = {
    'pengaduan': ('nama_pelapor', 'kontak_pelapor'),
    'pengaturan_notifikasi': ('webhook_whatsapp',),
}


def _ubah_nilai(ubah) -> None:
    """Rewrite every stored value of the columns above with ``ubah`` (encrypt or decrypt), in every office."""
    if op.get_context().as_sql:
        raise RuntimeError("migration 0010 encrypts stored values with the app's key: run it online (dinsos db upgrade)")
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        # Row-level security is forced on the owner too: declare the crossing, as a key rotation does.
        bind.execute(sa.text("SELECT set_config('app.lintas_tenant', 'on', true)"))
    for nama, kolom in TERENKRIPSI.items():
        t = table(nama, column('tenant_id'), column('id'), *(column(k) for k in kolom))
        for baris in bind.execute(select(t)).mappings().all():
            baru = {k: ubah(baris[k]) for k in kolom if baris[k] is not None}
            if baru:
                bind.execute(update(t).where(t.c.tenant_id == baris['tenant_id'], t.c.id == baris['id']).values(**baru))


def upgrade():
    from dinsos.core.kripto import brankas

    with op.batch_alter_table('langkah_kasus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('surat_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_langkah_kasus_tenant_id_surat_id_surat_terbit'), 'surat_terbit', ['tenant_id', 'surat_id'], ['tenant_id', 'id'])

    with op.batch_alter_table('pengaturan_notifikasi', schema=None) as batch_op:
        batch_op.alter_column('webhook_whatsapp',
               existing_type=sa.VARCHAR(length=500),
               type_=sa.Text(),
               existing_nullable=True)

    _ubah_nilai(brankas().enkripsi)


def downgrade():
    from dinsos.core.kripto import brankas

    _ubah_nilai(brankas().dekripsi)

    with op.batch_alter_table('pengaturan_notifikasi', schema=None) as batch_op:
        batch_op.alter_column('webhook_whatsapp',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=500),
               existing_nullable=True)

    with op.batch_alter_table('langkah_kasus', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_langkah_kasus_tenant_id_surat_id_surat_terbit'), type_='foreignkey')
        batch_op.drop_column('surat_id')
