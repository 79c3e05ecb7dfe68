"""Filter state lives in the URL.

A control whose id is ``param_id("regio")`` writes its value to ``?regio=`` (a clientside
callback, so no server round trip); the page router then renders the page for the new URL, and
the back button works. The navigation links carry the parameters that hold across pages
(``GLOBAL_PARAMS``), so a region chosen on one page filters every page.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, clientside_callback

URL_PARAM = "url-param"
NAV_LINK = "nav-link"
MODE_STORE = "rk-mode"
GLOBAL_PARAMS = ("regio", "periode", "presentatie", "lang")


def param_id(name: str) -> dict[str, str]:
    return {"type": URL_PARAM, "name": name}


def nav_link_id(path: str) -> dict[str, str]:
    return {"type": NAV_LINK, "path": path}


clientside_callback(
    """
    function(values, ids, search) {
        // Only a user's change writes the URL: a control that appears with a page (its
        // default value) must not add a history entry, or the back button could not leave.
        const ctx = window.dash_clientside.callback_context;
        const triggered = (ctx && ctx.triggered) || [];
        if (!triggered.length || triggered.every(function(t) { return t.value === undefined
                || t.prop_id === "."; })) {
            return window.dash_clientside.no_update;
        }
        const params = new URLSearchParams(search || "");
        let changed = false;
        ids.forEach(function(id, i) {
            let value = values[i];
            if (Array.isArray(value)) { value = value.join(","); }
            value = (value === null || value === undefined) ? "" : String(value);
            if ((params.get(id.name) || "") !== value) {
                changed = true;
                if (value === "") { params.delete(id.name); } else { params.set(id.name, value); }
            }
        });
        if (!changed) { return window.dash_clientside.no_update; }
        const text = params.toString();
        return text ? "?" + text : "";
    }
    """,
    Output("_pages_location", "search", allow_duplicate=True),
    Input({"type": URL_PARAM, "name": ALL}, "value"),
    State({"type": URL_PARAM, "name": ALL}, "id"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)

clientside_callback(
    """
    function(search, pathname, ids) {
        const params = new URLSearchParams(search || "");
        const keep = new URLSearchParams();
        GLOBAL.forEach(function(name) {
            if (params.get(name)) { keep.set(name, params.get(name)); }
        });
        const suffix = keep.toString() ? "?" + keep.toString() : "";
        const root = document.documentElement;
        root.classList.toggle("rk-present", params.get("presentatie") === "1");
        root.classList.toggle("rk-embed", (pathname || "").indexOf("/embed/") !== -1);
        const hrefs = ids.map(function(id) { return id.path + suffix; });
        const here = (pathname || "/").replace(/\\/$/, "");
        const classes = ids.map(function(id) {
            return here === id.path.replace(/\\/$/, "") ? "rk-nav-link rk-active" : "rk-nav-link";
        });
        return [hrefs, classes, params.get("presentatie") === "1"];
    }
    """.replace("GLOBAL", str(list(GLOBAL_PARAMS))),
    Output({"type": NAV_LINK, "path": ALL}, "href"),
    Output({"type": NAV_LINK, "path": ALL}, "className"),
    Output(MODE_STORE, "data"),
    Input("_pages_location", "search"),
    Input("_pages_location", "pathname"),
    State({"type": NAV_LINK, "path": ALL}, "id"),
)
