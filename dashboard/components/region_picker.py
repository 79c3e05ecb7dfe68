"""The region picker: Nederland, provincies, arbeidsmarktregio's, COROP areas, gemeenten and
users' own regions, searchable, writing ``?regio=`` to the URL."""

from __future__ import annotations

import dash_mantine_components as dmc

from dashboard import queries
from dashboard.components.url_state import param_id
from dashboard.i18n import t

GROUPS = (
    ("eigen", "region.group_own"),
    ("provincie", "region.group_provincie"),
    ("arbeidsmarktregio", "region.group_arbeidsmarktregio"),
    ("corop", "region.group_corop"),
    ("gemeente", "region.group_gemeente"),
)


def region_options(lang: str) -> list[dict[str, object]]:
    regions = queries.run("regions")
    options: list[dict[str, object]] = [
        {
            "group": t("region.group_country", lang),
            "items": [{"value": "NL", "label": t("region.netherlands", lang)}],
        }
    ]
    for level, key in GROUPS:
        rows = regions.filter(regions["level"] == level).sort("name")
        if rows.height:
            options.append(
                {
                    "group": t(key, lang),
                    "items": [
                        {"value": code, "label": f"{name} ({code})" if level != "eigen" else name}
                        for code, name in rows.select("code", "name").iter_rows()
                    ],
                }
            )
    return options


def region_picker(
    selected: str, lang: str, label_key: str = "region.label", name: str = "regio"
) -> dmc.Select:
    return dmc.Select(
        id=param_id(name),
        label=t(label_key, lang),
        data=region_options(lang),
        value=selected,
        searchable=True,
        allowDeselect=False,
        nothingFoundMessage=t("region.nothing_found", lang),
        maxDropdownHeight=360,
        w={"base": "100%", "sm": 360},
        comboboxProps={"withinPortal": True},
    )
