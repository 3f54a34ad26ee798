"""One blueprint per area: my tickets and a ticket, New Ticket, the staff queue, the demo sign-in."""
