"""Keep freed memory in the process instead of handing it back to the OS after every frame.

glibc returns freed memory at the top of the heap to the kernel (M_TRIM_THRESHOLD, 128 KB by
default) and maps large arrays afresh (M_MMAP_THRESHOLD); a forward pass that allocates a
few hundred KB of Z and A then page-faults every time, which measured here as 40% of a 6x8
training step and 60% of a 100x100 map. Raising both thresholds keeps that memory for reuse.
Elsewhere than glibc (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory(trim: int = 256 << 20, mmap: int = 32 << 20) -> bool:
    """Ask glibc to keep up to `trim` bytes of free heap and to map only blocks above `mmap`."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_TRIM_THRESHOLD, trim)) and bool(mallopt(_M_MMAP_THRESHOLD, mmap))
