"""Child-process hygiene shared by the supervisor and the embedded Redis."""

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def child_preexec() -> None:
    """Run in a child before exec (Linux): its own session, so a terminal's Ctrl-C reaches
    only the parent, which stops children in order; and SIGTERM when the parent dies, so that
    no child outlives a parent killed with SIGKILL."""
    os.setsid()
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
