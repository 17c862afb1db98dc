"""Small helpers shared by the capabilities' forms."""
from wtforms.fields.choices import SelectChoice


def pilihan(pasangan) -> list[SelectChoice]:
    """(value, label) pairs as select choices (WTForms 3.3+ deprecates bare tuples)."""
    return [SelectChoice(str(nilai), label) for nilai, label in pasangan]
