"""The one worker pool: big jobs over many ticket files (an index rebuild, `check`) on every core.

Each worker is forked with pcsdesk and PyYAML already imported, runs `setup` once
(typically opening its own `git cat-file --batch` through the git door), then
handles chunks of the job; answers come back in the order of the chunks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worth_parallel(count: int, threshold: int) -> bool:
    """Below `threshold` items (or on one core) one process is quicker than starting workers."""
    return count >= threshold and cores() >= 2


def in_parallel(
    work: Callable[[list[Item]], list[Result]],
    items: Sequence[Item],
    chunk: int,
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
) -> Iterator[Result]:
    """`work` over `items`, `chunk` at a time, on every core; results in the items' order.

    `work` and `setup` must be module-level functions (they are sent to the workers).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with pcsdesk, PyYAML and the rules already loaded.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
    with ProcessPoolExecutor(cores(), mp_context=multiprocessing.get_context(method),
                             initializer=setup, initargs=setup_args) as pool:
        for results in pool.map(work, chunks):
            yield from results
