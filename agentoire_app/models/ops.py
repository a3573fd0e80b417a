"""Operational rows: the refresh lease that elects one refresher among processes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Lease(SQLModel, table=True):
    """A named lease: whoever holds an unexpired row does the work; others skip it."""

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=200)
    expires_at: datetime
