"""Letters of cases: Sri's notice and handover minutes, addressed letters, the closing letter's survey, who may open them,
and the two fields that were stored in plain text (a complainant's identity, the WhatsApp webhook URL)."""
import html
import io
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from dinsos.audit.models import CatatanAudit
from dinsos.cases import kelola, penerimaan, sop, tenggat
from dinsos.cases import surat as surat_kasus
from dinsos.cases.baca import peristiwa
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.cli import main as cli
from dinsos.core import kripto
from dinsos.core.db import db
from dinsos.documents.models import SuratTerbit
from dinsos.documents.qr import svg_qr
from dinsos.surveys.ikm import UNSUR_BAKU
from dinsos.surveys.models import TokenSurvei
from dinsos_uji.alat_kasus import (
    PDF,
    SEMUA_MAGETAN,
    akun,
    di_kantor,
    klien_masuk,
    teks_pdf,
    terima_langsung,
    token_api,
    versi_di,
    wib,
)
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.bantuan import token_csrf

# Each test renders a few letters (WeasyPrint): about a second apiece.
pytestmark = pytest.mark.slow

MG = "/t/kabupaten-magetan"
MT = "/t/kota-metro"
NAMA_KEHILANGAN = "Surat Keterangan Kehilangan (kehilangan KTP/ identitas)"


def teks(r) -> str:
    return html.unescape(r.get_data(as_text=True))


class Jam:
    """The case services' clock, set by the test: requests made through HTTP happen at the time it says."""

    def __init__(self, monkeypatch, pada):
        self.pada = pada
        for modul in (penerimaan, sop, kelola):
            monkeypatch.setattr(modul, "sekarang", lambda: self.pada)
        monkeypatch.setattr(surat_kasus, "sekarang", lambda: self.pada)
        monkeypatch.setattr(tenggat, "sekarang", lambda: self.pada)


@dataclass(frozen=True)
class Surat:
    id: uuid.UUID
    jenis: str
    nomor: str
    objek_jenis: str
    objek_id: str
    url_verifikasi: str


def _surat(kantor, **syarat) -> list[Surat]:
    """The office's issued letters matching ``syarat``, in number order, as plain data."""
    with di_kantor(kantor):
        q = select(SuratTerbit).where(*(getattr(SuratTerbit, k) == v for k, v in syarat.items())).order_by(SuratTerbit.nomor)
        return [Surat(s.id, s.jenis, s.nomor, s.objek_jenis, s.objek_id, s.url_verifikasi) for s in db.session.scalars(q)]


def _tautan_surat(halaman: str) -> list[str]:
    return re.findall(r'href="(/t/[^"]+/surat/[0-9a-f-]+\.pdf)"', halaman)


def test_sri_prints_the_notice_verifies_the_file_then_issues_the_handover_minutes(app, seed, monkeypatch):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    jam = Jam(monkeypatch, wib(2026, 5, 4, 10, 5))
    sri = klien_masuk(s["petugas_pelayanan"])

    # 10:05: the police statement is there, the lost-identity statement is not.
    halaman = sri.get(f"{MG}/kasus/baru/pengiriman-anjal-at").get_data(as_text=True)
    r = sri.post(f"{MG}/kasus/baru/pengiriman-anjal-at", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "pelapor_jenis": "kepolisian", "pelapor_nama": "Bripka Anton",
        "pelapor_instansi": "Polres Magetan", "tanpa_identitas": "y", "deskripsi": "Anak laki-laki tidur di terminal",
        "umur_perkiraan": "12", "jenis_kelamin": "L", "kategori_ppks": "4", "status_0": "dilihat", "status_1": "belum",
        "keluarga-0-nama": "", "keluarga-0-hubungan": ""})
    assert r.status_code == 302, re.findall(r'class="galat"[^>]*>([^<]+)', teks(r))
    kid = r.headers["Location"].rsplit("/", 1)[1]
    halaman = sri.get(f"{MG}/kasus/{kid}").get_data(as_text=True)
    assert "Cetak pemberitahuan kekurangan berkas" in halaman

    # Without the form's CSRF token nothing is issued.
    assert sri.post(f"{MG}/kasus/{kid}/pemberitahuan-kekurangan").status_code == 400
    assert _surat(mg) == []
    r = sri.post(f"{MG}/kasus/{kid}/pemberitahuan-kekurangan", data={"csrf_token": token_csrf(halaman)})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("inline;")
    pemberitahuan = teks_pdf(r.data)
    for harus in ("belum lengkap", NAMA_KEHILANGAN, "Pengiriman Anak Jalanan (Anjal) Dan Anak Terlantar (AT) Ke Balai Rehabilitasi",
                  "Yth. Bripka Anton", "Polres Magetan", "Dinas Sosial Kabupaten Magetan", "Senin, 4 Mei 2026",
                  "dihitung sejak berkas dinyatakan lengkap dan benar"):
        assert harus in pemberitahuan, harus
    assert "Surat Keterangan dari Kepolisian" not in pemberitahuan  # received: not listed as missing
    (notice,) = _surat(mg, objek_jenis="kasus", objek_id=kid)
    assert (notice.jenis, notice.nomor) == ("pemberitahuan_kekurangan_berkas", "400.9/1/403.107/2026")
    with di_kantor(mg):
        k = muat(kid)
        assert (k.status, k.nomor_register, k.versi) == ("berkas_belum_lengkap", None, int(versi_di(halaman)))  # nothing changed

    # 11:30: the statement arrives; the page Sri printed from is still current, so her upload goes through.
    jam.pada = wib(2026, 5, 4, 11, 30)
    r = sri.post(f"{MG}/kasus/{kid}/persyaratan", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "kode": "surat-keterangan-kehilangan",
        "status": "dilihat", "berkas": (io.BytesIO(PDF), "surat_kehilangan.pdf")})
    assert r.status_code == 302
    halaman = sri.get(f"{MG}/kasus/{kid}").get_data(as_text=True)
    # Complete by the checklist; "lengkap dan benar" is the verifier's ruling (Sri, the front office, here).
    assert "Menunggu verifikasi berkas" in halaman and "Cetak pemberitahuan kekurangan berkas" not in halaman
    assert 'id="verifikasi"' in halaman and "(nomor register belum diberikan)" in halaman
    jam.pada = wib(2026, 5, 4, 11, 30)
    r = sri.post(f"{MG}/kasus/{kid}/verifikasi", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                     "hasil_verifikasi": "benar", "catatan_verifikasi": ""})
    assert r.status_code == 302, teks(r)[:2000]
    halaman = sri.get(f"{MG}/kasus/{kid}").get_data(as_text=True)
    assert 'id="verifikasi"' not in halaman and "Verifikasi berkas" in halaman  # on the timeline
    r = sri.post(f"{MG}/kasus/{kid}/pemberitahuan-kekurangan", data={"csrf_token": token_csrf(halaman)})
    assert r.status_code == 409 and "tidak sedang kurang" in teks(r)

    # 11:42: the handover is signed; the step issues the berita acara on the letterhead.
    jam.pada = wib(2026, 5, 4, 11, 42)
    r = sri.post(f"{MG}/kasus/{kid}/langkah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "langkah": "serah-terima", "catatan": "Diserahkan Bripka Anton"})
    assert r.status_code == 302, teks(r)[:2000]
    halaman = teks(sri.get(f"{MG}/kasus/{kid}"))
    assert "durasi 12 menit (standar 15 menit)" in halaman
    (ba,) = _surat(mg, jenis="berita_acara_serah_terima")
    assert ba.nomor == "400.9/2/403.107/2026" and ba.objek_jenis == "kasus" and ba.objek_id == kid
    assert f"Berita Acara Serah Terima nomor {ba.nomor}" in halaman
    with di_kantor(mg):
        k = muat(kid)
        assert k.langkah[0].surat_id == ba.id and k.langkah[1].surat_id is None
        assert [p.rincian for p in peristiwa(k) if p.jenis == "surat_terbit"] == [
            {"jenis_surat": "berita_acara_serah_terima", "nomor": ba.nomor, "surat_id": str(ba.id), "langkah": "serah-terima"}]
    # The page links both letters (list, step row, timeline) to the archive's download.
    unduh = f"{MG}/surat/{ba.id}.pdf"
    assert _tautan_surat(halaman).count(unduh) == 3 and f"{MG}/surat/{notice.id}.pdf" in _tautan_surat(halaman)

    r = sri.get(unduh)
    assert r.status_code == 200 and r.data == _pdf(mg, ba.id)
    berita_acara = teks_pdf(r.data)
    assert "Nomor register" not in berita_acara  # Magetan numbers the case at step 2, after the hand-over
    for harus in ("BERITA ACARA SERAH TERIMA", "Nomor: " + ba.nomor,
                  "Dinas Sosial Kabupaten Magetan", "PEMERINTAH KABUPATEN MAGETAN", "Bripka Anton", "Polres Magetan",
                  "Staf petugas_pelayanan", "Tanpa identitas", "Senin, 4 Mei 2026", "Diserahkan Bripka Anton",
                  "PARMINTO BUDI UTOMO, S.Sos., M.AP.", ba.url_verifikasi):
        assert harus in berita_acara, harus
    # The reporter hands the child over; the office's officer receives.
    assert berita_acara.index("Bripka Anton") < berita_acara.index("PIHAK PERTAMA") < berita_acara.index("Staf petugas_pelayanan")
    assert berita_acara.index("Staf petugas_pelayanan") < berita_acara.index("PIHAK KEDUA")

    # Anyone can check it from its QR code, without seeing the case.
    publik = app.test_client().get(urlparse(ba.url_verifikasi).path)
    assert publik.status_code == 200 and "ASLI" in teks(publik) and ba.nomor in teks(publik)
    assert "Bripka Anton" not in teks(publik)


def _pdf(kantor, surat_id) -> bytes:
    from sqlalchemy.orm import undefer

    with di_kantor(kantor):
        return db.session.scalar(select(SuratTerbit).where(SuratTerbit.id == surat_id).options(undefer(SuratTerbit.pdf))).pdf


def _ppks_sampai(kantor, s, kode_akhir, cabang):
    """A Kota Metro PPKS case run through the services up to the step ``kode_akhir``; returns its id."""
    kid = terima_langsung(s["petugas_pelayanan"], "penanganan-ppks-terlantar",
                          {"nama": "Sutrisno", "umur_perkiraan": 60, "jenis_kelamin": "L", "kategori_ppks": 11},
                          {"surat-keterangan-penyerahan": "dilihat"},
                          pelapor={"jenis": "satpol_pp", "nama": "Joko Santoso", "instansi": "Satpol PP Kota Metro"})
    isian = {"penyerahan": {"pihak_penyerah": "Satpol PP"}, "asesmen-penelusuran": {"cek_biometrik": "ya"}}
    peran = {"penyerahan": "petugas_pelayanan", "buku-layanan": "petugas_pelayanan", "surat-pengantar": "petugas_pelayanan"}
    isian["surat-pengantar"] = {"tujuan_surat": "Kepala Desa Hadimulyo", "alamat_tujuan": "Hadimulyo Barat, Metro Pusat"}
    with di_kantor(kantor):
        k = muat(kid)
        while k.langkah_kode != kode_akhir:
            selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(s[peran.get(k.langkah_kode, "pekerja_sosial")]),
                                   isian=isian.get(k.langkah_kode), cabang=cabang if k.langkah_kode == "kroscek-alamat" else None)
        simpan()
    return str(kid)


def test_an_addressed_letter_asks_for_its_recipient_and_prints_it(seed, klien):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _ppks_sampai(mt, s, "surat-pengantar", "surat-pengantar")
    petugas = klien_masuk(s["petugas_pelayanan"])
    halaman = teks(petugas.get(f"{MT}/kasus/{kid}"))
    assert "Tujuan surat *" in halaman and "Alamat tujuan *" in halaman  # not in the SOP: asked because of the letter

    # Over the API, without the recipient: refused field by field, nothing issued.
    with di_kantor(mt):
        versi = muat(kid).versi
    r = klien.post(f"/api/t/kota-metro/kasus/{kid}/langkah", headers=token_api(s["petugas_pelayanan"]),
                   json={"versi": versi, "langkah": "surat-pengantar", "isian": {"tujuan_surat": "Kepala Desa Hadimulyo"}})
    assert r.status_code == 422 and r.json["errors"]["json"]["isian"] == {"alamat_tujuan": ["Alamat tujuan: wajib diisi."]}
    assert _surat(mt, jenis="surat_pengantar") == []

    r = petugas.post(f"{MT}/kasus/{kid}/langkah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "langkah": "surat-pengantar",
        "isian_tujuan_surat": "Kepala Desa Hadimulyo", "isian_alamat_tujuan": "Hadimulyo Barat, Metro Pusat"})
    assert r.status_code == 302, teks(r)[:2000]
    (pengantar,) = _surat(mt, jenis="surat_pengantar")
    isi = teks_pdf(_pdf(mt, pengantar.id))
    for harus in ("Yth. Kepala Desa Hadimulyo", "di Hadimulyo Barat, Metro Pusat", "Perihal : Pengantar Klien", "Sutrisno",
                  "60 tahun", "Laki-laki", "Dinas Sosial Kota Metro", pengantar.nomor):
        assert harus in isi, harus
    assert "Tujuan surat" not in isi  # the recipient is the address block, not a row of the table
    with di_kantor(mt):
        k = muat(kid)
        assert k.langkah[-2].isian == {"tujuan_surat": "Kepala Desa Hadimulyo", "alamat_tujuan": "Hadimulyo Barat, Metro Pusat"}
        assert k.langkah[-2].surat_id == pengantar.id


def test_taking_a_client_to_a_panti_names_the_panti_as_the_receiving_party(seed, klien):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _ppks_sampai(mt, s, "koordinasi-rujukan-panti", "koordinasi-rujukan-panti")
    with di_kantor(mt):
        k = muat(kid)
        selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(s["pekerja_sosial"]),
                               isian={"tujuan_surat": "UPTD Panti Sosial Tresna Werdha", "alamat_tujuan": "Natar, Lampung Selatan"})
        simpan()
    petugas = klien_masuk(s["petugas_pelayanan"])
    halaman = teks(petugas.get(f"{MT}/kasus/{kid}"))
    assert "antar-ke-panti" in halaman and "Pihak penerima (panti, balai atau keluarga) *" in halaman  # must be named

    r = petugas.post(f"{MT}/kasus/{kid}/langkah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "langkah": "antar-ke-panti",
        "isian_tujuan_surat": "UPTD Panti Sosial Tresna Werdha", "isian_alamat_tujuan": "Natar, Lampung Selatan"})
    assert r.status_code == 302, teks(r)[:2000]
    penyerahan, ba = [b for b in _surat(mt, jenis="berita_acara_serah_terima") if str(b.objek_id) == kid]  # Satpol PP's, then this
    isi = teks_pdf(_pdf(mt, ba.id))
    # The office's officer hands the client over for the office; the panti receives and becomes responsible.
    assert isi.index("Staf petugas_pelayanan") < isi.index("atas nama Dinas Sosial Kota Metro") < isi.index("PIHAK PERTAMA")
    assert isi.index("PIHAK PERTAMA") < isi.index("UPTD Panti Sosial Tresna Werdha") < isi.index("PIHAK KEDUA")
    assert "Natar, Lampung Selatan" in isi and "tanggung jawab UPTD Panti Sosial Tresna Werdha" in isi
    assert "Joko Santoso" not in isi  # the Satpol PP officer who brought him in is no party to this hand-over
    assert "Joko Santoso" in teks_pdf(_pdf(mt, penyerahan.id))


def test_a_hand_over_names_who_signs_for_the_receiving_party_and_the_officers_nip_and_position(seed, klien):
    from dinsos.auth.models import Pengguna

    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    with di_kantor(mt):
        db.session.get(Pengguna, (mt.id, s["petugas_pelayanan"].id)).nip = "19850101 201001 1 001"
        db.session.commit()
    kid = _ppks_sampai(mt, s, "koordinasi-rujukan-panti", "koordinasi-rujukan-panti")
    with di_kantor(mt):
        k = muat(kid)
        selesaikan_langkah(k, versi=k.versi, kode_langkah=k.langkah_kode, pengguna=akun(s["pekerja_sosial"]),
                               isian={"tujuan_surat": "UPTD Panti Sosial Tresna Werdha", "alamat_tujuan": "Natar, Lampung Selatan"})
        simpan()
    petugas = klien_masuk(s["petugas_pelayanan"])
    halaman = teks(petugas.get(f"{MT}/kasus/{kid}"))
    assert "Nama orang yang menerima (wakil pihak penerima)" in halaman and "Jabatan orang yang menerima" in halaman
    r = petugas.post(f"{MT}/kasus/{kid}/langkah", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(halaman), "versi": versi_di(halaman), "langkah": "antar-ke-panti",
        "isian_tujuan_surat": "UPTD Panti Sosial Tresna Werdha", "isian_alamat_tujuan": "Natar, Lampung Selatan",
        "isian_nama_penerima": "Siti Aminah", "isian_jabatan_penerima": "Pengasuh Panti"})
    assert r.status_code == 302, teks(r)[:2000]
    ba = [b for b in _surat(mt, jenis="berita_acara_serah_terima") if str(b.objek_id) == kid][-1]
    isi = teks_pdf(_pdf(mt, ba.id))
    pihak, ttd = isi[:isi.index("Demikian berita acara")], isi[isi.index("Demikian berita acara"):]
    # The parties: the office's officer with her NIP and position, and the panti's carer by name and position.
    assert pihak.index("Staf petugas_pelayanan") < pihak.index("19850101 201001 1 001") < pihak.index("PIHAK PERTAMA")
    assert "Petugas Pelayanan (Front Office)" in pihak[:pihak.index("PIHAK PERTAMA")]
    assert pihak.index("PIHAK PERTAMA") < pihak.index("Siti Aminah") < pihak.index("Pengasuh Panti") < pihak.index("PIHAK KEDUA")
    # The signature columns carry the names, not dotted blanks; the head of office "knows" it with her NIP.
    assert "Siti Aminah" in ttd and "Staf petugas_pelayanan" in ttd and "NIP. 19850101 201001 1 001" in ttd
    assert "AC YULIWATI" in ttd and "NIP. 19680703 199302 2 001" in ttd
    assert "Nama orang yang menerima" not in isi  # a party, not a row of the table


def test_the_api_issues_the_notice_lists_letters_and_reports_a_steps_letter(seed, klien):
    _, staf = seed
    s = staf["kabupaten-magetan"]
    sri = token_api(s["petugas_pelayanan"])
    kurang = {k: v for k, v in SEMUA_MAGETAN.items() if k != "surat-keterangan-kehilangan"}
    kid = str(terima_langsung(s["petugas_pelayanan"], "pengiriman-anjal-at", {"tanpa_identitas": True, "deskripsi": "Anak di terminal",
                                                                                "umur_perkiraan": 12}, kurang))
    api = f"/api/t/kabupaten-magetan/kasus/{kid}"
    r = klien.post(f"{api}/pemberitahuan-kekurangan", headers=sri)
    assert r.status_code == 201 and r.mimetype == "application/pdf" and NAMA_KEHILANGAN in teks_pdf(r.data)
    r = klien.get(r.headers["Location"], headers=sri)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    r = klien.patch(f"{api}/persyaratan", headers=sri, json={"versi": klien.get(api, headers=sri).json["versi"],
                                                           "perubahan": {"surat-keterangan-kehilangan": "dilihat"}})
    assert r.status_code == 200
    r = klien.post(f"{api}/verifikasi", headers=sri, json={"versi": r.json["versi"], "benar": True})
    assert r.status_code == 200, r.json
    r = klien.post(f"{api}/langkah", headers=sri, json={"versi": r.json["kasus"]["versi"], "langkah": "serah-terima"})
    assert r.status_code == 200 and r.json["surat"]["jenis"] == "berita_acara_serah_terima"
    unduh = r.json["surat"]["unduh"]
    rinci = klien.get(api, headers=sri).json
    assert [s_["jenis"] for s_ in rinci["surat"]] == ["pemberitahuan_kekurangan_berkas", "berita_acara_serah_terima"]
    assert "BERITA ACARA SERAH TERIMA" in teks_pdf(klien.get(unduh, headers=sri).data)
    assert klien.post(f"{api}/pemberitahuan-kekurangan", headers=sri).status_code == 409


def test_the_closing_letter_carries_a_survey_link_that_takes_one_response(app, seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    kid = _ppks_sampai(mt, s, "pemulangan", "surat-pengantar")
    with di_kantor(mt):
        k = muat(kid)
        selesaikan_langkah(k, versi=k.versi, kode_langkah="pemulangan", pengguna=akun(s["petugas_pelayanan"]),
                           isian={"hubungan_keluarga": "Anak", "tujuan_surat": "Wati", "alamat_tujuan": "Hadimulyo Barat"})
        simpan()
    ps = klien_masuk(s["pekerja_sosial"])
    halaman = ps.get(f"{MT}/kasus/{kid}").get_data(as_text=True)
    r = ps.post(f"{MT}/kasus/{kid}/tutup", data={"csrf_token": token_csrf(halaman), "versi": versi_di(halaman),
                                                  "hasil_akhir": "kembali-ke-keluarga"})
    assert r.status_code == 302

    (selesai,) = _surat(mt, jenis="surat_selesai_layanan")
    with di_kantor(mt):
        (token,) = db.session.scalars(select(TokenSurvei)).all()
        assert (token.objek_jenis, token.objek_id, token.dipakai_pada) == ("kasus", kid, None)
        kode_token = token.kode
        k = muat(kid)
        assert [p.jenis for p in peristiwa(k)][-2:] == ["ditutup", "surat_terbit"]
        # The letter prints the survey's QR code of exactly this link, beside its verification code.
        tautan = f"http://localhost/t/kota-metro/survei/penanganan-ppks-terlantar?token={kode_token}"
        jenis, data = surat_kasus.surat_selesai(k, k.ditutup_pada, tautan)
        from dinsos.documents.surat import render_html
        from dinsos.tenancy.models import Tenant

        halaman_surat = render_html(jenis, tenant=db.session.get(Tenant, mt.id), nomor=selesai.nomor, data=data,
                                    pada=k.ditutup_pada, url=selesai.url_verifikasi)
        assert svg_qr(tautan, skala=2) in halaman_surat
        nomor_register = k.nomor_register
    isi = teks_pdf(_pdf(mt, selesai.id))
    for harus in ("Yth. Joko Santoso", "Satpol PP Kota Metro", "Sutrisno", "hasil akhir: PPKS telah kembali ke Keluarga",
                  "Survei Kepuasan Masyarakat", selesai.url_verifikasi, nomor_register):
        assert harus in isi, harus
    assert tautan in "".join(isi.split())  # a long address wraps onto a second line

    # The member of the public scans the code: the survey takes her answers once.
    publik = app.test_client()
    jalur = urlparse(tautan)
    formulir = publik.get(f"{jalur.path}?{jalur.query}")
    assert formulir.status_code == 200
    jawaban = {"csrf_token": token_csrf(formulir.get_data(as_text=True)), "token": kode_token, **{u.kode: "4" for u in UNSUR_BAKU}}
    assert publik.post(jalur.path, data=jawaban).status_code == 201
    assert publik.post(jalur.path, data=jawaban).status_code == 409
    assert publik.get(f"{jalur.path}?{jalur.query}").status_code == 409


def test_letters_open_by_the_case_rule_and_are_404_in_another_office(app, seed):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = str(terima_langsung(s["petugas_pelayanan"], "pengiriman-anjal-at", {"nama": "Agus Salim", "umur_perkiraan": 13}, SEMUA_MAGETAN))
    with di_kantor(mg):
        k = muat(kid)
        selesaikan_langkah(k, versi=k.versi, kode_langkah="serah-terima", pengguna=akun(s["petugas_pelayanan"]))
        simpan()
    (ba,) = _surat(mg, objek_id=kid)
    unduh = f"/surat/{ba.id}.pdf"

    # A child's case is confidential: the letter follows the case page, like its attachments.
    assert klien_masuk(s["kepala_bidang"]).get(MG + unduh).status_code == 200
    assert klien_masuk(s["petugas_pelayanan"]).get(MG + unduh).status_code == 200  # she handled it
    r = klien_masuk(s["pekerja_sosial"]).get(MG + unduh)  # neither a handler nor the next step's role
    assert r.status_code == 403
    with di_kantor(mg):
        assert db.session.scalar(select(CatatanAudit.tindakan).where(CatatanAudit.tindakan == "unduh_surat_ditolak")) is not None
    assert "A*** S***" in teks_pdf(_pdf(mg, ba.id)) and "Agus Salim" not in teks_pdf(_pdf(mg, ba.id))

    # Kota Metro's head of division: Magetan's letters do not exist for her.
    metro = staf["kota-metro"]["kepala_bidang"]
    web = klien_masuk(metro)
    assert web.get(MT + unduh).status_code == 404
    halaman = web.get(f"{MT}/kasus/").get_data(as_text=True)
    assert web.post(f"{MT}/kasus/{kid}/pemberitahuan-kekurangan", data={"csrf_token": token_csrf(halaman)}).status_code == 404
    api = app.test_client()
    token = token_api(metro)
    assert api.get(f"/api/t/kota-metro/kasus/{kid}/surat/{ba.id}", headers=token).status_code == 404
    assert api.post(f"/api/t/kota-metro/kasus/{kid}/pemberitahuan-kekurangan", headers=token).status_code == 404
    assert web.get(MG + unduh).status_code == 302  # under Magetan's address her session is anonymous: to the login page
    with di_kantor(kantor["kota-metro"]):
        assert not surat_kasus.pemeriksa_akses(akun(metro), kid)


# --- the two fields that were plain text --------------------------------------------------------------


def _mentah(mesin, tabel: str) -> str:
    with mesin.connect() as c:
        return "\n".join(str(v) for baris in c.execute(text(f'SELECT * FROM "{tabel}"')) for v in baris)


def test_a_complainants_identity_and_the_webhook_url_are_encrypted_and_rotated(app, seed, mesin_pemilik, monkeypatch):
    from dinsos.complaints.models import Pengaduan
    from dinsos.complaints.services import terima_pengaduan
    from dinsos.notify.models import PengaturanNotifikasi
    from dinsos.notify.services import simpan_pengaturan

    kantor, _staf = seed
    mt = kantor["kota-metro"]
    webhook = "https://wa.example/kirim?token=rahasia-gateway"
    with di_kantor(mt):
        terima_pengaduan(isi="Petugas tidak datang", kanal="tatap_muka", nama="Siti Aminah", kontak="0812-3456-7890")
        simpan_pengaturan("Dinsos Metro", webhook)
        db.session.commit()
    mentah = _mentah(mesin_pemilik, "pengaduan") + _mentah(mesin_pemilik, "pengaturan_notifikasi")
    for rahasia in ("Siti Aminah", "0812-3456-7890", "rahasia-gateway", "wa.example"):
        assert rahasia not in mentah, rahasia
    assert mentah.count("gAAAAA") == 3 and "Petugas tidak datang" in mentah  # only those three fields are encrypted

    lama = app.extensions["dinsos_brankas"]
    baru = Fernet.generate_key()
    monkeypatch.setitem(app.extensions, "dinsos_brankas", kripto.Brankas([baru, *lama._kunci_asli]))
    hasil = app.test_cli_runner().invoke(cli, ["keys", "rotate"])
    assert hasil.exit_code == 0, hasil.output
    monkeypatch.setitem(app.extensions, "dinsos_brankas", kripto.Brankas([baru]))  # the old key dropped
    with di_kantor(mt):
        p = db.session.scalar(select(Pengaduan))
        assert (p.nama_pelapor, p.kontak_pelapor) == ("Siti Aminah", "0812-3456-7890")
        assert db.session.scalar(select(PengaturanNotifikasi)).webhook_whatsapp == webhook
    monkeypatch.setitem(app.extensions, "dinsos_brankas", lama)  # and the old key alone reads nothing any more
    with di_kantor(mt), pytest.raises(kripto.KunciTidakValid):
        db.session.scalar(select(Pengaduan)).nama_pelapor


def test_the_migration_encrypts_what_was_stored_in_plain_text_and_its_downgrade_decrypts_it(tmp_path):
    """On a database of its own: rows written before revision 0010 are readable after it."""
    from flask_migrate import downgrade, upgrade

    from dinsos import create_app
    from dinsos.complaints.models import Pengaduan
    from dinsos.core.tenant import dalam_tenant
    from dinsos.notify.models import PengaturanNotifikasi

    url = f"sqlite:///{tmp_path / 'lama.sqlite'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "TESTING": True,
                      "ENCRYPTION_KEYS": Fernet.generate_key().decode(), "REDIS_URL": None, "BASE_URL": "http://localhost"})
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as c:  # raw SQL: today's models name columns revision 0004 does not have yet
            tid = c.execute(text("INSERT INTO tenants (slug, nama, tingkat, kode_wilayah, zona_waktu, kanal_kontak, kepala_dinas, "
                                 "kop_surat, format_nomor, jam_kerja, hari_libur_daerah, hari_kerja_tambahan, aktif, dibuat_pada) "
                                 "VALUES ('kota-lama', 'Dinas Sosial Kota Lama', 'kota', '99.98', 'Asia/Jakarta', '[]', '{}', '{}', "
                                 "'{}', '{}', '[]', '[]', 1, '2026-05-04 03:00:00') RETURNING id")).scalar()
            c.execute(text("INSERT INTO pengaduan (tenant_id, id, dibuat_pada, kode_lacak, kanal, isi, nama_pelapor, kontak_pelapor, "
                           "status, waktu_standar, mulai_pada, warn_at, due_at) VALUES (:t, :id, '2026-05-04 03:00:00', 'ABCD1234', "
                           "'tatap_muka', 'isi', 'Siti Aminah', '0812', 'diproses', '5 hari kerja', '2026-05-04 03:00:00', "
                           "'2026-05-08 03:00:00', '2026-05-11 03:00:00')"), {"t": tid, "id": uuid.uuid4().hex})
            c.execute(text("INSERT INTO pengaturan_notifikasi (tenant_id, id, dibuat_pada, webhook_whatsapp) "
                           "VALUES (:t, :id, '2026-05-04 03:00:00', 'https://wa.example/x')"), {"t": tid, "id": uuid.uuid4().hex})
        upgrade()
        mentah = "".join(str(v) for v in db.session.execute(text("SELECT nama_pelapor, kontak_pelapor FROM pengaduan")).one())
        mentah += db.session.execute(text("SELECT webhook_whatsapp FROM pengaturan_notifikasi")).scalar()
        db.session.rollback()
        assert "Siti" not in mentah and "wa.example" not in mentah and mentah.count("gAAAAA") == 3
        with dalam_tenant(tid):
            p = db.session.scalar(select(Pengaduan))
            assert (p.nama_pelapor, p.kontak_pelapor) == ("Siti Aminah", "0812")
            assert db.session.scalar(select(PengaturanNotifikasi)).webhook_whatsapp == "https://wa.example/x"
            db.session.rollback()
        db.session.remove()
        downgrade(revision="0004")
        assert db.session.execute(text("SELECT nama_pelapor FROM pengaduan")).scalar() == "Siti Aminah"
        db.session.remove()
