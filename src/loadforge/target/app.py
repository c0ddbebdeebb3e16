"""The built-in demo REST API that examples, tests and demos send load to.

It imitates a small authenticated JSON API (login, items, logout) plus
httpbin-style helpers (echo, delays, chosen status codes) and a WebSocket
echo (``/ws/echo``), and counts every request, conversation and message it
serves, so a test can check LoadForge's numbers against the
server's. Handlers return plain `JSONResponse`s to keep the server cheap.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import (
    Depends,
    FastAPI,
    HTTPException,
    Path,
    Query,
    Request,
    WebSocket,
    WebSocketDisconnect,
)
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from loadforge.target.counting import RequestCountingMiddleware
from loadforge.target.state import TargetState

#: The longest delay ``/delay/{ms}`` will sleep, in milliseconds.
MAX_DELAY_MS = 60_000

_ECHO_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# Statuses whose responses must not carry a body (RFC 9110).
_BODILESS = {204, 304}


class NewItem(BaseModel):
    """The JSON body of ``POST /items``."""

    name: str = Field(min_length=1, max_length=200)


def create_app() -> FastAPI:
    """Build a fresh demo API with its own items, tokens and request counts."""
    state = TargetState()
    app = FastAPI(title="LoadForge demo target", version="1")
    app.state.target = state
    app.add_middleware(RequestCountingMiddleware, counts=state.counts)
    _add_echo_routes(app)
    _add_auth_routes(app, state)
    _add_item_routes(app, state)
    _add_websocket_routes(app, state)
    _add_stats_routes(app, state)
    return app


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def _add_echo_routes(app: FastAPI) -> None:
    async def anything(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            parsed: object = json.loads(body) if body else None
        except ValueError:
            parsed = None
        return JSONResponse(
            {
                "method": request.method,
                "path": request.url.path,
                "args": dict(request.query_params),
                "headers": dict(request.headers),
                "json": parsed,
                "data": body.decode("utf-8", "replace"),
            }
        )

    app.add_api_route("/anything", anything, methods=_ECHO_METHODS)
    app.add_api_route("/anything/{rest:path}", anything, methods=_ECHO_METHODS)

    @app.get("/delay/{ms}")
    async def delay(ms: Annotated[int, Path(ge=0)]) -> JSONResponse:
        slept = min(ms, MAX_DELAY_MS)
        await asyncio.sleep(slept / 1000)
        return JSONResponse({"delay_ms": slept})

    @app.get("/status/{code}")
    async def status(code: Annotated[int, Path(ge=200, le=599)]) -> Response:
        if code in _BODILESS:
            return Response(status_code=code)
        return JSONResponse({"status": code}, status_code=code)


def _add_auth_routes(app: FastAPI, state: TargetState) -> None:
    @app.post("/auth/login")
    async def login(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise HTTPException(422, detail="send a JSON object with email and password")
        user = body.get("email") or body.get("username")
        password = body.get("password")
        if not isinstance(user, str) or not isinstance(password, str) or not password:
            raise _unauthorized("email (or username) and a non-empty password are required")
        return JSONResponse({"token": state.tokens.issue(user), "user": user})

    @app.post("/auth/logout")
    async def logout(request: Request) -> JSONResponse:
        token = _bearer_token(request)
        if token is None or state.tokens.user_of(token) is None:
            raise _unauthorized("not logged in")
        state.tokens.revoke(token)
        return JSONResponse({"logged_out": True})


async def _require_user(request: Request) -> str:
    # async, so FastAPI calls it on the event loop instead of a worker thread.
    state: TargetState = request.app.state.target
    token = _bearer_token(request)
    user = None if token is None else state.tokens.user_of(token)
    if user is None:
        raise _unauthorized("log in with POST /auth/login and send Authorization: Bearer TOKEN")
    return user


_User = Annotated[str, Depends(_require_user)]


def _add_item_routes(app: FastAPI, state: TargetState) -> None:
    @app.get("/items")
    async def list_items(
        _user: _User,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        page = [item.to_json() for item in state.items.page(offset, limit)]
        return JSONResponse({"items": page, "total": len(state.items), "offset": offset})

    @app.get("/items/{item_id}")
    async def get_item(_user: _User, item_id: int) -> JSONResponse:
        item = state.items.get(item_id)
        if item is None:
            raise HTTPException(404, detail=f"no item {item_id}")
        return JSONResponse(item.to_json())

    @app.post("/items", status_code=201)
    async def create_item(_user: _User, new: NewItem) -> JSONResponse:
        return JSONResponse(state.items.add(new.name).to_json(), status_code=201)


def _add_websocket_routes(app: FastAPI, state: TargetState) -> None:
    @app.websocket("/ws/echo")
    async def echo(websocket: WebSocket) -> None:
        """Echo each message back; "close:CODE" closes with that code instead."""
        await websocket.accept()
        state.counts.add("WS /ws/echo")
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text, data = message.get("text"), message.get("bytes")
                state.counts.add("WS /ws/echo message")
                if text is not None and text.startswith("close:"):
                    await websocket.close(int(text.removeprefix("close:")))
                    return
                if text is not None:
                    await websocket.send_text(text)
                elif data is not None:
                    await websocket.send_bytes(data)
        except WebSocketDisconnect:
            return


def _add_stats_routes(app: FastAPI, state: TargetState) -> None:
    @app.get("/stats")
    async def stats() -> JSONResponse:
        return JSONResponse(state.counts.to_json())

    @app.post("/stats/reset")
    async def reset_stats() -> JSONResponse:
        state.counts.reset()
        return JSONResponse(state.counts.to_json())
