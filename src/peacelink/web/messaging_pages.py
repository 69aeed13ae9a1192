"""Secure-channel pages: inbox, outbox, compose and read (server-rendered; content opened per request)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from peacelink.access import Actor
from peacelink.api.dependencies import DbSession
from peacelink.api.errors import messaging_error
from peacelink.errors import Invalid, PeacelinkError
from peacelink.messaging import service
from peacelink.messaging.delivery import Channel
from peacelink.messaging.errors import MessagingError
from peacelink.messaging.payload import MAX_ATTACHMENT_BYTES
from peacelink.messaging.schemas import Classification, MessageCreate
from peacelink.messaging.views import to_out
from peacelink.translatable import Translatable
from peacelink.typed_input import DIGITS
from peacelink.users.models import User, WebSession
from peacelink.web import i18n
from peacelink.web.checks_pages import _error
from peacelink.web.security import PageUser, check_session_csrf


def _render(
    request: Request,
    session: Session,
    page: tuple[Actor, WebSession],
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    from peacelink.web.app import render

    actor, web_session = page
    user = session.get(User, actor.user_id)
    full = {"actor": actor, "csrf": web_session.csrf_token, "languages": i18n.LANGUAGES, **context}
    return render(request, name, user.language if user else "en", full, status_code=status_code)


def _channel(request: Request) -> Channel:
    channel: Channel = request.app.state.peacelink_channel
    return channel


# A read page's refusal by its status, as the API answers it (``api/errors.py``): a message that is not
# there, or not the reader's agency's, 404; a role refused 403; a message that cannot be opened 409.
_REFUSAL_PAGES = {403: "error.forbidden", 404: "error.not_found", 409: "error.conflict"}


def _refused(
    request: Request, session: Session, page: tuple[Actor, WebSession], error: PeacelinkError
) -> HTMLResponse:
    """The error page of a service's refusal, with the error's status and what it says."""
    context = {
        "message_key": _REFUSAL_PAGES.get(error.status, "error.input"),
        "detail": error.message,
        "field": error.field,
    }
    return _render(request, session, page, "error.html", context, status_code=error.status)


def register(router: APIRouter) -> None:
    """Add the message pages to ``router``."""

    @router.get("/messages", response_class=HTMLResponse, include_in_schema=False)
    def inbox_page(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        actor, _ = page
        views = service.inbox(session, actor=actor, channel=_channel(request), limit=100)
        items = [to_out(v) for v in views]
        return _render(request, session, page, "messages_list.html", {"items": items, "folder": "inbox"})

    @router.get("/messages/outbox", response_class=HTMLResponse, include_in_schema=False)
    def outbox_page(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        actor, _ = page
        views = service.outbox(session, actor=actor, channel=_channel(request), limit=100)
        items = [to_out(v) for v in views]
        return _render(request, session, page, "messages_list.html", {"items": items, "folder": "outbox"})

    @router.get("/messages/new", response_class=HTMLResponse, include_in_schema=False)
    def compose_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        to: str = "",
        reply_to: str = "",
        subject: str = "",
    ) -> HTMLResponse:
        form = {"to": to, "reply_to": reply_to, "subject": subject, "body": "", "handling": ""}
        context = {"form": form, "classifications": list(Classification), "error": None, "files_again": []}
        return _render(request, session, page, "message_compose.html", context)

    @router.post("/messages/new", response_class=HTMLResponse, include_in_schema=False)
    def compose_submit(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        # The typed values are bounded by MessageCreate, whose refusal the form shows with what was typed
        # (a bound here answered a bare JSON 422; a maxlength on the form cut a pasted subject silently).
        to: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "",
        body: Annotated[str, Form()] = "",
        classification: Annotated[str, Form(max_length=64)] = Classification.OFFICIAL_USE.value,
        handling: Annotated[str, Form()] = "",
        reply_to: Annotated[str, Form(max_length=64)] = "",
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        form = {
            "to": to,
            "reply_to": reply_to,
            "subject": subject,
            "body": body,
            "handling": handling,
            "classification": classification,
        }
        # A browser cannot fill a file box again: a refused form names the files chosen, to choose again.
        chosen = [upload.filename for upload in files or [] if upload.filename]
        try:
            if not to.replace(";", ",").replace(",", "").strip():
                # Said as the officer would say it, not as a list's length rule (a box of spaces passes the
                # browser's required).
                raise Invalid(
                    Translatable("give at least one recipient", "messages.error.no_recipient"),
                    field="recipients",
                )
            # The files are given to MessageCreate as the API's body gives them, so that a refused one is
            # named as the API names it (attachments.1.content_type), not by its field alone.
            attachments: list[dict[str, str]] = []
            for upload in files or []:
                if not upload.filename:
                    continue  # the empty file input of a form sent without attachments
                # Read one byte past the limit, so an oversized file is refused without reading all of it.
                content = upload.file.read(MAX_ATTACHMENT_BYTES + 1)
                if len(content) > MAX_ATTACHMENT_BYTES:
                    where = f"attachments.{len(attachments)}.data"  # as the API names its content
                    raise Invalid(f"{upload.filename} is larger than 25 MiB", field=where)
                attachments.append(
                    {
                        "name": upload.filename,
                        "content_type": upload.content_type or "application/octet-stream",
                        "data": base64.b64encode(content).decode("ascii"),
                    }
                )
            data = MessageCreate.model_validate(
                {
                    "attachments": attachments,
                    "recipients": [part.strip() for part in to.replace(";", ",").split(",") if part.strip()],
                    "subject": subject,
                    "body": body,
                    "classification": Classification(classification),
                    "handling": handling,
                    "reply_to": reply_to or None,
                }
            )
            with session.begin_nested():
                message = service.send(session, actor=actor, channel=_channel(request), data=data)
        except (PeacelinkError, MessagingError, ValidationError, ValueError) as exc:
            status = 422
            if isinstance(exc, MessagingError):  # one the service did not map: as the API answers it
                exc = messaging_error(exc)
            # The reason and the field it names kept apart: a keyed reason is said in the user's language.
            field: str | None = None
            if isinstance(exc, PeacelinkError):  # its status: a sender that cannot sign here is a 409
                error, field, status = exc.message, exc.field, exc.status
            elif isinstance(exc, ValidationError):  # a rule of MessageCreate: why, and the field it names
                error, field = _error(exc)
            else:  # an unknown classification
                error = str(exc).splitlines()[0]
            context = {
                "form": form,
                "classifications": list(Classification),
                "error": error,
                "error_field": field,
                "files_again": chosen,
            }
            return _render(request, session, page, "message_compose.html", context, status_code=status)
        return RedirectResponse(f"/messages/{message.id}", status_code=303)

    @router.get("/messages/{message_id}/attachments/{index}", include_in_schema=False)
    def attachment_download(
        request: Request,
        session: DbSession,
        page: PageUser,
        message_id: str,
        index: Annotated[int, Path(ge=0), DIGITS],
    ) -> Response:
        actor, _ = page
        try:
            item = service.attachment(
                session, actor=actor, channel=_channel(request), message_id=message_id, index=index
            )
        except PeacelinkError as error:
            return _refused(request, session, page, error)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in item.name)[:100] or "attachment"
        return Response(
            item.content,
            media_type="application/octet-stream",  # never rendered inline: the content is untrusted
            headers={"Content-Disposition": f'attachment; filename="{safe}"'},
        )

    @router.get("/messages/{message_id}", response_class=HTMLResponse, include_in_schema=False)
    def read_page(request: Request, session: DbSession, page: PageUser, message_id: str) -> HTMLResponse:
        actor, _ = page
        try:
            view = service.read(session, actor=actor, channel=_channel(request), message_id=message_id)
        except PeacelinkError as error:
            return _refused(request, session, page, error)
        return _render(request, session, page, "message_read.html", {"message": to_out(view)})
