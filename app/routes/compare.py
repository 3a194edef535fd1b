"""Compare mode: a twin of a session (the same data and seed, a few settings of its own), and
the page that trains the two side by side (nncore/twin.py).

The twin counts against its client's sessions like any other (the store's create)."""

from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field, create_model

from nncore.twin import twin

from .. import __version__
from ..deps import Client, LimitsDep, Store, WorkDep
from ..responses import ERRORS
from ..schemas import Schemas, _Strict
from .pages import TEMPLATES
from .sessions import Grids, SessionId, new_session


def router(S: Schemas) -> APIRouter:
    r = APIRouter(tags=["sessions"])
    TwinRequest = create_model(
        "TwinRequest",
        __base__=_Strict,
        __doc__="The settings the twin has of its own (the fields of a PATCH).",
        changes=(
            S.ConfigPatch,
            Field(
                default_factory=S.ConfigPatch,
                description="Applied before its first step; the data fields and the seed "
                "must stay as they are.",
            ),
        ),
    )

    @r.post(
        "/api/sessions/{session_id}/twin",
        status_code=201,
        responses={201: {"model": S.Session}, **ERRORS},
    )
    async def twin_session(
        session_id: SessionId,
        store: Store,
        work: WorkDep,
        limits: LimitsDep,
        client: Client,
        request: Annotated[TwinRequest | None, Body()] = None,
        grids: Grids = "all",
    ) -> Response:
        """A new session with this one's data, seed and initial weights (its state at step 0)
        and the given changes: two runs to train side by side."""
        changes = (request or TwinRequest()).changes.model_dump(exclude_none=True)
        session = store.get(session_id)
        made = await work.locked(
            session.lock,
            lambda t: t.frame_cost("none"),
            lambda t: twin(t, changes, limits),
            session.load,
            session.remote,
        )
        return await new_session(work, store, client, lambda: made, grids)

    @r.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_page(request: Request) -> HTMLResponse:
        """Two sessions side by side; the options and the error messages are embedded."""
        options = request.app.state.options.model_dump()
        return TEMPLATES.TemplateResponse(
            request, "compare.html", {"options": options, "version": __version__}
        )

    return r
