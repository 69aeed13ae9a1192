"""The receiving end of the node link, and its status for administrators."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from peacelink.access import Actor, Role
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.errors import Invalid
from peacelink.nodes import link
from peacelink.nodes.auth import verify_request
from peacelink.nodes.config import NodeConfig, Peer
from peacelink.nodes.models import LinkState

router = APIRouter(route_class=TransactionalRoute, prefix="/nodes", tags=["nodes"])


async def _raw_body(request: Request) -> bytes:
    return await request.body()


def require_node() -> Any:
    """Dependency: the request is signed by a configured peer node (no user token is accepted here).

    It carries ``required_roles`` = every role only so the route walk in the tests finds a marker: no user
    role opens this route, a peer node signature does (anonymous and user calls get 401).
    """

    def dependency(request: Request, body: Annotated[bytes, Depends(_raw_body)]) -> tuple[Peer, bytes]:
        node: NodeConfig = request.app.state.peacelink_node
        peer = verify_request(
            node, headers=request.headers, method=request.method, path=request.url.path, body=body
        )
        return peer, body

    dependency.required_roles = frozenset(Role)  # type: ignore[attr-defined]
    return dependency


SignedPeer = Annotated[tuple[Peer, bytes], Depends(require_node())]


@router.post(
    "/push",
    openapi_extra={"x-required-roles": ["peer-node-signature"]},
    responses=error_responses(401, 422),
)
def push(request: Request, session: DbSession, signed: SignedPeer) -> dict[str, Any]:
    """A peer node delivers link items; answers the last sequence number applied (its acknowledgement)."""
    peer, body = signed
    try:
        data = json.loads(body)
        items = [
            (int(item["seq"]), str(item["kind"]), base64.b64decode(item["payload"], validate=True))
            for item in data["items"]
        ]
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise Invalid(f"malformed link batch: {error}") from error
    state = request.app.state
    handlers, channel = state.peacelink_handlers, state.peacelink_channel
    applied = link.apply(session, peer=peer.name, items=items, handlers=handlers, context=channel)
    return {"node": state.peacelink_node.name, "applied": applied}


@router.get(
    "/status",
    openapi_extra=roles_extra(Role.SYSTEM_ADMIN),
    responses=error_responses(401, 403, 422),
)
def status(
    request: Request, session: DbSession, actor: Annotated[Actor, Depends(require(Role.SYSTEM_ADMIN))]
) -> dict[str, Any]:
    """This node's links: per peer, sequence numbers queued, acknowledged and applied, and the last error."""
    node: NodeConfig = request.app.state.peacelink_node
    states = {s.peer: s for s in session.scalars(select(LinkState))}
    peers = []
    for peer in node.peers:
        row = states.get(peer.name)
        peers.append(
            {
                "name": peer.name,
                "url": peer.url,
                "agencies": list(peer.agencies),
                "queued": row.last_queued if row else 0,
                "acknowledged": row.last_acked if row else 0,
                "applied": row.last_applied if row else 0,
                "last_contact_at": row.last_contact_at if row else None,
                "last_error": row.last_error if row else None,
            }
        )
    return {"node": node.name, "peers": peers}
