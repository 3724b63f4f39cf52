"""The one cache mechanism: computed once per key, kept for its time, cleared on demand."""

from __future__ import annotations

import pytest

from fourchain.services.caching import Memo


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_computed_once_until_it_is_cleared() -> None:
    made: list[int] = []
    memo: Memo[str, int] = Memo(4)

    def make() -> int:
        made.append(1)
        return len(made)

    assert [memo.get("k", make), memo.get("k", make)] == [1, 1]
    assert memo.clear() == [1]
    assert memo.get("k", make) == 2


@pytest.mark.parametrize(("elapsed", "recomputed"), [(9.9, False), (10.0, True), (60.0, True)])
def test_a_value_lives_for_its_ttl(elapsed: float, recomputed: bool) -> None:
    clock = Clock()
    memo: Memo[str, float] = Memo(4, ttl=10.0, timer=clock)
    memo.get("k", lambda: clock.now)
    clock.now = elapsed
    assert (memo.get("k", lambda: clock.now) == elapsed) is recomputed


def test_expired_values_are_handed_back_for_release() -> None:
    clock = Clock()
    memo: Memo[str, str] = Memo(4, ttl=5.0, timer=clock)
    memo.get("a", lambda: "duckdb")
    assert memo.expire() == []
    clock.now = 6.0
    assert memo.expire() == ["duckdb"] and len(memo) == 0


def test_the_least_recently_used_key_goes_first_when_full() -> None:
    memo: Memo[int, int] = Memo(2)
    for key in (1, 2, 1, 3):
        memo.get(key, lambda key=key: key * 10)  # type: ignore[misc]
    assert memo.pop(2) is None and memo.pop(1) == 10 and memo.pop(3) == 30


def test_peek_never_computes_and_put_keeps_the_value() -> None:
    memo: Memo[str, int] = Memo(4)
    assert memo.peek("k") is None and len(memo) == 0
    memo.put("k", 7)
    assert memo.peek("k") == 7 and memo.get("k", lambda: 8) == 7
    memo.clear()
    assert memo.peek("k") is None
