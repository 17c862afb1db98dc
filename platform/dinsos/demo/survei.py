"""Demo survey responses (SKM): about one closed case in four answered the survey on its final letter.

Each response comes through a one-time token issued for its case, as the
survey page admits it, and is given in the semester the case closed in.
"""
from datetime import timedelta

from dinsos.surveys.ikm import UNSUR_BAKU
from dinsos.surveys.services import KELOMPOK_UMUR, PEKERJAAN, PENDIDIKAN

from . import acak
from .konteks import Konteks
from .nama import KOMENTAR_SURVEI

PELUANG_MENJAWAB = 0.25
# Answers lean to "sesuai" and "sangat sesuai", as most offices' published IKM results do.
BOBOT_NILAI = (3, 9, 50, 38)


def buat(k: Konteks) -> dict[str, list[dict]]:
    r = acak.rng(k.benih, "survei", k.kantor.slug)
    token, jawaban = [], []
    for kasus in k.baris["kasus"]:
        if kasus["status"] != "ditutup" or r.random() >= PELUANG_MENJAWAB:
            continue
        diisi = min(kasus["ditutup_pada"] + timedelta(hours=r.uniform(1, 240)), k.pada)
        lokal = diisi.astimezone(k.zona)
        tid = acak.uuid_acak(r)
        token.append({"id": tid, "tenant_id": k.kantor.id, "dibuat_pada": kasus["ditutup_pada"],
                      "kode": acak.uuid_acak(r).hex[:22], "objek_jenis": "kasus", "objek_id": str(kasus["id"]),
                      "dipakai_pada": diisi})
        nilai = {u.kode: r.choices((1, 2, 3, 4), BOBOT_NILAI)[0] for u in UNSUR_BAKU if r.random() < 0.97}
        jawaban.append({
            "id": acak.uuid_acak(r), "tenant_id": k.kantor.id, "dibuat_pada": diisi, "layanan_id": kasus["layanan_id"],
            "token_id": tid, "tahun": lokal.year, "semester": 1 if lokal.month <= 6 else 2, "nilai": nilai,
            "kelompok_umur": r.choice(sorted(KELOMPOK_UMUR)), "jenis_kelamin": r.choice("LP"),
            "pendidikan": r.choice(sorted(PENDIDIKAN)), "pekerjaan": r.choice(sorted(PEKERJAAN)),
            "komentar": r.choice(KOMENTAR_SURVEI) if r.random() < 0.2 else None,
        })
    return {"token_survei": token, "jawaban_survei": jawaban}
