"""Secure channel between agencies: signed, encrypted messages (issue 7).

The pure crypto core imports nothing else from peacelink (libsodium through PyNaCl only): ``keys``,
``directory``, ``envelope``, ``payload``, ``sealing``, ``replay``, ``canonical`` and ``errors`` (see
docs/messaging-crypto.md). Built on it, with the database: ``models``, ``keystore`` (sealed private keys, the
database key directory), ``publication`` (the central-signed directory across nodes), ``recipients``,
``delivery`` (storage, the replay-cache table, link handlers), ``sending`` and ``service`` (use cases),
``keys_service``, ``schemas``, ``views``, ``routes`` (see docs/messaging.md).
"""
