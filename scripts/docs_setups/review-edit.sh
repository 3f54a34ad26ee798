# On top of review.sh: a branch that edits the tech's note and sets the closed ticket open
# again by hand, as a careless pull request would.
git checkout -q -b fix-typo
file="$(grep -rlF -- "summary: Projector in room 212 flickers" tickets)"
sed -i 's/trying another HDMI cable$/trying another HDMI cable (the long one)/; s/^status: closed$/status: open/' "$file"
GIT_AUTHOR_NAME="Pat Admin" GIT_AUTHOR_EMAIL=padmin@pcschools.us GIT_COMMITTER_NAME="Pat Admin" \
    GIT_COMMITTER_EMAIL=padmin@pcschools.us git commit -q -am "Say which cable"
