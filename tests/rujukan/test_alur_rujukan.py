"""Referrals through the service layer and the embedded relay (no Redis): Dedi's journey and the others."""
from datetime import timedelta

import pytest
from alat_rujukan import (
    BANTEN,
    DOKUMEN_BANTEN,
    PERSETUJUAN,
    antar_semua,
    jumlah,
    kasus_magetan,
    konteks_app,
    notifikasi,
    pdf,
    rujuk_ke_banten,
    rujukan,
    semua_masuk,
    tanggapi,
)
from sqlalchemy import select

from dinsos.cases import baca as kasus_baca
from dinsos.cases.baca import peristiwa
from dinsos.cases.daftar import daftar_kasus
from dinsos.cases.kelola import tutup_kasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.tenggat import info_jam_kasus
from dinsos.core.db import db
from dinsos.core.outbox import PesanOutbox, proses_pesan
from dinsos.core.penyimpanan import BerkasTidakAda, penyimpanan
from dinsos.referrals import penerimaan
from dinsos.referrals.dibagikan import periksa_kelengkapan
from dinsos.referrals.models import Rujukan, RujukanMasuk
from dinsos.referrals.persetujuan import setujui_override
from dinsos.referrals.perujukan import buat_rujukan, catat_tanggapan_mitra, kirim_rujukan, lengkapi_rujukan, tarik_rujukan
from dinsos.referrals.rujukan import KesalahanRujukan, muat_rujukan, riwayat
from dinsos.referrals.tujuan import cari_tujuan_layanan, cari_tujuan_mitra, simpan_mitra
from dinsos_uji.alat_kasus import akun, di_kantor, wib
from dinsos_uji.alat_kasus import kasus as muat_kasus


def _peristiwa_kasus(kantor, kasus_id) -> list[str]:
    with di_kantor(kantor):
        return [p.jenis for p in kasus_baca.peristiwa(muat_kasus(kasus_id))]


def test_magetan_to_banten_is_delivered_once_accepted_on_bantens_sop_and_its_completion_reaches_magetan(app, seed):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    # The referral and its outbox message were committed together; nothing has reached Banten yet.
    assert rujukan(mg, rid)["status"] == "dikirim"
    with di_kantor(mg):
        assert db.session.scalar(select(PesanOutbox.jenis).where(PesanOutbox.kunci == f"rujukan:{rid}:kirim")) == "rujukan.teruskan"
    assert semua_masuk(bt) == []

    antar_semua(app)
    [m] = semua_masuk(bt)
    assert m["status"] == "diterima_tujuan" and m["asal_rujukan_id"] == rid and m["kunci_kirim"] == f"{mg.id}:{rid}"
    assert m["isi"]["klien"]["nama"] == "Rina Lestari" and m["isi"]["langkah"][0]["kode"] == "serah-terima"
    # Banten holds its own copies: new storage keys, the same bytes.
    with di_kantor(mg):
        kunci_asal = {l.kunci for l in kasus_baca.lampiran(muat_kasus(kasus_id))}
    berkas = m["isi"]["berkas"]
    assert sorted(b["dokumen_kode"] for b in berkas) == sorted(DOKUMEN_BANTEN)
    assert not kunci_asal & {b["kunci"] for b in berkas}
    with konteks_app(app):
        assert {penyimpanan().buka(b["kunci"]) for b in berkas} == {pdf(k) for k in DOKUMEN_BANTEN}
    a = rujukan(mg, rid)
    assert a["status"] == "diterima_tujuan" and sorted(a["terkirim"]) == sorted(b["id"] for b in berkas)
    # Banten's staff were told, and its answer clock runs: two working days on Banten's calendar.
    assert any("Rujukan masuk" in j for j in notifikasi(staf["provinsi-banten"]["kepala_bidang"]))
    with di_kantor(bt):
        t = penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"]))
        assert t.durasi == "2 hari kerja" and t.due_at > t.mulai_pada

    # Redelivering the same message, or running the consumer again, adds nothing.
    with konteks_app(app):
        from dinsos.core.tenant import lintas_tenant

        with lintas_tenant("uji", catat=False):
            pesan = db.session.scalar(select(PesanOutbox).where(PesanOutbox.kunci == f"rujukan:{rid}:kirim"))
            pid, tid = pesan.id, pesan.tenant_id
            db.session.rollback()
        assert proses_pesan(tid, pid) == "selesai"
        from dinsos.core.outbox import tulis_outbox
        from dinsos.core.tenant import dalam_tenant

        with dalam_tenant(mg.id):
            tulis_outbox("rujukan.teruskan", {"rujukan_id": str(rid)}, kunci="uji:ulang")
            db.session.commit()
    antar_semua(app)
    assert len(semua_masuk(bt)) == 1 and jumlah(app, RujukanMasuk) == 1
    assert len(semua_masuk(bt)[0]["isi"]["berkas"]) == len(DOKUMEN_BANTEN)

    # Dedi accepts: a case opens in Banten under Banten's current version, holding only what was shared.
    dedi = staf["provinsi-banten"]["pekerja_sosial"]
    diterima = wib(2026, 5, 6, 9, 0)
    kasus_b = tanggapi(dedi, m["id"], "terima", pada=diterima)
    with di_kantor(bt):
        k = muat_kasus(kasus_b)
        layanan = kasus_baca.layanan_kasus(k)
        from dinsos.catalogue.services import versi_terbaru

        assert (layanan.kode, k.versi_layanan_id) == (BANTEN[1], versi_terbaru(layanan).id)
        assert k.klien.nama == "Rina Lestari" and k.rahasia  # a child: confidential in Banten too
        dibawa = {p.kode: p.status for p in k.persyaratan if p.kode in DOKUMEN_BANTEN}
        assert dibawa == {kode: "diunggah" for kode in DOKUMEN_BANTEN}
        assert k.status == "berjalan" and k.langkah_kode == "permohonan"
        # Banten's one-year clock (kalender, 1 tahun, from intake) runs from the acceptance.
        aturan = info_jam_kasus(k)["aturan"]
        assert (aturan["jenis"], aturan["jumlah"], aturan["satuan"], aturan["mulai"]) == ("kalender", 1, "tahun", "penerimaan")
        assert k.jam_mulai_pada == diterima
        assert k.pelapor_jenis == "dinas_lain" and k.pelapor_instansi == "Dinas Sosial Kabupaten Magetan"
        assert "dari_rujukan" in [p.jenis for p in peristiwa(k)]
    antar_semua(app)
    a = rujukan(mg, rid)
    assert a["status"] == "diterima"
    assert "rujukan_diterima" in _peristiwa_kasus(mg, kasus_id)
    assert any("Diterima" in j for j in notifikasi(staf["kabupaten-magetan"]["pekerja_sosial"]))

    # Accepted twice: refused, still one case.
    with pytest.raises(KesalahanRujukan, match="tidak dapat diterima dua kali"):
        tanggapi(dedi, m["id"], "terima")
    with di_kantor(bt):
        assert len(daftar_kasus()[0]) == 1

    # Banten closes its case: Magetan's case hears that the referral is done, and with what outcome.
    kabid = staf["provinsi-banten"]["kepala_bidang"]
    with di_kantor(bt):
        k = muat_kasus(kasus_b)
        tutup_kasus(k, versi=k.versi, hasil_akhir="rehabilitasi-selesai", catatan="Anak kembali ke keluarga besar",
                              pengguna=akun(kabid))
        simpan()
    assert semua_masuk(bt)[0]["status"] == "selesai"
    antar_semua(app)
    a = rujukan(mg, rid)
    assert a["status"] == "selesai" and a["laporan"]["hasil"] == "Rehabilitasi sosial dasar dalam panti selesai"
    assert _peristiwa_kasus(mg, kasus_id)[-1] == "rujukan_selesai"


def _hitung(app):
    return jumlah(app, Rujukan), jumlah(app, PesanOutbox)


@pytest.mark.parametrize("tujuan, pesan", [
    (("kabupaten-magetan", "pengiriman-anjal-at"), "tidak dapat ditujukan ke kantor sendiri"),
    (("provinsi-banten", "layanan-tidak-ada"), "Layanan 'layanan-tidak-ada' tidak ada di Dinas Sosial Provinsi Banten"),
    (("kota-metro", "pendampingan-abh"), "tidak menerima rujukan"),
    (("kantor-tidak-ada", "apa-saja"), "tidak terdaftar"),
])
def test_a_referral_to_ones_own_office_or_an_unknown_or_non_accepting_service_is_refused(app, seed, tujuan, pesan):
    kantor, staf = seed
    kasus_magetan(staf)
    sebelum = _hitung(app)
    with di_kantor(kantor["kabupaten-magetan"]):
        with pytest.raises(KesalahanRujukan, match=pesan):
            cari_tujuan_layanan(*tujuan)
    assert _hitung(app) == sebelum


def test_missing_required_documents_are_named_and_nothing_is_sent(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf, berkas=("surat-permohonan",))
    sebelum = _hitung(app)
    with pytest.raises(KesalahanRujukan) as e:
        rujuk_ke_banten(staf, kasus_id, lampiran)
    assert "Surat persetujuan untuk mendapatkan Rehabilitasi Sosial lanjut" in e.value.pesan
    # Banten makes the rest itself (pihak: kantor): the sender is never asked for them.
    assert "Hasil asesmen" not in e.value.pesan and "Surat keterangan sehat" not in e.value.pesan
    assert set(e.value.kesalahan) == {"persyaratan.surat-persetujuan"}
    assert _hitung(app) == sebelum
    # What is missing is also told before sending.
    with di_kantor(kantor["kabupaten-magetan"]):
        t = cari_tujuan_layanan(*BANTEN)
        hasil = periksa_kelengkapan(t.persyaratan, [{"nama": "x.pdf", "dokumen_kode": "surat-permohonan"}])
        assert [d["kode"] for d in hasil["kurang_wajib"]] == ["surat-persetujuan"]


def test_consent_is_recorded_or_overridden_by_a_kepala_bidang_and_a_child_cannot_consent_alone(app, seed):
    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    kasus_id, lampiran = kasus_magetan(staf)
    with pytest.raises(KesalahanRujukan, match="Klien masih anak"):
        rujuk_ke_banten(staf, kasus_id, lampiran, persetujuan={**PERSETUJUAN, "hubungan": "klien"})
    with pytest.raises(KesalahanRujukan, match="Persetujuan klien atau wali belum dicatat"):
        rujuk_ke_banten(staf, kasus_id, lampiran, persetujuan=None)
    with pytest.raises(KesalahanRujukan, match="Hanya kepala bidang"):
        rujuk_ke_banten(staf, kasus_id, lampiran, persetujuan=None, override_alasan="Orang tua tidak diketahui")
    assert jumlah(app, Rujukan) == 0
    # A draft without consent, then Bu Ratna's override with a reason, then it goes.
    rid = rujuk_ke_banten(staf, kasus_id, lampiran, persetujuan=None, kirim=False)
    assert rujukan(mg, rid)["status"] == "draf"
    s = staf["kabupaten-magetan"]
    with di_kantor(mg):
        r = muat_rujukan(rid)
        with pytest.raises(KesalahanRujukan, match="Persetujuan klien atau wali belum dicatat"):
            kirim_rujukan(r, pengguna=akun(s["pekerja_sosial"]))
    with di_kantor(mg):
        r = muat_rujukan(rid)
        with pytest.raises(KesalahanRujukan, match="Hanya kepala bidang"):
            setujui_override(r, pengguna=akun(s["pekerja_sosial"]), alasan="x")
        setujui_override(r, pengguna=akun(s["kepala_bidang"]), alasan="Orang tua tidak diketahui keberadaannya")
        kirim_rujukan(r, pengguna=akun(s["pekerja_sosial"]))
        db.session.commit()
    assert rujukan(mg, rid)["status"] == "dikirim"
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    assert m["isi"]["persetujuan"] == {"jenis": "override", "alasan": "Orang tua tidak diketahui keberadaannya",
                                       "tanggal": m["isi"]["persetujuan"]["tanggal"]}


def test_withdrawn_before_acceptance_ends_bantens_access_and_cannot_then_be_accepted(app, seed):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(bt)
    kunci = [b["kunci"] for b in m["isi"]["berkas"]]
    with di_kantor(mg):
        r = muat_rujukan(rid)
        with pytest.raises(KesalahanRujukan, match="Alasan penarikan wajib"):
            tarik_rujukan(r, pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]), alasan=" ")
        tarik_rujukan(r, pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]), alasan="Keluarga ditemukan")
        db.session.commit()
    antar_semua(app)
    [m] = semua_masuk(bt)
    assert m["status"] == "ditarik" and m["akses_berakhir_pada"] is not None
    assert "klien" not in m["isi"] and "berkas" not in m["isi"]
    with konteks_app(app):
        for k in kunci:
            with pytest.raises(BerkasTidakAda):
                penyimpanan().buka(k)
    with pytest.raises(KesalahanRujukan, match="berstatus 'Ditarik' tidak dapat diterima"):
        tanggapi(staf["provinsi-banten"]["pekerja_sosial"], m["id"], "terima")
    assert rujukan(mg, rid)["status"] == "ditarik"
    # A withdrawal after acceptance is refused by the state machine.
    with di_kantor(mg):
        r = muat_rujukan(rid)
        with pytest.raises(KesalahanRujukan, match="tidak dapat ditarik"):
            tarik_rujukan(r, pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]), alasan="lagi")


def test_withdrawn_before_delivery_never_reaches_the_receiver(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    with di_kantor(kantor["kabupaten-magetan"]):
        tarik_rujukan(muat_rujukan(rid), pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]), alasan="Salah tujuan")
        db.session.commit()
    antar_semua(app)
    assert semua_masuk(kantor["provinsi-banten"]) == []
    assert rujukan(kantor["kabupaten-magetan"], rid)["status"] == "ditarik"


def test_a_withdrawal_arriving_after_the_acceptance_loses_and_the_sender_follows(app, seed):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(bt)
    tanggapi(staf["provinsi-banten"]["pekerja_sosial"], m["id"], "terima")
    with di_kantor(mg):  # Magetan has not heard yet: it may still withdraw on its side
        tarik_rujukan(muat_rujukan(rid), pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]), alasan="Berubah pikiran")
        db.session.commit()
    antar_semua(app)
    assert semua_masuk(bt)[0]["status"] == "diterima"
    a = rujukan(mg, rid)
    assert a["status"] == "diterima"
    with di_kantor(mg):
        assert "laporan_diterima" in [h.jenis for h in riwayat("keluar", rid)]
        [h] = [h for h in riwayat("keluar", rid) if h.jenis == "laporan_diterima"]
        assert h.rincian["penarikan_terlambat"] is True


def test_declined_with_a_reason_the_sender_reads_it_and_the_copies_are_gone(app, seed):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(bt)
    dedi = staf["provinsi-banten"]["pekerja_sosial"]
    with pytest.raises(KesalahanRujukan, match="Alasan penolakan wajib"):
        tanggapi(dedi, m["id"], "tolak", alasan="")
    tanggapi(dedi, m["id"], "tolak", alasan="Kuota panti penuh sampai Juli")
    antar_semua(app)
    a = rujukan(mg, rid)
    assert a["status"] == "ditolak" and a["laporan"]["alasan_tolak"] == "Kuota panti penuh sampai Juli"
    [m] = semua_masuk(bt)
    assert m["akses_berakhir_pada"] is not None and m["isi"]["akses_berakhir"] is True
    with di_kantor(bt):
        t = penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"]))
        assert t.selesai_pada is not None
    assert "rujukan_ditolak" in _peristiwa_kasus(mg, kasus_id)


def test_asking_for_more_pauses_the_answer_clock_and_the_answer_arrives_with_new_files(app, seed):
    kantor, staf = seed
    mg, bt = kantor["kabupaten-magetan"], kantor["provinsi-banten"]
    kasus_id, lampiran = kasus_magetan(staf)
    rid = rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(bt)
    dedi = staf["provinsi-banten"]["pekerja_sosial"]
    tanggapi(dedi, m["id"], "minta_info", pertanyaan="Surat persetujuan belum ditandatangani wali; mohon yang bertanda tangan.")
    with di_kantor(bt):
        assert penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"])).dijeda_pada is not None
    antar_semua(app)
    a = rujukan(mg, rid)
    assert a["status"] == "perlu_info" and "belum ditandatangani" in a["laporan"]["permintaan_info"]
    with di_kantor(mg):
        lengkapi_rujukan(muat_rujukan(rid), pengguna=akun(staf["kabupaten-magetan"]["pekerja_sosial"]),
                         catatan="Terlampir surat persetujuan baru",
                         unggahan=[(pdf("persetujuan-baru"), "persetujuan baru.pdf", "surat-persetujuan")])
        db.session.commit()
    antar_semua(app)
    [m] = semua_masuk(bt)
    assert m["status"] == "diterima_tujuan"
    baru = [b for b in m["isi"]["berkas"] if b["putaran"] == 2]
    assert [(b["nama"], b["dokumen_kode"]) for b in baru] == [("persetujuan baru.pdf", "surat-persetujuan")]
    assert m["isi"]["tambahan"][0]["catatan"] == "Terlampir surat persetujuan baru"
    with di_kantor(bt):
        t = penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"]))
        assert t.dijeda_pada is None and t.selesai_pada is None
    assert any("dilengkapi" in j for j in notifikasi(dedi))
    assert rujukan(mg, rid)["status"] == "diterima_tujuan"


def test_a_partner_referral_issues_the_referral_letter_and_the_handover_is_recorded_by_hand(seed):
    from dinsos.documents.models import SuratTerbit

    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    s = staf["kabupaten-magetan"]
    kasus_id, lampiran = kasus_magetan(staf, berkas=("hasil-asesmen",))
    with di_kantor(mg):
        with pytest.raises(KesalahanRujukan, match="Hanya kepala bidang atau admin"):
            simpan_mitra(nama="Balai X", jenis="balai", alamat=None, kontak=None, pengguna=akun(s["pekerja_sosial"]))
        mitra = simpan_mitra(nama="Balai Rehabilitasi Sosial Anak Bina Remaja", jenis="balai", alamat="Jl. Balai 1, Madiun",
                             kontak="0351-000", pengguna=akun(s["kepala_bidang"]))
        db.session.commit()
        mid = mitra.id
    with di_kantor(mg):
        k = muat_kasus(kasus_id)
        r = buat_rujukan(k, pengguna=akun(s["pekerja_sosial"]), tujuan=cari_tujuan_mitra(mid), alasan="Rehabilitasi lanjut",
                         bidang_klien=["nama"], berkas=[{"sumber": "lampiran", "id": str(lampiran["hasil-asesmen"])}],
                         persetujuan=PERSETUJUAN)
        db.session.commit()
        rid = r.id
        surat = db.session.scalar(select(SuratTerbit).where(SuratTerbit.objek_jenis == "rujukan", SuratTerbit.objek_id == str(rid)))
        assert surat.jenis == "form_rujukan" and r.surat_id == surat.id
        # Nothing crosses offices for a partner outside the platform.
        assert db.session.scalar(select(PesanOutbox.id).where(PesanOutbox.jenis == "rujukan.teruskan")) is None
    with di_kantor(mg):
        r = muat_rujukan(rid)
        with pytest.raises(KesalahanRujukan, match="Nomor berita acara serah terima wajib"):
            catat_tanggapan_mitra(r, aksi="terima", pengguna=akun(s["pekerja_sosial"]))
        catat_tanggapan_mitra(r, aksi="terima", nomor_berita_acara="BA/12/2026", pengguna=akun(s["pekerja_sosial"]))
        catat_tanggapan_mitra(r, aksi="selesai", catatan="Selesai rehabilitasi", pengguna=akun(s["pekerja_sosial"]))
        db.session.commit()
    a = rujukan(mg, rid)
    assert a["status"] == "selesai" and a["laporan"]["nomor_berita_acara"] == "BA/12/2026"


def test_the_same_case_cannot_be_referred_twice_to_the_same_service_while_the_first_is_open(app, seed):
    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    sebelum = _hitung(app)
    with pytest.raises(KesalahanRujukan, match="sudah dirujuk ke"):
        rujuk_ke_banten(staf, kasus_id, lampiran)
    assert _hitung(app) == sebelum


def test_an_unanswered_referral_escalates_to_bantens_kabid_and_to_the_senders_province(app, seed):
    from dinsos.sla.services import sapu_tenggat

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(kantor["provinsi-banten"])
    with di_kantor(kantor["provinsi-banten"]):
        due = penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"])).due_at
    with konteks_app(app):
        assert sapu_tenggat(pada=due + timedelta(minutes=1)) > 0
    assert any(j.startswith("Eskalasi") for j in notifikasi(staf["provinsi-banten"]["kepala_bidang"]))
    antar_semua(app)
    judul = notifikasi(staf["provinsi-jawa-timur"]["kepala_bidang"])
    assert judul == ["Rujukan belum ditanggapi: Dinas Sosial Kabupaten Magetan ke Dinas Sosial Provinsi Banten"]
    assert notifikasi(staf["provinsi-lampung"]["kepala_bidang"]) == []
    with konteks_app(app):  # a second sweep sends nothing new
        sapu_tenggat(pada=due + timedelta(minutes=2))
    antar_semua(app)
    assert len(notifikasi(staf["provinsi-jawa-timur"]["kepala_bidang"])) == 1


def test_an_office_setting_overrides_the_answer_time(app, seed):
    kantor, staf = seed
    bt = kantor["provinsi-banten"]
    with di_kantor(bt):
        with pytest.raises(KesalahanRujukan, match="tidak ada di kantor ini"):
            penerimaan.simpan_pengaturan(batas_tanggapan=None, per_layanan={"tidak-ada": "1 hari"},
                                         pengguna=akun(staf["provinsi-banten"]["kepala_dinas"]))
        with pytest.raises(KesalahanRujukan, match="'dua minggu'"):
            penerimaan.simpan_pengaturan(batas_tanggapan="dua minggu", per_layanan={},
                                         pengguna=akun(staf["provinsi-banten"]["kepala_dinas"]))
        penerimaan.simpan_pengaturan(batas_tanggapan="3 hari kerja", per_layanan={BANTEN[1]: "5 hari kerja"},
                                     pengguna=akun(staf["provinsi-banten"]["kepala_dinas"]))
        db.session.commit()
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    [m] = semua_masuk(bt)
    with di_kantor(bt):
        assert penerimaan.tenggat_masuk(penerimaan.muat_masuk(m["id"])).durasi == "5 hari kerja"


def test_an_overdue_incoming_referral_counts_in_the_menu_as_in_the_queue(app, seed):
    # The menu counts an overdue referral by reaching its answer clock through the clock's parent (induk_id).
    from flask import g

    from dinsos.auth.models import Pengguna
    from dinsos.referrals.models import RujukanMasuk
    from dinsos.sla.models import Tenggat
    from dinsos.tugas.services import kueri_hitungan, tugas_saya

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    antar_semua(app)
    bt = kantor["provinsi-banten"]
    with di_kantor(bt):
        g.slug_tenant = bt.slug
        masuk = db.session.scalar(select(RujukanMasuk))
        jam = db.session.scalar(select(Tenggat).where(Tenggat.objek_jenis == "rujukan_masuk"))
        assert jam.induk_id == masuk.id
        orang = db.session.get(Pengguna, (bt.id, staf["provinsi-banten"]["kepala_bidang"].id))
        for pada, status in ((jam.mulai_pada + timedelta(minutes=1), "tepat"), (jam.due_at + timedelta(days=1), "terlambat")):
            antre = [t.status for t in tugas_saya(orang, pada) if t.jenis == "rujukan_masuk"]
            kolom = kueri_hitungan(orang, pada)
            hitungan = dict(zip(kolom, db.session.execute(select(*(q.scalar_subquery().label(n) for n, q in kolom.items()))).one()))
            assert antre == [status]
            assert (hitungan["tugas_rujukan_masuk"], hitungan["tugas_rujukan_masuk_terlambat"]) == (1, int(status == "terlambat"))
