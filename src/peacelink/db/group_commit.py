"""Group commit: one writer thread runs the request path's small write jobs, many per transaction.

A check reads (look-up, access filter, answer) and then writes a little: its hits and one audit event. With
one transaction per check, the server spends more time beginning and committing transactions, handing the
SQLite write lock from thread to thread and switching threads under the GIL than doing the check. The
writer here takes every job queued while the previous transaction was committing and runs them in the
next one:

* each job runs inside its own SAVEPOINT, so a job that raises is rolled back alone and its caller gets
  its exception, while the others in the batch commit;
* a job's caller is answered only after the transaction holding its writes has committed: an answer
  never reports a check whose audit event the database did not keep. If the commit fails, every caller in
  the batch gets the error;
* jobs run in submission order, so the audit hash chain stays in the order the requests were answered.

The thread starts on the first job and stops with :meth:`GroupCommitWriter.stop` (the app's shutdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
log = logging.getLogger(__name__)

# Jobs per transaction at most: a check's writes take a fraction of a millisecond, so a full batch still
# commits within a few milliseconds of its first job.
MAX_BATCH = 64


@dataclass
class _Job(Generic[T]):
    run: Callable[[Session], T]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T]


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    """Answer a caller on its event loop (a caller that went away is skipped)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


class GroupCommitWriter:
    """A single writer thread that commits queued write jobs in batches (module docstring)."""

    def __init__(self, sessions: sessionmaker[Session], *, max_batch: int = MAX_BATCH) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0  # committed transactions, for tests and diagnostics
        self.jobs = 0  # jobs run, for tests and diagnostics

    async def submit(self, run: Callable[[Session], T]) -> T:
        """Run ``run(session)`` in the next batch; return its value once that batch has committed."""
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(run, loop, loop.create_future())
        self._ensure_started()
        self._queue.put(job)
        return await job.future

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the queued jobs and stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch: list[_Job[Any]] = [first]
            stopping = False
            while len(batch) < self._max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stopping = True
                    break
                batch.append(job)
            self._run_batch(batch)
            if stopping:
                return

    def _run_batch(self, batch: list[_Job[Any]]) -> None:
        outcomes: list[tuple[Any, BaseException | None]] = []
        try:
            with self._sessions() as session:
                session.connection()  # BEGIN once for the batch: if it fails, every caller gets that error
                for job in batch:
                    try:
                        with session.begin_nested():
                            outcomes.append((job.run(session), None))
                    except Exception as exc:  # handed to that job's caller
                        outcomes.append((None, exc))
                session.commit()
        except Exception as exc:  # the commit (or BEGIN) failed: every caller gets it
            log.warning("group commit of %d jobs failed: %s", len(batch), type(exc).__name__)
            outcomes = [(None, exc)] * len(batch)
        else:
            self.batches += 1
        self.jobs += len(batch)
        for job, (value, error) in zip(batch, outcomes, strict=True):
            # A RuntimeError here means the caller's event loop has closed: nobody is waiting.
            with contextlib.suppress(RuntimeError):
                job.loop.call_soon_threadsafe(_settle, job.future, value, error)
