"""The node-to-node link: authenticated, resumable, ordered, exactly-once store-and-forward between nodes.

``models`` (per-peer outbox and link state), ``config`` (peers from settings, routing), ``auth`` (Ed25519
signed requests), ``link`` (enqueue, apply), ``sender`` (background pusher), ``routes`` (the receiving end).
See docs/messaging.md, "Store-and-forward between nodes".
"""
