"""Checked at the source: each tool's public facts read from GitHub, PyPI, npm, Hugging Face and its homepage."""
