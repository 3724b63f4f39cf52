"""The name an uploaded file may be kept under: its last path part, never a folder."""

from __future__ import annotations

import unicodedata

from fourchain.errors import InvalidInput

NAME_MAX = 200


def upload_name(filename: str) -> str:
    """The file's own name from what a browser sent (a path from some systems, any bytes from
    an attacker): its last part, refused when that names no file (`..`, `.`, empty) or holds a
    control character."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in ("", ".", "..") or set(name) == {"."}:
        raise InvalidInput(f"文件名无效 / not a file name: {filename!r}")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise InvalidInput(f"文件名含控制字符 / the file name holds a control character: {name!r}")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"文件名过长 / the file name is longer than {NAME_MAX} characters")
    return name
