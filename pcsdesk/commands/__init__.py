"""The click layer: one module per command, each parsing options, calling the core, printing."""
