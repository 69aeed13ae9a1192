"""identifiers package."""
