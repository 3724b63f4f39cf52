"""Search adapters: Chinese text analysis, BM25 (bm25s), embeddings, dense and hybrid search.

Layers, bottom up: text (normalise, tokenise) → bm25 (segments) and embeddings/dense
(vectors) → index (documents by slot, incremental) → hybrid (fusion, filters, explanations)
→ engine (what services see). jsonl reads the batch interface's files.
"""
