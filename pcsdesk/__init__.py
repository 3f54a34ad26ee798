"""pcsdesk: the Park City School District's helpdesk, as a command-line tool over a git store."""

__version__ = "0.1.0"
