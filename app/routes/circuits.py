"""Circuits of gates (CS231n's backpropagation lecture): stateless, one request per circuit."""

import json

from fastapi import APIRouter, Response

from nncore.circuit import CircuitError, parse, run
from nncore.errors import MESSAGES

from ..paths import DATA
from ..responses import BODY_ERRORS, json_response
from ..schemas import CircuitPreset, CircuitResponse, Schemas

# The lecture's circuits with their numbers: data, checked against the schema at start-up.
_DATA = DATA / "circuits.json"
PRESETS = [
    CircuitPreset.model_validate(item, strict=False)
    for item in json.loads(_DATA.read_text("utf-8"))
]


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/circuits", tags=["circuits"])

    @r.get("/presets")
    def presets() -> list[CircuitPreset]:
        """The lecture's examples, each with its values and a caption."""
        return PRESETS

    @r.post("", responses={200: {"model": CircuitResponse}, **BODY_ERRORS})
    def circuit(request: S.CircuitRequest) -> Response:
        """Parse an expression into gates, run it forward and backward, return every number."""
        try:
            c = run(parse(request.expression, request.expand), request.values)
        except CircuitError as e:
            coded = {"code": e.code, "params": e.params} if e.code else {}
            errors = [{"field": "expression", "message": str(e), **coded}]
            if e.missing:  # one entry per input without a value, so a client can ask for them all
                errors = [
                    {
                        "field": f"values.{v}",
                        "message": MESSAGES["circuit.missing"].format(names=v),
                        "code": "circuit.missing",
                        "params": {"names": v},
                    }
                    for v in e.missing
                ]
            body = {"detail": str(e), "errors": errors, "position": e.position, **coded}
            return json_response(body, 422)
        return json_response(
            {
                "nodes": [
                    {
                        "id": n.id,
                        "op": n.op,
                        "label": n.label,
                        "role": n.role,
                        "value": n.value,
                        "grad": n.grad,
                    }
                    for n in c.nodes
                ],
                "edges": [{"from": e.src, "to": e.dst, "local": e.local} for e in c.edges],
                "order": c.order,
                "output": {"node": c.output, "value": c.nodes[c.output].value},
            }
        )

    return r
