"""Circuits of gates (CS231n's backpropagation lecture): stateless, one request per circuit."""

import json

from fastapi import APIRouter, Response

from nncore.circuit import Circuit, CircuitError, parse, run
from nncore.circuit_vector import jacobian_size, relu_jacobian, squared_norm
from nncore.errors import MESSAGES

from .. import circuit_schemas as V
from ..circuit_latex import relu_jacobian_steps, squared_norm_steps
from ..paths import DATA
from ..responses import BODY_ERRORS, json_response
from ..schemas import CircuitPreset, CircuitResponse, Schemas

# The lecture's circuits with their numbers: data, checked against the schema at start-up.
_DATA = DATA / "circuits.json"
PRESETS = [
    CircuitPreset.model_validate(item, strict=False)
    for item in json.loads(_DATA.read_text("utf-8"))
]
# ... and its vectorized gates, shown as matrices
VECTOR_PRESETS = [
    V.VectorPreset.model_validate(item, strict=False)
    for item in json.loads((DATA / "vector_circuits.json").read_text("utf-8"))
]


def router(S: Schemas) -> APIRouter:
    r = APIRouter(prefix="/api/circuits", tags=["circuits"])
    vector = V.build(S.limits)

    @r.get("/presets")
    def presets() -> list[CircuitPreset]:
        """The lecture's examples, each with its values and a caption."""
        return PRESETS

    @r.post("", responses={200: {"model": CircuitResponse}, **BODY_ERRORS})
    def circuit(request: S.CircuitRequest) -> Response:
        """Parse an expression (or a staged program, lines of name = expression) into gates,
        run it forward and backward, return every number."""
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
            body = {
                "detail": str(e),
                "errors": errors,
                "position": e.position,
                "line": e.line,
                **coded,
            }
            return json_response(body, 422)
        return json_response(_circuit(c))

    @r.get("/vectorized/presets")
    def vector_presets() -> list[V.VectorPreset]:
        """The notes' vectorized examples: ||W x||^2 and the Jacobian of max(0, x)."""
        return VECTOR_PRESETS

    @r.post(
        "/vectorized/squared-norm",
        responses={200: {"model": V.SquaredNormResponse}, **BODY_ERRORS},
    )
    def squared_norm_route(request: vector.SquaredNorm) -> Response:
        """f = ||W x||^2 as matrix gates: q = W x, f = sum(q^2); backward dq, dW, dx, with
        every matrix's shape and numbers (NumPy), in LaTeX and MathML."""
        return json_response(squared_norm_steps(squared_norm(request.W, request.x)))

    @r.post(
        "/vectorized/relu-jacobian",
        responses={200: {"model": V.ReluJacobianResponse}, **BODY_ERRORS},
    )
    def relu_jacobian_route(request: vector.ReluJacobian) -> Response:
        """y = max(0, x) for a small x: its diagonal Jacobian and dx = J^T dy, and how large
        the notes' 4096-wide Jacobian is."""
        steps = relu_jacobian_steps(relu_jacobian(request.x, request.dy))
        return json_response({**steps, "notes": jacobian_size()})

    return r


def _circuit(c: Circuit) -> dict:
    const = {n.id for n in c.nodes if n.op == "const"}
    return {
        "nodes": [
            {
                "id": n.id,
                "op": n.op,
                "label": n.label,
                "name": n.name,
                "role": n.role,
                "value": n.value,
                "grad": n.gradient,
            }
            for n in c.nodes
        ],
        "edges": [
            {"from": e.src, "to": e.dst, "local": None if e.src in const else e.local}
            for e in c.edges
        ],
        "order": c.order,
        "output": {"node": c.output, "value": c.nodes[c.output].value},
        "stages": [vars(s) for s in c.stages],
        "defaults": c.defaults,
    }
