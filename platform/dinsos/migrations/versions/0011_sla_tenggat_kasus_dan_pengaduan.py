"""Deadlines of cases and complaints in one engine: grouping columns on tenggat; complaints lose their own.

Complaints kept ``warn_at``/``due_at`` on their own rows, a second deadline
mechanism beside ``tenggat``. Their deadlines move into ``tenggat`` clocks
(``pengaduan`` per complaint, ``langkah_pengaduan`` per step) and the columns
go. A clock's standard in working minutes is computed on the office's
calendar, as the app does.

Revision ID: 0009_sla
Revises: 0010
Create Date: 2026-11-25 15:24:43.362368

"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import dinsos.core.db
from dinsos.core.kalender import JAM_KERJA_BAKU, KalenderKerja, parse_waktu

revision = '0009_sla'
down_revision = '0010'
branch_labels = None
depends_on = None

Waktu = dinsos.core.db.UtcDateTime(timezone=True)

tenants = sa.table(
    'tenants', sa.column('id', sa.Integer), sa.column('slug', sa.String), sa.column('zona_waktu', sa.String),
    sa.column('jam_kerja', sa.JSON), sa.column('hari_libur_daerah', sa.JSON), sa.column('hari_kerja_tambahan', sa.JSON),
)
pengaduan = sa.table(
    'pengaduan', sa.column('tenant_id', sa.Integer), sa.column('id', sa.Uuid), sa.column('kode_lacak', sa.String),
    sa.column('layanan_id', sa.Uuid), sa.column('status', sa.String), sa.column('waktu_standar', sa.String),
    sa.column('mulai_pada', Waktu), sa.column('warn_at', Waktu), sa.column('due_at', Waktu), sa.column('ditutup_pada', Waktu),
)
langkah_pengaduan = sa.table(
    'langkah_pengaduan', sa.column('tenant_id', sa.Integer), sa.column('id', sa.Uuid), sa.column('pengaduan_id', sa.Uuid),
    sa.column('kode', sa.String), sa.column('nama', sa.String), sa.column('waktu_standar', sa.String),
    sa.column('status', sa.String), sa.column('mulai_pada', Waktu), sa.column('warn_at', Waktu), sa.column('due_at', Waktu),
    sa.column('selesai_pada', Waktu),
)
tenggat = sa.table(
    'tenggat', *(sa.column(n, t) for n, t in (
        ('tenant_id', sa.Integer), ('id', sa.Uuid), ('dibuat_pada', Waktu), ('objek_jenis', sa.String),
        ('objek_id', sa.String), ('judul', sa.String), ('tautan', sa.String), ('durasi', sa.String),
        ('waktu_kalender', sa.Boolean), ('berulang', sa.Boolean), ('putaran', sa.Integer), ('mulai_pada', Waktu),
        ('warn_at', Waktu), ('due_at', Waktu), ('eskalasi_at', Waktu), ('aksi_berikutnya_pada', Waktu),
        ('selesai_pada', Waktu), ('dihentikan', sa.Boolean), ('induk_id', sa.Uuid), ('layanan_id', sa.Uuid),
        ('langkah_kode', sa.String), ('menit_standar', sa.Integer), ('menit_aktual', sa.Integer),
    ))
)


def _lintas_tenant(bind):
    # Forced row-level security applies to a table owner that is not a superuser: open it for this transaction.
    if bind.dialect.name == 'postgresql':
        bind.execute(sa.text("SELECT set_config('app.lintas_tenant', 'on', true)"))


def _kalender(t) -> KalenderKerja:
    return KalenderKerja(
        zona_waktu=t.zona_waktu, jam_kerja=t.jam_kerja or JAM_KERJA_BAKU,
        libur_tambahan={h['tanggal']: h.get('keterangan') for h in t.hari_libur_daerah or []},
        hari_kerja_tambahan=[h['tanggal'] for h in t.hari_kerja_tambahan or []],
    )


def _jam(kal: KalenderKerja, mulai, warn, due, selesai, waktu_kalender: bool) -> dict:
    """Twice-over point, standard and used minutes in the clock's own measure, as the app computes them."""
    if waktu_kalender:
        menit = lambda a, b: int((b - a).total_seconds() // 60)  # noqa: E731
        standar = max(menit(mulai, due), 0)
        eskalasi = due + (due - mulai) if due > mulai else due
    else:
        menit = kal.menit_kerja_antara
        standar = max(menit(mulai, due), 0)
        eskalasi = kal.tambah_menit_kerja(due, standar)
    return {'eskalasi_at': eskalasi, 'menit_standar': standar,
            'menit_aktual': standar - menit(selesai, due) if selesai else None}


def _kode(k: str) -> str:
    return f"{k[:5]}-{k[5:]}"


def upgrade():
    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dihentikan', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('induk_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('layanan_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('langkah_kode', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('menit_standar', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('menit_aktual', sa.Integer(), nullable=True))
        batch_op.create_index('ix_tenggat_induk', ['tenant_id', 'induk_id'], unique=False)
        batch_op.create_index('ix_tenggat_selesai', ['tenant_id', 'selesai_pada'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tenggat_tenant_id_layanan_id_layanan'), 'layanan', ['tenant_id', 'layanan_id'], ['tenant_id', 'id'])

    bind = op.get_bind()
    _lintas_tenant(bind)
    kantor = {t.id: (t.slug, _kalender(t)) for t in bind.execute(sa.select(tenants))}
    sekarang = datetime.now(timezone.utc)
    baris, induk, eskalasi = [], {}, {}
    for p in bind.execute(sa.select(pengaduan)):
        slug, kal = kantor[p.tenant_id]
        induk[(p.tenant_id, p.id)] = p
        selesai = p.ditutup_pada if p.status == 'selesai' else None
        jam = _jam(kal, p.mulai_pada, p.warn_at, p.due_at, selesai, parse_waktu(p.waktu_standar).waktu_kalender)
        eskalasi[(p.tenant_id, p.id)] = jam['eskalasi_at']
        baris.append(dict(
            tenant_id=p.tenant_id, id=uuid.uuid4(), dibuat_pada=sekarang, objek_jenis='pengaduan', objek_id=str(p.id),
            judul=f"Penyelesaian pengaduan {_kode(p.kode_lacak)}", tautan=f"/t/{slug}/pengaduan/kelola/{p.id}",
            durasi=p.waktu_standar, waktu_kalender=parse_waktu(p.waktu_standar).waktu_kalender, berulang=False,
            putaran=1, mulai_pada=p.mulai_pada, warn_at=p.warn_at, due_at=p.due_at,
            aksi_berikutnya_pada=None if selesai else p.warn_at, selesai_pada=selesai, dihentikan=False,
            induk_id=p.id, layanan_id=p.layanan_id, langkah_kode=None, **jam,
        ))
    for l in bind.execute(sa.select(langkah_pengaduan).where(langkah_pengaduan.c.due_at.is_not(None))):
        p = induk[(l.tenant_id, l.pengaduan_id)]
        slug, kal = kantor[l.tenant_id]
        # A step without a time standard of its own was due with its complaint, on the clock.
        waktu_kalender = parse_waktu(l.waktu_standar).waktu_kalender if l.waktu_standar else True
        selesai = l.selesai_pada if l.status in ('selesai', 'dilewati') else None
        jam = _jam(kal, l.mulai_pada, l.warn_at, l.due_at, None if l.status == 'dilewati' else selesai, waktu_kalender)
        if not l.waktu_standar:
            jam['eskalasi_at'] = max(eskalasi[(l.tenant_id, p.id)], l.due_at)  # it escalates with its complaint
        baris.append(dict(
            tenant_id=l.tenant_id, id=uuid.uuid4(), dibuat_pada=sekarang, objek_jenis='langkah_pengaduan',
            objek_id=str(l.id), judul=f"{l.nama} (pengaduan {_kode(p.kode_lacak)})"[:300],
            tautan=f"/t/{slug}/pengaduan/kelola/{p.id}", durasi=l.waktu_standar or p.waktu_standar,
            waktu_kalender=waktu_kalender, berulang=False, putaran=1, mulai_pada=l.mulai_pada, warn_at=l.warn_at,
            due_at=l.due_at, aksi_berikutnya_pada=None if selesai or p.status == 'selesai' else l.warn_at,
            selesai_pada=selesai, dihentikan=l.status == 'dilewati', induk_id=p.id, layanan_id=p.layanan_id,
            langkah_kode=l.kode, **jam,
        ))
    if baris:
        op.bulk_insert(tenggat, baris)

    with op.batch_alter_table('langkah_pengaduan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_langkah_pengaduan_due_at'))
        batch_op.drop_index(batch_op.f('ix_langkah_pengaduan_warn_at'))
        batch_op.drop_column('warn_at')
        batch_op.drop_column('due_at')

    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pengaduan_due_at'))
        batch_op.drop_index(batch_op.f('ix_pengaduan_warn_at'))
        batch_op.drop_column('warn_at')
        batch_op.drop_column('due_at')


def downgrade():
    for tabel in ('pengaduan', 'langkah_pengaduan'):
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(sa.Column('warn_at', Waktu, nullable=True))
            batch_op.add_column(sa.Column('due_at', Waktu, nullable=True))

    bind = op.get_bind()
    _lintas_tenant(bind)
    for jenis, tabel in (('pengaduan', pengaduan), ('langkah_pengaduan', langkah_pengaduan)):
        for t in bind.execute(sa.select(tenggat.c.tenant_id, tenggat.c.objek_id, tenggat.c.warn_at, tenggat.c.due_at)
                              .where(tenggat.c.objek_jenis == jenis)):
            bind.execute(sa.update(tabel).where(tabel.c.tenant_id == t.tenant_id, tabel.c.id == uuid.UUID(t.objek_id))
                         .values(warn_at=t.warn_at, due_at=t.due_at))
    bind.execute(sa.delete(tenggat).where(tenggat.c.objek_jenis.in_(('pengaduan', 'langkah_pengaduan'))))

    with op.batch_alter_table('pengaduan', schema=None) as batch_op:
        batch_op.alter_column('warn_at', existing_type=Waktu, nullable=False)
        batch_op.alter_column('due_at', existing_type=Waktu, nullable=False)
        batch_op.create_index(batch_op.f('ix_pengaduan_warn_at'), ['warn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pengaduan_due_at'), ['due_at'], unique=False)
    with op.batch_alter_table('langkah_pengaduan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_langkah_pengaduan_warn_at'), ['warn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_langkah_pengaduan_due_at'), ['due_at'], unique=False)

    with op.batch_alter_table('tenggat', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tenggat_tenant_id_layanan_id_layanan'), type_='foreignkey')
        batch_op.drop_index('ix_tenggat_selesai')
        batch_op.drop_index('ix_tenggat_induk')
        batch_op.drop_column('menit_aktual')
        batch_op.drop_column('menit_standar')
        batch_op.drop_column('langkah_kode')
        batch_op.drop_column('layanan_id')
        batch_op.drop_column('induk_id')
        batch_op.drop_column('dihentikan')
