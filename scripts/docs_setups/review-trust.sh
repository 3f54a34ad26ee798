# On top of review.sh: a pull request (main since the branch review-base) in which the
# building tech backdated their first note on a waiting ticket, wrote a note in the
# director's name, and added a snow day.
at 2026-11-30T09:20 pcsdesk --as jsmith@pcschools.us new --building PCHS --category av \
    --summary "Smartboard in room 108 ignores touch"
git branch -q review-base
id="$(ticket_id "Smartboard in room 108 ignores touch")"
file="$(grep -rlF -- "summary: Smartboard in room 108 ignores touch" tickets)"
tech=(GIT_AUTHOR_NAME="PCHS building tech" GIT_AUTHOR_EMAIL=tech.pchs@pcschools.us
      GIT_COMMITTER_NAME="PCHS building tech" GIT_COMMITTER_EMAIL=tech.pchs@pcschools.us)
# Written on Thursday with the clock set back to Monday: the commit keeps Thursday's date.
at 2026-11-30T10:30 pcsdesk --as tech.pchs@pcschools.us note "$id" -m "Recalibrated the touch sensor"
env "${tech[@]}" GIT_COMMITTER_DATE="2026-12-03T09:00:00-07:00" git commit -q --amend --no-edit
cat >> "$file" <<'END'
- at: '2026-12-03T09:05:00-07:00'
  by: director.technology@pcschools.us
  kind: note
  text: Approved a replacement board.
END
env "${tech[@]}" GIT_AUTHOR_DATE="2026-12-03T09:05:00-07:00" GIT_COMMITTER_DATE="2026-12-03T09:05:00-07:00" \
    git commit -q -am "A note from the director"
sed -i 's/^closed:$/closed:\n  - {date: 2026-12-02, reason: Snow day}/' calendar.yaml
env "${tech[@]}" GIT_AUTHOR_DATE="2026-12-03T09:10:00-07:00" GIT_COMMITTER_DATE="2026-12-03T09:10:00-07:00" \
    git commit -q -am "Snow day"
