"""`/moderate`: the moderator approves or rejects submissions, and the tools found in the news (approve,
reject, merge into a listed tool). Off unless AGENTOIRE_ADMIN_TOKEN is set (and
long enough)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, link, page_heading
from ..components.filters import directory_styles
from ..state.submit import FoundRow, ModerateState, PendingRow
from . import page

S = ModerateState


def _off() -> rx.Component:
    return rx.el.section(
        rx.el.p("Moderation is off.", class_name="ag-lead"),
        rx.el.p("The site's operator has not set a usable AGENTOIRE_ADMIN_TOKEN, so nobody can approve or "
                "reject submissions here. Submissions still wait in the queue.", class_name="ag-muted"),
        data_testid="moderation-off",
    )


def _sign_in() -> rx.Component:
    return rx.el.form(
        rx.el.label(
            rx.el.span("moderator token", class_name="ag-field-label"),
            rx.el.input(type="password", name="token", auto_complete="current-password", class_name="ag-input",
                        id="field-token"),
            html_for="field-token",
            class_name="ag-field-control",
        ),
        rx.el.button("sign in", type="submit", class_name="ag-button"),
        on_submit=S.sign_in,
        reset_on_submit=True,
        data_testid="moderate-sign-in",
        class_name="ag-form",
    )


def _submission(item: ObjectVar[PendingRow]) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.span(item.name, class_name="ag-row-title"), rx.el.span(item.category, class_name="ag-tag"),
                  rx.el.span("sent ", item.created, class_name="ag-meta"), class_name="ag-row-head"),
        rx.el.p(item.tagline, class_name="ag-row-text"),
        rx.el.p(item.homepage, class_name="ag-meta ag-url"),
        rx.cond(item.repository != "", rx.el.p(item.repository, class_name="ag-meta ag-url")),
        rx.cond(item.description != "", rx.el.p(item.description, class_name="ag-row-text ag-pre-line")),
        rx.el.div(
            # mypy reads @rx.event as EventNamespace (Reflex's __new__ returns the handler)
            rx.el.button("approve", type="button", class_name="ag-button",
                         on_click=S.approve(item.id),  # type: ignore[operator]
                         data_testid="moderate-approve"),
            rx.el.button("reject", type="button", class_name="ag-button ag-button-quiet",
                         on_click=S.reject(item.id),  # type: ignore[operator]  # @rx.event, as above
                         data_testid="moderate-reject"),
            class_name="ag-form-actions",
        ),
        data_testid="moderate-item",
        class_name="ag-row",
    )


def _found(item: ObjectVar[FoundRow]) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.span(item.name, class_name="ag-row-title"), rx.el.span(item.kind, class_name="ag-tag"),
                  rx.el.span(item.category, class_name="ag-tag"),
                  rx.el.span(item.mentions, " mentions · first seen ", item.first_seen, class_name="ag-meta"),
                  class_name="ag-row-head"),
        rx.el.p(item.url, class_name="ag-meta ag-url"),
        rx.cond(item.sentence != "", rx.el.blockquote(item.sentence, class_name="ag-row-text")),
        rx.cond(item.article_slug != "",
                rx.el.p("in ", link(item.article_title, href="/news/" + item.article_slug.to(str), inline=True),
                        class_name="ag-meta")),
        rx.el.div(
            rx.el.button("approve", type="button", class_name="ag-button", data_testid="candidate-approve",
                         on_click=S.approve_found(item.id)),  # type: ignore[operator]  # @rx.event, as above
            rx.el.button("reject", type="button", class_name="ag-button ag-button-quiet",
                         data_testid="candidate-reject",
                         on_click=S.reject_found(item.id)),  # type: ignore[operator]  # @rx.event, as above
            rx.el.form(
                rx.el.input(type="hidden", name="candidate", value=item.id),
                rx.el.label(rx.el.span("merge into (tool slug)", class_name="ag-field-label"),
                            rx.el.input(name="into", class_name="ag-input", auto_complete="off"),
                            class_name="ag-field-control"),
                rx.el.button("merge", type="submit", class_name="ag-button ag-button-quiet",
                             data_testid="candidate-merge"),
                on_submit=S.merge_found, reset_on_submit=True, class_name="ag-form",
            ),
            class_name="ag-form-actions",
        ),
        data_testid="candidate-item",
        class_name="ag-row",
    )


def _candidates() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Found in the news", class_name="ag-h2"),
        rx.el.p(S.found.length(), " tools the news points at that the directory does not list", class_name="ag-meta"),
        rx.cond(S.found.length() > 0, rx.el.ul(rx.foreach(S.found, _found), class_name="ag-list"),
                rx.el.p("Nothing new in the news.", class_name="ag-muted")),
        data_testid="moderate-candidates",
    )


def _queue() -> rx.Component:
    return rx.el.section(
        rx.el.p(S.pending.length(), " waiting · ",
                rx.el.button("sign out", type="button", on_click=S.sign_out, class_name="ag-link ag-button-link"),
                class_name="ag-meta"),
        rx.cond(S.pending.length() > 0, rx.el.ul(rx.foreach(S.pending, _submission), class_name="ag-list"),
                rx.el.p("The queue is empty.", class_name="ag-muted")),
        _candidates(),
        data_testid="moderate-queue",
    )


@page("/moderate", title="moderate", on_load=ModerateState.load)
def moderate() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("moderate"),
        rx.cond(S.message != "", rx.el.p(S.message, role="status", class_name="ag-lead",
                                         data_testid="moderate-message")),
        rx.cond(S.enabled, rx.cond(S.authorized, _queue(), _sign_in()), _off()),
        rx.el.p(link("← submissions are made at /submit", href="/submit"), class_name="ag-meta"),
        width="article",
    )
