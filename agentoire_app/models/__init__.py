"""SQLModel tables. Importing this package registers every table on `SQLModel.metadata`."""

from .clock import to_stored, utcnow
from .live import CandidateEvidence, ToolCandidate, ToolCheck, ToolFact
from .news import Article, ArticleTool, RemovedArticle, Source
from .ops import Attempt, Lease
from .stories import Story
from .tools import Category, Submission, Tool

__all__ = [
    "Article",
    "ArticleTool",
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
    "to_stored",
    "utcnow",
]
