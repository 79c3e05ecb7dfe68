"""The data API: every view's data as JSON and CSV (and XLSX) at ``/api/v1/<view>.<format>``,
with the same query parameters as the page. ``/api/v1/`` lists the views and their parameters.

Views register themselves with ``@api_view``; the function takes the request's query parameters
and returns a Polars frame (the same frame the page shows).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl
from flask import Blueprint, Response, jsonify, request

from dashboard.exports import to_csv, to_xlsx

ViewFunction = Callable[[Mapping[str, str]], pl.DataFrame]


@dataclass(frozen=True)
class ApiView:
    name: str
    description: str
    parameters: dict[str, str]
    function: ViewFunction


VIEWS: dict[str, ApiView] = {}


def api_view(
    name: str, description: str, parameters: dict[str, str]
) -> Callable[[ViewFunction], ViewFunction]:
    def register(function: ViewFunction) -> ViewFunction:
        VIEWS[name] = ApiView(name, description, parameters, function)
        return function

    return register


blueprint = Blueprint("api", __name__)


@blueprint.get("/api/v1/")
def index() -> Response:
    return jsonify(
        version=1,
        formats=["json", "csv", "xlsx"],
        views={
            view.name: {
                "description": view.description,
                "parameters": view.parameters,
                "url": f"/api/v1/{view.name}.json",
            }
            for view in sorted(VIEWS.values(), key=lambda v: v.name)
        },
    )


@blueprint.get("/api/v1/<name>.<fmt>")
def view_data(name: str, fmt: str) -> Response:
    view = VIEWS.get(name)
    if view is None or fmt not in {"json", "csv", "xlsx"}:
        return Response(
            json.dumps({"error": f"unknown view or format: {name}.{fmt}"}),
            status=404,
            mimetype="application/json",
        )
    try:
        data = view.function(request.args)
    except ValueError as error:
        return Response(
            json.dumps({"error": str(error)}, ensure_ascii=False),
            status=400,
            mimetype="application/json",
        )
    if fmt == "csv":
        return Response(
            to_csv(data),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            to_xlsx(data, name),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    payload = {
        "view": name,
        "parameters": dict(request.args),
        "rows": data.height,
        "data": json.loads(data.write_json()),
    }
    return Response(
        json.dumps(payload, ensure_ascii=False, default=str), mimetype="application/json"
    )
