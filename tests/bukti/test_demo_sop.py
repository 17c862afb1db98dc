"""The demo cases follow their standards' own rules (issue 16): Magetan registers the case at SOP step 2, verifies the
file first and runs a disposition chain; a closing outcome is one the case's record bears out (Kota Metro).

The dataset is the one of ``data_demo`` (made once per session, see conftest).
"""
from collections import defaultdict
from zoneinfo import ZoneInfo

from data_demo import di_kantor
from sqlalchemy import select


def _kantor(slug):
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.tenancy.models import Tenant

    with lintas_tenant("uji", catat=False):
        t = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        return t.id, t.zona_waktu


def test_magetan_registers_at_step_two_after_verification_with_its_disposition_chain(demo):
    from dinsos.cases.baca import peristiwa, versi_kasus
    from dinsos.cases.models import Kasus
    from dinsos.core.db import db
    from dinsos.documents.models import UrutanNomor

    app, _hasil = demo
    with app.app_context():
        tid, zona = _kantor("kabupaten-magetan")
        with di_kantor(tid):
            kasus = db.session.scalars(select(Kasus)).all()
            assert kasus
            v = versi_kasus(kasus[0])
            assert v.saat_nomor_register == "langkah" and v.verifikasi_berkas
            register = next(d["kode"] for d in v.isi["sop"]["langkah"] if d.get("dokumen_keluaran") == "nomor_register")
            rantai = {d["kode"]: d["disposisi"] for d in v.isi["sop"]["langkah"] if d.get("disposisi")}
            per_tahun = defaultdict(list)
            dilihat = defaultdict(int)
            for k in kasus:
                selesai = [l for l in k.langkah if l.kode == register and l.status == "selesai"]
                ev = sorted(peristiwa(k), key=lambda p: p.urutan)
                jenis = [p.jenis for p in ev]
                # no number before the register step is recorded; a number exactly when it is
                assert (k.nomor_register is not None) == bool(selesai), (k.status, [l.kode for l in k.langkah])
                if k.berkas_lengkap_pada is not None:
                    assert jenis.index("berkas_diverifikasi") < jenis.index("berkas_lengkap")
                    assert next(p for p in ev if p.jenis == "berkas_lengkap").rincian.get("nomor_register") is None
                if selesai:
                    nomor = next(p for p in ev if p.jenis == "nomor_register")
                    assert nomor.rincian == {"nomor_register": k.nomor_register, "langkah": register}
                    assert nomor.waktu == selesai[0].selesai_pada
                    i = jenis.index("nomor_register")  # recorded with the step, just before it (``sop.selesaikan_langkah``)
                    assert ev[i + 1].jenis == "langkah_selesai" and ev[i + 1].rincian["langkah"] == register
                    per_tahun[nomor.waktu.astimezone(ZoneInfo(zona)).year].append((nomor.waktu, k.nomor_register_urut))
                    dilihat["bernomor"] += 1
                else:
                    assert "nomor_register" not in jenis
                    dilihat["belum"] += 1
                for l in k.langkah:
                    if l.kode in rantai and l.status == "selesai":
                        aksi = [p for p in ev if p.jenis == "disposisi" and p.rincian["urutan"] == l.urutan]
                        assert [p.rincian["peran"] for p in aksi] == rantai[l.kode]
                        assert [p.rincian["ke"] for p in aksi] == list(range(1, len(rantai[l.kode]) + 1))
                        assert len({p.aktor_id for p in aksi}) == len(aksi) and aksi[-1].aktor_id == l.dikerjakan_oleh_id
                        assert all(a.waktu <= b.waktu for a, b in zip(aksi, aksi[1:])) and aksi[-1].waktu == l.selesai_pada
                        dilihat["disposisi"] += 1
            assert dilihat["bernomor"] and dilihat["belum"] and dilihat["disposisi"], dilihat
            # gapless per year, in the order they were issued, the office's counter at the last one
            terakhir = {u.tahun: u.terakhir for u in db.session.scalars(select(UrutanNomor).where(UrutanNomor.jenis == "register"))}
            for tahun, daftar in per_tahun.items():
                urut = [n for _w, n in sorted(daftar)]
                assert urut == list(range(1, len(urut) + 1)) and terakhir[tahun] == len(urut)


def test_closing_outcomes_are_borne_out_by_the_record(demo):
    """Every closed case passes the live check of its outcome (``cases.tindakan.periksa_hasil_akhir``): Kota Metro's ABH
    outcomes that need a recorded act are not generated (acts are not), its PPKS outcomes follow the steps done."""
    from dinsos.cases.baca import versi_kasus
    from dinsos.cases.models import Kasus
    from dinsos.cases.tindakan import periksa_hasil_akhir
    from dinsos.core.db import db

    app, _hasil = demo
    with app.app_context():
        for slug in ("kota-metro", "kabupaten-magetan", "provinsi-banten"):
            tid, _zona = _kantor(slug)
            with di_kantor(tid):
                hasil = defaultdict(int)
                for k in db.session.scalars(select(Kasus).where(Kasus.status == "ditutup")):
                    definisi = {h["kode"]: h for h in versi_kasus(k).isi["sop"]["hasil_akhir"]}
                    periksa_hasil_akhir(k, definisi[k.hasil_akhir])
                    hasil[k.hasil_akhir] += 1
                assert hasil, slug
                if slug == "kota-metro":
                    assert {"kembali-ke-keluarga", "di-panti-sosial", "kasus-selesai"} <= set(hasil), hasil
