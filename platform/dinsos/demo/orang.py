"""The people and papers of demo cases: clients, their families, who reported them, the answers on the forms.

Drawn from the case generator's own random source, in the order it asks, so
moving them here changed nothing it makes.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from dinsos.cases.konstanta import UMUR_DEWASA
from dinsos.cases.nik import PROVINSI as KODE_PROVINSI
from dinsos.core.kripto import brankas
from dinsos.documents.penomoran import ROMAWI
from dinsos.wilayah.daftar import anak as _anak_wilayah

from . import acak
from .konteks import Konteks
from .nama import CATATAN_PERKEMBANGAN, DESA, JALAN, NOMOR_SURAT_POLISI
from .profil import Profil

# Ages of clients by PPKS category (years, inclusive); other categories are adults.
UMUR_KATEGORI = {1: (0, 4), 2: (5, 17), 3: (12, 17), 4: (6, 17), 5: (4, 17), 6: (3, 17), 7: (5, 17), 8: (60, 85)}
PANGKAT_POLISI = ("Bripka", "Brigpol", "Aipda", "Aiptu", "Ipda")


class Orang:
    """One office's clients, families, reporters and form answers; draws addresses and its region once."""

    def __init__(self, k: Konteks, r):
        self.k, self.r = k, r
        self.tid = k.kantor.id
        self.zona = ZoneInfo(k.kantor.zona_waktu)
        self.tempat = k.kantor.nama.removeprefix("Dinas Sosial ").split(" ", 1)[-1]
        self.alamat = [f"{r.choice(JALAN)} No. {r.randint(1, 150)}, RT {r.randint(1, 12):03d}/RW {r.randint(1, 8):03d}, "
                       f"{r.choice(DESA)}" for _ in range(400)]
        self.wilayah = k.kantor.kode_wilayah if "." in k.kantor.kode_wilayah else f"{k.kantor.kode_wilayah}.{r.randint(1, 4):02d}"
        # Clients live in the office's real kecamatan (intake checks the code against the Kemendagri list); a synthetic
        # office's region is not on that list, so its clients keep made-up codes of its shape.
        if "." not in k.kantor.kode_wilayah:
            self.wilayah = next((w.kode for w in _anak_wilayah(k.kantor.kode_wilayah) if _anak_wilayah(w.kode)), self.wilayah)
        self.kecamatan = [w.kode for w in _anak_wilayah(self.wilayah)] or [f"{self.wilayah}.{n:02d}" for n in range(1, 21)]
        self.pengirim = [o.nama for o in k.semua_kantor
                         if o.tingkat != "provinsi" and o.kode_wilayah.startswith(k.kantor.kode_wilayah + ".")] or [
            f"Dinas Sosial Kabupaten {self.tempat}"]
        self.sidik = brankas().sidik

    def klien(self, p: Profil, klien_id) -> dict:
        r = self.r
        kategori = r.choice(p.kategori)
        lo, hi = UMUR_KATEGORI.get(kategori, (18, 64))
        umur = r.randint(lo, hi)
        kelamin = "L" if r.random() < 0.62 else "P"
        pada = self.k.pada.astimezone(self.zona).date()
        tanpa_identitas = r.random() < (0.12 if kategori in (2, 4, 11) else 0.02)
        tahu_lahir = not tanpa_identitas and r.random() < 0.75
        lahir = acak.tanggal_lahir(r, umur, pada) if tahu_lahir else None
        punya_nik = lahir is not None and r.random() < (0.45 if umur < UMUR_DEWASA else 0.7)
        if punya_nik:
            wilayah = self.wilayah if r.random() < 0.85 else f"{r.choice(sorted(KODE_PROVINSI))}.{r.randint(1, 20):02d}"
            nik = acak.nik(r, f"{wilayah}.{r.randint(1, 20):02d}", lahir, kelamin)
        else:
            nik = None
        nama = None if tanpa_identitas else acak.nama_orang(r, kelamin)
        baris = {
            "id": klien_id, "tenant_id": self.tid, "dibuat_pada": None, "nama": nama, "tanpa_identitas": tanpa_identitas,
            "deskripsi": (f"{'Anak' if umur < UMUR_DEWASA else 'Orang'} {'laki-laki' if kelamin == 'L' else 'perempuan'}, "
                          f"perkiraan umur {umur} tahun, ditemukan di {r.choice(('terminal', 'pasar', 'stasiun', 'perempatan jalan'))}")
            if tanpa_identitas else None,
            "nik": nik, "nik_sidik": self.sidik(nik) if nik else None, "tanggal_lahir": lahir,
            "kode_wilayah_nik": f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}" if nik else None,  # as the Klien.nik event keeps it (dinsos.cases.models)
            "umur_perkiraan": None if lahir else umur, "umur_perkiraan_pada": None if lahir else pada,
            "jenis_kelamin": kelamin, "alamat": None if tanpa_identitas else r.choice(self.alamat),
            "kode_wilayah": r.choice(self.kecamatan), "kategori_ppks": kategori, "foto_kunci": None,
            "foto_jenis": None, "_umur": umur,
        }
        return baris

    def keluarga(self, klien: dict) -> list[dict]:
        """Parents of most children with a known name (one of them the guardian); a relative of some adults."""
        r = self.r
        if klien["tanpa_identitas"]:
            return []
        anak = klien["_umur"] < UMUR_DEWASA
        if anak and r.random() < 0.7:
            anggota = [("ibu", "P"), ("ayah", "L")][: r.choice((1, 2, 2))]
        elif not anak and r.random() < 0.3:
            anggota = [r.choice((("saudara", r.choice("LP")), ("anak", r.choice("LP")), ("pasangan", "P" if klien["jenis_kelamin"] == "L" else "L")))]
        else:
            return []
        marga = klien["nama"].split()[-1] if klien["nama"] and len(klien["nama"].split()) > 1 else None
        hasil = []
        for n, (hubungan, kelamin) in enumerate(anggota):
            nama = acak.nama_orang(r, kelamin)
            if hubungan == "ayah" and marga and r.random() < 0.3:
                nama = f"{nama.split()[0]} {marga}"
            hasil.append({"id": acak.uuid_acak(r), "tenant_id": self.tid, "dibuat_pada": None, "klien_id": klien["id"],
                          "nama": nama, "hubungan": hubungan, "wali": anak and n == 0,
                          "kontak": acak.telepon(r) if r.random() < 0.6 else None,
                          "alamat": klien["alamat"] if r.random() < 0.8 else r.choice(self.alamat)})
        return hasil

    def pelapor(self, p: Profil) -> dict:
        r = self.r
        if self.k.kantor.tingkat == "provinsi":
            jenis = "dinas_lain"
        elif p.abh:
            jenis = "kepolisian"
        else:
            jenis = r.choices(("kepolisian", "satpol_pp", "kelurahan", "masyarakat"), (40, 25, 15, 20))[0]
        kelamin = r.choice("LP")
        nama = acak.nama_orang(r, kelamin)
        instansi, surat = {
            "kepolisian": (f"Polres {self.tempat}", NOMOR_SURAT_POLISI),
            "satpol_pp": (f"Satpol PP {self.tempat}", "300/{n}/Satpol-PP/{yyyy}"),
            "kelurahan": (f"Kelurahan {r.choice(DESA)}", "470/{n}/Kel/{yyyy}"),
            "dinas_lain": (r.choice(self.pengirim), "460/{n}/Dinsos/{yyyy}"),
            "masyarakat": (None, None),
        }[jenis]
        if jenis == "kepolisian":
            nama = f"{r.choice(PANGKAT_POLISI)} {nama}"
        return {"jenis": jenis, "nama": nama, "instansi": instansi, "kontak": acak.telepon(r), "surat_nomor": surat}


    def isian(self, definisi: dict, pelapor: dict) -> dict | None:
        r, jawaban = self.r, {}
        for f in definisi.get("isian") or []:
            jenis = f["jenis"]
            if jenis == "pilihan":
                jawaban[f["nama"]] = r.choice(f["pilihan"])
            elif jenis == "ya_tidak":
                jawaban[f["nama"]] = r.random() < 0.4
            elif jenis == "tanggal":
                jawaban[f["nama"]] = (self.k.pada - timedelta(days=r.randint(1, 900))).date().isoformat()
            elif jenis == "teks_panjang":
                jawaban[f["nama"]] = r.choice(CATATAN_PERKEMBANGAN)
            else:
                jawaban[f["nama"]] = NOMOR_SURAT_POLISI.format(n=r.randint(10, 999), romawi=r.choice(ROMAWI[1:]),
                                                               yyyy=self.k.pada.year - r.randint(0, 2))
        return jawaban
