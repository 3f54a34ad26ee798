"""Lets `python -m pcsdesk` run the command line."""

from pcsdesk.cli import cli

if __name__ == "__main__":
    # The name completion and help use: `_PCSDESK_COMPLETE`, not one built from "python -m".
    cli(prog_name="pcsdesk")
