"""JSON API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``).

Errors are ``{"detail": "<one line naming the input and the problem>", "field": <the
parameter or body field, or null>}`` with 401 (login or token needed), 403 (role or
CSRF), 404 (no such record), 409 (already exists), 411/413 (body without length / too
large) and 422 (invalid input: a value out of range, too long, not one of the allowed
values, not a real date or country). Every parameter is bounded: see the OpenAPI schema.
"""

from __future__ import annotations

import io
from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from cronica.records import INCIDENT_TYPES, STATUSES
from cronica.serve import queries, review
from cronica.serve.accounts import MAX_PASSWORD, MIN_PASSWORD, ROLES, AccountError, User, add_user
from cronica.serve.security import check_csrf, require_admin, require_editor, require_read
from cronica.serve.workbench import Workbench
from cronica.store import StoreError
from cronica.store.api import INCIDENT_SORTS
from cronica.store.rows import display_title

router = APIRouter(prefix="/api/v1", tags=["cronica"])

#: Bounds of the HTTP parameters (longer or larger input answers 422).
MAX_ID = 200  # record ids, actor names in the path
MAX_FILTER = 200  # substring filters (actor, place, text, indicator, ...)
MAX_QUERY = 500  # full-text search query
MAX_OFFSET = 1_000_000
DATE_PATTERN = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"  # or empty
COUNTRY_PATTERN = r"^([A-Za-z]{2})?$"  # or empty


class Invalid(ValueError):
    """Invalid input found after FastAPI's own validation: 422 (or ``status``) naming
    ``field``."""

    def __init__(self, field: str | None, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


class Problem(BaseModel):
    """The body of every error response."""

    detail: str = Field(description="one line naming the input and the problem")
    field: str | None = Field(None, description="the parameter or body field at fault, when there is one")


_WHY = {401: "Login or API token needed (or the token is unknown)", 403: "The role does not allow it, or CSRF "
        "token missing", 404: "No such record", 409: "Already exists", 411: "Body without Content-Length",
        413: "Body too large", 422: "Invalid input (the field and the problem are named)"}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an operation may answer."""
    return {c: {"model": Problem, "description": _WHY[c]} for c in codes}


def tidy_openapi(spec: dict[str, Any]) -> None:
    """Every operation lists 401 (a bad token is refused everywhere) and 422 (every
    operation validates input), POSTs also 411 and 413; 4xx bodies are :class:`Problem`
    (FastAPI's own validation error shape is never sent)."""
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in spec.get("paths", {}).values():
        for method, op in path.items():
            res = op.setdefault("responses", {})
            wanted = [401, 422] + ([411, 413] if method == "post" else [])
            for code in wanted:
                res.setdefault(str(code), {"description": _WHY[code]})
            for code, r in res.items():
                if code.startswith("4"):
                    r["content"] = ref
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def wb(request: Request) -> Workbench:
    return request.app.state.wb


# IncidentRow fields left out of list responses (the full record, and what only
# /incidents/{id} fills in).
_LIST_ONLY_DETAIL = frozenset({"data", "provenance", "document"})


def _doc_item(d: Any) -> dict[str, Any]:
    """An article as JSON with ``title_display`` (its title, else its first line)."""
    return {**d.to_dict(), "title_display": display_title(d.title, d.text)}


def _bad(exc: Exception, field: str | None = None) -> Invalid:
    return Invalid(field, str(exc))


def one_of(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise Invalid(field, f"{field} {shown!r} is not one of {', '.join(allowed)}")
    return value


def date_param(field: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return review.check_date(value)
    except ValueError as exc:
        raise Invalid(field, f"{field} {exc}") from None


def country_param(field: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return review.check_country(value)
    except ValueError as exc:
        raise Invalid(field, f"{field} {exc}") from None


def _text(max_length: int = MAX_FILTER, **kw: Any) -> Any:
    return Query(None, max_length=max_length, **kw)


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"enum": ["", *values]}


@router.get("/me", summary="Who am I (null when anonymous)", responses=errors(401))
def me(request: Request, user: User | None = Depends(require_read)) -> dict[str, Any]:
    return {"user": None if user is None else {"name": user.name, "role": user.role},
            "public": wb(request).public}


@router.get("/counts", summary="Totals for an overview", responses=errors(401))
def counts(request: Request, _: Any = Depends(require_read)) -> dict[str, Any]:
    return wb(request).db.counts()


@router.get("/documents", summary="Stored articles, newest first (without text)", responses=errors(401, 422))
def documents(request: Request, limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
              _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    out = []
    for d in wb(request).db.documents(limit=limit, offset=offset):
        item = _doc_item(d)
        item.pop("text")
        out.append(item)
    return out


@router.get("/documents/{document_id}", summary="One article with its text and evidence spans",
            responses=errors(401, 404, 422))
def document(request: Request, document_id: str = Path(max_length=MAX_ID),
             _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    doc = db.document(document_id)
    if doc is None:
        raise HTTPException(404, f"document {document_id!r} does not exist")
    segs = queries.highlight(db, doc.id, doc.text)
    spans = [{"start": s.start, "end": s.start + len(s.text), "fields": s.labels, "records": s.records}
             for s in segs if s.labels]
    return {**_doc_item(doc), "highlights": spans}


def incident_filters(type: str | None = Query(None, max_length=40, json_schema_extra=_enum(INCIDENT_TYPES)),  # noqa: A002
                     status: str | None = Query(None, max_length=40, json_schema_extra=_enum(STATUSES)),
                     actor: str | None = _text(), place: str | None = _text(),
                     country: str | None = Query(None, max_length=2, description="ISO 3166 alpha-2 code",
                                                 json_schema_extra={"pattern": COUNTRY_PATTERN}),
                     since: str | None = Query(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD",
                                               json_schema_extra={"pattern": DATE_PATTERN}),
                     until: str | None = Query(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD",
                                               json_schema_extra={"pattern": DATE_PATTERN}),
                     text: str | None = _text()) -> dict[str, Any]:
    """The query parameters that select incidents (shared by /incidents, /timeline and
    /map/points), checked, as keyword arguments of the store's incident queries."""
    return {"type": one_of("type", type, INCIDENT_TYPES), "status": one_of("status", status, STATUSES),
            "group": actor or None, "country": country_param("country", country), "place": place or None,
            "since": date_param("since", since), "until": date_param("until", until), "text": text or None}


@router.get("/incidents", summary="Incidents matching every given filter", responses=errors(401, 422))
def incidents(request: Request, filters: dict[str, Any] = Depends(incident_filters),
              document_id: str | None = Query(None, max_length=MAX_ID),
              sort: str = Query("date", max_length=10, json_schema_extra={"enum": list(INCIDENT_SORTS)}),
              limit: int = Query(100, ge=1, le=5000), offset: int = Query(0, ge=0, le=MAX_OFFSET),
              _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    sort = one_of("sort", sort, INCIDENT_SORTS) or "date"
    rows = wb(request).db.incidents(**filters, document_id=document_id, sort=sort, limit=limit, offset=offset)
    return [{k: v for k, v in r.to_dict().items() if k not in _LIST_ONLY_DETAIL} for r in rows]


@router.get("/timeline", summary="Incidents per month (the same filters as /incidents; dated incidents only)",
            responses=errors(401, 422))
def timeline(request: Request, filters: dict[str, Any] = Depends(incident_filters),
             _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    months = queries.incidents_per_month(wb(request).db, **filters)
    return [{"month": m, "incidents": n} for m, n in months]


@router.get("/map/points", summary="Incidents with coordinates for a map, compact (the same filters as /incidents)",
            responses=errors(401, 422))
def map_points(request: Request, filters: dict[str, Any] = Depends(incident_filters),
               limit: int = Query(200_000, ge=1, le=1_000_000),
               _: Any = Depends(require_read)) -> dict[str, Any]:
    """``{"fields": [...], "points": [[id, lat, lon, type, date, killed, location, country], ...]}``,
    newest first."""
    db = wb(request).db
    points = db.incident_points(**filters, limit=limit)
    return {"fields": list(db.POINT_FIELDS), "points": points}


@router.get("/incidents/{incident_id}", summary="One incident: full record, evidence spans, review history",
            responses=errors(401, 404, 422))
def incident(request: Request, incident_id: str = Path(max_length=MAX_ID),
             _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    row = db.incident(incident_id)
    if row is None:
        raise HTTPException(404, f"incident {incident_id!r} does not exist or was rejected")
    out = row.to_dict()
    doc = out.pop("document") or {}
    doc.pop("text", None)  # the article text is at /documents/{document_id}
    return {**out, "document": doc, "history": review.history(db.engine, "incident", incident_id)}


@router.get("/actors/{name}", summary="Profile of an actor (id, canonical name or alias)",
            responses=errors(401, 404, 422))
def actor(request: Request, name: str = Path(max_length=MAX_ID), _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    prof = db.actor(name)
    if prof is None:
        raise HTTPException(404, f"actor {name!r} is not known")
    return {**prof.to_dict(), "co_actors": [{"name": n, "incidents": c} for n, c in queries.co_actors(db, prof.id)]}


@router.get("/figures", summary="Numeric claims (indicator / place / subject substrings, one article)",
            responses=errors(401, 422))
def figures(request: Request, indicator: str | None = _text(), place: str | None = _text(),
            subject: str | None = _text(), document_id: str | None = _text(MAX_ID),
            _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    return wb(request).db.figures(indicator=indicator or None, place=place or None, subject=subject or None,
                                  document_id=document_id or None).to_dicts()


@router.get("/quotes", summary="Quotes, newest first (by speaker, one article)", responses=errors(401, 422))
def quotes(request: Request, speaker: str | None = _text(), document_id: str | None = _text(MAX_ID),
           _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    return wb(request).db.quotes(speaker=speaker or None, document_id=document_id or None).to_dicts()


@router.get("/search", summary="Full-text search over articles and records", responses=errors(401, 422))
def search(request: Request, q: str = Query(min_length=1, max_length=MAX_QUERY), limit: int = Query(20, ge=1, le=500),
           _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    try:
        return wb(request).db.search(q, limit=limit).to_dicts()
    except StoreError as exc:
        raise _bad(exc, "q") from None


class ExportFormat(str, Enum):
    csv = "csv"
    geojson = "geojson"
    json = "json"


_MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json"}


@router.get("/exports/{fmt}", summary="Every non-rejected incident as csv, geojson or json",
            response_class=Response,
            responses={200: {"description": "The export file", "content": {
                "text/csv": {"schema": {"type": "string"}}, "application/geo+json": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "array"}}}}, **errors(401, 422)})
def export(request: Request, fmt: ExportFormat, _: Any = Depends(require_read)) -> Response:
    buf = io.StringIO()
    wb(request).db.export(fmt.value, buf)
    return Response(buf.getvalue(), media_type=_MEDIA[fmt.value],
                    headers={"Content-Disposition": f'attachment; filename="incidents.{fmt.value}"'})


@router.get("/regions", summary="Informal regions of the gazetteer as GeoJSON", responses=errors(401))
def regions(_: Any = Depends(require_read)) -> dict[str, Any]:
    from cronica.resolve.places import Gazetteer

    return {"type": "FeatureCollection", "features": Gazetteer.default().region_shapes()}


def _too_large(source: str, size: int, limit: int) -> Invalid:
    return Invalid("file" if source != "<pasted text>" else "text",
                   f"{source}: too large ({size} bytes, limit {limit})", status=413)


@router.post("/ingest", summary="Ingest one article (file upload or pasted text); editors only",
             responses=errors(401, 403, 413, 422))
def ingest(request: Request, file: UploadFile | None = File(None), text: str | None = Form(None),
           url: str | None = Form(None, max_length=2000), title: str | None = Form(None, max_length=1000),
           published: str | None = Form(None, max_length=40), language: str | None = Form(None, max_length=16),
           x_csrf_token: str | None = Header(None, max_length=200),
           user: User = Depends(require_editor)) -> dict[str, Any]:
    from cronica.ingest import MAX_BYTES

    check_csrf(request, x_csrf_token)
    if file is not None and file.filename:
        content: bytes | str = file.file.read(MAX_BYTES + 1)
        source = file.filename[:200]
        if len(content) > MAX_BYTES:
            raise _too_large(source, len(content), MAX_BYTES)
    elif text and any(ch.isprintable() and not ch.isspace() for ch in text):  # not only blanks or zero-widths
        content, source = text, "<pasted text>"
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise _too_large(source, len(text.encode("utf-8")), MAX_BYTES)
    else:
        raise Invalid("text", "ingest needs a file or a non-empty text field")
    try:
        outcome, result, doc_id = wb(request).ingest(content, source=source, url=url, title=title,
                                                     published=published, language=language)
    except (ValueError, StoreError) as exc:
        raise _bad(exc) from None
    return {"outcome": outcome, "document_id": doc_id, "result": result.to_dict() if result else None}


class RecordKind(str, Enum):
    incident = "incident"
    figure = "figure"
    quote = "quote"
    actor = "actor"
    role = "role"


class ReviewAction(str, Enum):
    confirm = "confirm"
    correct = "correct"
    reject = "reject"


class ReviewIn(BaseModel):
    action: ReviewAction
    field: str | None = Field(None, max_length=64, description="field to correct (action=correct)")
    value: str | int | float | None = Field(None, description="new value (action=correct); null/empty clears "
                                            f"it; text at most {review.MAX_TEXT} characters, numbers finite")
    note: str | None = Field(None, max_length=review.MAX_NOTE)


@router.post("/review/{kind}/{record_id}", summary="Confirm, correct or reject a record; editors only",
             responses=errors(401, 403, 404, 422))
def review_record(request: Request, kind: RecordKind, body: ReviewIn, record_id: str = Path(max_length=MAX_ID),
                  x_csrf_token: str | None = Header(None, max_length=200),
                  user: User = Depends(require_editor)) -> dict[str, Any]:
    check_csrf(request, x_csrf_token)
    try:
        return review.apply_review(wb(request).db.engine, kind.value, record_id, body.action.value, user.name,
                                   field=body.field, value=body.value, note=body.note)
    except review.RecordNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except review.ReviewError as exc:
        raise _bad(exc, "value" if body.action is ReviewAction.correct and body.field in
                   review.CORRECTABLE[kind.value] else "field") from None


@router.get("/review/{kind}/{record_id}", summary="Review state and history of a record (rejected ones too)",
            responses=errors(401, 404, 422))
def review_history(request: Request, kind: RecordKind, record_id: str = Path(max_length=MAX_ID),
                   _: Any = Depends(require_read)) -> dict[str, Any]:
    engine = wb(request).db.engine
    state = review.review_state(engine, kind.value, record_id)
    if state is None:
        raise HTTPException(404, f"{kind.value} {record_id!r} does not exist")
    return {"review_state": state, "history": review.history(engine, kind.value, record_id)}


class SplitIn(BaseModel):
    note: str | None = Field(None, max_length=review.MAX_NOTE)


class MergeIn(BaseModel):
    other: str = Field(min_length=1, max_length=MAX_ID, description="id of an incident (any report) of the "
                       "merged incident to merge with")
    note: str | None = Field(None, max_length=review.MAX_NOTE)


@router.post("/incidents/{incident_id}/split", summary="Split a report off its merged incident, for good; "
             "editors only", responses=errors(401, 403, 404, 422))
def split_incident(request: Request, body: SplitIn, incident_id: str = Path(max_length=MAX_ID),
                   x_csrf_token: str | None = Header(None, max_length=200),
                   user: User = Depends(require_editor)) -> dict[str, Any]:
    """The report leaves its merged incident and never rejoins those reports (a later ingest
    respects it); recorded in the incident's review history with the old and new groups.
    422 when the report is not merged with any other."""
    check_csrf(request, x_csrf_token)
    db = wb(request).db
    try:
        event = db.split_incident(incident_id, user.name, note=body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    except StoreError as exc:
        raise _bad(exc) from None
    return {"event": event, "merged": db.merged(incident_id)}


@router.post("/incidents/{incident_id}/merge", summary="Merge two merged incidents; editors only",
             responses=errors(401, 403, 404, 422))
def merge_incident(request: Request, body: MergeIn, incident_id: str = Path(max_length=MAX_ID),
                   x_csrf_token: str | None = Header(None, max_length=200),
                   user: User = Depends(require_editor)) -> dict[str, Any]:
    """The merged incidents of ``incident_id`` and ``other`` become one, for good (undo with
    a split); recorded in the review history. 422 when ``other`` does not exist, they are
    already one, or they have reports from one article."""
    check_csrf(request, x_csrf_token)
    db = wb(request).db
    try:
        event = db.merge_incidents(incident_id, body.other, user.name, note=body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None
    except StoreError as exc:
        raise _bad(exc, "other") from None
    return {"event": event, "merged": db.merged(incident_id)}


Role = Enum("Role", {r: r for r in ROLES}, type=str)  # type: ignore[misc]


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]{1,64}$")
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    role: Role = Role.reader


@router.post("/users", summary="Create a user; admins only", status_code=201,
             responses=errors(401, 403, 409, 422))
def create_user(request: Request, body: UserIn, x_csrf_token: str | None = Header(None, max_length=200),
                _: User = Depends(require_admin)) -> dict[str, Any]:
    check_csrf(request, x_csrf_token)
    try:
        u = add_user(wb(request).db.engine, body.name, body.password, body.role.value)
    except AccountError as exc:
        status = 409 if "already exists" in str(exc) else 422
        raise Invalid("name" if status == 409 else None, str(exc), status=status) from None
    return {"name": u.name, "role": u.role}


__all__ = ["router", "ROLES"]
