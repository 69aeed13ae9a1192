"""The one-line description of the machine that every benchmark prints beside its figures.

The machine is shared with other work, so a figure means little without the CPU it ran on and,
where asked, how busy the machine was (the load average sampled when the line is built).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or "unknown" where there is none (not Linux)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine(*extras: str, load: bool = False) -> str:
    """CPU count and model, Python version and platform, then ``extras`` (library versions, thread limits).

    ``load=True`` adds the 1, 5 and 15 minute load averages.
    """
    parts = [
        f"{os.cpu_count()} CPUs, {cpu_model()}",
        f"Python {platform.python_version()}",
        platform.platform(),
        *extras,
    ]
    if load:
        parts.append("load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))
    return "; ".join(parts)
