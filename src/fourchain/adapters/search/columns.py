"""Filter attributes of every indexed document as numpy code columns, for vectorised masks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fourchain.domain.matching import Document, DocumentKind, Filters

Mask = npt.NDArray[np.bool_]
_KINDS = list(DocumentKind)


class _Codes:
    """A string column stored as integer codes (0 = not stated)."""

    def __init__(self, values: Sequence[str]) -> None:
        self.codes: dict[str, int] = {"": 0}
        self.column = np.fromiter(
            (self.codes.setdefault(value, len(self.codes)) for value in values),
            dtype=np.int32,
            count=len(values),
        )

    def isin(self, wanted: frozenset[str]) -> Mask:
        codes = [self.codes[value] for value in wanted if value in self.codes]
        return np.isin(self.column, np.asarray(codes, dtype=np.int32))


class AttributeColumns:
    """Kind, field, TRL, IP status and district of documents 0..n-1."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.n = len(documents)
        self.kind = np.fromiter(
            (_KINDS.index(d.kind) for d in documents), dtype=np.int8, count=self.n
        )
        self.trl = np.fromiter(
            (d.attributes.trl or 0 for d in documents), dtype=np.int8, count=self.n
        )
        self.field = _Codes([d.attributes.field for d in documents])
        self.ip_status = _Codes([d.attributes.ip_status for d in documents])
        self.district = _Codes([d.attributes.district for d in documents])

    def mask(self, filters: Filters) -> Mask:
        """True where a document passes the filters (the same rule as Filters.accepts)."""
        ok = np.ones(self.n, dtype=np.bool_)
        if filters.kinds:
            ok &= np.isin(self.kind, [_KINDS.index(kind) for kind in filters.kinds])
        if filters.fields:
            ok &= self.field.isin(filters.fields)
        if filters.ip_statuses:
            ok &= self.ip_status.isin(filters.ip_statuses)
        if filters.districts:
            ok &= self.district.isin(filters.districts)
        if filters.trl_min is not None or filters.trl_max is not None:
            low = filters.trl_min if filters.trl_min is not None else 1
            high = filters.trl_max if filters.trl_max is not None else 9
            ok &= (self.trl >= low) & (self.trl <= high)  # unknown (0) fails any range
        return ok
