"""JSON API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``).

Errors are ``{"detail": "<one line>"}`` with 400 (bad input), 401 (login or token
needed), 403 (role or CSRF), 404 (no such record).
"""

from __future__ import annotations

import io
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from cronica.serve import queries, review
from cronica.serve.accounts import ROLES, AccountError, User, add_user
from cronica.serve.security import check_csrf, require_admin, require_editor, require_read
from cronica.serve.workbench import Workbench
from cronica.store import StoreError
from cronica.store.rows import display_title

router = APIRouter(prefix="/api/v1", tags=["cronica"])


def wb(request: Request) -> Workbench:
    return request.app.state.wb


# IncidentRow fields left out of list responses (the full record, and what only
# /incidents/{id} fills in).
_LIST_ONLY_DETAIL = frozenset({"data", "provenance", "document"})


def _doc_item(d: Any) -> dict[str, Any]:
    """An article as JSON with ``title_display`` (its title, else its first line)."""
    return {**d.to_dict(), "title_display": display_title(d.title, d.text)}


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@router.get("/me", summary="Who am I (null when anonymous)")
def me(request: Request, user: User | None = Depends(require_read)) -> dict[str, Any]:
    return {"user": None if user is None else {"name": user.name, "role": user.role},
            "public": wb(request).public}


@router.get("/counts", summary="Totals for an overview")
def counts(request: Request, _: Any = Depends(require_read)) -> dict[str, Any]:
    return wb(request).db.counts()


@router.get("/documents", summary="Stored articles, newest first (without text)")
def documents(request: Request, limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0),
              _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    out = []
    for d in wb(request).db.documents(limit=limit, offset=offset):
        item = _doc_item(d)
        item.pop("text")
        out.append(item)
    return out


@router.get("/documents/{document_id}", summary="One article with its text and evidence spans")
def document(request: Request, document_id: str, _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    doc = db.document(document_id)
    if doc is None:
        raise HTTPException(404, f"document {document_id!r} does not exist")
    segs = queries.highlight(db, doc.id, doc.text)
    spans = [{"start": s.start, "end": s.start + len(s.text), "fields": s.labels, "records": s.records}
             for s in segs if s.labels]
    return {**_doc_item(doc), "highlights": spans}


def incident_filters(type: str | None = None, status: str | None = None,  # noqa: A002
                     actor: str | None = None, country: str | None = None, place: str | None = None,
                     since: str | None = None, until: str | None = None,
                     text: str | None = None) -> dict[str, Any]:
    """The query parameters that select incidents (shared by /incidents, /timeline and
    /map/points), as keyword arguments of the store's incident queries."""
    return {"type": type, "status": status, "group": actor, "country": country, "place": place,
            "since": since, "until": until, "text": text}


@router.get("/incidents", summary="Incidents matching every given filter")
def incidents(request: Request, filters: dict[str, Any] = Depends(incident_filters),
              document_id: str | None = None, sort: str = "date", limit: int = Query(100, ge=1, le=5000),
              offset: int = Query(0, ge=0), _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    try:
        rows = wb(request).db.incidents(**filters, document_id=document_id, sort=sort, limit=limit, offset=offset)
    except StoreError as exc:
        raise _bad(exc) from None
    return [{k: v for k, v in r.to_dict().items() if k not in _LIST_ONLY_DETAIL} for r in rows]


@router.get("/timeline", summary="Incidents per month (the same filters as /incidents; dated incidents only)")
def timeline(request: Request, filters: dict[str, Any] = Depends(incident_filters),
             _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    try:
        months = queries.incidents_per_month(wb(request).db, **filters)
    except StoreError as exc:
        raise _bad(exc) from None
    return [{"month": m, "incidents": n} for m, n in months]


@router.get("/map/points", summary="Incidents with coordinates for a map, compact (the same filters as /incidents)")
def map_points(request: Request, filters: dict[str, Any] = Depends(incident_filters),
               limit: int = Query(200_000, ge=1, le=1_000_000),
               _: Any = Depends(require_read)) -> dict[str, Any]:
    """``{"fields": [...], "points": [[id, lat, lon, type, date, killed, location, country], ...]}``,
    newest first."""
    db = wb(request).db
    try:
        points = db.incident_points(**filters, limit=limit)
    except StoreError as exc:
        raise _bad(exc) from None
    return {"fields": list(db.POINT_FIELDS), "points": points}


@router.get("/incidents/{incident_id}", summary="One incident: full record, evidence spans, review history")
def incident(request: Request, incident_id: str, _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    row = db.incident(incident_id)
    if row is None:
        raise HTTPException(404, f"incident {incident_id!r} does not exist or was rejected")
    out = row.to_dict()
    doc = out.pop("document") or {}
    doc.pop("text", None)  # the article text is at /documents/{document_id}
    return {**out, "document": doc, "history": review.history(db.engine, "incident", incident_id)}


@router.get("/actors/{name}", summary="Profile of an actor (id, canonical name or alias)")
def actor(request: Request, name: str, _: Any = Depends(require_read)) -> dict[str, Any]:
    db = wb(request).db
    prof = db.actor(name)
    if prof is None:
        raise HTTPException(404, f"actor {name!r} is not known")
    return {**prof.to_dict(), "co_actors": [{"name": n, "incidents": c} for n, c in queries.co_actors(db, prof.id)]}


@router.get("/figures", summary="Numeric claims (indicator / place / subject substrings, one article)")
def figures(request: Request, indicator: str | None = None, place: str | None = None, subject: str | None = None,
            document_id: str | None = None, _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    return wb(request).db.figures(indicator=indicator, place=place, subject=subject,
                                  document_id=document_id).to_dicts()


@router.get("/quotes", summary="Quotes, newest first (by speaker, one article)")
def quotes(request: Request, speaker: str | None = None, document_id: str | None = None,
           _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    return wb(request).db.quotes(speaker=speaker, document_id=document_id).to_dicts()


@router.get("/search", summary="Full-text search over articles and records")
def search(request: Request, q: str, limit: int = Query(20, ge=1, le=500),
           _: Any = Depends(require_read)) -> list[dict[str, Any]]:
    try:
        return wb(request).db.search(q, limit=limit).to_dicts()
    except StoreError as exc:
        raise _bad(exc) from None


_MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json"}


@router.get("/exports/{fmt}", summary="Every non-rejected incident as csv, geojson or json")
def export(request: Request, fmt: Literal["csv", "geojson", "json"], _: Any = Depends(require_read)) -> Response:
    buf = io.StringIO()
    wb(request).db.export(fmt, buf)
    return Response(buf.getvalue(), media_type=_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="incidents.{fmt}"'})


@router.get("/regions", summary="Informal regions of the gazetteer as GeoJSON")
def regions(_: Any = Depends(require_read)) -> dict[str, Any]:
    from cronica.resolve.places import Gazetteer

    return {"type": "FeatureCollection", "features": Gazetteer.default().region_shapes()}


@router.post("/ingest", summary="Ingest one article (file upload or pasted text); editors only")
def ingest(request: Request, file: UploadFile | None = File(None), text: str | None = Form(None),
           url: str | None = Form(None), title: str | None = Form(None), published: str | None = Form(None),
           language: str | None = Form(None), x_csrf_token: str | None = Header(None),
           user: User = Depends(require_editor)) -> dict[str, Any]:
    check_csrf(request, x_csrf_token)
    if file is not None and file.filename:
        content: bytes | str = file.file.read()
        source = file.filename
    elif text and text.strip():
        content, source = text, "<pasted text>"
    else:
        raise HTTPException(400, "ingest needs a file or a non-empty text field")
    try:
        outcome, result, doc_id = wb(request).ingest(content, source=source, url=url, title=title,
                                                     published=published, language=language)
    except (ValueError, StoreError) as exc:
        raise _bad(exc) from None
    return {"outcome": outcome, "document_id": doc_id, "result": result.to_dict() if result else None}


class ReviewIn(BaseModel):
    action: Literal["confirm", "correct", "reject"]
    field: str | None = Field(None, description="field to correct (action=correct)")
    value: Any = Field(None, description="new value (action=correct); null/empty clears it")
    note: str | None = None


@router.post("/review/{kind}/{record_id}", summary="Confirm, correct or reject a record; editors only")
def review_record(request: Request, kind: str, record_id: str, body: ReviewIn,
                  x_csrf_token: str | None = Header(None), user: User = Depends(require_editor)) -> dict[str, Any]:
    check_csrf(request, x_csrf_token)
    try:
        return review.apply_review(wb(request).db.engine, kind, record_id, body.action, user.name,
                                   field=body.field, value=body.value, note=body.note)
    except review.RecordNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except review.ReviewError as exc:
        raise _bad(exc) from None


@router.get("/review/{kind}/{record_id}", summary="Review state and history of a record (rejected ones too)")
def review_history(request: Request, kind: str, record_id: str, _: Any = Depends(require_read)) -> dict[str, Any]:
    engine = wb(request).db.engine
    state = review.review_state(engine, kind, record_id)
    if state is None:
        raise HTTPException(404, f"{kind} {record_id!r} does not exist")
    return {"review_state": state, "history": review.history(engine, kind, record_id)}


class UserIn(BaseModel):
    name: str
    password: str
    role: Literal["reader", "editor", "admin"] = "reader"


@router.post("/users", summary="Create a user; admins only", status_code=201)
def create_user(request: Request, body: UserIn, x_csrf_token: str | None = Header(None),
                _: User = Depends(require_admin)) -> dict[str, Any]:
    check_csrf(request, x_csrf_token)
    try:
        u = add_user(wb(request).db.engine, body.name, body.password, body.role)
    except AccountError as exc:
        raise _bad(exc) from None
    return {"name": u.name, "role": u.role}


__all__ = ["router", "ROLES"]
