"""PeaceLink: a secure police information system for peace operations."""

__version__ = "0.1.0"
