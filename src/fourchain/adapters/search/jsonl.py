"""Reading the batch interface's JSON-lines files: corpus records and queries.

A corpus line is {"id", "title", "abstract", "keywords"} (keywords a list; any field may be
empty or absent), optionally with "kind", "field", "trl", "ip_status", "district" for filters.
A query line is {"id", "text"}. A bad line is reported as FILE:LINE: reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fourchain.domain.matching import Attributes, Document, DocumentKind, keywords_text
from fourchain.errors import FourchainError, InvalidInput
from fourchain.services.matching import QueryLine


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    with open(path, encoding="utf-8") as handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):  # noqa: B007 - used in except
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InvalidInput(f"{path}:{number}: not valid JSON ({error.msg})") from None
                if not isinstance(data, dict):
                    raise InvalidInput(f"{path}:{number}: expected a JSON object")
                yield number, data
        except UnicodeDecodeError:
            raise InvalidInput(f"{path}:{number + 1}: not UTF-8 text") from None


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: '{key}' must be a string, got {type(value).__name__}")
    return value


def _id(data: dict[str, Any], where: str) -> str:
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise InvalidInput(f"{where}: 'id' must be a non-empty string")
    return str(value)


def read_corpus(path: Path) -> list[Document]:
    documents: list[Document] = []
    seen: dict[str, int] = {}
    for number, data in _lines(path):
        where = f"{path}:{number}"
        doc_id = _id(data, where)
        if doc_id in seen:
            raise InvalidInput(f"{where}: id {doc_id!r} already used on line {seen[doc_id]}")
        seen[doc_id] = number
        keywords = data.get("keywords")
        if keywords is not None and not (
            isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)
        ):
            raise InvalidInput(f"{where}: 'keywords' must be a list of strings")
        try:
            kind = DocumentKind(data.get("kind") or DocumentKind.ACHIEVEMENT.value)
            trl = data.get("trl")
            if trl is not None and (isinstance(trl, bool) or not isinstance(trl, int)):
                raise InvalidInput(f"'trl' must be an integer 1–9, got {trl!r}")
            attributes = Attributes(
                field=_text(data, "field", where),
                trl=trl,
                ip_status=_text(data, "ip_status", where),
                district=_text(data, "district", where),
            )
        except ValueError:
            kinds = ", ".join(k.value for k in DocumentKind)
            raise InvalidInput(f"{where}: 'kind' must be one of {kinds}") from None
        except FourchainError as error:
            if error.message.startswith(str(path)):
                raise
            raise InvalidInput(f"{where}: {error.message}") from None
        fields = {
            "title": _text(data, "title", where),
            "abstract": _text(data, "abstract", where),
            "keywords": keywords_text(keywords),
        }
        documents.append(Document(doc_id, fields, kind, attributes))
    return documents


def read_queries(path: Path) -> list[QueryLine]:
    queries: list[QueryLine] = []
    seen: dict[str, int] = {}
    for number, data in _lines(path):
        where = f"{path}:{number}"
        query_id = _id(data, where)
        if query_id in seen:
            raise InvalidInput(f"{where}: id {query_id!r} already used on line {seen[query_id]}")
        seen[query_id] = number
        if "text" not in data:
            raise InvalidInput(f"{where}: 'text' is missing")
        queries.append(QueryLine(query_id, _text(data, "text", where)))
    return queries
