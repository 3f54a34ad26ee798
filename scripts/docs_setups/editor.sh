# docs/ticket-flow.md: $EDITOR is a script that keeps a copy of what pcsdesk offers it
# (../offered.txt) and types the technician's two lines above it, as a person would.
cat > ../type-a-note <<'END'
#!/bin/sh
cp "$1" "$(dirname "$0")/offered.txt"
{
    printf '%s\n' "On site 07:30: the extender lost power when the custodian unplugged the cart." \
        "Plugged into the wall outlet instead; ordered a short power strip."
    cat "$(dirname "$0")/offered.txt"
} > "$1"
END
chmod +x ../type-a-note
export EDITOR="$(cd .. && pwd)/type-a-note"
unset VISUAL
