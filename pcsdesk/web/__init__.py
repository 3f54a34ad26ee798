"""The browser face (`pcsdesk serve`): parse a form, call the core, render a page."""
