"""我的工作台: the workspaces read through the market's, cultivation's and pipeline's services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from fourchain.services.ports import PipelineStore
from fourchain.services.workspace import Workspaces

if TYPE_CHECKING:
    from fourchain.bootstrap.services import Services


def build(services: Services) -> Workspaces:
    @contextmanager
    def pipeline() -> Iterator[PipelineStore]:
        with services.pipeline.reading() as stores:
            yield stores.pipeline

    return Workspaces(
        services.market.records,
        services.market.desk,
        services.cultivation.reading,
        pipeline,
        services.auth.audit,
    )
