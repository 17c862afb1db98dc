"""Small helpers shared by the capabilities' forms."""
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


def pilihan(pasangan) -> list[SelectChoice]:
    """(value, label) pairs as select choices (WTForms 3.3+ deprecates bare tuples)."""
    return [SelectChoice(str(nilai), label) for nilai, label in pasangan]


class PilihanBanyak(SelectMultipleField):
    """Several choices as a list of checkboxes, each beside its label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def daftar_galat(form, judul: dict | None = None) -> list[dict]:
    """Every error of a form as {"id", "label", "pesan"}, in the form's order, for the summary at its top.

    A field inside a repeated group reads with its group and number ("Anggota keluarga 2: Nama"); ``judul``
    names a field where its own label says too little out of place (field name -> words).
    """
    judul = judul or {}
    hasil = []

    def jalan(medan_medan, awalan=""):
        for medan in medan_medan:
            if medan.type == "CSRFTokenField":
                continue
            if medan.type == "FieldList":
                for i, isi in enumerate(medan.entries, 1):
                    anak = isi.form if isi.type == "FormField" else [isi]
                    jalan(anak, f"{awalan}{medan.label.text} {i}: ")
                continue
            label = judul.get(medan.name) or medan.label.text
            for pesan in medan.errors if isinstance(medan.errors, (list, tuple)) else ():
                hasil.append({"id": medan.id, "label": f"{awalan}{label}", "pesan": str(pesan)})

    jalan(form)
    return hasil
