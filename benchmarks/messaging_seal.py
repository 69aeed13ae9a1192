"""Throughput of the secure channel's crypto core: seal (+ serialise for storage) and open, to N recipients.

Issue 7 "Speed": sealing and storing must reach 500 messages/s to 10 recipients on this machine. This measures
the crypto half of that (seal + ``to_bytes``, the blob the database stores); the database insert is the lead's
part and is not included. Bodies are generated text (~2 KB, seeded): the cost of the crypto does not depend on
what the text says, only on its length, so no real data set is read.

    python benchmarks/messaging_seal.py [--messages 2000] [--recipients 10] [--body-bytes 2048] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import nacl
from nacl import bindings

from machine import machine
from peacelink.messaging.directory import KeyDirectory
from peacelink.messaging.keys import AgencyKeyPair
from peacelink.messaging.payload import MAX_ATTACHMENT_BYTES
from peacelink.messaging.replay import InMemoryReplayCache
from peacelink.messaging.sealing import open_message, seal, verify_envelope

WORDS = [
    *("vehicle", "border", "patrol", "sighting", "notice", "person", "document", "passport", "stolen"),
    *("report", "officer", "station", "mission", "contingent", "district", "checkpoint", "convoy"),
    *("warrant", "suspect", "witness", "evidence", "fingerprint", "record", "hit", "confirm"),
]


def make_body(rng: random.Random, size: int) -> str:
    """Generated police-report-like text of about ``size`` bytes."""
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size]


def rate(count: int, action: Callable[[int], object], repeats: int) -> tuple[float, list[float]]:
    """Run ``action(i)`` for i in range(count), ``repeats`` times; return median items/s and all runs."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for index in range(count):
            action(index)
        runs.append(count / (time.perf_counter() - start))
    return statistics.median(runs), runs


def main() -> None:
    """Parse arguments, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--recipients", type=int, default=10)
    parser.add_argument("--body-bytes", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true", help="skip the 25 MB attachment timing")
    args = parser.parse_args()

    rng = random.Random(7)  # text generation only, not crypto
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    codes = ["NCB-SND"] + [f"AG-{index:02d}" for index in range(args.recipients)]
    pairs = {code: AgencyKeyPair.generate(code) for code in codes}
    directory = KeyDirectory()
    for pair in pairs.values():
        directory = directory.add(pair.public(), valid_from=t0)
    recipients = directory.recipient_keys(codes[1:], at=t0)
    sender = pairs["NCB-SND"].signing_key
    bodies = [make_body(rng, args.body_bytes) for _ in range(64)]
    created = t0 + timedelta(hours=1)
    now = created + timedelta(minutes=1)

    blobs: list[bytes] = []

    def seal_and_store(index: int) -> None:
        sealed = seal(
            sender_agency="NCB-SND",
            sender_user="officer.bench",
            sender_signing_key=sender,
            recipients=recipients,
            subject=f"Report {index}",
            body=bodies[index % len(bodies)],
            classification="RESTRICTED",
            links=[("hit", str(index))],
            created_at=created,
        )
        blobs.append(sealed.to_bytes())

    # The load average is sampled before the run.
    print("machine:", machine(f"PyNaCl {nacl.__version__}", load=True))
    print(
        f"workload: {args.messages} messages x {args.repeats} runs, {args.recipients} recipients, "
        f"body {args.body_bytes} bytes"
    )
    seal_rate, seal_runs = rate(args.messages, seal_and_store, args.repeats)
    print(f"seal + to_bytes: {seal_rate:,.0f} msgs/s (runs: {', '.join(f'{r:,.0f}' for r in seal_runs)})")
    print(f"  stored blob size: {len(blobs[-1]):,} bytes")

    stored = blobs[: args.messages]
    reader = codes[1]
    reader_key = pairs[reader].encryption_key
    caches: list[InMemoryReplayCache] = []

    def open_one(index: int) -> None:
        if index == 0:
            caches.append(InMemoryReplayCache())  # fresh cache per run so nothing is a replay
        open_message(
            stored[index],
            recipient_agency=reader,
            recipient_private_key=reader_key,
            sender_keys=directory,
            now=now,
            seen_ids=caches[-1],
        )

    open_rate, open_runs = rate(len(stored), open_one, args.repeats)
    print(f"open (parse+verify+unwrap+decrypt+replay): {open_rate:,.0f} msgs/s (runs: "
          f"{', '.join(f'{r:,.0f}' for r in open_runs)})")  # fmt: skip

    def relay_check(index: int) -> None:
        verify_envelope(stored[index], sender_keys=directory, now=now)

    relay_rate, _ = rate(len(stored), relay_check, args.repeats)
    print(f"relay verify_envelope (no decryption): {relay_rate:,.0f} msgs/s")

    # Where the sealing time goes: one X25519 sealed box per recipient dominates.
    public = bytes(recipients[codes[1]])
    key = os.urandom(32)
    box_rate, _ = rate(args.messages, lambda _: bindings.crypto_box_seal(key, public), 1)
    sign_rate, _ = rate(args.messages, lambda _: sender.sign(b"h" * 900), 1)
    print(
        f"primitives: crypto_box_seal {box_rate:,.0f}/s ({1e6 / box_rate:.0f} us each, x{args.recipients} "
        f"per message); Ed25519 sign {sign_rate:,.0f}/s"
    )

    if not args.skip_large:
        attachment = os.urandom(MAX_ATTACHMENT_BYTES)
        start = time.perf_counter()
        big = seal(
            sender_agency="NCB-SND",
            sender_user="officer.bench",
            sender_signing_key=sender,
            recipients=recipients,
            subject="large",
            body="see attachment",
            classification="RESTRICTED",
            attachments=[("scan.tif", "image/tiff", attachment)],
            created_at=created,
        ).to_bytes()
        sealed_at = time.perf_counter()
        open_message(
            big,
            recipient_agency=reader,
            recipient_private_key=reader_key,
            sender_keys=directory,
            now=now,
            seen_ids=None,
        )
        opened_at = time.perf_counter()
        print(
            f"one 25 MiB attachment: seal+to_bytes {sealed_at - start:.2f} s, "
            f"open {opened_at - sealed_at:.2f} s (blob {len(big) / 2**20:.1f} MiB)"
        )
    print(f"load average after the run: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
