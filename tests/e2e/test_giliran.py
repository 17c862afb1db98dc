"""One Magetan case from intake to close, a different person at each turn, each finding it only by their work queue
("Tugas saya") or a notification: nobody searches the case list, types a URL or is told where to look.

Sri (front office) takes the child in, verifies the complete file and hands him over; Budi (fungsional peksos)
is told it is his turn to register the case; Ratna (kepala bidang) finds the case waiting for an assignee and
gives it to Hendra; the assignment step is a disposition chain (Kepala Dinas, then Ratna, then Budi records the
step), each finding it in their queue; Hendra (pekerja sosial) is told the assessment is his and runs the rest
from his queue (no referral, so the Form Rujukan branch is not taken) until the page says every step is done,
and closes the case.
"""
import re

import pytest
from aksesibilitas import periksa

from dinsos_uji.alat_peramban import catat_disposisi, masuk_peramban, verifikasi_berkas_benar
from dinsos_uji.bantuan import buat_staf

pytestmark = pytest.mark.slow

MAGETAN = "kabupaten-magetan"
DESKRIPSI = "Anak laki-laki, tidur di terminal bus Maospati, tanpa KTP."


ASESMEN = {"Tanggal asesmen": "2026-05-05", "Kondisi fisik dan kesehatan": "Sehat, kurang gizi ringan",
           "Kondisi psikologis dan sosial": "Takut, menolak pulang", "Kebutuhan dan masalah utama": "Tempat tinggal aman"}
LAPORAN = {"Ringkasan masalah": "Anak jalanan tanpa keluarga diketahui", "Hasil pendampingan": "Anak mau ke balai",
           "Rencana tindak lanjut": "Kirim ke balai rehabilitasi"}
KOORDINASI = {"Balai rehabilitasi tujuan": "UPT PSAB Pasuruan", "Hasil koordinasi dengan balai": "Balai siap menerima",
              "Rekomendasi penanganan": "Rehabilitasi sosial dalam balai"}
BALAI = {"Tujuan surat": "Kepala Balai Rehabilitasi Sosial", "Alamat tujuan": "Jl. Balai No. 1, Magelang"}
PENERIMA = {"Pihak penerima (panti, balai atau keluarga)": "Balai Rehabilitasi Sosial", "Alamat pihak penerima": "Jl. Balai No. 1"}


def _masuk(page, email):
    masuk_peramban(page, MAGETAN, email)


def _dari_antrean(page, judul: str) -> None:
    """Open 'Tugas saya' from the menu and follow the item titled ``judul``."""
    page.get_by_role("link", name=re.compile(r"^Tugas saya")).first.click()
    page.wait_for_url(re.compile(r"/tugas/"))
    periksa(page)
    page.locator(".daftar-tugas a.tugas-judul", has_text=judul).first.click()
    page.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}"))


def _dari_notifikasi(page, judul: str) -> None:
    """Open the inbox from the menu and follow the notice titled ``judul``."""
    page.get_by_role("link", name=re.compile(r"^Notifikasi")).first.click()
    page.wait_for_url(re.compile(r"/notifikasi/"))
    periksa(page)
    page.locator("li", has_text=judul).first.get_by_role("button", name="Buka").click()
    page.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}"))


def _catat(page, nama: str, catatan: str, isian: dict | None = None, pilihan: dict | None = None) -> None:
    """Record the step this page offers as the user's turn (``isian``: the step's fields by label; ``pilihan``: its lists)."""
    utama = page.locator("#aksi-utama")
    assert "Giliran Anda" in utama.locator("#judul-langkah").inner_text(), utama.inner_text()
    assert nama in page.locator(".pelacak [aria-current=step]").inner_text()
    for label, nilai in (isian or {}).items():
        utama.get_by_label(label).fill(nilai)
    for label, nilai in (pilihan or {}).items():
        utama.get_by_label(label).select_option(label=nilai)
    utama.get_by_label("Catatan langkah").fill(catatan)
    utama.get_by_role("button", name="Catat langkah selesai").click()
    page.wait_for_load_state()
    assert "Langkah dicatat selesai." in page.content(), page.locator("main").inner_text()


def test_a_magetan_case_walks_from_person_to_person_through_queues_and_notifications(peramban, kantor_seed):
    mg = kantor_seed[MAGETAN]
    buat_staf(mg, "petugas_pelayanan", "sri@magetan.uji", "Sri Wahyuni")
    buat_staf(mg, "fungsional_peksos", "budi@magetan.uji", "Budi Santoso")
    buat_staf(mg, "kepala_bidang", "ratna@magetan.uji", "Ratna Dewi")
    buat_staf(mg, "kepala_dinas", "kadis@magetan.uji", "Parminto Budi Utomo")
    buat_staf(mg, "pekerja_sosial", "hendra@magetan.uji", "Hendra Wijaya")
    sri, budi, ratna, kadis, hendra = (peramban() for _ in range(5))

    # Sri: the police bring the boy with every paper; she takes him in, then hands him over from her queue.
    _masuk(sri, "sri@magetan.uji")
    sri.get_by_role("link", name="Penerimaan baru").first.click()
    sri.get_by_role("link", name=re.compile("Pengiriman Anak Jalanan")).click()
    sri.get_by_label("Jenis pelapor/pemohon").select_option("kepolisian")
    sri.get_by_label("Nama pelapor/petugas").fill("Bripka Santoso")
    sri.get_by_label("Instansi").fill("Polres Magetan")
    for dokumen in ("Surat Keterangan dari Kepolisian", "Surat Keterangan Kehilangan"):  # the office's own records are not asked
        sri.get_by_role("group", name=re.compile("^" + dokumen)).get_by_label("Status").select_option("dilihat")
    sri.get_by_label("Tanpa identitas").check()
    sri.get_by_label(re.compile("Deskripsi")).fill(DESKRIPSI)
    sri.get_by_label("Jenis kelamin").select_option("L")
    sri.get_by_label(re.compile("Perkiraan umur")).fill("12")
    sri.get_by_role("button", name="Simpan penerimaan").click()
    sri.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}$"))
    kasus_path = re.search(r"/t/.*", sri.url).group(0)
    verifikasi_berkas_benar(sri)  # the file is checked before any step runs
    sri.goto(f"/t/{MAGETAN}/dasbor")
    _dari_antrean(sri, "Serah terima")
    sri.foto("sri-giliran-serah-terima")
    _catat(sri, "Serah terima", "Diserahkan Bripka Santoso, Polres Magetan.")

    # Budi: told it is his turn.
    _masuk(budi, "budi@magetan.uji")
    budi.foto("budi-dasbor")
    _dari_notifikasi(budi, "Giliran Anda: Register kasus (langkah 2 dari 9)")
    assert budi.url.endswith(kasus_path + "#langkah-kini")
    budi.foto("budi-giliran-register")
    _catat(budi, "Register kasus", "Dicatat di buku register.")

    # Ratna: her dashboard leads with the queue; the case waits for an assignee.
    _masuk(ratna, "ratna@magetan.uji")
    panel = ratna.locator("#panel-tugas").locator("..")
    assert "Tugaskan penanggung jawab kasus" in panel.inner_text()
    ratna.foto("ratna-dasbor-tugas")
    panel.locator("a.tugas-judul", has_text="Tugaskan penanggung jawab kasus").first.click()
    ratna.wait_for_url(re.compile(r"/kasus/[0-9a-f-]{36}"))
    utama = ratna.locator("#aksi-utama")
    petugas = utama.get_by_label("Petugas", exact=True)
    assert petugas.input_value() == ""  # nobody is chosen for her
    petugas.select_option(label=petugas.locator("option", has_text="Hendra Wijaya").inner_text())
    ratna.foto("ratna-menugaskan")
    utama.get_by_role("button", name="Tugaskan kasus").click()
    ratna.wait_for_load_state()
    assert "Penanggung jawab kasus diperbarui." in ratna.content()

    # The assignment step is a chain: the Kepala Dinas disposes to Ratna, she to Budi, who records the step.
    _masuk(kadis, "kadis@magetan.uji")
    _dari_antrean(kadis, "Penugasan")
    kadis.foto("kadis-giliran-disposisi")
    catat_disposisi(kadis, "Tugaskan Kabid Rehsos, segera.")
    _dari_antrean(ratna, "Penugasan")
    catat_disposisi(ratna, "Fungsional: asesmen lengkap.")
    _dari_antrean(budi, "Penugasan")
    _catat(budi, "Penugasan", "Surat tugas dilaksanakan.")

    # Hendra: told the case is his, then that the assessment waits for him; the rest comes from his queue.
    _masuk(hendra, "hendra@magetan.uji")
    hendra.get_by_role("link", name=re.compile(r"^Notifikasi")).first.click()
    assert "ditugaskan kepada Anda" in hendra.locator("main").inner_text()
    _dari_notifikasi(hendra, "Giliran Anda: Asesmen (langkah 4 dari 9)")
    hendra.foto("hendra-giliran-asesmen")
    _catat(hendra, "Asesmen", "Anak sehat, tidak ingat alamat keluarga.", ASESMEN,
           {"Keberadaan keluarga": "Keluarga tidak diketahui"})
    _dari_antrean(hendra, "Laporan sosial")
    _catat(hendra, "Laporan sosial", "Direkomendasikan ke Balai.", LAPORAN)
    _dari_antrean(hendra, "Koordinasi balai")
    _catat(hendra, "Koordinasi balai", "Balai siap menerima.", KOORDINASI)
    _dari_antrean(hendra, "Pengiriman")
    _catat(hendra, "Pengiriman", "Diantar ke Balai.", BALAI)
    _dari_antrean(hendra, "Penerimaan balai")
    _catat(hendra, "Penerimaan balai", "Tanda terima dari Balai.", PENERIMA)

    # Every step is done: the page says so and offers closing, with the outcome left for him to choose.
    utama = hendra.locator("#aksi-utama")
    assert "Semua langkah SOP selesai" in utama.inner_text()
    assert hendra.locator(".pelacak .pelacak-selesai").count() == 8  # of nine: no referral, the Form Rujukan passed by
    assert "Form rujukan" in hendra.locator(".pelacak .pelacak-dilewati").inner_text()
    hendra.foto("hendra-semua-langkah-selesai")
    hasil = utama.get_by_label("Hasil akhir")
    assert hasil.input_value() == ""
    hasil.select_option(label="Diterima Balai Rehabilitasi")
    utama.get_by_role("button", name="Tutup kasus").click()
    hendra.wait_for_load_state()
    assert "Ditutup" in hendra.locator(".kepala-kasus").inner_text()
    assert "Diterima Balai Rehabilitasi" in hendra.locator(".kepala-kasus").inner_text()
    hendra.foto("hendra-kasus-ditutup")
    # Nothing waits for anyone any more.
    for page in (sri, budi, ratna, kadis, hendra):
        page.goto(f"/t/{MAGETAN}/tugas/")
        assert "Tidak ada yang menunggu Anda saat ini." in page.locator("main").inner_text(), page.url
