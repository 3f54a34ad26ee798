"""The only code that touches files and git: the store of tickets and its configuration."""
