"""The procedure's rules as plain functions with no I/O."""
