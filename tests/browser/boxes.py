"""Page rectangles for the layout tests: {x, y, right, bottom} from getBoundingClientRect."""

from __future__ import annotations


def intersects(a: dict, b: dict) -> bool:
    """The two rectangles share some area (touching edges do not count)."""
    return (
        a["x"] < b["right"]
        and b["x"] < a["right"]
        and a["y"] < b["bottom"]
        and b["y"] < a["bottom"]
    )
