#!/bin/sh
# The demo's login session: says who it runs for and in which language, then
# ends after a few seconds, and the greeter comes back.
echo "Demo session for $USER (uid $(id -u), LANG=${LANG:-unset}, home $HOME): it ends in ${1:-5} seconds." >&2
sleep "${1:-5}"
