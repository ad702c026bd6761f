"""Small helpers shared by the forms of every domain."""

from wtforms.fields.choices import SelectChoice


def choices(pairs):
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]
