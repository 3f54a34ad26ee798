"""Lets `python -m pcsdesk` run the command line."""

from pcsdesk.cli import cli

if __name__ == "__main__":
    cli()
