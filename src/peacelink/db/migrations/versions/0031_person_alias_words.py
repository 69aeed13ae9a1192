"""persons: a name and an alias joined by a word in one field are two names (dit, alias, он же, الملقب)

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-24 21:00:00.000000

Records and officers often give a person's alias in the name field itself: "Iyad Ag Ghaly dit Abou Fadl",
"Joaquin Guzman Loera alias El Chapo", "Иванов Иван, он же Петров", "أحمد محمد الملقب أبو حفص". Such a field
was one name of all its parts, joining word included: a check giving either name matched only a fraction of
it. Each side of the word is now a name of the person (``normalisation.split_names``), as spellings separated
by ";" already were. This migration keys again the active persons with such a name (``rekey_persons``); the
stored names and parts stay as they were given.

Downgrade changes nothing: the code before it reads the keys as they are, the new keys only shortlisting
those persons by each of their names.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.normalisation import has_several_names
from peacelink.persons.keys import rekey_persons

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def _concerned(name: str, _parts: str) -> bool:
    return ";" not in name and has_several_names(name)


def upgrade() -> None:
    rekey_persons(op.get_bind(), _concerned)


def downgrade() -> None:
    pass
