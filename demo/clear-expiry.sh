#!/bin/sh
# Run by pam_exec after a successful password change in the demo stack: the
# user's password no longer counts as expired. $1 is the list of expired users.
list=$1
[ -n "$PAM_USER" ] && [ -f "$list" ] || exit 0
grep -vxF -e "$PAM_USER" "$list" > "$list.new" || true
mv -f "$list.new" "$list"
