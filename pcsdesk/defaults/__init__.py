"""The default calendar.yaml and buildings.yaml that `pcsdesk init` copies into a new store."""
