"""Demo staff: every role of the platform in every office, with Indonesian names and civil-service numbers.

All generated accounts share one password; its argon2 hash is computed once
and reused (the salt is then the same for all of them, which is fine for a
demo and saves a second of hashing per account).
"""
from datetime import date, timedelta

from dinsos.izin import PERAN

from . import acak
from .konteks import Konteks

# Staff per role in one office: a front desk, social workers, the heads.
JUMLAH_PER_PERAN = {
    "petugas_pelayanan": 2,
    "pekerja_sosial": 4,
    "sakti_peksos": 1,
    "fungsional_peksos": 3,
    "kepala_bidang": 2,
    "kepala_dinas": 1,
    "admin_tenant": 1,
}


def buat(k: Konteks) -> dict[str, list[dict]]:
    r = acak.rng(k.benih, "staf", k.kantor.slug)
    dibuat = k.pada - timedelta(days=4 * 365)
    email_dipakai: set = set()
    baris = []
    for peran in PERAN:
        for _ in range(JUMLAH_PER_PERAN[peran]):
            kelamin = r.choice("LP")
            if peran == "kepala_dinas" and k.kantor.kepala_dinas:
                nama = k.kantor.kepala_dinas["nama"]
                nip = k.kantor.kepala_dinas.get("nip")
            else:
                nama = acak.nama_orang(r, kelamin)
                lahir = date(r.randint(1970, 1996), r.randint(1, 12), r.randint(1, 28))
                tmt = date(min(lahir.year + r.randint(22, 30), 2022), r.choice((1, 3, 4)), 1)
                nip = acak.nip(r, lahir, tmt, kelamin) if peran != "admin_tenant" else None
            dasar = acak.ascii_kecil(nama.split(",")[0])
            email, n = f"{dasar}@{k.kantor.slug}.demo", 2
            while email in email_dipakai:
                email, n = f"{dasar}{n}@{k.kantor.slug}.demo", n + 1
            email_dipakai.add(email)
            baris.append({
                "id": acak.uuid_acak(r), "tenant_id": k.kantor.id, "dibuat_pada": dibuat, "email": email,
                "nama": nama, "nip": nip, "peran": [peran], "hash_kata_sandi": k.hash_kata_sandi, "aktif": True,
                "gagal_masuk": 0, "terkunci_sampai": None, "terakhir_masuk": None, "wajib_ganti_sandi": False,
            })
    return {"pengguna": baris}


def per_peran(baris: list[dict]) -> dict[str, list[dict]]:
    """The office's staff rows by role."""
    hasil: dict[str, list[dict]] = {}
    for b in baris:
        for p in b["peran"]:
            hasil.setdefault(p, []).append(b)
    return hasil
