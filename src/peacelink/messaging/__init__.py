"""Secure channel cryptography: agency keys, the signed key directory, and sealing/opening of messages.

Pure modules (libsodium through PyNaCl only, nothing else from peacelink): ``keys`` (agency key pairs,
key IDs, passphrase-protected export), ``directory`` (central-signed key directory, rotation, revocation),
``envelope``/``payload`` (wire formats), ``sealing`` (``seal`` / ``open_message`` / ``verify_envelope``),
``replay`` (replay-cache protocol) and ``errors``. See docs/messaging-crypto.md.
"""
