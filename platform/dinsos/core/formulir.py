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
