"""REST API v1: the same scoping layer as the web UI; outsiders get 404."""

import logging
from datetime import date, datetime

from django.db import DataError
from django.db.models import Q
from django.http import Http404
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination, paginate

from itog.accounts.roles import ROLE_LABELS
from itog.accounts.scope import grants_of, has_perm, own_organizations, scoped_get
from itog.orgs.kinds import OrgKind
from itog.orgs.models import ActorAlias, Organization, Place

from .auth import SessionAuth, TokenAuth
from .schemas import AliasOut, ErrorOut, MeOut, OrgOut, PlaceOut

api = NinjaAPI(
    title="Итог API",
    version="1",
    description="REST API системы «Итог». Аутентификация: сессия браузера или заголовок "
    "`Authorization: Bearer <токен>` (токены выпускаются на странице «Профиль»).",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Не найдено"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    reason = getattr(request, "itog_token_error", "")
    detail = f"Требуется аутентификация: {reason[0].lower()}{reason[1:]}" if reason else "Требуется аутентификация"
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc):
    """A number the database cannot hold: the bounds below stop these first; this is the safety net."""
    return api.create_response(request, {"detail": "Значение вне допустимого диапазона"}, status=422)


@api.exception_handler(Exception)
def server_error(request, exc):
    """Any other failure answers JSON as documented (the web pages keep their HTML error page)."""
    logging.getLogger("itog.api").exception("API error at %s", request.path)
    return api.create_response(request, {"detail": "Внутренняя ошибка сервера"}, status=500)


# Ids and page numbers are bounded in the schema (422 for anything larger) so that no value reaches the
# database as an overflow (SQLite: 64-bit integers; PostgreSQL: bigint).
MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000
ID = Path(..., ge=1, le=MAX_ID)


class BoundedPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


def require(request, perm: str) -> None:
    """An endpoint the user's roles do not open at all answers 404, like a foreign record."""
    if not has_perm(request.user, perm):
        raise Http404


@api.get("/me", response=MeOut, tags=["Профиль"], summary="Текущий пользователь и его роли")
def me(request):
    user = request.user
    orgs = own_organizations(user)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "memberships": [
            {
                "role": g.role.value,
                "role_label": ROLE_LABELS[g.role],
                "organization_id": g.org_id,
                "organization": orgs[g.org_id].display_name,
            }
            for g in grants_of(user)
        ],
    }


orgs_router = Router(tags=["Организации"])


class OrgFilter(Schema):
    kind: OrgKind | None = None
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)
    q: str | None = Field(None, max_length=200)


@orgs_router.get("/", response=list[OrgOut], summary="Организации в пределах прав пользователя")
@paginate(BoundedPagination, page_size=100, max_page_size=1000)
def list_orgs(request, filters: Query[OrgFilter]):
    orgs = Organization.objects.for_user(request.user).order_by("path")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent_id:
        orgs = orgs.filter(parent_id=filters.parent_id)
    if filters.q:
        orgs = orgs.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q) | Q(code=filters.q))
    return orgs


@orgs_router.get("/{int:org_id}", response={200: OrgOut, 404: ErrorOut}, summary="Организация")
def get_org(request, org_id: int = ID):
    return scoped_get(Organization, request.user, pk=org_id)


@orgs_router.get(
    "/{int:org_id}/places",
    response={200: list[PlaceOut], 404: ErrorOut},
    summary="Места организации (проведения, регистрации, проверки) с аудиториями",
)
def org_places(request, org_id: int = ID):
    org = scoped_get(Organization, request.user, pk=org_id)
    return Place.objects.for_user(request.user).filter(organization=org).prefetch_related("rooms")


aliases_router = Router(tags=["Словарь участников"])


@aliases_router.get("/", response=list[AliasOut], summary="Словарь синонимов участников")
def list_aliases(request):
    require(request, "aliases:view")
    return [
        {"id": a.id, "alias": a.alias, "organization_id": a.organization_id, "canonical": a.canonical}
        for a in ActorAlias.objects.for_user(request.user).select_related("organization")
    ]


api.add_router("/orgs", orgs_router)
api.add_router("/aliases", aliases_router)


# ---------------------------------------------------------------- the participant's result (public)


class LookupIn(Schema):
    code: str = Field(..., max_length=64)
    document: str = Field(..., max_length=64)


class LookupOut(Schema):
    found: bool
    detail: str = ""
    session_date: date | None = None
    form: str = ""
    result: str = ""
    final: bool = False
    recheck_until: datetime | None = None


@api.post(
    "/results/lookup",
    auth=None,
    response={200: LookupOut, 429: ErrorOut},
    tags=["Результаты"],
    summary="Результат участника по коду работы и номеру документа (п. 11)",
)
def results_lookup(request, body: LookupIn):
    """Public: the same answer for an unknown code, a wrong document and an unpublished result; limited per
    address and per code; refusals are logged. The document number travels in the body, never in the URL."""
    from itog.conduct.results.lookup import lookup

    out = lookup(request, body.code, body.document)
    if out["status"] == 429:
        return 429, {"detail": out["error"]}
    answer = out.get("answer")
    # The busiest request of the results day: the answer is built here with every field of LookupOut and
    # rendered directly (the same JSON), skipping the response model's validation on each request.
    if answer is None:
        data = {**_LOOKUP_EMPTY, "detail": out["error"]}
    else:
        data = {
            **_LOOKUP_EMPTY,
            "found": True,
            "session_date": answer.session_date,
            "form": answer.form,
            "result": answer.result,
            "final": answer.final,
            "recheck_until": answer.recheck_until,
        }
    return api.create_response(request, data, status=200)


_LOOKUP_EMPTY = LookupOut(found=False).model_dump()
