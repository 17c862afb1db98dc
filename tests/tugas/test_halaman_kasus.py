"""The case page built around the next action: header, step tracker, this user's primary action, the rest secondary."""
import re

from dinsos_uji.alat_kasus import di_kantor
from dinsos_uji.alat_kasus import kasus as muat
from dinsos_uji.alat_tugas import ISIAN_MAGETAN
from dinsos_uji.alat_tugas import disposisi as _disposisi
from dinsos_uji.alat_tugas import langkah as _langkah
from dinsos_uji.alat_tugas import terima as _terima
from dinsos_uji.bantuan import masuk


def _aksi_utama(html: str) -> str:
    m = re.search(r'<section id="aksi-utama".*?</section>', html, re.S)
    assert m, "no primary action section"
    return m.group(0)


def _halaman(klien, kantor, staf, kid) -> str:
    masuk(klien, kantor.slug, staf.email)
    return klien.get(f"/t/{kantor.slug}/kasus/{kid}").get_data(as_text=True)


def test_each_role_finds_its_own_primary_action_on_top(seed, app):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"])
    _langkah(mg, s["petugas_pelayanan"].id, kid)  # serah-terima done: register-kasus is the fungsional peksos's

    html = _halaman(app.test_client(), mg, s["fungsional_peksos"], kid)
    utama = _aksi_utama(html)
    assert "Langkah 2 dari 9</strong>: Register kasus" in html
    assert "Giliran Anda" in utama and "Catat langkah selesai" in utama
    # The primary action comes before the client, the requirements and every secondary action.
    assert html.index('id="aksi-utama"') < html.index('id="judul-klien"') < html.index('id="judul-tindakan"')
    # The tracker: step 1 done by its doer, step 2 current, the rest upcoming with their actors and time standards.
    pelacak = re.search(r'<ol class="pelacak".*?</ol>', html, re.S).group(0)
    assert re.search(r'pelacak-selesai">\s*<span class="pelacak-nama">1\. Serah terima', pelacak)
    assert 'aria-current="step"' in pelacak and "2. Register kasus" in pelacak
    assert pelacak.count("pelacak-akan_datang") == 7 and "standar 1 hari" in pelacak

    # The head of division: the case has nobody yet, so assigning it is hers, with an empty picker naming roles and loads.
    html = _halaman(app.test_client(), mg, s["kepala_bidang"], kid)
    utama = _aksi_utama(html)
    assert "Kasus ini belum ditugaskan" in utama and "Catat langkah selesai" not in utama
    pilihan = re.findall(r"<option[^>]*>[^<]*</option>", re.search(r'<select[^>]*name="penanggung_jawab_id".*?</select>', utama, re.S).group(0))
    assert "— pilih petugas —" in pilihan[0] and not any("selected" in o for o in pilihan)
    assert any("Fungsional Pekerja Sosial, 0 kasus terbuka" in o for o in pilihan)
    # Closing is secondary, behind a <details> that says what it does, with an outcome nobody chose in advance.
    tutup = re.search(r'<details class="berbahaya">.*?</details>', html, re.S).group(0)
    assert "Ya, tutup kasus" in tutup and "menghentikan semua tenggat" in tutup
    hasil = re.findall(r"<option[^>]*>", re.search(r'<select[^>]*name="hasil_akhir".*?</select>', tutup, re.S).group(0))
    assert 'value=""' in hasil[0] and not any("selected" in o for o in hasil)

    # A pekerja sosial with no part in this step: no primary action, the step says who records it.
    html = _halaman(app.test_client(), mg, s["pekerja_sosial"], kid)
    utama = _aksi_utama(html)
    assert "Catat langkah selesai" not in utama and "Langkah ini dicatat oleh: Fungsional Pekerja Sosial" in utama


def test_when_every_step_is_done_the_page_says_so_and_offers_closing(seed, app):
    kantor, staf = seed
    mg, s = kantor["kabupaten-magetan"], staf["kabupaten-magetan"]
    kid = _terima(mg, s["petugas_pelayanan"])
    for peran in ("petugas_pelayanan", "fungsional_peksos", "fungsional_peksos", "pekerja_sosial", "pekerja_sosial",
                  "fungsional_peksos", "pekerja_sosial", "petugas_pelayanan"):
        with di_kantor(mg):
            kode = muat(kid).langkah_kode
        _disposisi(mg, s, kid)
        _langkah(mg, s[peran].id, kid, isian=ISIAN_MAGETAN.get(kode))
    html = _halaman(app.test_client(), mg, s["pekerja_sosial"], kid)
    utama = _aksi_utama(html)
    assert "Semua langkah SOP selesai" in utama and "Tutup kasus" in utama and 'name="hasil_akhir"' in utama
    assert html.count("pelacak-selesai") == 8
    assert '<details class="berbahaya">' not in html  # closing is the primary action now, not hidden among the others
