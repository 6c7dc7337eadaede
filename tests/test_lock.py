import multiprocessing
import time

import pytest

from flows.cycle_lock import CycleAlreadyRunning, cycle_lock


def _hold(path, seconds, ready):
    with cycle_lock(path, wait_s=0):
        ready.set()
        time.sleep(seconds)


def test_second_cycle_skips_with_a_reason_while_the_first_holds_the_lock(tmp_path):
    db = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(db, 3, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(CycleAlreadyRunning, match="another cycle holds"), \
                cycle_lock(db, wait_s=0.3):
            pass
    finally:
        holder.join()
    with cycle_lock(db, wait_s=0):  # released when the holder ended
        pass


def test_lock_released_when_the_holder_is_killed(tmp_path):
    db = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(db, 60, ready))
    holder.start()
    assert ready.wait(30)
    holder.kill()
    holder.join()
    with cycle_lock(db, wait_s=2):
        pass
