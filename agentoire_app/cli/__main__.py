"""`python -m agentoire_app.cli` is the `agentoire` command."""

from .main import main

raise SystemExit(main())
