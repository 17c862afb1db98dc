"""A referral in every state for the small first-run demo, made by the live referral services.

The generator (``rujukan.py``) writes referrals as rows, in the states a
referral reaches without a case opening in another office. This step runs
after it (``dinsos demo generate --all-referral-states``, which ``make run``
passes) and, for each state of ``referrals.status.STATUS`` that no referral
of the chosen offices is in yet, takes one open case of a sending office and
drives it there through ``perujukan`` and ``penerimaan`` as staff would,
delivering the outbox messages between the two offices as the embedded
worker does:

- ``draf``: created, not sent; ``dikirim``: sent to a partner institution
  registered for the demo (no delivery: the office records its answer by hand);
- ``diterima_tujuan``, ``perlu_info``, ``ditolak``, ``ditarik``: sent to
  another office's service that accepts referrals, delivered, then asked,
  declined or withdrawn;
- ``diterima``: accepted there, which opens a case in the receiving office;
  ``selesai``: that case closed by its head of division.

It acts at the wall-clock time, after the generated history, and is not part
of the generator's fingerprint: the benchmark's data stays as generated.
Files the receiving service requires are uploaded with the referral (small
placeholder PDFs), as the demo cases hold no stored files.
"""
from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.cases.models import Kasus
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox, proses_pesan
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.izin import IZIN
from dinsos.tenancy.models import Tenant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MITRA = {"nama": "LKS Anak Harapan Bangsa (demo)", "jenis": "lks", "alamat": "Alamat mitra demo", "kontak": "0800-0000-0000"}
ALASAN = "Klien membutuhkan pengasuhan dan rehabilitasi sosial lanjutan di luar kantor ini."
# The sender's route to each state: (target kind, what follows the sending).
JALUR = {
    "draf": ("layanan", ()),
    "dikirim": ("mitra", ()),
    "diterima_tujuan": ("layanan", ("antar",)),
    "perlu_info": ("layanan", ("antar", "minta_info")),
    "ditolak": ("layanan", ("antar", "tolak")),
    "ditarik": ("layanan", ("antar", "tarik")),
    "diterima": ("layanan", ("antar", "terima")),
    "selesai": ("layanan", ("antar", "terima", "tutup")),
}


def _staf(izin: str, peran: str | None = None) -> Pengguna:
    """The bound office's first active staff member (by e-mail) holding ``izin`` (and role ``peran`` if given)."""
    for p in db.session.scalars(select(Pengguna).where(Pengguna.aktif.is_(True)).order_by(Pengguna.email)):
        if set(p.peran or ()) & IZIN[izin] and (peran is None or peran in p.peran):
            return p
    raise LookupError(f"tidak ada staf dengan izin {izin}")


def antar_pesan(batas: int = 20) -> int:
    """Process every waiting outbox message (of any office) until none is left, as embedded mode does."""
    jumlah = 0
    for _ in range(batas):
        with lintas_tenant("demo: mengantar pesan rujukan", catat=False):
            pesan = db.session.execute(select(PesanOutbox.tenant_id, PesanOutbox.id).where(PesanOutbox.status == "baru")
                                       .order_by(PesanOutbox.tersedia_pada)).all()
            db.session.rollback()
        if not pesan:
            return jumlah
        for tenant_id, pesan_id in pesan:
            proses_pesan(tenant_id, pesan_id)
            jumlah += 1
    return jumlah


def status_ada(tenant_ids: list[int]) -> set[str]:
    """The states the referrals sent by these offices are in."""
    from dinsos.referrals.models import Rujukan

    with lintas_tenant("demo: status rujukan yang ada", catat=False):
        ada = set(db.session.scalars(select(Rujukan.status).where(Rujukan.tenant_id.in_(tenant_ids)).distinct()))
        db.session.rollback()
    return ada


def _kasus_terbuka(sudah: set) -> list:
    """Open cases of the bound office with no referral yet, newest first."""
    from dinsos.referrals.models import Rujukan

    q = select(Kasus.id).where(Kasus.status == "berjalan", Kasus.id.not_in(select(Rujukan.kasus_id)))
    if sudah:
        q = q.where(Kasus.id.not_in(sorted(sudah, key=str)))
    return db.session.scalars(q.order_by(Kasus.diterima_pada.desc(), Kasus.id)).all()


def _persetujuan(kasus: Kasus, pada) -> dict:
    from dinsos.cases import klien as klien_svc
    from dinsos.cases.baca import tanggal_lokal

    anak = klien_svc.adalah_anak(kasus.klien, tanggal_lokal(pada))
    wali = next((a for a in kasus.klien.keluarga if a.wali), None)
    if anak or not kasus.klien.nama:
        return {"nama": wali.nama if wali else "Kepala Desa setempat", "hubungan": "wali" if wali else "aparat_desa",
                "cara": "tertulis", "tanggal": tanggal_lokal(pada)}
    return {"nama": kasus.klien.nama, "hubungan": "klien", "cara": "lisan", "tanggal": tanggal_lokal(pada)}


def _mitra(pengguna):
    from dinsos.referrals.models import MitraRujukan
    from dinsos.referrals.tujuan import cari_tujuan_mitra, simpan_mitra

    mitra = db.session.scalar(select(MitraRujukan).where(MitraRujukan.nama == MITRA["nama"]))
    if mitra is None:
        mitra = simpan_mitra(**MITRA, pengguna=pengguna)
        db.session.flush()
    return cari_tujuan_mitra(mitra.id)


def _rujuk(pengirim: Tenant, kasus_id, status: str, tujuan_layanan: tuple[str, str]):
    """Create (and, unless a draft, send) the referral of one case; returns its id."""
    from dinsos.cases.perubahan import simpan
    from dinsos.core.db import sekarang
    from dinsos.referrals.dibagikan import BIDANG_KLIEN
    from dinsos.referrals.perujukan import buat_rujukan
    from dinsos.referrals.tujuan import cari_tujuan_layanan

    jenis, _lanjut = JALUR[status]
    with dalam_tenant(pengirim.id):
        pada = sekarang()
        kasus = db.session.scalar(select(Kasus).where(Kasus.id == kasus_id))
        pengguna = _staf("rujukan.kirim", "kepala_bidang" if jenis == "mitra" else None)
        if jenis == "mitra":
            tujuan = _mitra(_staf("rujukan.kelola_mitra", "kepala_bidang"))
            unggahan = []
        else:
            tujuan = cari_tujuan_layanan(*tujuan_layanan)
            unggahan = [(PDF, f"{d['kode']}.pdf", d["kode"]) for d in tujuan.persyaratan]
        r = buat_rujukan(kasus, pengguna=pengguna, tujuan=tujuan, alasan=ALASAN, bidang_klien=sorted(BIDANG_KLIEN),
                         unggahan=unggahan, persetujuan=_persetujuan(kasus, pada), kirim=status != "draf",
                         abaikan_opsional=True, pada=pada)
        simpan()
        return r.id


def _masuk(kunci_kirim: str):
    from dinsos.referrals.models import RujukanMasuk

    return db.session.scalar(select(RujukanMasuk).where(RujukanMasuk.kunci_kirim == kunci_kirim))


def _lanjutkan(pengirim: Tenant, penerima_id: int, rujukan_id, langkah: tuple) -> None:
    """What follows the sending, each act in its own committed transaction with the messages delivered after it."""
    from dinsos.cases.baca import versi_kasus
    from dinsos.cases.kelola import tutup_kasus
    from dinsos.cases.perubahan import simpan
    from dinsos.referrals import penerimaan
    from dinsos.referrals.perujukan import tarik_rujukan
    from dinsos.referrals.rujukan import muat_rujukan

    kunci = f"{pengirim.id}:{rujukan_id}"
    for aksi in langkah:
        if aksi == "antar":
            antar_pesan()
            continue
        if aksi == "tarik":
            with dalam_tenant(pengirim.id):
                tarik_rujukan(muat_rujukan(rujukan_id), pengguna=_staf("rujukan.kirim"),
                              alasan="Keluarga klien ditemukan dan bersedia mengasuh; rujukan tidak diperlukan lagi.")
                simpan()
        else:
            with dalam_tenant(penerima_id):
                masuk = _masuk(kunci)
                staf = _staf("rujukan.tanggapi", "kepala_bidang")
                if aksi == "minta_info":
                    penerimaan.minta_info(masuk, pengguna=staf, pertanyaan="Mohon kirim hasil asesmen terbaru dan kontak keluarga.")
                elif aksi == "tolak":
                    penerimaan.tolak(masuk, pengguna=staf, alasan="Kuota panti untuk triwulan ini sudah penuh.")
                elif aksi == "terima":
                    penerimaan.terima(masuk, pengguna=staf)
                elif aksi == "tutup":
                    kasus = db.session.scalar(select(Kasus).where(Kasus.id == masuk.kasus_id))
                    hasil = versi_kasus(kasus).isi["sop"]["hasil_akhir"][0]["kode"]
                    tutup_kasus(kasus, versi=kasus.versi, hasil_akhir=hasil, pengguna=staf,
                                catatan="Klien selesai dilayani dan diserahkan kembali (data demo).")
                simpan()
        antar_pesan()


def lengkapi_status_rujukan(slug: list[str], laporan=lambda teks: None) -> dict[str, str]:
    """Drive one referral into each state the offices ``slug`` do not hold yet; returns {state: how it was made}.

    Senders are the offices, in order, with open cases; the target is the first other office among them with a
    service that accepts referrals. A state that cannot be reached (no target, no open case) is reported, not raised.
    """
    from dinsos.catalogue.models import Layanan
    from dinsos.referrals.status import STATUS

    with lintas_tenant("demo: kantor untuk rujukan contoh", catat=False):
        kantor = [db.session.scalar(select(Tenant).where(Tenant.slug == s)) for s in slug]
        kantor = [k for k in kantor if k is not None]
        penerima = {k.id: db.session.scalars(select(Layanan.kode).where(Layanan.tenant_id == k.id, Layanan.aktif.is_(True),
                                                                         Layanan.menerima_rujukan.is_(True))
                                             .order_by(Layanan.kode)).first() for k in kantor}
        db.session.expunge_all()
        db.session.rollback()
    kurang = [s for s in STATUS if s not in status_ada([k.id for k in kantor])]
    hasil, dipakai = {}, {}
    for status in kurang:
        for pengirim in kantor:
            target = next((k for k in kantor if k.id != pengirim.id and penerima[k.id]), None)
            if target is None:
                continue
            with dalam_tenant(pengirim.id):
                calon = _kasus_terbuka(dipakai.setdefault(pengirim.id, set()))
                db.session.rollback()
            if not calon:
                continue
            dipakai[pengirim.id].add(calon[0])
            rid = _rujuk(pengirim, calon[0], status, (target.slug, penerima[target.id]))
            _lanjutkan(pengirim, target.id, rid, JALUR[status][1])
            hasil[status] = f"{pengirim.slug} -> " + (MITRA["nama"] if JALUR[status][0] == "mitra" else target.slug)
            laporan(f"rujukan contoh {status}: {hasil[status]}")
            break
        else:
            laporan(f"rujukan contoh {status}: tidak ada kasus terbuka atau kantor tujuan")
    return hasil
