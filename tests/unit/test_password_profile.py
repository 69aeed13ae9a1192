"""The production password hash is argon2id at RFC 9106's second recommended profile; the tests' own
processes hash with a cheap one (tests/conftest.py), so this pins what the server really uses."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from tests.conftest import PRODUCTION_HASHER


def test_the_server_hashes_passwords_with_rfc_9106_low_memory_argon2id() -> None:
    assert isinstance(PRODUCTION_HASHER, PasswordHasher)
    params = extract_parameters(PRODUCTION_HASHER.hash("correct horse battery"))
    assert params.type.name == "ID"
    assert (params.memory_cost, params.time_cost, params.parallelism) == (
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )
    assert PRODUCTION_HASHER.verify(PRODUCTION_HASHER.hash("x" * 12), "x" * 12)
