"""Wiring the node into the app: config, messaging channel, link handlers, and the background sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from peacelink.api.state import AppState
from peacelink.messaging.delivery import CHANNEL_INFO_KEY, Channel, apply_message, apply_receipt
from peacelink.messaging.publication import apply_directory, apply_keys
from peacelink.nodes.config import from_settings
from peacelink.nodes.link import Handler
from peacelink.nodes.sender import LinkSender


def link_handlers() -> dict[str, Handler]:
    """What each kind of link item does when it arrives (replication will add its kinds here)."""
    return {
        "message": apply_message,
        "receipt": apply_receipt,
        "keys": apply_keys,
        "directory": apply_directory,
    }


def install(app: FastAPI, state: AppState) -> None:
    """Attach the node config and channel; start the link sender with the app when peers are configured."""
    node = from_settings(state.settings, state.secret_key)
    channel = Channel(secret_key=state.secret_key, node=node)
    app.state.peacelink_node = node
    app.state.peacelink_channel = channel
    app.state.peacelink_handlers = link_handlers()
    # Sessions made by this app carry the channel, so send_system_message(session, ...) needs no more.
    state.sessions.configure(info={CHANNEL_INFO_KEY: channel})
    if not node.peers:
        return
    sender = LinkSender(state.sessions, node)
    app.state.peacelink_sender = sender
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        sender.start()
        try:
            async with inner(application) as value:
                yield value
        finally:
            sender.stop()

    app.router.lifespan_context = lifespan
