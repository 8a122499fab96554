"""Pacing a pool of concurrent requests to one server.

A 429 pauses the whole pool, not just the request that got it: the server's limit is
the account's. While the server refuses, one request at a time probes it after each
pause; the others wait, and go together once a probe gets through. Otherwise every
paused worker fires at once when the pause ends and each wave of refusals costs every
article an attempt. Optional requests-per-minute and tokens-per-minute budgets space
requests out before the server has to say no. The pool's concurrency is a bound on
requests in flight, held here: an article that is being cleaned, grounded or written
holds no request slot, so the next article's request goes out meanwhile.

Single event loop, no awaits between check and commit: no lock needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

_POLL = 0.05


class Throttle:
    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rpm, self.tpm, self._clock = rpm, tpm, clock
        self._resume_at = 0.0
        self._next_slot = 0.0
        self._bucket = float(tpm or 0)
        self._filled_at = clock()
        self._refusing = False
        self._probing = False
        self.pauses = 0
        self.probes = 0
        self._in_flight: asyncio.Semaphore | None = None
        self._check: Callable[[], None] | None = None

    def limit_in_flight(self, requests: int, check: Callable[[], None] | None = None) -> None:
        """At most `requests` at once from now on (a fresh bound for each pool run:
        a semaphore belongs to the event loop that first waits on it). `check` raises
        when no more requests may go at all (the pool's breaker); it is asked again
        when a request gets its slot, since the wait may have been long."""
        self._in_flight = asyncio.Semaphore(max(requests, 1))
        self._check = check

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._in_flight is None:
            yield
            return
        async with self._in_flight:
            if self._check is not None:
                self._check()
            yield

    def pause(self, seconds: float) -> None:
        """A 429: nobody sends for `seconds`, then one probe goes first."""
        self.pauses += 1
        self._refusing = True
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    def settle(self, probe: bool, rate_limited: bool) -> None:
        """What an attempt ended in: a 429 keeps the pool waiting for the next probe;
        any other answer means the server takes requests again."""
        if probe:
            self._probing = False
        if not rate_limited:
            self._refusing = False

    def delay(self, tokens: int = 0) -> float:
        """Seconds to wait before a request of `tokens` may go; 0 means go now (and
        the request's share of the budgets is taken)."""
        now = self._clock()
        wait = self._resume_at - now
        if self.rpm:
            wait = max(wait, self._next_slot - now)
        if self.tpm:
            self._bucket = min(self.tpm, self._bucket + (now - self._filled_at) * self.tpm / 60)
            self._filled_at = now
            need = min(tokens, self.tpm)
            if self._bucket < need:
                wait = max(wait, (need - self._bucket) * 60 / self.tpm)
        if wait > 0:
            return wait
        if self.rpm:
            self._next_slot = max(now, self._next_slot) + 60 / self.rpm
        if self.tpm:
            self._bucket -= min(tokens, self.tpm)
        return 0.0

    async def acquire(self, tokens: int = 0) -> bool:
        """Wait for this request's turn; True when it goes as the probe of a refusing
        server (its caller reports back through `settle`)."""
        while True:
            if self._refusing and self._probing:
                await asyncio.sleep(_POLL)
                continue
            wait = self.delay(tokens)
            if wait > 0:
                await asyncio.sleep(min(wait, 1.0) if self._refusing else wait)
                continue
            if self._refusing:
                self._probing = True
                self.probes += 1
                return True
            return False
