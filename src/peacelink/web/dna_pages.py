"""DNA pages: the profile entry form, direct-search results with a per-locus table, kinship results."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from peacelink.access import OPERATIONAL_ROLES
from peacelink.api.dependencies import DbSession
from peacelink.dna import checks, service
from peacelink.dna.schemas import DirectCheck, KinshipCheck, ProfileCreate
from peacelink.errors import Invalid, PeacelinkError
from peacelink.matching.dna.loci import locus_as_typed
from peacelink.translatable import Translatable
from peacelink.typed_input import DIGITS_EXPECTED, whole_number_from_text
from peacelink.web.checks_pages import _error, _render
from peacelink.web.security import PageUser, check_session_csrf

KINDS = ("stain", "reference", "unidentified_remains", "relative")
RELATIONSHIPS = ("parent", "child", "full_sibling", "half_sibling", "spouse", "grandparent", "uncle_aunt")
# The loci box as typed: far above the 60 loci a profile may hold. A longer text is refused on the form with
# its length (as a FastAPI bound it answered a bare JSON 422); the other typed values are bounded by the
# request shapes the API uses (``ProfileCreate``), which the form shows the same way.
LOCI_TEXT_MAX = 4000
# The minimum loci box as typed (a bound on the form parameter would be a bare error page, not the DNA page).
MIN_LOCI_TEXT_MAX = 20


def parse_loci_text(text: str) -> dict[str, list[str]]:
    """Loci typed one per line as ``LOCUS: A, B`` (or ``LOCUS A B``, ``LOCUS=A,B``)."""
    if len(text) > LOCI_TEXT_MAX:
        message = f"at most {LOCI_TEXT_MAX} characters of loci (the text has {len(text)})"
        keyed = Translatable(message, "dna.error.loci_too_long", most=LOCI_TEXT_MAX, length=len(text))
        raise Invalid(keyed, field="loci")
    loci: dict[str, list[str]] = {}
    lines: dict[str, int] = {}  # each locus (any spelling: locus_as_typed) and the line that typed it
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for separator in (":", "=", "\t"):
            if separator in line:
                name, _, rest = line.partition(separator)
                break
        else:
            name, _, rest = line.partition(" ")
        alleles = [a for a in rest.replace(",", " ").replace(";", " ").split() if a]
        if not name.strip() or not alleles:
            message = f"line {number}: write LOCUS: allele, allele"
            raise Invalid(Translatable(message, "dna.error.loci_line", number=number), field="loci")
        # A locus typed twice is refused, not its second line kept: which typing is the profile is the
        # officer's call, never a guess of ours (a dict would keep the last line without a word).
        locus = locus_as_typed(name)
        if locus in lines:
            first = lines[locus]
            said = f"locus {locus} given twice (lines {first} and {number}): keep one line"
            keyed = Translatable(said, "dna.error.locus_lines_twice", locus=locus, first=first, second=number)
            raise Invalid(keyed, field="loci")
        lines[locus] = number
        loci[name.strip()] = alleles
    if not loci:
        raise Invalid(Translatable("type at least one locus", "dna.error.no_loci"), field="loci")
    return loci


def parse_min_loci(text: str) -> int:
    """The minimum loci box as typed: ASCII digits only (``typed_input``), its bounds checked by the request
    shape (``DirectCheck``). Read here, not by the form parameter, so that a refused value is the DNA page
    with the box marked and the form as typed, not a bare error page."""
    if len(text) > MIN_LOCI_TEXT_MAX:  # before int(): Python refuses to read over 4300 digits
        said = f"String should have at most {MIN_LOCI_TEXT_MAX} characters (it has {len(text)})"
        keyed = Translatable(said, "input.too_long", limit=MIN_LOCI_TEXT_MAX, length=len(text))
        raise Invalid(keyed, field="min_loci")
    number = whole_number_from_text(text)
    if number is None:
        raise Invalid(Translatable(DIGITS_EXPECTED, "input.digits"), field="min_loci")
    return number


def register(router: APIRouter) -> None:
    """Add the DNA pages to ``router``; the services enforce roles (an error is shown on the form)."""

    def form_page(request: Request, session: DbSession, page: PageUser, **extra: Any) -> HTMLResponse:
        context: dict[str, Any] = {
            "kinds": KINDS,
            "relationships": RELATIONSHIPS,
            "error": None,
            "field": None,
            "form": {},
            # Offered only to the roles the service lets enrol: a refused action is not offered.
            "may_enrol": bool(page[0].roles & set(service.REPORTING_ROLES)),
            "may_check": bool(page[0].roles & OPERATIONAL_ROLES),
            "failed": None,
        }
        context.update(extra)
        return _render(
            request, session, page, "dna.html", context, status_code=422 if extra.get("error") else 200
        )

    @router.get("/dna", response_class=HTMLResponse, include_in_schema=False)
    def dna_page(request: Request, session: DbSession, page: PageUser) -> HTMLResponse:
        return form_page(request, session, page)

    @router.post("/dna/profiles", response_class=HTMLResponse, include_in_schema=False)
    def enrol_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        kind: Annotated[str, Form(max_length=24)] = "stain",
        reference: Annotated[str, Form()] = "",
        loci: Annotated[str, Form()] = "",
        relationship: Annotated[str, Form(max_length=16)] = "",
        family: Annotated[str, Form()] = "",
        action: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        form = {
            "kind": kind,
            "reference": reference,
            "loci": loci,
            "relationship": relationship,
            "family": family,
            "action": action,
        }
        try:
            data = ProfileCreate(
                kind=kind,
                reference=reference,
                loci=parse_loci_text(loci),
                relationship=relationship or None,
                family=family or None,
                action=action,
            )
            out = service.to_out(session, service.create(session, actor=actor, data=data))
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            return form_page(request, session, page, error=message, field=field, form=form, failed="enrol")
        return form_page(request, session, page, enrolled=out.model_dump(mode="json"))

    @router.post("/checks/dna", response_class=HTMLResponse, include_in_schema=False)
    def check_dna_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        loci: Annotated[str, Form()] = "",
        stringency: Annotated[str, Form(max_length=10)] = "moderate",
        min_loci: Annotated[str, Form()] = "8",
        allow_mismatch: Annotated[str, Form(max_length=5)] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            data = DirectCheck(
                loci=parse_loci_text(loci),
                stringency=stringency,
                min_loci=parse_min_loci(min_loci),
                allow_mismatch=bool(allow_mismatch),
            )
            answer = checks.check_direct(session, actor=actor, data=data).to_dict()
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            form = {
                "check_loci": loci,
                "stringency": stringency,
                "min_loci": min_loci,
                "allow_mismatch": allow_mismatch,
            }
            return form_page(request, session, page, error=message, field=field, form=form)
        # The answer's own word (``searched: false``: too few loci to compare), as the API says it.
        context = {"answer": answer, "too_few_loci": answer.get("searched") is False}
        return _render(request, session, page, "dna_result.html", context)

    @router.post("/checks/dna/kinship", response_class=HTMLResponse, include_in_schema=False)
    def kinship_page(
        request: Request,
        session: DbSession,
        page: PageUser,
        csrf: Annotated[str, Form(max_length=100)] = "",
        loci: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        actor, web_session = page
        check_session_csrf(web_session, csrf)
        try:
            data = KinshipCheck(loci=parse_loci_text(loci))
            answer = checks.check_kinship(session, actor=actor, data=data).to_dict()
        except (PeacelinkError, ValidationError) as exc:
            message, field = _error(exc)
            return form_page(request, session, page, error=message, field=field, form={"kinship_loci": loci})
        return _render(request, session, page, "dna_result.html", {"answer": answer})
