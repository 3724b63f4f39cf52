"""Record files: headers in every accepted form, encodings, XLSX safety, escaping, templates."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from fourchain.adapters.ingest import read_table, write_table, write_template
from fourchain.adapters.ingest.cells import escape_text, unescape_text
from fourchain.adapters.ingest.headers import combined_header
from fourchain.adapters.ingest.xlsx_files import ZipLimits, check_zip, read_xlsx
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.records import RECORD_KINDS
from fourchain.errors import ImportRejected, InvalidInput

ENTERPRISES = RECORD_KINDS["enterprises"]
CODE = make_credit_code("91350200MA0000001")


def write_csv_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx_rows(path: Path, rows: list[list[object]]) -> Path:
    # A normal (not write-only) workbook stores text as shared strings, as Excel does.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rows_of(path: Path) -> list[tuple[int, dict[str, object]]]:
    with read_table(path, ENTERPRISES) as table:
        return [(number, dict(row)) for number, row in table.rows]


@pytest.mark.parametrize(
    "header",
    [
        ["credit_code", "name", "founded"],
        ["统一社会信用代码", "企业名称", "成立日期"],
        combined_header(ENTERPRISES)[:3],
        ["统一社会信用代码（credit_code）", " 企业名称 (NAME) ", "Founded"],
    ],
    ids=["keys", "labels", "combined", "full-width-and-case"],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_header_may_use_keys_labels_or_the_combined_form(
    tmp_path: Path, header: list[str], suffix: str
) -> None:
    data = [CODE, "厦门甲科技有限公司", "2015-03-01"]
    path = tmp_path / f"e{suffix}"
    if suffix == ".csv":
        write_csv_text(path, ",".join(header) + "\n" + ",".join(data) + "\n")
    else:
        write_xlsx_rows(path, [list(header), list(data)])
    assert rows_of(path) == [
        (2, {"credit_code": CODE, "name": "厦门甲科技有限公司", "founded": "2015-03-01"})
    ]


def test_unknown_columns_are_one_error_naming_them_all(tmp_path: Path) -> None:
    path = write_csv_text(tmp_path / "e.csv", "credit_code,name,colour,size\n")
    with pytest.raises(ImportRejected) as caught:
        read_table(path, ENTERPRISES)
    assert len(caught.value.errors) == 1
    error = caught.value.errors[0]
    assert (error.file, error.row) == ("e.csv", 1)
    assert "unknown column(s) 'colour', 'size' for enterprises" in error.reason


def test_missing_required_columns_are_one_error(tmp_path: Path) -> None:
    path = write_csv_text(tmp_path / "e.csv", "founded,district\n")
    with pytest.raises(ImportRejected) as caught:
        read_table(path, ENTERPRISES)
    assert [e.reason for e in caught.value.errors] == [
        "required column(s) missing: 统一社会信用代码 (credit_code), 企业名称 (name)"
    ]


def test_a_column_given_twice_is_an_error(tmp_path: Path) -> None:
    path = write_csv_text(tmp_path / "e.csv", "credit_code,name,企业名称\n")
    with pytest.raises(ImportRejected, match="1 bad row"):
        read_table(path, ENTERPRISES)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_as_utf8_with_or_without_bom_or_as_gb18030(
    tmp_path: Path, encoding: str
) -> None:
    path = write_csv_text(
        tmp_path / "e.csv", f"统一社会信用代码,企业名称,所在区\n{CODE},厦门甲公司,思明\n", encoding
    )
    assert rows_of(path) == [(2, {"credit_code": CODE, "name": "厦门甲公司", "district": "思明"})]


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"credit_code,name\n\x80\xff\xfe\n")
    with pytest.raises(InvalidInput, match="neither UTF-8 nor GB18030"):
        read_table(path, ENTERPRISES)


TRADITIONAL = (
    "統一社會信用代碼,企業名稱,所在區\n"
    "{code},廈門星海微電子有限公司,思明區\n"
    "{code},廈門藍灣生物醫藥科技有限公司,湖裡區\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "looks"),
    [
        (TRADITIONAL, "big5", "Big5"),
        ("企業名稱\n廈門星海\n", "big5", "Big5"),  # a few characters only
        ("会社名,所在地\n株式会社サンプル,東京都\n", "shift_jis", "Shift-JIS"),
        ("회사명,주소\n샘플주식회사,서울\n", "euc_kr", "EUC-KR"),
    ],
)
def test_a_csv_in_another_encoding_is_refused_not_garbled(
    tmp_path: Path, text: str, encoding: str, looks: str
) -> None:
    path = write_csv_text(tmp_path / "e.csv", text.format(code=CODE), encoding)
    path.read_bytes().decode("gb18030")  # it would have decoded, as nonsense
    with pytest.raises(InvalidInput, match=f"e.csv: is neither UTF-8 nor GB18030.*{looks}"):
        read_table(path, ENTERPRISES)


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码,企业名称,所在区\n{code},厦门甲,思明\n",
        "统一社会信用代码,企业名称,所在区\n" + "{code},厦门星海微电子有限公司,思明区\n" * 3000,
        # traditional characters saved by Chinese Excel (GB18030) are fine
        "统一社会信用代码,企业名称,所在区\n" + TRADITIONAL.split("\n", 1)[1],
    ],
)
def test_gb18030_text_short_or_long_simplified_or_traditional_is_read(
    tmp_path: Path, text: str
) -> None:
    path = write_csv_text(tmp_path / "e.csv", text.format(code=CODE), "gb18030")
    assert rows_of(path)[0][1]["credit_code"] == CODE


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    text = f'credit_code,name\n\n{CODE},"two\nlines"\n,\n{CODE},b\n'
    assert [number for number, _ in rows_of(write_csv_text(tmp_path / "e.csv", text))] == [3, 5]


def test_cells_beyond_the_header_are_reported_as_a_problem(tmp_path: Path) -> None:
    path = write_csv_text(tmp_path / "e.csv", f"credit_code,name\n{CODE},a,stray\n")
    table = read_table(path, ENTERPRISES)
    list(table.rows)
    assert [(p.row, p.reason) for p in table.problems] == [(2, "1 cell(s) beyond the last column")]


@pytest.mark.parametrize("name", ["e.txt", "e.xls", "e"])
def test_only_csv_and_xlsx_are_accepted(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x")
    with pytest.raises(InvalidInput, match="use a .csv or .xlsx file"):
        read_table(tmp_path / name, ENTERPRISES)


def test_the_streaming_xlsx_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["credit_code", "name", "founded", "above_scale", "niche_since", "zone"],
        [CODE, "甲", datetime(2015, 3, 1), True, 2018, None],
        [CODE, "乙 & <丙>", None, False, 2019.5, "园区"],
        [None, None, None, None, None, None],
        ["x", "'=1+1", date(2020, 2, 29), None, -3, "火炬"],
    ]
    path = write_xlsx_rows(tmp_path / "e.xlsx", rows)
    header, numbered, _close = read_xlsx(path)
    ours = [header, *[cells for _, cells in numbered]]  # reading every row closes the file
    reference_book = openpyxl.load_workbook(path, read_only=True)
    theirs = [list(r) for r in reference_book.worksheets[0].values]
    reference_book.close()
    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        mine = mine + [None] * (len(reference) - len(mine))
        for value, expected in zip(mine, reference, strict=True):
            if isinstance(expected, datetime):
                # dates stay Excel day numbers; the domain's date parser reads them
                assert value == (expected - datetime(1899, 12, 30)).days
            elif expected == "'=1+1":
                assert value == "=1+1"  # the export escape is undone on import
            else:
                assert value == expected


def _zip_with(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _valid_xlsx_parts(tmp_path: Path) -> dict[str, bytes]:
    source = write_xlsx_rows(tmp_path / "valid.xlsx", [["credit_code", "name"], [CODE, "甲"]])
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_zip_bomb_is_refused_from_its_directory_without_decompressing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = _valid_xlsx_parts(tmp_path)
    # 40 MB of one repeated row compresses about a thousand times.
    row = b'<row><c t="inlineStr"><is><t>a</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * (40_000_000 // len(row)) + b"</sheetData></worksheet>"
    )
    bomb = _zip_with(tmp_path / "bomb.xlsx", parts)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self: zipfile.ZipFile, name: object, *args: object, **kw: object) -> object:
        opened.append(str(name))
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    with pytest.raises(InvalidInput, match=r"sheet1.xml expands [\d,]+ times .* zip bomb"):
        read_table(bomb, ENTERPRISES)
    assert opened == []


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        (ZipLimits(max_entries=3), "zip entries"),
        (ZipLimits(max_total_bytes=1_000), "would expand to"),
    ],
)
def test_entry_count_and_total_size_have_limits(
    tmp_path: Path, limits: ZipLimits, reason: str
) -> None:
    path = _zip_with(tmp_path / "e.xlsx", _valid_xlsx_parts(tmp_path))
    check_zip(path)  # within the default limits
    with pytest.raises(InvalidInput, match=reason):
        check_zip(path, limits)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    ("part", "body"),
    [
        (
            "xl/worksheets/sheet1.xml",
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            b"</sheetData></worksheet>",
        ),
        (
            "xl/workbook.xml",
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheets>&lol9;</sheets></workbook>",
        ),
    ],
)
def test_a_billion_laughs_part_is_refused(tmp_path: Path, part: str, body: bytes) -> None:
    parts = _valid_xlsx_parts(tmp_path)
    parts[part] = BILLION_LAUGHS + body
    path = _zip_with(tmp_path / "laughs.xlsx", parts)
    with (
        pytest.raises(InvalidInput, match="declares entities or a DTD"),
        read_table(path, ENTERPRISES) as table,
    ):
        list(table.rows)


def test_openpyxl_itself_parses_with_defusedxml_here() -> None:
    # Anyone else in fourchain reading XLSX through openpyxl gets the same protection.
    import openpyxl.xml.functions

    assert openpyxl.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("'", "''"),
    ],
)
def test_text_that_could_run_as_a_formula_is_escaped_and_comes_back_unchanged(
    text: str, written: str
) -> None:
    assert escape_text(text) == written
    assert unescape_text(written) == text


def _escaping_records() -> list[dict[str, object]]:
    return [
        {
            "credit_code": CODE,
            "name": "=cmd|' /C calc'!A0",
            "zone": "-园区",
            "district": "@思明",
            "niche_since": 2018,
            "founded": date(2015, 3, 1),
            "above_scale": True,
        },
    ]


def test_a_csv_export_escapes_formula_text_but_keeps_numbers(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    write_table(path, ENTERPRISES, _escaping_records())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    line = raw.decode("utf-8-sig").splitlines()[1]
    assert line.startswith(f"{CODE},'=cmd|' /C calc'!A0,2015-03-01,'@思明,'-园区,")
    assert ",2018," in line and ",是," in line
    assert rows_of(path)[0][1]["name"] == "=cmd|' /C calc'!A0"


def test_an_xlsx_export_writes_formula_text_as_inert_strings(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    write_table(path, ENTERPRISES, _escaping_records())
    sheet = openpyxl.load_workbook(path).worksheets[0]
    name, founded, niche = sheet["B2"], sheet["C2"], sheet["K2"]
    assert (name.value, name.data_type) == ("'=cmd|' /C calc'!A0", "s")
    assert sheet["E2"].value == "'-园区"
    assert niche.value == 2018 and niche.data_type == "n"
    assert founded.is_date and founded.value == datetime(2015, 3, 1)
    assert rows_of(path)[0][1]["zone"] == "-园区"


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_a_csv_template_header_reads_back_as_every_column(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.csv"
    write_template(path, RECORD_KINDS[kind])
    with read_table(path, RECORD_KINDS[kind]) as table:
        assert table.columns == RECORD_KINDS[kind].keys


def test_an_xlsx_template_explains_each_column_on_a_notes_sheet(tmp_path: Path) -> None:
    path = tmp_path / "certificates.xlsx"
    kind = RECORD_KINDS["certificates"]
    write_template(path, kind)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["资质证书", "说明 Notes"]
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[0] == "统一社会信用代码 (credit_code)"
    notes = {row[0]: row for row in workbook["说明 Notes"].iter_rows(min_row=2, values_only=True)}
    assert list(notes) == list(kind.keys)
    assert notes["tier"][1:4] == ("资质类别", "选项 choice", "是 yes")
    assert "little_giant" in str(notes["tier"][4])
    with read_table(path, kind) as table:
        assert table.columns == kind.keys
