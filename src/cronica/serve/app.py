"""The workbench application: ``create_app(db_url)`` returns a FastAPI app serving the
JSON API (``/api/v1``), the server-rendered pages and the vendored static files.

One process, one :class:`~cronica.store.Cronica`. The session cookie is signed with
``secret`` (default: ``$CRONICA_SECRET_KEY``, else a random key per process, so sessions
end when the server restarts; API tokens are unaffected).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from cronica.serve import api, pages
from cronica.serve.security import COOKIE, MAX_AGE, Forbidden, LoginRequired, SessionCodec
from cronica.serve.workbench import Workbench
from cronica.store import Cronica, StoreError

HERE = Path(__file__).resolve().parent


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def check_tiles(url: str) -> str:
    """A tile URL template for the map: http(s) with ``{z}``, ``{x}`` and ``{y}``."""
    if not url.startswith(("http://", "https://")) or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ValueError(f"tile URL {url!r}: expected http(s)://…/{{z}}/{{x}}/{{y}}…")
    return url


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
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(title="Cronica workbench API", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.wb = Workbench(db=db, public=public, tiles=tiles, tiles_attribution=tiles_attribution)
    codec = SessionCodec(secret or os.environ.get("CRONICA_SECRET_KEY") or secrets.token_urlsafe(32))

    @app.middleware("http")
    async def session_cookie(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.session = codec.load(request.cookies.get(COOKIE))
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
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

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return pages.error_page(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errs = exc.errors()
        first = errs[0] if errs else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "body", "path"))
        msg = f"{where or 'request'}: {first.get('msg', 'invalid input')}"
        if _is_api(request):
            return JSONResponse({"detail": msg}, status_code=400)
        return pages.error_page(request, 400, msg)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
