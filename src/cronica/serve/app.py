"""The workbench application: ``create_app(db_url)`` returns a FastAPI app serving the
JSON API (``/api/v1``), the server-rendered pages and the vendored static files.

One process, one :class:`~cronica.store.Cronica`. The session cookie is signed with
``secret`` (default: ``$CRONICA_SECRET_KEY``, else a random key per process, so sessions
end when the server restarts; API tokens are unaffected).

Every response carries the security headers of :func:`security_headers` (a strict
Content-Security-Policy: scripts, styles, images and fetches from this origin only, plus
the tile server's images when one is configured; no framing). A request body larger than
:data:`MAX_BODY` is refused with 413 before it is read; a POST without a Content-Length
with 411. Invalid API input answers 422 ``{"detail": "<field>: <problem>", "field": ...}``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from cronica.serve import api, pages
from cronica.serve.security import COOKIE, MAX_AGE, Forbidden, LoginRequired, LoginThrottle, SessionCodec
from cronica.serve.workbench import Workbench
from cronica.store import Cronica, StoreError

HERE = Path(__file__).resolve().parent
#: Largest request body accepted (the ingest limit of one file plus room for the form).
MAX_BODY = 51 * 1024 * 1024


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def check_tiles(url: str) -> str:
    """A tile URL template for the map: http(s) with ``{z}``, ``{x}`` and ``{y}``."""
    if not url.startswith(("http://", "https://")) or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ValueError(f"tile URL {url!r}: expected http(s)://…/{{z}}/{{x}}/{{y}}…")
    return url


def tiles_origin(url: str | None) -> str | None:
    """The CSP source for a tile URL template: its origin, ``{s}`` subdomains as ``*``."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "x-sub-x"))
    host = parts.netloc.replace("x-sub-x", "*")
    if not host or "{" in host or "}" in host:
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def security_headers(tiles: str | None = None) -> dict[str, str]:
    """Headers set on every response. The pages use no inline script or style."""
    img = " ".join(x for x in ("'self'", "data:", tiles_origin(tiles)) if x)
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img + "; connect-src 'self'; "
           "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}


def _field_of(loc: tuple[object, ...] | list[object]) -> str:
    return ".".join(str(x) for x in loc if x not in ("query", "body", "path", "header", "form"))


def create_app(db_url: str, *, public: bool = False, secret: str | None = None,
               tiles: str | None = None, tiles_attribution: str | None = None) -> FastAPI:
    """The workbench over the database at ``db_url`` (migrated on open).  ``tiles`` (else
    the ``CRONICA_TILES`` environment variable) is a tile-server URL template for the map;
    without one the map draws the shipped country outlines only and works offline."""
    tiles = tiles or os.environ.get("CRONICA_TILES") or None
    if tiles is not None:
        check_tiles(tiles)
    db = Cronica(db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        close = getattr(app.state.wb, "close", None)  # the workbench's extraction workers
        if close is not None:
            close()
        db.close()

    app = FastAPI(title="Cronica workbench API", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.wb = Workbench(db=db, public=public, tiles=tiles, tiles_attribution=tiles_attribution)
    app.state.throttle = LoginThrottle()
    codec = SessionCodec(secret or os.environ.get("CRONICA_SECRET_KEY") or secrets.token_urlsafe(32))
    headers = security_headers(tiles)

    def _limit(request: Request) -> Response | None:
        length = request.headers.get("content-length")
        if request.method in ("POST", "PUT", "PATCH") and length is None:
            status, msg = 411, "request body needs a Content-Length header"
        elif length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            status, msg = 413, f"request body of {length} bytes is over the limit of {MAX_BODY} bytes"
        else:
            return None
        if _is_api(request):
            return JSONResponse({"detail": msg, "field": None}, status_code=status)
        return Response(msg, status_code=status, media_type="text/plain")

    @app.middleware("http")
    async def session_cookie(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.session = codec.load(request.cookies.get(COOKIE))
        response: Response = _limit(request) or await call_next(request)
        for k, v in headers.items():
            response.headers.setdefault(k, v)
        if request.state.session.changed:
            response.set_cookie(COOKIE, codec.dump(request.state.session), max_age=MAX_AGE, httponly=True,
                                samesite="lax", path="/")
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return pages.error_page(request, 403, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_api(request) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        status = 422 if exc.status_code == 400 else exc.status_code  # 400: a body that cannot be parsed
        return JSONResponse({"detail": str(exc.detail), "field": None}, status_code=status, headers=exc.headers)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc), "field": None}, status_code=422)
        return pages.error_page(request, 400, str(exc))

    @app.exception_handler(api.Invalid)
    async def invalid_value(request: Request, exc: api.Invalid) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=exc.status)
        return pages.error_page(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errs = exc.errors()
        first = errs[0] if errs else {}
        where = _field_of(first.get("loc", ()))
        msg = f"{where or 'request'}: {first.get('msg', 'invalid input')}"
        if "input" in first and first.get("type") not in ("missing", "json_invalid") and where:
            shown = repr(first["input"])
            msg += f" (got {shown if len(shown) <= 80 else shown[:77] + '...'})"
        if _is_api(request):
            return JSONResponse({"detail": msg, "field": where or None}, status_code=422)
        return pages.error_page(request, 400, msg)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(HERE / "static" / "favicon.ico", media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            app.openapi_schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                                             description=api.__doc__)
            api.tidy_openapi(app.openapi_schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
