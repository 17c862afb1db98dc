"""Laying a demo case out in time: its timeline, step runs, pauses and checklist, from its intake onwards.

``Rencana`` is everything drawn for one case (its path through the SOP, how
long each step takes, pauses, who does what); ``Linimasa.tata`` lays it out
from an intake time on the office's opening hours and writes the rows the
platform would hold. The case generator (``kasus.py``) draws the plan and
moves the intake until the layout ends where it should.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import acak
from .konteks import JamKantor, Konteks
from .nama import INSTRUKSI_DISPOSISI
from .profil import Profil, boleh


@dataclass(slots=True)
class Rencana:
    """What was drawn for one case, before it is laid out in time."""

    profil: Profil
    kid: object
    klien_id: object
    status: str
    jalur: list  # [(step code, branch taken or None)]
    posisi: int  # the step it is at (len(jalur) when closed)
    durasi: list  # minutes per step
    jeda_langkah: dict  # step index -> (fraction into the step, minutes paused)
    alasan_jeda: dict  # step index -> (kind, reason)
    telat_berkas: float | None  # minutes until the file was complete
    penugasan: float | None  # fraction into the first step at which it is assigned
    pj: dict | None
    kabid: dict
    petugas: dict
    kurang: set  # requirement codes missing at intake
    pelapor: dict
    isian: list
    catatan: dict
    pelaku: list
    hasil_akhir: str | None
    alasan_tutup: str | None
    tutup_awal: bool
    jeda_kini: tuple | None
    pecahan_jeda: float
    awal_kini: datetime | None  # when an open case's current step is meant to have begun


class Linimasa:
    def __init__(self, k: Konteks, jam: JamKantor, staf: dict):
        self.k, self.jam, self.tid, self.staf = k, jam, k.kantor.id, staf

    def tata(self, rc: Rencana, c, mulai: datetime) -> datetime:
        """Lay case ``rc`` out in time from intake ``mulai`` into ``c`` (its rows); returns the instant that must
        not pass the reference time.

        An open case's step before the current one runs on to ``rc.awal_kini`` when it would end sooner, so the
        current step begins when it was meant to.
        """
        p, kid, klien_id, status, jalur, posisi = rc.profil, rc.kid, rc.klien_id, rc.status, rc.jalur, rc.posisi
        durasi, jeda_langkah, alasan_jeda, telat_berkas = rc.durasi, rc.jeda_langkah, rc.alasan_jeda, rc.telat_berkas
        penugasan, pj, kabid, petugas, pelaku = rc.penugasan, rc.pj, rc.kabid, rc.petugas, rc.pelaku
        kurang, pelapor, isian, catatan = rc.kurang, rc.pelapor, rc.isian, rc.catatan
        hasil_akhir, alasan_tutup, tutup_awal = rc.hasil_akhir, rc.alasan_tutup, rc.tutup_awal
        jeda_kini, pecahan_jeda, awal_kini = rc.jeda_kini, rc.pecahan_jeda, rc.awal_kini
        geser, tid = self.jam.geser, self.tid
        r_id = acak.rng(self.k.benih, "id-kasus", str(kid))  # ids stable across the retries of this case
        ev = []  # (time, order within the same time, kind, actor, details, note)
        sop = p.layanan.isi["sop"]
        nomor_di_langkah = sop.get("nomor_register") == "langkah"
        c.saat_nomor, c.rincian_nomor = None, None  # when and in which event the register number is issued
        r_disposisi = acak.rng(self.k.benih, "disposisi", str(kid))
        t0 = geser(mulai)
        status_awal = {d["kode"]: "belum" if d["kode"] in kurang else "dilihat" for d in p.dokumen}
        ev.append((t0, 0, "penerimaan", petugas["id"], {"layanan": p.layanan.kode, "versi": p.layanan.versi,
                                                        "pelapor": pelapor["jenis"], "persyaratan": dict(status_awal)}, None))
        jam_mulai = None
        if p.mulai_jam == "penerimaan":
            jam_mulai = t0
            ev.append((t0, 1, "jam_mulai", None, {"aturan": "penerimaan"}, None))
        kasus = {
            "id": kid, "tenant_id": tid, "dibuat_pada": t0, "layanan_id": p.layanan.id, "versi_layanan_id": p.layanan.versi_id,
            "klien_id": klien_id, "status": status, "langkah_kode": p.pertama, "nomor_register": None, "nomor_register_urut": None,
            "rahasia": False, "pelapor_jenis": pelapor["jenis"], "pelapor_nama": pelapor["nama"],
            "pelapor_instansi": pelapor["instansi"], "pelapor_kontak": pelapor["kontak"], "surat_nomor": None,
            "surat_tanggal": None, "dibuat_oleh_id": petugas["id"], "penanggung_jawab_id": None, "diterima_pada": t0,
            "berkas_lengkap_pada": None, "jam_mulai_pada": jam_mulai, "hasil_akhir": None, "ditutup_pada": None,
            "diperbarui_pada": t0, "versi": 1,
        }
        status_kini = dict(status_awal)
        ubah_syarat = {}
        batas = t0
        c.langkah, c.jeda = [], []
        if status != "berkas_belum_lengkap":
            tc = geser(t0 + timedelta(minutes=telat_berkas)) if telat_berkas else t0
            if telat_berkas:
                kurang = {kode for kode in kurang if any(d["kode"] == kode and d.get("wajib") for d in p.dokumen)}
                for kode in sorted(kurang):
                    status_kini[kode] = "dilihat"
                ubah_syarat = {kode: tc for kode in kurang}
                ev.append((tc, 0, "persyaratan_diubah", petugas["id"], {"perubahan": {kode: ["belum", "dilihat"] for kode in sorted(kurang)}}, None))
            if sop.get("verifikasi_berkas"):
                # the verifier finds the file "lengkap dan benar" (``penerimaan.verifikasi_berkas``), then it is complete
                ev.append((tc, 1, "berkas_diverifikasi", petugas["id"], {"hasil": "benar"}, None))
            c.rincian_lengkap = {"nomor_register": None}
            ev.append((tc, 1, "berkas_lengkap", petugas["id"], c.rincian_lengkap, None))
            if not nomor_di_langkah:
                c.saat_nomor, c.rincian_nomor = tc, c.rincian_lengkap
            kasus["berkas_lengkap_pada"] = tc
            if jam_mulai is None:
                kasus["jam_mulai_pada"] = tc
                ev.append((tc, 2, "jam_mulai", None, {"aturan": p.mulai_jam}, None))
            t, aktor, pj_kini = tc, petugas["id"], None
            for n, (kode, cabang) in enumerate(jalur[:posisi + 1] if status != "ditutup" or tutup_awal else jalur):
                d = p.langkah[kode]
                pj_langkah = pj_kini if pj_kini and boleh(p.peran[kode], pj_kini) else None
                rincian = {"langkah": kode, "urutan": n + 1, "waktu": d.get("waktu")}
                if n == 0 and penugasan is not None:
                    # while the first step runs (a closed case cannot be assigned; a step already done keeps no assignee)
                    if n == posisi and status != "ditutup":
                        sampai = self.k.pada - t
                    else:
                        sampai = timedelta(minutes=durasi[0] * (0.5 if tutup_awal and posisi == 0 else 1))
                    ta = t + max(sampai, timedelta(0)) * penugasan
                    ev.append((ta, 0, "ditugaskan", kabid["id"], {"ke": str(pj["id"])}, None))
                    pj_kini = pj
                    kasus["penanggung_jawab_id"] = pj["id"]
                    if boleh(p.peran[kode], pj):
                        pj_langkah = pj
                if pj_langkah is not None:
                    rincian["penanggung_jawab"] = str(pj_langkah["id"])
                ev.append((t, 4, "langkah_mulai", aktor, {x: v for x, v in rincian.items() if v is not None}, None))
                baris = {
                    "id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": t, "kasus_id": kid, "urutan": n + 1, "kode": kode,
                    "status": "berjalan", "mulai_pada": t, "selesai_pada": None, "waktu": d.get("waktu"),
                    "penanggung_jawab_id": pj_langkah and pj_langkah["id"], "dikerjakan_oleh_id": None, "isian": None,
                    "catatan": None, "cabang_ke": None, "dokumen_keluaran": d.get("dokumen_keluaran"), "surat_id": None,
                    "disposisi_ke": 0,
                }
                c.langkah.append(baris)
                kasus["langkah_kode"] = kode
                if n == posisi and status in ("berjalan", "dijeda"):
                    batas = t
                    if status == "dijeda":
                        js = t + (self.k.pada - t) * pecahan_jeda if self.k.pada > t else t
                        c.jeda.append({"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": js, "kasus_id": kid,
                                       "jenis": jeda_kini[0], "alasan": jeda_kini[1], "mulai": js, "selesai": None})
                        ev.append((js, 0, "dijeda", pj_kini["id"] if pj_kini else kabid["id"],
                                   {"jenis_jeda": jeda_kini[0], "langkah": kode}, jeda_kini[1]))
                        batas = js
                    break
                lama = durasi[n]
                if tutup_awal and n == posisi:
                    lama *= 0.5
                akhir = t + timedelta(minutes=lama)
                if n in jeda_langkah and not (tutup_awal and n == posisi):
                    pecah, lama_jeda = jeda_langkah[n]
                    js = t + timedelta(minutes=lama * pecah)
                    je = geser(js + timedelta(minutes=lama_jeda))
                    jenis, alasan = alasan_jeda[n]
                    c.jeda.append({"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": js, "kasus_id": kid,
                                   "jenis": jenis, "alasan": alasan, "mulai": js, "selesai": je})
                    oleh = pj_kini["id"] if pj_kini else kabid["id"]
                    ev.append((js, 0, "dijeda", oleh, {"jenis_jeda": jenis, "langkah": kode}, alasan))
                    ev.append((je, 0, "dilanjutkan", oleh, {"durasi_menit": int((je - js).total_seconds() // 60)}, None))
                    akhir = je + (akhir - js)
                akhir = geser(akhir)
                if awal_kini is not None and n == posisi - 1 and akhir < awal_kini:
                    akhir = awal_kini
                if tutup_awal and n == posisi:
                    baris.update(status="dihentikan", selesai_pada=akhir)
                    kasus.update(status="ditutup", langkah_kode=None, hasil_akhir=hasil_akhir, ditutup_pada=akhir)
                    ev.append((akhir, 5, "ditutup", kabid["id"], {"hasil_akhir": hasil_akhir, "langkah_dihentikan": kode},
                               alasan_tutup))
                    batas = akhir
                    break
                oleh = pelaku[n] if pj_kini is None or not boleh(p.peran[kode], pj_kini) else pj_kini
                rantai = d.get("disposisi") or []
                if rantai and rantai[-1] not in oleh["peran"]:
                    oleh = pelaku[n]  # the chain's last officer records the step (``sop.selesaikan_langkah``)
                for ke, peran_ in enumerate(rantai[:-1], 1):  # the chain's earlier acts, in turn, by other people
                    orang = [o for o in self.staf.get(peran_, ()) if o["id"] != oleh["id"]]
                    if orang:
                        baris["disposisi_ke"] = ke
                        ev.append((t + (akhir - t) * ke / len(rantai), 2, "disposisi", r_disposisi.choice(orang)["id"],
                                   {"langkah": kode, "urutan": n + 1, "peran": peran_, "ke": ke},
                                   r_disposisi.choice(INSTRUKSI_DISPOSISI)))
                if d.get("dokumen_keluaran") == "nomor_register" and nomor_di_langkah and c.rincian_nomor is None:
                    # the standard has this step's officer register the case (``sop.nomor_register: langkah``)
                    c.saat_nomor, c.rincian_nomor = akhir, {"nomor_register": None, "langkah": kode}
                    ev.append((akhir, 2, "nomor_register", oleh["id"], c.rincian_nomor, None))
                baris.update(status="selesai", selesai_pada=akhir, dikerjakan_oleh_id=oleh["id"], isian=isian[n],
                             catatan=catatan.get(n), cabang_ke=cabang)
                menit = int((akhir - t).total_seconds() // 60)
                if n in jeda_langkah:
                    menit -= int(jeda_langkah[n][1])
                ev.append((akhir, 3, "langkah_selesai", oleh["id"], {x: v for x, v in {
                    "langkah": kode, "urutan": n + 1, "durasi_menit": max(menit, 0), "waktu": d.get("waktu"), "cabang": cabang,
                    "dokumen_keluaran": d.get("dokumen_keluaran")}.items() if v is not None}, catatan.get(n)))
                if rantai:
                    ev.append((akhir, 3, "disposisi", oleh["id"], {"langkah": kode, "urutan": n + 1, "peran": rantai[-1],
                                                                    "ke": len(rantai)}, catatan.get(n)))
                t, aktor, batas = akhir, oleh["id"], akhir
            if status == "ditutup" and not tutup_awal:
                oleh = pj_kini or kabid
                kasus.update(langkah_kode=None, hasil_akhir=hasil_akhir, ditutup_pada=t)
                ev.append((t, 5, "ditutup", oleh["id"], {"hasil_akhir": hasil_akhir}, None))
                batas = t
        ev.sort(key=lambda e: (e[0], e[1]))
        c.peristiwa = [{"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": w, "kasus_id": kid, "urutan": n + 1,
                        "jenis": jenis, "waktu": w, "aktor_id": aktor, "rincian": rincian, "catatan": catatan_}
                       for n, (w, _u, jenis, aktor, rincian, catatan_) in enumerate(ev)]
        kasus["diperbarui_pada"] = ev[-1][0]
        kasus["versi"] = len(ev) + 1
        c.kasus = kasus
        c.persyaratan = [{
            "id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": t0, "kasus_id": kid, "urutan": n, "kode": d["kode"],
            "nama": d["nama"][:500], "wajib": bool(d.get("wajib")), "status": status_kini[d["kode"]], "lampiran_id": None,
            "diubah_oleh_id": petugas["id"], "diubah_pada": ubah_syarat.get(d["kode"], t0),
        } for n, d in enumerate(p.dokumen)]
        return batas
