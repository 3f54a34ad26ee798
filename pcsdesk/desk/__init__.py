"""The core: actions (every change, one commit each) and queries (every question), over the rules and the store."""
