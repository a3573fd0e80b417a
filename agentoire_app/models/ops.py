"""Operational rows: the refresh lease that elects one refresher among processes, and rate-limited attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Lease(SQLModel, table=True):
    """A named lease: whoever holds an unexpired row does the work; others skip it."""

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=200)
    expires_at: datetime


class Attempt(SQLModel, table=True):
    """One try at a limited action (a submission, a failed moderator sign-in) by a hashed client.

    Rows, not memory, so a limit holds across app workers; refused tries are rows too, so being refused
    never buys a client more tries.
    """

    __table_args__ = (sa.Index("ix_attempt_action_client_at", "action", "client_key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=32)
    client_key: str = Field(max_length=128)
    at: datetime = Field(index=True)
