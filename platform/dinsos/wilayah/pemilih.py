"""The region picker as a form field: provinsi → kabupaten/kota → kecamatan → desa/kelurahan, stored as one code.

The page posts one select per level (``<name>-1`` … ``<name>-4``); the
field's value is the deepest level chosen, so an address can stop at the
kecamatan. A chosen level must lie inside the level above it, when that is
chosen too; a parent left empty is implied by the child's code. A plain
``<name>`` (a typed code, as older pages and scripts post it) is still read.

Without JavaScript the page needs one round trip to list a chosen parent's
children: the picker's "Tampilkan pilihan" button posts the form with
``<name>-perbarui`` and the view shows the form again without saving it
(``perbarui``). The lists start from the office's own region, so in the
usual case (a client of this kabupaten) no round trip is needed: the village
list holds every desa of the office's kabupaten, grouped by kecamatan.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from .daftar import SUMBER, anak, cari_kode, jalur

LABEL_TINGKAT = {1: _l("Provinsi"), 2: _l("Kabupaten/kota"), 3: _l("Kecamatan"), 4: _l("Desa/kelurahan")}


class PilihWilayah(Field):
    """A Kemendagri region chosen level by level; ``data`` is its dotted code or None."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data or None
        self.pilihan = ["", "", "", ""]
        self.perbarui = False
        if formdata is not None:
            self.pilihan = [(formdata.get(f"{self.name}-{i}") or "").strip()[:20] for i in range(1, 5)]
            self.perbarui = f"{self.name}-perbarui" in formdata
            terdalam = next((p for p in reversed(self.pilihan) if p), None)
            ketikan = (formdata.get(self.name) or "").strip()[:20]
            self.data = terdalam or ketikan or None
        elif self.data:
            self.pilihan = [w.kode for w in jalur(self.data)] + [""] * (4 - len(jalur(self.data)))

    def pre_validate(self, form):
        if not self.data:
            return
        dipilih = [(i, p) for i, p in enumerate(self.pilihan, start=1) if p]
        if not dipilih:  # a typed code
            w = cari_kode(self.data)
            if w is None:
                raise ValidationError(_("Kode wilayah '%(kode)s' tidak ada dalam data wilayah Kemendagri (%(sumber)s); "
                                        "tulis PP.KK.CC atau PP.KK.CC.DDDD, mis. 35.20.01.", kode=self.data, sumber=SUMBER))
            return
        wilayah = {}
        for tingkat, kode in dipilih:
            w = cari_kode(kode)
            if w is None or w.tingkat != tingkat:
                raise ValidationError(_("%(tingkat)s '%(kode)s' tidak ada dalam data wilayah Kemendagri; pilih dari daftar.",
                                        tingkat=LABEL_TINGKAT[tingkat], kode=kode))
            wilayah[tingkat] = w
        for (t_atas, atas), (t_bawah, bawah) in zip(dipilih, dipilih[1:]):
            if not bawah.startswith(atas + "."):
                raise ValidationError(_("%(bawah)s tidak berada di %(atas)s; pilih ulang %(tingkat)s atau kosongkan.",
                                        bawah=wilayah[t_bawah].nama_lengkap, atas=wilayah[t_atas].nama_lengkap,
                                        tingkat=str(LABEL_TINGKAT[t_bawah]).lower()))

    def tingkat(self, kode_kantor: str | None = None) -> list[dict]:
        """The four selects as plain data for the macro: name, id, label, options (or groups), chosen code.

        A level lists the children of the level above as chosen, else (nothing
        chosen above) of the office's own region; the village level, with only
        a kabupaten/kota known, lists all its villages grouped by kecamatan.
        """
        pilih = list(self.pilihan)
        if self.data and not self.errors and cari_kode(self.data):
            rantai = [w.kode for w in jalur(self.data)]
            pilih = rantai + [""] * (4 - len(rantai))
        kantor = [w.kode for w in jalur(kode_kantor)] if kode_kantor else []
        # The office's region fills a level only while every level chosen above it agrees with the office's.
        konteks = [pilih[i] or (kantor[i] if i < len(kantor) and all(not pilih[j] or pilih[j] == kantor[j] for j in range(i))
                                else "") for i in range(4)]
        hasil = []
        for i in range(1, 5):
            induk = "" if i == 1 else (pilih[i - 2] or konteks[i - 2])
            grup = None
            if i == 1:
                opsi = [(w.kode, w.nama) for w in anak()]
            elif induk:
                opsi = [(w.kode, w.nama) for w in anak(induk)]
            elif i == 4 and (pilih[1] or konteks[1]):
                grup = [(kec.nama_lengkap, [(w.kode, w.nama) for w in anak(kec.kode)]) for kec in anak(pilih[1] or konteks[1])]
                opsi = []
            else:
                opsi = []
            hasil.append({"nama": f"{self.name}-{i}", "id": f"{self.id}-{i}", "label": LABEL_TINGKAT[i], "tingkat": i,
                          "opsi": opsi, "grup": grup, "terpilih": pilih[i - 1]})
        return hasil
