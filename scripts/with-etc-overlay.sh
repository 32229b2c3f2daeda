#!/usr/bin/env bash
# with-etc-overlay.sh CMD...: runs CMD with /etc overlaid in a private mount
# namespace, so tests can add users and change passwords without touching the
# host's /etc. Everything written to /etc lands in a temporary upper directory that
# is removed afterwards; the host's account files are checksummed before and after.
# Without root (or without unshare) CMD runs as is, and the suites that need the
# overlay skip themselves with the reason.
set -euo pipefail

if [ "${GATEHOUSE_ETC_OVERLAY_INNER:-}" = 1 ]; then
    work=$GATEHOUSE_ETC_OVERLAY_WORK
    mkdir -p "$work/upper" "$work/work" "$work/merged"
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/upper,workdir=$work/work" "$work/merged"
    mount --bind "$work/merged" /etc
    if [ "$(findmnt -n -o FSTYPE --target /etc | tail -1)" != overlay ]; then
        echo "with-etc-overlay: /etc is not the overlay; refusing to go on" >&2
        exit 2
    fi
    unset GATEHOUSE_ETC_OVERLAY_INNER GATEHOUSE_ETC_OVERLAY_WORK
    export GATEHOUSE_ETC_OVERLAY=1
    exec "$@"
fi

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "with-etc-overlay: not root: suites that need real users in /etc will be skipped" >&2
    exec "$@"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-etc.XXXXXX")
chmod 755 "$work"
# test users' home directories: outside /etc, gone with the run
export GATEHOUSE_LAB_HOMES=$work/homes
mkdir -p "$GATEHOUSE_LAB_HOMES"
checksum() { (cd /etc && cat passwd group shadow gshadow 2>/dev/null | md5sum); }
before=$(checksum)
rc=0
GATEHOUSE_ETC_OVERLAY_INNER=1 GATEHOUSE_ETC_OVERLAY_WORK=$work \
    unshare --mount --propagation private "$0" "$@" || rc=$?
after=$(checksum)
rm -rf -- "$work"
if [ "$before" != "$after" ]; then
    echo "with-etc-overlay: the host's /etc account files changed!" >&2
    rc=1
fi
exit $rc
