"""Long work run by the job worker: a job's states, its progress and when its files expire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


@dataclass(frozen=True)
class Job:
    """One unit of long work. `kind` names its handler ("report.five_year", …); `params` are
    the handler's JSON-safe arguments; `account` the username that started it ("" for the
    system); `stage` the handler's last announced step, `done`/`total` its progress; `files`
    the names of its result files in `folder`, removed once the retention has passed."""

    id: str
    kind: str
    account: str
    created_at: datetime
    folder: str
    params: Mapping[str, object] = field(default_factory=dict)
    status: JobStatus = JobStatus.QUEUED
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    files: tuple[str, ...] = ()
    started_at: datetime | None = None
    finished_at: datetime | None = None
    files_removed: bool = False

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        """0–100: the share done (100 once finished, whatever the handler last said)."""
        if not self.active:
            return 100
        if self.total <= 0:
            return 0
        return max(0, min(100, self.done * 100 // self.total))

    def expired(self, now: datetime, retention: timedelta) -> bool:
        """Whether the job's files are due for removal: finished at least `retention` ago."""
        return (
            not self.active
            and not self.files_removed
            and self.finished_at is not None
            and now - self.finished_at >= retention
        )
