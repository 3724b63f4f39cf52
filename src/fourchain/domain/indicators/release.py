"""A press release as found in the wild (HTML or plain text, traditional or simplified) read
down to its sentences: markup, navigation, spam lines, romanisation and repeats left behind.

The conversion to simplified characters is passed in (`to_simplified`: OpenCC's t2s, wired
in the composition root) so this module stays free of I/O and of third-party code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

# Elements whose text is never the release's body.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "title", "nav", "header", "footer", "aside"}
    | {"form", "select", "option", "button", "iframe", "svg", "head"}
)
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source", "col"})
# A block element ends a line of text.
_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "section", "article", "main", "blockquote", "dd", "dt", "pre", "br", "hr"}
)
# class or id words that mark navigation, sharing widgets and page furniture.
_FURNITURE = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|sidebar|share|toolbar|copyright")
_HTML = re.compile(r"<\s*(?:html|body|p|div|br|span|h[1-6]|table|li|a)\b", re.IGNORECASE)

# Lines a site puts around an article: source, editor, sharing, print and font-size buttons.
_BOILERPLATE = re.compile(
    r"^(?:来源|责任编辑|编辑|作者|分享到|打印|关闭|字号|发布时间|浏览次数|点击数|【?打印|【?关闭|上一篇|下一篇)"
)
# Spam titles that scrapers and link farms paste in front of copied articles.
_SPAM = re.compile(
    r"https?://|www\.|\.com\b|\.net\b|彩票|博彩|娱乐城|娱乐平台|棋牌|赌|开户|注册送|加微信|威信|"
    r"\bQQ\b|代理加盟|百家乐|时时彩|六合彩|体育投注",
    re.IGNORECASE,
)
_NAV_SEPARATORS = re.compile(r"\s*(?:\||>|›|»|·|/|\u00a0{2,}|\s{2,})\s*")
_SENTENCE_END = re.compile(r"(?<=[。!?！？])|\n")
# Romanisation after characters: 厦门（Xiàmén）, 思明区(Siming District).
_ROMANISATION = re.compile(
    r"(?<=[\u4e00-\u9fff”」》])\s*\(\s*[A-Za-z\u00c0-\u024f\u0300-\u036f'’&.\- ]+\s*\)"
)
_THOUSANDS = re.compile(r"(?<=\d)[, \u2009\u202f](?=\d{3}(?!\d))")
_SPACE = re.compile(r"[ \t\u00a0\u3000]+")


class _Text(HTMLParser):
    """The text of an HTML document, one line per block, furniture left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._end_line()
        if tag in _VOID:
            return
        marks = " ".join(value or "" for name, value in attrs if name in ("class", "id", "role"))
        skipped = tag in _SKIPPED or bool(_FURNITURE.search(marks.lower()))
        self._stack.append((tag, skipped))
        self._skip += skipped

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close up to the matching open tag: HTML in the wild leaves tags open.
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                for _, skipped in self._stack[depth:]:
                    self._skip -= skipped
                del self._stack[depth:]
                break
        if tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._line.append(data)

    def _end_line(self) -> None:
        text = "".join(self._line).strip()
        if text:
            self.lines.append(text)
        self._line = []

    def text(self) -> str:
        self._end_line()
        return "\n".join(self.lines)


def is_html(raw: str) -> bool:
    return bool(_HTML.search(raw[:5000]))


def html_text(raw: str) -> str:
    """The body text of an HTML page, a line per block."""
    parser = _Text()
    parser.feed(raw)
    parser.close()
    return parser.text()


def _is_navigation(line: str) -> bool:
    """'首页 > 新闻中心 > 科技动态', '首页 | 政务公开 | 办事服务': short parts between separators,
    no sentence punctuation."""
    if re.search(r"[。,;!?]", line):
        return False
    parts = [p for p in _NAV_SEPARATORS.split(line) if p]
    if len(parts) >= 3 and all(len(p) <= 10 for p in parts):
        return True
    # A lone short label with no figure in it (a menu item, a column name).
    return len(line) <= 8 and not re.search(r"\d", line)


def normalise(text: str, to_simplified: Callable[[str], str]) -> str:
    """Simplified characters, NFKC (full-width digits, % and punctuation become ASCII; 。 stays),
    romanisation in parentheses and thousands separators removed."""
    text = unicodedata.normalize("NFKC", to_simplified(text))
    text = _ROMANISATION.sub("", text)
    return _THOUSANDS.sub("", text)


def lines(raw: str, to_simplified: Callable[[str], str] = str) -> list[str]:
    """Every non-empty line of the release's text, normalised (its date line included)."""
    text = html_text(raw) if is_html(raw) else raw
    found = (_SPACE.sub(" ", line).strip() for line in normalise(text, to_simplified).splitlines())
    return [line for line in found if line]


def sentences(raw: str, to_simplified: Callable[[str], str] = str) -> list[str]:
    """The release's sentences in order, each once: markup, navigation, boilerplate and spam
    lines dropped, repeated paragraphs and sentences kept at their first appearance."""
    return body_sentences(lines(raw, to_simplified))


def body_sentences(lines: list[str]) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if _BOILERPLATE.match(line) or _SPAM.search(line) or _is_navigation(line):
            continue
        for part in _SENTENCE_END.split(line):
            sentence = part.strip()
            key = re.sub(r"\s+", "", sentence)
            if len(key) < 4 or key in seen:
                continue
            seen.add(key)
            found.append(sentence)
    return found
