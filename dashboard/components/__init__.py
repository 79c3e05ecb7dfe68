"""Reusable layout pieces (factories) and their callbacks."""

from __future__ import annotations

from typing import Any


def aria(label: str, **more: str) -> dict[str, Any]:
    """``aria-*`` attributes for a Dash component: ``html.Nav(..., **aria("Hoofdnavigatie"))``."""
    return {"aria-label": label, **{f"aria-{key}": value for key, value in more.items()}}
