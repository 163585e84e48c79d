"""Server-rendered pages of the workbench (Jinja2, autoescaped).

Every POST form carries the session's CSRF token (field ``csrf``), checked before
anything else happens. Pages read through the same store API as the JSON API, with the
same bounds on every parameter; bad input is a 400 page naming it (never a 500). Login
is throttled (:class:`cronica.serve.security.LoginThrottle`): 429 with Retry-After.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from cronica.records import INCIDENT_TYPES, STATUSES
from cronica.serve import charts, queries, review
from cronica.serve.accounts import (
    ROLES, AccountError, User, add_user, authenticate, end_session, list_users, start_session,
)
from cronica.serve.api import MAX_FILTER, MAX_ID, MAX_OFFSET, MAX_QUERY, country_param, date_param, one_of
from cronica.serve.security import (
    MAX_AGE, check_csrf, current_user, require_admin, require_editor, require_read, session_of,
)
from cronica.serve.workbench import Workbench
from cronica.store import StoreError
from cronica.store.api import INCIDENT_SORTS
from cronica.store.rows import display_title

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
templates.env.filters["num"] = charts.number
templates.env.globals["display_title"] = display_title  # stored title, else first line
PAGE = 50


def _f() -> Any:
    """A bounded free-text filter (a new parameter object each time: FastAPI keeps the
    parameter's name on it)."""
    return Query("", max_length=MAX_FILTER)


def _offset() -> Any:
    return Query(0, ge=0, le=MAX_OFFSET)


def _wb(request: Request) -> Workbench:
    return request.app.state.wb


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with the common context (user, csrf token, mode)."""
    try:
        user = current_user(request)
    except Exception:  # a bad bearer token on a page: treat as anonymous
        user = None
    base = {"user": user, "csrf": session_of(request).csrf, "public": _wb(request).public,
            "can_edit": bool(user and user.can("editor")), "is_admin": bool(user and user.can("admin"))}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)


def _safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths: never redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# ------------------------------------------------------------------ login
@router.get("/login")
def login_form(request: Request, next: str = Query("/", max_length=2000)) -> Response:  # noqa: A002
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, name: str = Form("", max_length=200), password: str = Form("", max_length=4096),
          csrf: str = Form("", max_length=200), next: str = Form("/", max_length=2000)) -> Response:  # noqa: A002
    check_csrf(request, csrf)
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "?"
    wait = throttle.retry_after(name, address)
    if wait:
        minutes = max(1, round(wait / 60))
        resp = render(request, "login.html", status_code=429, next=_safe_next(next),
                      error=f"Too many failed logins: try again in about {minutes} minute{'s' * (minutes > 1)}.")
        resp.headers["Retry-After"] = str(wait)
        return resp
    engine = _wb(request).db.engine
    user = authenticate(engine, name, password)
    if user is None:
        throttle.failed(name, address)
        return render(request, "login.html", status_code=401, next=_safe_next(next),
                      error="Unknown user or wrong password.")
    throttle.succeeded(name)
    session = session_of(request)
    if session.sid:  # logging in again: the old session ends
        end_session(engine, session.sid)
    session.login(start_session(engine, user, MAX_AGE))
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("", max_length=200)) -> Response:
    check_csrf(request, csrf)
    session = session_of(request)
    if session.sid:
        end_session(_wb(request).db.engine, session.sid)
    session.logout()
    return RedirectResponse("/login", status_code=303)


# ------------------------------------------------------------------ overview & search
@router.get("/")
def overview(request: Request, _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    return render(request, "overview.html", counts=db.counts(), latest=db.incidents(sort="-date", limit=10),
                  chart=charts.bar_chart(queries.incidents_per_month(db)))


@router.get("/search")
def search(request: Request, q: str = Query("", max_length=MAX_QUERY), type: str = _f(),  # noqa: A002
           country: str = _f(), group: str = _f(), year: str = _f(), _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    one_of("type", type, INCIDENT_TYPES)
    country_param("country", country)
    date_param("year", year)
    hits, rows, facets, error = [], [], {}, None
    filters = {"type": type, "country": country, "group": group, "year": year}
    if q.strip() or any(filters.values()):
        try:
            if q.strip():
                hits = [h for h in db.search(q, limit=30) if h.kind != "incident"]
            rows = db.incidents(text=q or None, type=type or None, country=country or None, group=group or None,
                                since=year or None, until=year or None, sort="-date", limit=5000)
            facets = queries.facets(rows)
        except StoreError as exc:
            error = str(exc)

    def facet_url(key: str, value: str) -> str:
        params = {"q": q, **filters, key: "" if filters.get(key) == value else value}
        return "/search?" + urlencode({k: v for k, v in params.items() if v})

    return render(request, "search.html", q=q, filters=filters, hits=hits, rows=rows[:200], total=len(rows),
                  facets=facets, facet_url=facet_url, error=error)


# ------------------------------------------------------------------ incidents
@router.get("/incidents")
def incidents(request: Request, type: str = _f(), status: str = _f(), actor: str = _f(),  # noqa: A002
              country: str = _f(), place: str = _f(), since: str = _f(), until: str = _f(), text: str = _f(),
              sort: str = Query("-date", max_length=20), offset: int = _offset(),
              _: Any = Depends(require_read)) -> Response:
    one_of("type", type, INCIDENT_TYPES)
    one_of("status", status, STATUSES)
    one_of("sort", sort, INCIDENT_SORTS)
    country = country_param("country", country) or ""
    date_param("since", since)
    date_param("until", until)
    f = {"type": type, "status": status, "actor": actor, "country": country, "place": place, "since": since,
         "until": until, "text": text, "sort": sort}
    db = _wb(request).db
    filters = dict(type=type or None, status=status or None, group=actor or None, country=country or None,
                   place=place or None, since=since or None, until=until or None, text=text or None)
    try:
        rows = db.incidents(**filters, sort=sort or "-date", limit=PAGE + 1, offset=max(offset, 0))
        timeline = queries.incidents_per_month(db, **filters)
    except StoreError as exc:
        return error_page(request, 400, str(exc))
    base = {k: v for k, v in f.items() if v}
    prev_url = "/incidents?" + urlencode({**base, "offset": max(offset - PAGE, 0)}) if offset > 0 else None
    next_url = "/incidents?" + urlencode({**base, "offset": offset + PAGE}) if len(rows) > PAGE else None
    return render(request, "incidents.html", rows=rows[:PAGE], f=f, types=INCIDENT_TYPES, statuses=STATUSES,
                  sorts=INCIDENT_SORTS, offset=offset, prev_url=prev_url, next_url=next_url,
                  timeline=charts.bar_chart(timeline, height=120, title="Matching incidents per month")
                  if timeline else None)


_FIELD_LABELS = {"evidence": "sentence", "trigger": "trigger", "date": "date", "location": "place",
                 "killed": "killed", "wounded": "wounded", "kidnapped": "kidnapped", "arrested": "arrested",
                 "perpetrators": "perpetrator", "targets": "target"}


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: str = PathParam(max_length=MAX_ID),
                _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    row = db.incident(incident_id)
    if row is None:
        return error_page(request, 404, f"incident {incident_id!r} does not exist or was rejected")
    prov = [dict(p) for p in row.provenance]
    for p in prov:
        p["label"] = _FIELD_LABELS.get(p["field"], p["field"])
    return render(request, "incident.html", r=row, prov=prov,
                  history=review.history(db.engine, "incident", incident_id),
                  fields=review.CORRECTABLE["incident"])


@router.post("/incidents/{incident_id}/split")
def split_form(request: Request, incident_id: str = PathParam(max_length=MAX_ID),
               note: str = Form("", max_length=review.MAX_NOTE), csrf: str = Form("", max_length=200),
               user: User = Depends(require_editor)) -> Response:
    """An editor splits this report off its merged incident (see cronica.store.merges)."""
    check_csrf(request, csrf)
    try:
        _wb(request).db.split_incident(incident_id, user.name, note=note or None)
    except LookupError as exc:
        return error_page(request, 404, str(exc))
    except StoreError as exc:
        return error_page(request, 400, str(exc))
    return RedirectResponse(f"/incidents/{quote(incident_id, safe='')}", status_code=303)


@router.post("/incidents/{incident_id}/merge")
def merge_form(request: Request, incident_id: str = PathParam(max_length=MAX_ID),
               other: str = Form("", max_length=MAX_ID), note: str = Form("", max_length=review.MAX_NOTE),
               csrf: str = Form("", max_length=200), user: User = Depends(require_editor)) -> Response:
    """An editor merges this incident with another one (any of its reports' ids)."""
    check_csrf(request, csrf)
    try:
        _wb(request).db.merge_incidents(incident_id, other.strip(), user.name, note=note or None)
    except LookupError as exc:
        return error_page(request, 404, str(exc))
    except StoreError as exc:
        return error_page(request, 400, str(exc))
    return RedirectResponse(f"/incidents/{quote(incident_id, safe='')}", status_code=303)


# ------------------------------------------------------------------ actors, figures, quotes
@router.get("/actors/{name}")
def actor_page(request: Request, name: str = PathParam(max_length=MAX_ID),
                _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    prof = db.actor(name)
    if prof is None:
        return error_page(request, 404, f"actor {name!r} is not known")
    per_year = [(y, n) for y, n in prof.incidents_per_year.items()]
    return render(request, "actor.html", a=prof, co=queries.co_actors(db, prof.id),
                  chart=charts.bar_chart(per_year, height=140, title="Incidents per year"),
                  history=review.history(db.engine, "actor", prof.id),
                  fields=review.CORRECTABLE["actor"], role_fields=review.CORRECTABLE["role"])


@router.get("/figures")
def figures_page(request: Request, indicator: str = _f(), place: str = _f(),
                 _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    rows = db.figures(indicator=indicator or None, place=place or None)
    starts = queries.evidence_starts(db, "figure", [r.id for r in rows])
    series = queries.figure_series(rows, starts)

    def link(p: dict[str, Any]) -> str:
        return f"/documents/{p['document_id']}#o{p['start']}" if p["start"] is not None else f"/documents/{p['document_id']}"

    plots = {ind: charts.series_chart(s, link=link) for ind, s in series.items()}
    return render(request, "figures.html", rows=rows, series=series, plots=plots, starts=starts,
                  indicator=indicator, place=place, fields=review.CORRECTABLE["figure"])


@router.get("/quotes")
def quotes_page(request: Request, speaker: str = _f(), _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    rows = db.quotes(speaker=speaker or None)
    return render(request, "quotes.html", rows=rows, speaker=speaker,
                  starts=queries.evidence_starts(db, "quote", [r.id for r in rows]))


# ------------------------------------------------------------------ articles
@router.get("/documents")
def documents_page(request: Request, offset: int = _offset(), _: Any = Depends(require_read)) -> Response:
    docs = _wb(request).db.documents(limit=PAGE + 1, offset=max(offset, 0))
    return render(request, "documents.html", docs=docs[:PAGE], offset=offset, more=len(docs) > PAGE, page=PAGE)


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str = PathParam(max_length=MAX_ID),
                _: Any = Depends(require_read)) -> Response:
    db = _wb(request).db
    doc = db.document(document_id)
    if doc is None:
        return error_page(request, 404, f"document {document_id!r} does not exist")
    segs = queries.highlight(db, doc.id, doc.text)
    return render(request, "document.html", doc=doc, segs=segs, incidents=queries.document_incidents(db, doc.id),
                  figures=db.figures(document_id=doc.id), quotes=db.quotes(document_id=doc.id))


# ------------------------------------------------------------------ map
@router.get("/map")
def map_page(request: Request, type: str = _f(), country: str = _f(), actor: str = _f(),  # noqa: A002
             since: str = _f(), until: str = _f(), _: Any = Depends(require_read)) -> Response:
    wb = _wb(request)
    f = {"type": type, "country": country, "actor": actor, "since": since, "until": until}
    return render(request, "map.html", tiles=wb.tiles, tiles_attribution=wb.tiles_attribution, f=f,
                  types=INCIDENT_TYPES)


# ------------------------------------------------------------------ editing
@router.get("/ingest")
def ingest_form(request: Request, _: User = Depends(require_editor)) -> Response:
    return render(request, "ingest.html", result=None, error=None)


@router.post("/ingest")
def ingest(request: Request, file: UploadFile | None = File(None), text: str = Form(""),
           url: str = Form("", max_length=2000), title: str = Form("", max_length=1000),
           published: str = Form("", max_length=40), csrf: str = Form("", max_length=200),
           _: User = Depends(require_editor)) -> Response:
    check_csrf(request, csrf)
    try:
        if file is not None and file.filename:
            content: bytes | str = file.file.read()
            source = file.filename[:200]
        elif text.strip():
            content, source = text, "<pasted text>"
        else:
            raise ValueError("give a file or paste the article text")
        outcome, result, doc_id = _wb(request).ingest(content, source=source, url=url, title=title,
                                                      published=published)
    except (ValueError, StoreError) as exc:
        return render(request, "ingest.html", status_code=400, result=None, error=str(exc))
    return render(request, "ingest.html", result=result, outcome=outcome, doc_id=doc_id, error=None)


@router.post("/review/{kind}/{record_id}")
def review_form(request: Request, kind: str = PathParam(max_length=20), record_id: str = PathParam(max_length=MAX_ID),
                action: str = Form("", max_length=20), field: str = Form("", max_length=64),
                value: str = Form("", max_length=review.MAX_TEXT), note: str = Form("", max_length=review.MAX_NOTE),
                csrf: str = Form("", max_length=200), next: str = Form("", max_length=2000),  # noqa: A002
                user: User = Depends(require_editor)) -> Response:
    check_csrf(request, csrf)
    db = _wb(request).db
    try:
        review.apply_review(db.engine, kind, record_id, action, user.name, field=field or None, value=value,
                            note=note or None)
    except review.RecordNotFound as exc:
        return error_page(request, 404, str(exc))
    except review.ReviewError as exc:
        return error_page(request, 400, str(exc))
    if action == "reject":
        doc_id = queries.record_document(db, kind, record_id)
        default = f"/documents/{doc_id}" if doc_id else "/"
        # a rejected incident or actor has no page left to go back to
        return RedirectResponse(default if kind in ("incident", "actor") else _safe_next(next, default),
                                status_code=303)
    return RedirectResponse(_safe_next(next, f"/incidents/{record_id}" if kind == "incident" else "/"),
                            status_code=303)


@router.get("/admin/users")
def users_page(request: Request, _: User = Depends(require_admin)) -> Response:
    return render(request, "users.html", users=list_users(_wb(request).db.engine), roles=ROLES, error=None)


@router.post("/admin/users")
def users_add(request: Request, name: str = Form("", max_length=200), password: str = Form("", max_length=4096),
              role: str = Form("reader", max_length=20), csrf: str = Form("", max_length=200),
              _: User = Depends(require_admin)) -> Response:
    check_csrf(request, csrf)
    engine = _wb(request).db.engine
    try:
        add_user(engine, name, password, role)
    except AccountError as exc:
        return render(request, "users.html", status_code=400, users=list_users(engine), roles=ROLES, error=str(exc))
    return RedirectResponse("/admin/users", status_code=303)
