"""Group commit: one writer thread runs the request path's small write jobs, many per transaction.

A check reads (look-up, access filter, answer) and then writes a little: its hits and one audit event. With
one transaction per check, the server spends more time beginning and committing transactions, handing the
SQLite write lock from thread to thread and switching threads under the GIL than doing the check. The
writer here takes every job queued while the previous transaction was committing and runs them in the
next one:

* a job that raises gets its exception back and leaves no trace: the transaction is rolled back and the
  other jobs of the batch run again without it, in a new transaction. Jobs must therefore be safe to run
  again after a rollback (a check's writes are: their ids and content were fixed before the job ran).
  This costs nothing when no job fails, where a SAVEPOINT per job cost about 40% more per job;
* a job's caller is answered only after the transaction holding its writes has committed: an answer
  never reports a check whose audit event the database did not keep. If the commit fails, every caller in
  the batch gets the error;
* with an SQLite writer gate (``inline_gate``), the jobs a turn of the event loop queued run on the event
  loop itself, right after that turn, if the gate is free at that moment; only when it is taken (another
  thread's or process's transaction) do they go to the writer thread, so the loop never waits for a lock.
  An SQLite write of a check takes a fraction of a millisecond, while handing each job to a thread made
  the two threads trade the GIL twice per request. PostgreSQL writes, which wait on the network, always
  go to the thread.

The thread starts on its first job and stops with :meth:`GroupCommitWriter.stop` (the app's shutdown).
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

from peacelink.db.dialect import GateBusy, SQLiteWriterGate

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


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _is_gate_busy(error: BaseException) -> bool:
    return isinstance(error, GateBusy) or isinstance(getattr(error, "orig", None), GateBusy)


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

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        max_batch: int = MAX_BATCH,
        inline_gate: SQLiteWriterGate | None = None,
    ) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._inline_gate = inline_gate
        self._pending: dict[asyncio.AbstractEventLoop, list[_Job[Any]]] = {}
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0  # committed transactions, for tests and diagnostics
        self.jobs = 0  # jobs run, for tests and diagnostics
        self.inline_batches = 0  # batches committed on the event loop, for tests and diagnostics

    async def submit(self, run: Callable[[Session], T]) -> T:
        """Run ``run(session)`` in the next batch; return its value once that batch has committed."""
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(run, loop, loop.create_future())
        if self._inline_gate is None:
            self._to_thread([job])
        else:
            pending = self._pending.setdefault(loop, [])
            pending.append(job)
            if len(pending) == 1:
                loop.call_soon(self._flush_inline, loop)
        return await job.future

    def _to_thread(self, jobs: list[_Job[Any]]) -> None:
        self._ensure_started()
        for job in jobs:
            self._queue.put(job)

    def _flush_inline(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run the jobs this loop queued, here, if the gate is free; else hand them to the thread."""
        assert self._inline_gate is not None
        jobs = self._pending.pop(loop, [])
        for start in range(0, len(jobs), self._max_batch):
            with self._inline_gate.without_waiting():
                self._run_batch(jobs[start : start + self._max_batch], inline=True)

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

    def _run_batch(self, batch: list[_Job[Any]], *, inline: bool = False) -> None:
        failed: dict[int, BaseException] = {}
        outcome: Any = None
        while outcome is None:
            outcome = self._attempt(batch, failed)
        batch_answers: list[tuple[_Job[Any], Any, BaseException | None]]
        if inline and isinstance(outcome, BaseException) and _is_gate_busy(outcome):
            # The gate was taken: the thread runs the jobs (only those that failed are answered here).
            self._to_thread([job for index, job in enumerate(batch) if index not in failed])
            batch_answers = [(job, None, failed[i]) for i, job in enumerate(batch) if i in failed]
        else:
            if inline and not isinstance(outcome, BaseException):
                self.inline_batches += 1
            batch_answers = [
                (job, None, failed[i])
                if i in failed
                else (job, None, outcome)
                if isinstance(outcome, BaseException)
                else (job, outcome[i], None)
                for i, job in enumerate(batch)
            ]
        self.jobs += len(batch_answers)
        here = _running_loop()
        for job, value, error in batch_answers:
            if job.loop is here:
                _settle(job.future, value, error)
                continue
            # A RuntimeError here means the caller's event loop has closed: nobody is waiting.
            with contextlib.suppress(RuntimeError):
                job.loop.call_soon_threadsafe(_settle, job.future, value, error)

    def _attempt(self, batch: list[_Job[Any]], failed: dict[int, BaseException]) -> Any:
        """One transaction over the jobs not yet failed.

        Returns their values by index once committed; the error when BEGIN or COMMIT failed (every
        remaining caller gets it); or None when a job raised: that job is marked failed, the transaction
        rolled back, and the caller runs the others again.
        """
        values: dict[int, Any] = {}
        try:
            with self._sessions() as session:
                session.connection()  # BEGIN once for the batch: if it fails, every caller gets that error
                for index, job in enumerate(batch):
                    if index in failed:
                        continue
                    try:
                        values[index] = job.run(session)
                    except Exception as exc:  # handed to that job's caller; the rest run again
                        failed[index] = exc
                        return None  # leaving the block rolls the transaction back
                session.commit()
        except Exception as exc:  # the commit (or BEGIN) failed: every remaining caller gets it
            if _is_gate_busy(exc):
                return exc  # not a failure: the thread will run these jobs
            log.warning("group commit of %d jobs failed: %s", len(batch) - len(failed), type(exc).__name__)
            return exc
        self.batches += 1
        return values
