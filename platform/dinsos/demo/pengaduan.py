"""Demo complaints: about one in twenty-five cases, through every channel, with the office's own follow-up steps.

Old complaints are answered; recent ones are at some step or wait for the
answer. The first ones of each office are recent, so even a small run has
open complaints (and their deadline clocks, made in ``tenggat.py``).
"""
from datetime import timedelta

from dinsos.complaints.services import (
    ABJAD_KODE,
    KANAL_PENGADUAN,
    LANGKAH_BAWAAN,
    PANJANG_KODE,
    WAKTU_PENYELESAIAN_BAWAAN,
    langkah_dari_standar,
)

from . import acak
from .konteks import JamKantor, Konteks
from .nama import ISI_PENGADUAN, JAWABAN_PENGADUAN
from .staf import per_peran

KASUS_PER_PENGADUAN = 25
RENTANG_HARI = 2 * 365
BARU = 2  # the first complaints of an office: received in the last BARU_HARI days, still open
BARU_HARI = 10


def _langkah(layanan) -> list[dict]:
    daftar = langkah_dari_standar(layanan.isi["penyampaian_pelayanan"]["pengaduan"]["tindak_lanjut"]) if layanan else []
    return daftar or langkah_dari_standar(list(LANGKAH_BAWAAN))


def buat(k: Konteks) -> dict[str, list[dict]]:
    r = acak.rng(k.benih, "pengaduan", k.kantor.slug)
    jam = JamKantor(k.kantor.jam_kerja, k.zona)
    staf = per_peran(k.baris["pengguna"])
    pengelola = staf["petugas_pelayanan"] + staf["kepala_bidang"]
    kode_dipakai: set = set()
    pengaduan, langkah = [], []
    for n in range(max(1, k.jumlah_kasus // KASUS_PER_PENGADUAN)):
        pid = acak.uuid_acak(r)
        layanan = r.choice(k.kantor.layanan) if k.kantor.layanan and r.random() < 0.7 else None
        kanal = r.choice(sorted(KANAL_PENGADUAN))
        mulai = jam.geser(k.pada - timedelta(minutes=r.uniform(30, (BARU_HARI if n < BARU else RENTANG_HARI) * 1440)))
        if mulai > k.pada:
            mulai = k.pada - timedelta(hours=1)
        while (kode := "".join(r.choice(ABJAD_KODE) for _ in range(PANJANG_KODE))) in kode_dipakai:
            pass
        kode_dipakai.add(kode)
        anonim = r.random() < 0.3
        kelamin = r.choice("LP")
        dicatat = None if kanal == "website" else r.choice(pengelola)["id"]
        umur_hari = (k.pada - mulai).days
        # Old complaints are answered; recent ones are at some step, a few wait for the answer.
        selesai_semua = n >= BARU and (umur_hari > 20 or r.random() < 0.3)
        daftar = _langkah(layanan)
        berhenti = len(daftar) if selesai_semua else r.randrange(len(daftar) + 1)
        t, oleh = mulai, r.choice(pengelola)["id"]
        for n, l in enumerate(daftar, start=1):
            baris = {"id": acak.uuid_acak(r), "tenant_id": k.kantor.id, "dibuat_pada": mulai, "pengaduan_id": pid, "urutan": n,
                     "kode": l["kode"], "nama": l["nama"], "opsional": l["opsional"], "waktu_standar": l["waktu"],
                     "status": "menunggu", "mulai_pada": None, "selesai_pada": None,
                     "catatan": None, "dikerjakan_oleh": None}
            if n - 1 <= berhenti and n - 1 < len(daftar):
                baris["mulai_pada"] = t
                baris["status"] = "berjalan"
                if n - 1 < berhenti:
                    akhir = jam.geser(t + timedelta(minutes=r.uniform(60, 4 * 1440)))
                    akhir = min(akhir, k.pada)
                    lewati = l["opsional"] and r.random() < 0.6
                    baris.update(status="dilewati" if lewati else "selesai", selesai_pada=akhir, dikerjakan_oleh=oleh,
                                 catatan="Tidak diperlukan rapat pembahasan." if lewati else None)
                    t = akhir
            langkah.append(baris)
        status = "diproses" if berhenti < len(daftar) else ("selesai" if selesai_semua else "menunggu_jawaban")
        pengaduan.append({
            "id": pid, "tenant_id": k.kantor.id, "dibuat_pada": mulai, "kode_lacak": kode, "kanal": kanal,
            "nomor_referensi": f"LAPOR-{r.randint(1000000, 9999999)}" if kanal == "sp4n_lapor" else None,
            "layanan_id": layanan.id if layanan else None, "isi": r.choice(ISI_PENGADUAN),
            "nama_pelapor": None if anonim else acak.nama_orang(r, kelamin),
            "kontak_pelapor": None if anonim else acak.telepon(r), "status": status,
            "waktu_standar": WAKTU_PENYELESAIAN_BAWAAN, "mulai_pada": mulai,
            "dicatat_oleh": dicatat, "jawaban": r.choice(JAWABAN_PENGADUAN) if status == "selesai" else None,
            "ditutup_pada": t if status == "selesai" else None, "ditutup_oleh": oleh if status == "selesai" else None,
        })
    return {"pengaduan": pengaduan, "langkah_pengaduan": langkah}
