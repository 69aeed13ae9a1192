"""persons: a Latin name with the article as a word (El Amine, Al-Arbi) is also read with it elided

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24 18:00:00.000000

Only names in the Arabic script were read with their article elided as in the Maghreb (الأمين as Lamine).
A Latin name that writes the article al or el as a word or with a hyphen before a word opening with a vowel or
h is now read that way too (``matching.names.arabic_reading.maghrebi_readings``: "Mohamed El Amine" also as
mohamed lamine, meeting Lemine; Al-Arbi as larbi, El Hassen as lhassen, meeting Lahcen), a reading of the
kind "maghrebi". Normalisation does not change: this adds the keys of that reading to the active persons
with such a name (the pattern below finds a superset; the others' keys come out as they are).

Downgrade changes nothing: the code before this migration reads the rows as they are, the added keys only
shortlisting those persons for their elided spelling as well (and removing them would also remove the keys of
the same persons' Arabic-script readings, which are of the same kind).
"""

from __future__ import annotations

import re

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# The article al or el as a word or hyphenated (an apostrophe for the ayn may follow: al-'Arabi) before a
# vowel, an h or any letter outside a-z, which the reading transliterates first (Âmine, Ḥasan): the names the
# reading elides (``arabic_reading._LATIN_ARTICLE``) and a few more, whose keys come out as they are.
_LATIN_ARTICLE = re.compile(r"(?<!\w)[ae]l(?:\s*-\s*|\s+)['’‘`ʻʼʿʾ]*(?:[aeiouh]|[^\W\d_a-z])", re.IGNORECASE)


def _concerned(name: str, _parts: str) -> bool:
    return _LATIN_ARTICLE.search(name) is not None


def upgrade() -> None:
    readings = {"somali", "cyrillic", "persian", "maghrebi", "ukrainian", "russian"}
    resync_persons(op.get_bind(), (), readings=readings, renormalise=False, concerned=_concerned)


def downgrade() -> None:
    pass
