"""The one cache mechanism of the services: a cachetools cache behind a lock, with explicit
invalidation. Whoever changes the data clears the caches that saw it (`Services.data_changed`
in the composition root), so an import shows at once; the time-to-live only bounds how long
a change made elsewhere (another process) can stay unseen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import Cache, LRUCache, TTLCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values computed once per key and kept (at most `maxsize` keys, each `ttl` seconds when
    given). `get` computes a missing value under the lock, so concurrent askers wait for one
    computation instead of each running it."""

    def __init__(
        self,
        maxsize: int = 32,
        ttl: float | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache: Cache[K, V] = (
            TTLCache(maxsize, ttl, timer) if ttl is not None else LRUCache(maxsize)
        )
        self._lock = threading.RLock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            try:
                return self._cache[key]
            except KeyError:
                value = make()
                self._cache[key] = value
                return value

    def peek(self, key: K) -> V | None:
        """The value kept for `key`, or None: never computes, so it never waits for another
        asker's computation (for values too costly to make under the lock; `put` them)."""
        with self._lock:
            return self._cache.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._cache[key] = value

    def pop(self, key: K) -> V | None:
        with self._lock:
            return self._cache.pop(key, None)

    def clear(self) -> list[V]:
        """Forget every value (the data behind them changed); returns them, for values that
        hold a resource to release."""
        with self._lock:
            values = list(self._cache.values())
            self._cache.clear()
            return values

    def expire(self) -> list[V]:
        """Drop the values whose time is up; returns them (see `clear`)."""
        with self._lock:
            if isinstance(self._cache, TTLCache):
                return [value for _, value in self._cache.expire()]
            return []

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)
