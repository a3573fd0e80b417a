"""Charts with their text alternative: a recharts bar chart hidden from screen readers, beside a table
that carries the same numbers. The table is always in the accessibility tree (a closed `<details>` would
take it out); sighted readers open it with the disclosure just before it, which CSS follows
(`.ag-chart-table`), so nothing is said twice.

Colours are the theme's CSS variables, so a chart reads in the light and the dark theme alike; the width
follows its container, so it fits a 375 px phone.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar


def bar_chart_with_table(data: rx.Var, *, x_key: str, y_key: str, x_label: str, y_label: str, summary: rx.Var | str,
                         testid: str, height: int = 180) -> rx.Component:
    """One bar per row of `data` ({x_key: label, y_key: number}) and the same rows as a table."""
    chart = rx.recharts.responsive_container(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke="var(--ag-line)", vertical=False),
            rx.recharts.x_axis(data_key=x_key, stroke="var(--ag-muted)", tick_line=False, interval="preserveStartEnd"),
            rx.recharts.y_axis(stroke="var(--ag-muted)", allow_decimals=False, width=32),
            rx.recharts.bar(data_key=y_key, fill="var(--ag-accent)", is_animation_active=False),
            # rows are frozen dataclasses, sent to the browser as JSON objects: what recharts wants
            data=data.to(ArrayVar, list[dict[str, Any]]),
            # recharts' keyboard layer makes the drawing focusable, inside a region hidden from screen readers
            custom_attrs={"accessibilityLayer": False},
        ),
        width="100%",
        height=height,
    )
    table = rx.el.table(
        rx.el.thead(rx.el.tr(rx.el.th(x_label, scope="col"), rx.el.th(y_label, scope="col"))),
        rx.el.tbody(rx.foreach(data, lambda row: rx.el.tr(rx.el.td(row[x_key]), rx.el.td(row[y_key])))),
        class_name="ag-table",
    )
    return rx.el.figure(
        rx.el.div(chart, aria_hidden="true"),
        rx.el.figcaption(summary, class_name="ag-meta"),
        rx.el.details(rx.el.summary("the numbers as a table", class_name="ag-meta")),
        rx.el.div(table, class_name="ag-chart-table"),  # a table's height ignores a clip: its box clips
        data_testid=testid,
        class_name="ag-chart",
    )
