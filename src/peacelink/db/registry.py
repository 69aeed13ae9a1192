"""Imports every model module so Base.metadata knows all tables (for Alembic and tests)."""

from __future__ import annotations

from sqlalchemy import MetaData


def load_models() -> MetaData:
    """Import all model modules and return the complete metadata."""
    from peacelink.agencies import models as _agencies  # noqa: F401
    from peacelink.audit import models as _audit  # noqa: F401
    from peacelink.db.base import Base
    from peacelink.dna import models as _dna  # noqa: F401
    from peacelink.documents import models as _documents  # noqa: F401
    from peacelink.fingerprints import models as _fingerprints  # noqa: F401
    from peacelink.hits import models as _hits  # noqa: F401
    from peacelink.messaging import models as _messaging  # noqa: F401
    from peacelink.nodes import models as _nodes  # noqa: F401
    from peacelink.persons import models as _persons  # noqa: F401
    from peacelink.users import models as _users  # noqa: F401
    from peacelink.vehicles import models as _vehicles  # noqa: F401

    return Base.metadata
