"""CPU time and peak memory of a process tree, read from /proc (Linux)."""

from __future__ import annotations

import os
import threading


def _proc_table() -> dict[int, tuple[int, int, float]]:
    """pid -> (parent pid, resident bytes, CPU seconds so far), from /proc."""
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    table: dict[int, tuple[int, int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state (stat field 3): ppid 4, utime 14, stime 15, rss 24
        cpu = (int(fields[11]) + int(fields[12])) / tick
        table[int(entry)] = (int(fields[1]), int(fields[21]) * page, cpu)
    return table


def _tree(root: int, table: dict[int, tuple[int, int, float]]) -> list[int]:
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(child for child, row in table.items() if row[0] == pid)
    return pids


class TreeSampler:
    """Peak resident memory and CPU time of a process tree, sampled every 0.1 s.

    Extraction workers are children of a fork server, not of the measured process, so
    getrusage(RUSAGE_CHILDREN) never sees them; /proc does while they live. Each process's
    CPU counts with the last value seen (at most 0.1 s short).
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_rss = 0
        self._cpu: dict[int, float] = {}
        self._baseline: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        table = _proc_table()
        self._baseline = {pid: table[pid][2] for pid in _tree(self.root, table) if pid in table}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            self._sample()

    def _sample(self) -> None:
        table = _proc_table()
        pids = [pid for pid in _tree(self.root, table) if pid in table]
        self.peak_rss = max(self.peak_rss, sum(table[pid][1] for pid in pids))
        for pid in pids:
            self._cpu[pid] = max(self._cpu.get(pid, 0.0), table[pid][2])

    @property
    def cpu_s(self) -> float:
        return sum(cpu - self._baseline.get(pid, 0.0) for pid, cpu in self._cpu.items())
