"""agencies package."""
