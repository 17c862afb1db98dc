"""One staff journey across three offices, in the browser, each person at their own desk (own browser context).

Sri takes in a child with an incomplete file at Kabupaten Magetan and completes
it; Ratna, her kepala bidang, assigns the case to Budi; Budi runs the SOP up to
the social report and refers the child to the panti of Provinsi Banten; Dedi at
Banten accepts the referral and a case opens there; Ibu Yuli at Provinsi Jawa
Timur sees the referral answered in her overview, without the child or the case
file; Ratna's deadline dashboard shows every step done on time, and the case
page the referral accepted.

Every action is a click or a keystroke. The only thing done outside the browser
is what the scheduler does between offices: relaying the outbox (see
``_jadwal_mengantar``).
"""
import re
from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from aksesibilitas import periksa

from dinsos_uji.alat_peramban import catat_disposisi, masuk_peramban, verifikasi_berkas_benar
from dinsos_uji.bantuan import buat_staf

pytestmark = pytest.mark.slow

PDF_KECIL = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MAGETAN, BANTEN, JATIM = "kabupaten-magetan", "provinsi-banten", "provinsi-jawa-timur"
PANTI_BANTEN = "Rehabilitasi Sosial Dasar Anak Terlantar Dalam Panti"
DESKRIPSI = "Anak laki-laki, tidur di terminal bus Maospati, tanpa KTP."
ALASAN = "Anak terlantar tanpa keluarga yang ditemukan; butuh pengasuhan dalam panti."
KEPALA_DINAS = "Parminto Budi Utomo"  # gives consent for a child with no family found (kepala dinas sosial setempat)


def _pdf(nama: str, teks: str) -> dict:
    return {"name": nama, "mimeType": "application/pdf", "buffer": PDF_KECIL + f"% {teks}\n".encode()}


ASESMEN = {"Tanggal asesmen": "2026-05-05", "Kondisi fisik dan kesehatan": "Sehat, kurang gizi ringan",
           "Kondisi psikologis dan sosial": "Takut, menolak pulang", "Kebutuhan dan masalah utama": "Pengasuhan dalam panti"}
LAPORAN = {"Ringkasan masalah": "Anak terlantar tanpa keluarga diketahui", "Hasil pendampingan": "Anak mau tinggal di panti",
           "Rencana tindak lanjut": "Rujuk ke panti Provinsi Banten"}


def _masuk(page, slug, email):
    masuk_peramban(page, slug, email)


def _catat_langkah(page, kegiatan: str, catatan: str, lampiran: list | None = None, isian: dict | None = None,
                   pilihan: dict | None = None) -> None:
    """Record the running SOP step as done (its fields by label), checking it is the one expected."""
    judul = page.locator("#judul-langkah").inner_text()
    assert kegiatan in judul, f"expected the step '{kegiatan}', the page shows '{judul}'"
    for label, nilai in (isian or {}).items():
        page.locator("#aksi-utama").get_by_label(label).fill(nilai)
    for label, nilai in (pilihan or {}).items():
        page.locator("#aksi-utama").get_by_label(label).select_option(label=nilai)
    page.get_by_label("Catatan langkah").fill(catatan)
    if lampiran:
        page.get_by_label("Lampiran (PDF/JPEG/PNG)").set_input_files(lampiran)
    page.get_by_role("button", name="Catat langkah selesai").click()
    page.wait_for_load_state()
    assert "Langkah dicatat selesai." in page.content(), page.locator("main").inner_text()


def _jadwal_mengantar(app) -> None:
    """Deliver what the offices' outboxes hold, as the scheduler does every few seconds.

    Referrals move between offices only through the outbox; in production the
    Celery beat (or the embedded scheduler of ``dinsos serve``) runs the relay
    job. The test server runs no scheduler, so the test runs that same job
    function between two people's clicks, until nothing is left to deliver.
    """
    from dinsos_workers import jadwal

    for _ in range(10):
        with app.app_context():
            if jadwal.jalankan_tertanam(jadwal.cari("relay_outbox")) == 0:
                return
    raise AssertionError("the outbox keeps producing messages")


# --- the people -----------------------------------------------------------------------------------------


def sri_menerima_anak(page) -> str:
    """Sri's intake: the police statement is there, the lost-identity statement is not; it arrives, the file is complete."""
    _masuk(page, MAGETAN, "sri@magetan.uji")
    page.get_by_role("link", name="Penerimaan baru").first.click()
    page.get_by_role("link", name=re.compile("Pengiriman Anak Jalanan")).click()
    periksa(page)

    page.get_by_label("Jenis pelapor/pemohon").select_option("kepolisian")
    page.get_by_label("Nama pelapor/petugas").fill("Bripka Santoso")
    page.get_by_label("Instansi").fill("Polres Magetan")
    page.get_by_label("Nomor surat").fill("B/123/XI/2026/Reskrim")
    for dokumen in ("Surat Keterangan dari Kepolisian",):  # Buku Register, List kendali: the office's own records
        page.get_by_role("group", name=re.compile("^" + dokumen)).get_by_label("Status").select_option("dilihat")
    page.get_by_label("Tanpa identitas").check()
    page.get_by_label(re.compile("Deskripsi")).fill(DESKRIPSI)
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label(re.compile("Perkiraan umur")).fill("12")
    page.foto("sri-penerimaan")
    page.get_by_role("button", name="Simpan penerimaan").click()

    page.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}$"))
    kasus_url = page.url
    assert "Surat Keterangan Kehilangan" in page.locator("#judul-kurang + p + ul").inner_text()
    periksa(page)
    page.foto("sri-berkas-belum-lengkap")

    baris = page.locator("tr", has_text="Surat Keterangan Kehilangan")
    baris.locator("input[type=file]").set_input_files(_pdf("kehilangan.pdf", "kehilangan"))
    baris.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    isi = page.content()
    assert page.locator("#judul-kurang").inner_text() == "Menunggu verifikasi berkas"  # complete, not yet verified
    assert not re.search(r"460/\d+/403\.107/\d{4}", isi), "the register number is issued at step 2, not with the file"
    page.foto("sri-berkas-lengkap")
    verifikasi_berkas_benar(page)  # the file is found complete and correct before any step runs

    _catat_langkah(page, "Pelapor menyerahkan", "Diserahkan Bripka Santoso, Polres Magetan.")
    assert "Berita Acara Serah Terima" in page.content()
    periksa(page)
    page.foto("sri-serah-terima-selesai")
    return kasus_url


def ratna_menugaskan(page, kasus_url: str) -> None:
    """Ratna sees the new case waiting for her on the deadline dashboard and assigns it to Budi."""
    _masuk(page, MAGETAN, "ratna@magetan.uji")
    page.get_by_role("link", name="Buka dasbor tenggat").click()
    periksa(page)
    page.foto("ratna-dasbor-tenggat-kasus-baru")
    beban = page.locator("table", has_text="Kasus terbuka")
    assert "Belum ditugaskan" in beban.inner_text()
    beban.get_by_role("link", name="Belum ditugaskan").click()
    periksa(page)
    page.foto("ratna-kasus-belum-ditugaskan")
    page.locator(f"a[href='{urlparse(kasus_url).path}']").first.click()
    page.wait_for_url(kasus_url)

    petugas = page.get_by_label("Petugas", exact=True)  # each option names the person's role and open cases
    petugas.select_option(label=petugas.locator("option", has_text="Budi Santoso").inner_text())
    page.get_by_role("button", name="Tugaskan kasus").click()
    page.wait_for_load_state()
    assert "Penanggung jawab kasus diperbarui." in page.content()
    assert "Budi Santoso" in page.locator("tr", has_text="Penanggung jawab").first.inner_text()
    page.foto("ratna-kasus-ditugaskan")


def budi_menjalankan_sop(page, kadis, ratna, kasus_url: str) -> None:
    """Budi finds the case in his inbox and records the SOP steps up to the social report; the assignment step
    waits for the Kepala Dinas's and Ratna's dispositions first."""
    _masuk(page, MAGETAN, "budi@magetan.uji")
    page.get_by_role("link", name="Kasus saya").click()
    periksa(page)
    page.foto("budi-kasus-saya")
    page.locator("table a[href*='/kasus/']").first.click()
    page.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}$"))

    _catat_langkah(page, "melakukan register kasus", "Register kasus dicatat di buku register.")
    assert re.search(r"460/\d+/403\.107/\d{4}", page.locator("h1").inner_text()), "the register number comes with step 2"
    _masuk(kadis, MAGETAN, "kadis@magetan.uji")
    for orang, isi in ((kadis, "Tugaskan Kabid Rehsos, segera."), (ratna, "Fungsional: asesmen lengkap.")):
        orang.goto(kasus_url)
        catat_disposisi(orang, isi)
    page.reload()
    _catat_langkah(page, "Kepala Dinas Sosial menugaskan", "Surat tugas dari Kepala Dinas diterima.")
    _catat_langkah(page, "melakukan assesment", "Asesmen di shelter: anak sehat, tidak ingat alamat keluarga.",
                   [_pdf("surat-permohonan.pdf", "permohonan"), _pdf("surat-persetujuan-kadis.pdf", "persetujuan"),
                    _pdf("berita-acara-penempatan.pdf", "berita acara")], ASESMEN,
                   {"Keberadaan keluarga": "Keluarga tidak diketahui"})
    _catat_langkah(page, "melaporkan hasil", "Laporan sosial: dirujuk ke panti Provinsi Banten.", isian=LAPORAN)
    periksa(page)
    page.foto("budi-laporan-sosial-selesai")


def budi_merujuk_ke_banten(page) -> str:
    """Budi refers the child to Banten's panti: Banten asks the sender for two documents (the request from the case's
    files, the consent letter scanned late); the assessment letter goes along as a file of its own."""
    page.get_by_role("link", name="Rujuk klien ke kantor lain atau mitra").click()
    periksa(page)
    page.get_by_label("Tujuan rujukan").select_option(label=f"Dinas Sosial Provinsi Banten — {PANTI_BANTEN}")
    page.get_by_role("button", name="Pilih tujuan").click()
    page.wait_for_load_state()
    periksa(page)

    # One group per document Banten asks the sender for: pick one of the case's files, or upload a scan. The other
    # three of its five (assessment, health letter, placement record) are Banten's own, made at its steps.
    def syarat(nama):
        return page.get_by_role("group", name=re.compile("^" + nama))

    assert page.get_by_role("group", name=re.compile("^Berita acara serah terima")).count() == 0
    syarat("Surat permohonan").get_by_label("Pilih dari berkas kasus").select_option(label="surat-permohonan.pdf")
    page.get_by_role("checkbox", name=re.compile("Formulir Asesmen")).check()  # the letter of step 4, shared as it is
    page.get_by_label(re.compile("Pendamping Rehsos untuk melakukan assesment")).check()
    page.get_by_label("Alasan dan keterangan rujukan").fill(ALASAN)
    page.get_by_label("Nama pemberi persetujuan").fill(KEPALA_DINAS)
    page.get_by_label("Hubungan dengan klien").select_option("kepala_dinas_setempat")
    page.get_by_label("Cara persetujuan").select_option("tertulis")
    page.get_by_label("Tanggal persetujuan").fill(datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat())  # Magetan's today
    page.get_by_role("button", name="Periksa kelengkapan").click()
    page.wait_for_load_state()
    periksa_hasil = page.locator("[role=status]").inner_text()
    assert "Dokumen wajib yang belum dilampirkan" in periksa_hasil and "Surat persetujuan" in periksa_hasil
    page.foto("budi-rujukan-kurang-surat-persetujuan")

    syarat("Surat persetujuan").get_by_label("atau unggah pindaian").set_input_files(_pdf("surat-persetujuan-wali.pdf", "setuju"))
    page.get_by_role("button", name="Kirim rujukan").click()
    page.wait_for_url(re.compile(r"/rujukan/keluar/[0-9a-f-]{36}$"))
    nomor = re.search(r"RJK-[0-9A-F]{8}", page.locator("h1").inner_text()).group(0)
    assert page.locator("tr", has_text="Status").first.inner_text().endswith("Dikirim")
    assert KEPALA_DINAS in page.locator("tr", has_text="Persetujuan").inner_text()
    dibagikan = page.locator("#judul-dibagikan + ul").inner_text()
    for syarat_banten in ("Surat permohonan dari dinas sosial", "Surat persetujuan untuk mendapatkan"):
        assert f"memenuhi {syarat_banten}" in dibagikan  # named as Banten names them, not by code
    assert "Formulir Asesmen" in dibagikan
    assert "Data klien: Nama, NIK, Tanggal lahir / umur, Jenis kelamin" in page.locator("#judul-dibagikan ~ p").first.inner_text()
    riwayat = [re.sub(r"^.* — ", "", li) for li in page.locator("#judul-riwayat + ol li").all_inner_texts()]
    assert riwayat == ["Dibuat (Draf)", "Dikirim"], riwayat
    periksa(page)
    page.foto("budi-rujukan-dikirim")
    return nomor


def dedi_menerima_rujukan(page, nomor: str) -> None:
    """Dedi at Banten finds the referral in his inbox, sees both documents it asks the sender for attached, accepts it: a case opens at Banten."""
    _masuk(page, BANTEN, "dedi@banten.uji")
    assert "1 rujukan menunggu tanggapan." in page.content()
    page.get_by_role("link", name="Buka kotak rujukan masuk").click()
    periksa(page)
    page.foto("dedi-rujukan-masuk")
    baris = page.locator("tr", has_text=nomor)
    assert "Dinas Sosial Kabupaten Magetan" in baris.inner_text() and PANTI_BANTEN in baris.inner_text()
    baris.get_by_role("link", name=nomor).click()
    page.wait_for_url(re.compile(r"/rujukan/masuk/[0-9a-f-]{36}$"))
    periksa(page)
    page.foto("dedi-rincian-rujukan")
    persyaratan = page.locator("table", has_text="Dokumen").inner_text()
    assert "tidak dilampirkan" not in persyaratan
    for berkas in ("surat-permohonan.pdf", "surat-persetujuan-wali.pdf"):
        assert berkas in persyaratan
    dibagikan = page.locator("#judul-isi ~ table").first
    assert dibagikan.locator("tr", has_text="Jenis kelamin").inner_text().endswith("Laki-laki")
    assert "12 tahun" in dibagikan.locator("tr", has_text="Tanggal lahir / umur").inner_text()
    assert DESKRIPSI in dibagikan.inner_text() and ALASAN in page.content()

    page.get_by_role("button", name="Terima dan buka kasus").click()
    page.wait_for_url(re.compile(rf"/t/{BANTEN}/kasus/[0-9a-f-]{{36}}$"))
    isi = page.content()
    assert "Rujukan diterima; kasus dibuka." in isi
    assert f"Kasus ini dibuka dari rujukan {nomor} dari Dinas Sosial Kabupaten Magetan." in isi
    assert PANTI_BANTEN in isi
    periksa(page)
    page.foto("dedi-kasus-banten-dibuka")


def yuli_mengawasi(page, nomor: str, kasus_url: str) -> None:
    """Ibu Yuli at Jawa Timur sees Magetan's referral to Banten answered, but neither the child nor Magetan's case file."""
    _masuk(page, JATIM, "yuli@jatim.uji")
    page.get_by_role("link", name="Rujukan kabupaten/kota di bawah provinsi ini").click()
    periksa(page)
    page.foto("yuli-pengawasan-rujukan")
    baris = page.locator("tr", has_text=nomor).inner_text()
    for teks in ("Dinas Sosial Kabupaten Magetan", "Dinas Sosial Provinsi Banten", PANTI_BANTEN, "Diterima",
                 "Ditanggapi tepat waktu"):
        assert teks in baris, teks
    isi = page.content()
    for rahasia in (DESKRIPSI, ALASAN, KEPALA_DINAS, "surat-permohonan.pdf", "Laki-laki"):
        assert rahasia not in isi, rahasia
    # The case file is Magetan's: not under her office's address, and her login is not Magetan's.
    jalur = urlparse(kasus_url).path.removeprefix(f"/t/{MAGETAN}")
    assert page.goto(f"/t/{JATIM}{jalur}").status == 404
    page.goto(f"/t/{MAGETAN}{jalur}")
    assert "/masuk" in page.url and DESKRIPSI not in page.content()


def ratna_melihat_tenggat(page, kasus_url: str, nomor: str) -> None:
    """Back on Ratna's dashboard: the steps done on time, Budi's load; the case shows the referral accepted."""
    page.get_by_role("link", name="Tenggat", exact=True).click()
    page.wait_for_load_state()
    page.foto("ratna-dasbor-tenggat-setelah-rujukan")
    per_langkah = page.locator("table", has_text="Median").inner_text()
    for kegiatan in ("Pelapor menyerahkan", "melakukan register kasus", "Kepala Dinas Sosial menugaskan",
                     "melakukan assesment", "melaporkan hasil kepada Fungsional"):
        baris = next((b for b in per_langkah.splitlines() if kegiatan in b), None)
        assert baris is not None and "100.0%" in baris, f"{kegiatan}: {baris}"
    beban = page.locator("table", has_text="Kasus terbuka").locator("tr", has_text="Budi Santoso").inner_text()
    assert beban.split("\t")[1:3] == ["1", "1"], beban  # one open case, one running step
    assert "Belum ditugaskan" not in page.locator("table", has_text="Kasus terbuka").inner_text()

    page.goto(kasus_url)
    rujukan = page.locator("#judul-rujukan + table").inner_text()
    assert nomor in rujukan and "Diterima" in rujukan
    assert "Rujukan diterima" in page.locator(".lini-masa").inner_text()
    tenggat = page.locator("#judul-tenggat + table").inner_text()
    assert "selesai tepat waktu" in tenggat and "terlambat" not in tenggat
    periksa(page)
    page.foto("ratna-kasus-rujukan-diterima")


# --- the journey ------------------------------------------------------------------------------------------


def test_a_child_taken_in_at_magetan_is_referred_to_banten_and_overseen_by_the_province(app, peramban, kantor_seed):
    magetan = kantor_seed[MAGETAN]
    buat_staf(magetan, "petugas_pelayanan", "sri@magetan.uji", "Sri Wahyuni")
    buat_staf(magetan, "kepala_bidang", "ratna@magetan.uji", "Ratna Dewi")
    buat_staf(magetan, "fungsional_peksos", "budi@magetan.uji", "Budi Santoso")
    buat_staf(magetan, "kepala_dinas", "kadis@magetan.uji", KEPALA_DINAS)
    buat_staf(kantor_seed[BANTEN], "pekerja_sosial", "dedi@banten.uji", "Dedi Kurniawan")
    buat_staf(kantor_seed[JATIM], "kepala_bidang", "yuli@jatim.uji", "Yuli Astuti")
    sri, ratna, budi, dedi, yuli, kadis = (peramban() for _ in range(6))

    kasus_url = sri_menerima_anak(sri)
    ratna_menugaskan(ratna, kasus_url)
    budi_menjalankan_sop(budi, kadis, ratna, kasus_url)
    assert budi.url == kasus_url
    nomor = budi_merujuk_ke_banten(budi)
    _jadwal_mengantar(app)
    dedi_menerima_rujukan(dedi, nomor)
    _jadwal_mengantar(app)
    yuli_mengawasi(yuli, nomor, kasus_url)
    ratna_melihat_tenggat(ratna, kasus_url, nomor)
