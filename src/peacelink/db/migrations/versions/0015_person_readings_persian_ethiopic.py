"""persons: th and dh also keyed as s and z, the Persian reading of Arabic-script names, Ethiopic e and a

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 10:00:00.000000

The Arabic ث, ذ and ض are th, dh and d in Arabic romanisations and s, z and z in Persian, Urdu and Turkish
ones: Uthman scored 0 against Usman and Osman, عثمان 0 against Usman, رضا 0 against Reza. A part with th or
dh now also has the coarse key it has read with s and z (``matching.names.phonetics.coarse_alternative``),
which gives it more blocking keys, and a name in the Arabic script with one of those letters is also read
the Persian way (``matching.names.arabic_reading``), with the keys of that reading. Ethiopic names are
romanised with their first vowel order as e and the fourth as a (ከበደ was "kabada", now "kebede", as Kebede;
``matching.names.transliteration._ETHIOPIC_VOWELS``). An "O." between two parts is now the Ould it abbreviates
on Mauritanian papers, not an initial. This re-normalises and re-keys the active persons whose stored parts
hold th, dh or " o ", or whose names are written with ث, ذ or ض or in Ethiopic letters. Downgrade
removes the Persian readings' keys; the th/dh keys and the new Ethiopic parts stay (the previous code reads
them as well; it does not look the th/dh keys up).
"""

from __future__ import annotations

import re

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Parts with th or dh; and an "o" between two parts, now dropped as the Ould that Mauritanian papers
# abbreviate O. (it was an initial).
_CONCERNED = ("th", "dh", " o ")
# ث ذ ض, and the Ethiopic blocks (Ethiopic, Ethiopic Supplement, Extended and Extended-A).
_LETTERS = re.compile("[ثذض\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


def upgrade() -> None:
    readings = {"somali", "cyrillic", "persian"}
    resync_persons(op.get_bind(), _CONCERNED, readings=readings, renormalise=True, written=_LETTERS)


def downgrade() -> None:
    readings = {"somali", "cyrillic"}
    resync_persons(op.get_bind(), _CONCERNED, readings=readings, renormalise=False, written=_LETTERS)
