"""persons: Ethiopic names re-keyed with sh, ch, zh, j and kh

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 07:30:00.000000

ICU romanises Ethiopic ሸ, ቸ, ጨ, ዠ, ጀ and ኸ with a caron or a line (š, č, č̣, ž, ǧ, ḵ), which the fold to
ASCII turned into s, c, z, g and k: ቸርነት አበበ read "carnat abebe" and scored 0.46 against Chernet Abebe.
They are now written sh, ch, zh, j and kh (``matching.names.transliteration._ETHIOPIC_DIGRAPHS``), as Latin
spellings of Ethiopian names write them. This re-normalises and re-keys the active persons with a name
in Ethiopic letters. Downgrade keeps the new parts and keys (the old spelling cannot be rebuilt without
the old code); it changes nothing.
"""

from __future__ import annotations

import re

from alembic import op

from peacelink.persons.keys import resync_persons

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The Ethiopic blocks: Ethiopic, Ethiopic Supplement, Ethiopic Extended and Extended-A.
ETHIOPIC = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


def upgrade() -> None:
    resync_persons(op.get_bind(), (), readings={"somali", "cyrillic"}, renormalise=True, written=ETHIOPIC)


def downgrade() -> None:
    pass
