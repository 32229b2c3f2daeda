#!/usr/bin/env python3
# Runs a command on a fresh pseudo-terminal (as its controlling terminal) and
# plays a script against it, for tests of `gatehouse check` on a real terminal.
#
#   pty-driver.py STEPS_JSON -- COMMAND [ARG...]
#
# STEPS_JSON is a list of steps, run in order:
#   {"expect": "text"}     wait (up to 15 s) until the output so far contains text
#   {"send": "text"}       write text to the terminal (as if typed)
#   {"signal": "TERM"}     send SIG<name> to the command
#   {"sleep": 0.2}         wait that many seconds
# Then the command is waited for (up to 30 s). Printed on stdout, as one JSON
# object: the whole terminal output, the exit status (or -signal), and the
# terminal's modes after the command exited.
import json
import os
import select
import signal
import subprocess
import sys
import termios
import time
import fcntl


def main():
    steps = json.loads(sys.argv[1])
    command = sys.argv[sys.argv.index('--') + 1:]
    master, slave = os.openpty()

    def become_terminal_owner():
        # Called after setsid(): the pty becomes the controlling terminal.
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave,
        start_new_session=True, preexec_fn=become_terminal_owner, close_fds=True,
    )
    output = bytearray()

    def pump(timeout):
        ready, _, _ = select.select([master], [], [], timeout)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                return False
            output.extend(data)
            return bool(data)
        return True

    for step in steps:
        if 'expect' in step:
            wanted = step['expect'].encode()
            deadline = time.monotonic() + 15
            while wanted not in output:
                if time.monotonic() > deadline or child.poll() is not None and not pump(0.05):
                    report(child, output, slave, f"timed out waiting for {step['expect']!r}")
                    return
                pump(0.05)
        elif 'send' in step:
            os.write(master, step['send'].encode())
        elif 'signal' in step:
            child.send_signal(getattr(signal, 'SIG' + step['signal']))
        elif 'sleep' in step:
            deadline = time.monotonic() + step['sleep']
            while time.monotonic() < deadline:
                pump(0.02)

    deadline = time.monotonic() + 30
    while child.poll() is None and time.monotonic() < deadline:
        pump(0.05)
    while pump(0.05) and select.select([master], [], [], 0)[0]:
        pass
    report(child, output, slave, None)


def report(child, output, slave, error):
    if child.poll() is None:
        child.kill()
        child.wait()
    attrs = termios.tcgetattr(slave)
    lflag = attrs[3]
    print(json.dumps({
        'error': error,
        'status': child.returncode,
        'output': output.decode('utf-8', 'replace'),
        'termios': {
            'echo': bool(lflag & termios.ECHO),
            'icanon': bool(lflag & termios.ICANON),
            'isig': bool(lflag & termios.ISIG),
        },
    }))


main()
