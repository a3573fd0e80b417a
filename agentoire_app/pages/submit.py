"""`/submit`: propose a tool. Every refused field says why, beside the field; accepted ones wait for review."""

from __future__ import annotations

import reflex as rx

from ..components import layout, link, page_heading
from ..components.filters import directory_styles
from ..services.submissions import LIMITS
from ..state.submit import SubmitState
from . import page

S = SubmitState
# `errors` and `values` are dicts keyed by field name; mypy reads Reflex's dict vars as arrays, so they are
# viewed `.to(dict)`, which compiles to the same JavaScript.


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.to(dict).contains(name),
        rx.el.span(S.errors.to(dict)[name], id=f"{name}-error", data_testid="field-error", data_field=name,
                   class_name="ag-field-error", role="alert"),
    )


def _field(name: str, label: str, hint: str, *, kind: str = "text", required: bool = False,
           multiline: bool = False) -> rx.Component:
    low, high = LIMITS[name]
    common = {
        "name": name, "id": f"field-{name}", "default_value": S.values.to(dict)[name], "class_name": "ag-input",
        "aria_invalid": rx.cond(S.errors.to(dict).contains(name), "true", "false"),
        "aria_describedby": f"{name}-hint {name}-error",
    }
    # No `maxlength`/`required` in the browser: the server's rules are the ones that count, and it answers
    # with a message that names the field (hostile or scripted clients skip browser checks anyway).
    control = (rx.el.textarea(rows=5, **common) if multiline
               else rx.el.input(type=kind, auto_complete="off", **common))
    return rx.el.div(
        rx.el.label(
            rx.el.span(label, rx.cond(required, rx.el.span(" (required)", class_name="ag-muted"), ""),
                       class_name="ag-field-label"),
            control,
            _error(name),
            html_for=f"field-{name}",
            class_name="ag-field-control",
        ),
        rx.el.span(hint, f" · {low}–{high} characters" if kind != "url" else "", id=f"{name}-hint",
                   class_name="ag-meta"),
        class_name="ag-field",
        data_field=name,
    )


def _category_field() -> rx.Component:
    return rx.el.div(
        rx.el.label(
            rx.el.span("category", rx.el.span(" (required)", class_name="ag-muted"), class_name="ag-field-label"),
            rx.el.select(
                rx.el.option("choose a category…", value=""),
                rx.foreach(S.categories, lambda c: rx.el.option(c.name, value=c.slug)),
                name="category", id="field-category", default_value=S.values.to(dict)["category"], class_name="ag-select",
                aria_invalid=rx.cond(S.errors.to(dict).contains("category"), "true", "false"),
                aria_describedby="category-error",
            ),
            _error("category"),
            html_for="field-category",
            class_name="ag-field-control",
        ),
        class_name="ag-field",
        data_field="category",
    )


def _form() -> rx.Component:
    return rx.el.form(
        _field("name", "name", "what the tool is called", required=True),
        _field("homepage", "homepage", "its public web address, http:// or https://", kind="url", required=True),
        _field("repository", "repository", "source code, if it is open", kind="url"),
        _field("tagline", "tagline", "one line: what it does", required=True),
        _field("description", "description", "plain text, no HTML", multiline=True),
        _category_field(),
        rx.cond(S.form_error != "", rx.el.p(S.form_error, class_name="ag-field-error", role="alert",
                                            data_testid="form-error")),
        rx.el.div(
            rx.el.button(rx.cond(S.sending, "sending…", "submit for review"), type="submit",
                         disabled=S.sending, class_name="ag-button"),
            rx.el.span("A moderator reviews every submission before it is listed.", class_name="ag-meta"),
            class_name="ag-form-actions",
        ),
        on_submit=S.submit,
        reset_on_submit=False,
        no_validate=True,
        data_testid="submit-form",
        class_name="ag-form",
    )


def _done() -> rx.Component:
    return rx.el.section(
        rx.el.p("Thank you: “", S.submitted_name, "” is queued for moderation.", class_name="ag-lead"),
        rx.el.p("It appears in the directory once a moderator approves it. ",
                rx.el.button("Submit another", type="button", on_click=S.another, class_name="ag-link ag-button-link"),
                " · ", link("back to the tools", href="/tools"), class_name="ag-muted"),
        data_testid="submit-ok",
        role="status",
        class_name="ag-submit-ok",
    )


@page("/submit", title="submit a tool", on_load=SubmitState.load,
      description="Propose an AI tool for the directory; a moderator reviews it.")
def submit() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("submit a tool"),
        rx.cond(S.submitted_name != "", _done(), _form()),
        width="article",
    )
