"""persons: Abd al-Rahman written without its h (Abderamane, Abdramane) is normalised as Abdrahman

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-24 14:00:00.000000

The French spellings of Chad, Mali and Niger often write Abd al-Rahman without the h of Rahman: Abderamane,
Abdramane, Abderaman, Abdel Ramane. Normalisation kept them as written (abderamane), whose skeleton (bdrmn)
is not that of abdrahman (bdrhmn): they scored about 0.93 against Abdelrahman as a typing error but shared no
key with it, so at scale a check did not find the record. They are now normalised to abdrahman
(``matching.names.normalisation._RAHMAN_WITHOUT_H``). This re-normalises and re-keys the active persons whose
stored parts hold such a spelling.

Downgrade keeps the new parts and keys (the old code reads abdrahman as it reads Abdelrahman); it changes
nothing.
"""

from __future__ import annotations

from alembic import op

from peacelink.matching.names.parts import READINGS
from peacelink.persons.keys import resync_persons

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# Every stored spelling the rule rewrites holds one of these (ramn, raman, ramen: Abdramne, Abderamane).
HOLDING = ("ramn", "raman", "ramen")


def upgrade() -> None:
    resync_persons(op.get_bind(), HOLDING, readings=READINGS, renormalise=True)


def downgrade() -> None:
    pass
