"""agentoire: a live, keyboard-first directory of AI tools and agents with an AI news desk."""
