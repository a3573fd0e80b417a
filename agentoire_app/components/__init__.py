"""Shell, status bar, palette bridge, keymap + help, list rows."""

from .rows import news_list, news_row, tool_item, tool_list, tool_row
from .shell import layout, link, loading, not_found, page_heading

__all__ = ["layout", "link", "loading", "news_list", "news_row", "not_found", "page_heading", "tool_item",
           "tool_list", "tool_row"]
