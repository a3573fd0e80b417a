"""SQLModel tables. Importing this package registers every table on `SQLModel.metadata`."""

import sqlalchemy as sa
from sqlmodel import SQLModel

from .clock import to_stored, utcnow
from .live import CandidateEvidence, ToolCandidate, ToolCheck, ToolFact
from .news import Article, ArticleTool, RemovedArticle, Source
from .ops import Attempt, Lease
from .stories import Story
from .tools import Category, Submission, Tool
from .vectors import ArticleVector

__all__ = [
    "Article",
    "ArticleTool",
    "ArticleVector",
    "Attempt",
    "CandidateEvidence",
    "Category",
    "Lease",
    "RemovedArticle",
    "Source",
    "Story",
    "Submission",
    "Tool",
    "ToolCandidate",
    "ToolCheck",
    "ToolFact",
    "table_of",
    "to_stored",
    "utcnow",
]


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table model, for bulk inserts and single-statement updates that skip the ORM.

    SQLModel sets `__table__` on table models without declaring it, so the mapper is asked instead."""
    table = sa.inspect(model).local_table
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table
