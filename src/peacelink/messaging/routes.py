"""HTTP routes of the secure channel: parse -> service -> schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from peacelink.access import ALL_ROLES, Actor, Role
from peacelink.api.dependencies import DbSession, require, roles_extra
from peacelink.api.errors import error_responses
from peacelink.api.routing import TransactionalRoute
from peacelink.messaging import keys_service, service
from peacelink.messaging.delivery import Channel
from peacelink.messaging.schemas import KeyOut, KeyRevoke, MessageCreate, MessageOut
from peacelink.messaging.views import to_out
from peacelink.typed_input import DIGITS

router = APIRouter(route_class=TransactionalRoute, prefix="/messages", tags=["messages"])

AnyUser = Annotated[Actor, Depends(require(*ALL_ROLES))]
KEY_ADMINS = (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)
KeyAdmin = Annotated[Actor, Depends(require(*KEY_ADMINS))]


def get_channel(request: Request) -> Channel:
    """The node's messaging channel, attached by create_app."""
    channel: Channel = request.app.state.peacelink_channel
    return channel


ChannelDep = Annotated[Channel, Depends(get_channel)]


@router.post(
    "",
    response_model=MessageOut,
    status_code=201,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 409, 422),
)
def send_message(session: DbSession, actor: AnyUser, channel: ChannelDep, data: MessageCreate) -> MessageOut:
    """Seal and send a message from your agency (attachments: base64, at most 25 MiB each).

    409 when your agency cannot sign on this node: its key is revoked, or its keys are held on
    another node (the message names it: send from there). 422 for a bad recipient, attachment or field."""
    message = service.send(session, actor=actor, channel=channel, data=data)
    return to_out(service.read(session, actor=actor, channel=channel, message_id=message.id, mark_read=False))


@router.get(
    "",
    response_model=list[MessageOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 409, 422),
)
def list_inbox(
    session: DbSession,
    actor: AnyUser,
    channel: ChannelDep,
    limit: Annotated[int, Query(ge=1, le=200), DIGITS] = 50,
    unread: bool = False,
) -> list[MessageOut]:
    """Your agency's inbox, newest first, with bodies opened for you."""
    views = service.inbox(session, actor=actor, channel=channel, limit=limit, unread=unread)
    return [to_out(v) for v in views]


@router.get(
    "/outbox",
    response_model=list[MessageOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 409, 422),
)
def list_outbox(
    session: DbSession,
    actor: AnyUser,
    channel: ChannelDep,
    limit: Annotated[int, Query(ge=1, le=200), DIGITS] = 50,
) -> list[MessageOut]:
    """Messages your agency sent, with delivery and read receipts per recipient."""
    return [to_out(v) for v in service.outbox(session, actor=actor, channel=channel, limit=limit)]


@router.get(
    "/directory",
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 422),
)
def key_directory(session: DbSession, actor: AnyUser) -> Response:
    """The key directory signed by the central agency (canonical JSON; verify it with the central key)."""
    document = keys_service.directory_document(session, actor=actor)
    return Response(document, media_type="application/json")


@router.get(
    "/keys",
    response_model=list[KeyOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 422),
)
def list_keys(session: DbSession, actor: AnyUser, agency: str | None = None) -> list[KeyOut]:
    """Public key generations known to this node (optionally of one agency)."""
    return keys_service.list_keys(session, actor=actor, agency=agency)


@router.post(
    "/keys/{agency}",
    response_model=KeyOut,
    status_code=201,
    openapi_extra=roles_extra(*KEY_ADMINS),
    responses=error_responses(401, 403, 404, 409, 422),
)
def generate_keys(session: DbSession, actor: KeyAdmin, channel: ChannelDep, agency: str) -> KeyOut:
    """Generate (or rotate to) a new key pair for an agency hosted on this node."""
    return keys_service.generate(session, actor=actor, channel=channel, agency=agency)


@router.post(
    "/keys/{agency}/revoke",
    response_model=KeyOut,
    openapi_extra=roles_extra(*KEY_ADMINS),
    responses=error_responses(401, 403, 404, 409, 422),
)
def revoke_keys(
    session: DbSession, actor: KeyAdmin, channel: ChannelDep, agency: str, data: KeyRevoke
) -> KeyOut:
    """Revoke a key from a moment (back-dating allowed: messages signed from then on are rejected)."""
    return keys_service.revoke(session, actor=actor, channel=channel, agency=agency, data=data)


@router.get(
    "/{message_id}",
    response_model=MessageOut,
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 409, 422),
)
def read_message(session: DbSession, actor: AnyUser, channel: ChannelDep, message_id: str) -> MessageOut:
    """One message, opened; the first read sets the read receipt."""
    return to_out(service.read(session, actor=actor, channel=channel, message_id=message_id))


@router.get(
    "/{message_id}/thread",
    response_model=list[MessageOut],
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 409, 422),
)
def read_thread(session: DbSession, actor: AnyUser, channel: ChannelDep, message_id: str) -> list[MessageOut]:
    """The reply thread around a message, oldest first."""
    return [to_out(v) for v in service.thread(session, actor=actor, channel=channel, message_id=message_id)]


@router.get(
    "/{message_id}/attachments/{index}",
    openapi_extra=roles_extra(*ALL_ROLES),
    responses=error_responses(401, 404, 409, 422),
)
def download_attachment(
    session: DbSession,
    actor: AnyUser,
    channel: ChannelDep,
    message_id: str,
    index: Annotated[int, Path(ge=0), DIGITS],
) -> Response:
    """One decrypted attachment, as a download."""
    item = service.attachment(session, actor=actor, channel=channel, message_id=message_id, index=index)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in item.name)[:100] or "attachment"
    return Response(
        item.content,
        media_type=item.content_type,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )
