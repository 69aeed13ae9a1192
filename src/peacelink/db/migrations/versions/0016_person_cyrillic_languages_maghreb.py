"""persons: Ukrainian, Belarusian, Serbian and Macedonian Cyrillic; Maghreb, Sahel and Turkish spellings

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 10:00:00.000000

Cyrillic names were all romanised with the Russian rules, which leave the Ukrainian і ї є ґ, the Belarusian ў
and the Serbian and Macedonian ђ ћ ј љ њ џ ѓ ќ ѕ untouched; those letters were then dropped (Віталій was
"vtaly", Ігор "gor"). Each language now has its own romanisation, and a Cyrillic name with г is also read
the other way (Ukrainian h for a name with Russian letters only, Russian g for one with Ukrainian letters):
``matching.names.transliteration`` and ``matching.names.ukrainian_reading``. Latin đ is dj in South Slavic
names.

Maghreb, Sahel and Turkish spellings (``matching.names.phonetics``, ``arabic_reading``, ``normalisation``):
a c before e, i or y is an s in the skeleton (Hocine, Youcef, Lahcen; the hard reading is a second coarse
key: Turkish Cemal); Abdoulaye, Abdoulahi and Abdullahi are Abdullah; the stem of a glued ben or bin is
paired with the other parts (Benali / Ben Ali); an Arabic-script name whose article stands before a vowel
or ح is also read with the article elided (الأمين as Lamine, العربي as Larbi, الحسن as Lahcen).

This re-normalises and re-keys the active persons concerned: a name in Cyrillic letters or with a Latin đ,
an Arabic-script name with such an article, and stored parts with a soft c, a glued ben or bin, or an Abd
Allah spelling that used to be misread. (The closing t of Mahamat and Mehmet changes no stored key: a query
looks the other spelling up.) Downgrade removes the new readings' keys; the new parts stay (the previous
code reads them).
"""

from __future__ import annotations

import re

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Cyrillic (with its supplements and extensions) and the Latin đ of South Slavic names.
_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69fđĐ]")
# An Arabic article before a vowel carrier, ayn or ح, at the start of a word (the Maghrebi reading).
_ELIDABLE = re.compile(r"(?<![\w])ال[اأإآعح]")
_SOFT_C = re.compile(r"c[eiy]")
# Old readings of Abd Allah's West African and Somali spellings (abdaye, abdahi, abdlahi, cabdullaahi...).
_ABD_ENDINGS = ("ahi", "ahy", "aye", "lay", "lai", "laay")


def _part_concerned(part: str) -> bool:
    return (
        _SOFT_C.search(part) is not None
        or (len(part) >= 6 and part.startswith(("ben", "bin")))
        or ("abd" in part and part.endswith(_ABD_ENDINGS))
    )


def _concerned(name: str, parts: str) -> bool:
    if _CYRILLIC.search(name) or _ELIDABLE.search(name):
        return True
    return any(_part_concerned(p) for p in parts.split())


def upgrade() -> None:
    readings = {"somali", "cyrillic", "persian", "maghrebi", "ukrainian", "russian"}
    resync_persons(op.get_bind(), (), readings=readings, renormalise=True, concerned=_concerned)


def downgrade() -> None:
    readings = {"somali", "cyrillic", "persian"}
    resync_persons(op.get_bind(), (), readings=readings, renormalise=False, concerned=_concerned)
