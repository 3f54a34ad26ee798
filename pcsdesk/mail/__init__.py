"""The email face: `pcsdesk notify` tells people what changed, from git history."""
