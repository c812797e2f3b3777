"""Messy input: hidden sheets and rows, several blocks, row counts checked against the file."""

from __future__ import annotations

import openpyxl

from rmrp_pipeline.read.workbook import read_table
from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, row, staged, with_sheet, write_rows


def test_hidden_rows_and_hidden_sheets_are_read_and_counted(reference_only):
    path = write_rows(reference_only / PARTNER_FILE, [row(), row(), row()])
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[3].hidden = True
    extra = book.create_sheet("old")
    extra.sheet_state = "hidden"
    extra.append(HEADERS)
    extra.append([row()[h] for h in HEADERS])
    book.save(path)
    result, _rejects, _findings, _log = ingest(reference_only)
    files = result.tables["raw.source_files"]
    mine = files[files["source_file"] == PARTNER_FILE].set_index("sheet")
    assert mine.loc["Sheet", "rows_read"] == 3 and mine.loc["Sheet", "hidden_rows"] == 1
    assert "1 hidden row(s) read as data" in mine.loc["Sheet", "message"]
    assert mine.loc["old", "rows_read"] == 1 and "hidden sheet" in mine.loc["old", "message"]
    assert len(staged(result)) == 4


def test_blocks_separated_by_blank_rows_lose_nothing_and_match_the_file_count(reference_only):
    path = write_rows(reference_only / PARTNER_FILE, [row()])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for offset in (5, 6, 9):   # two more blocks below blank rows 3-4 and 7-8
        for column, header in enumerate(HEADERS, start=1):
            sheet.cell(row=offset, column=column, value=row()[header])
    book.save(path)
    data = read_table(path, "Sheet")
    assert data.row_numbers == [2, 5, 6, 9]
    assert data.rows_in_file == data.rows_read == 4 and data.blank_rows == 4


def test_rows_written_without_numbers_are_read_in_order(tmp_path):
    """A row's number (r) is optional in the file format: a row without one follows the previous row."""
    def write(stream):
        text = lambda value: f'<c t="inlineStr"><is><t>{value}</t></is></c>'  # noqa: E731
        stream.write(f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     f'2006/main"><sheetData><row>{text("Country")}{text("Admin1")}</row><row/>'
                     f'<row>{text("Peru")}{text("Lima")}</row></sheetData></worksheet>'.encode())

    data = read_table(with_sheet(tmp_path / "plain.xlsx", write), "Sheet1")
    assert data.headers == ["Country", "Admin1"] and data.frame.values.tolist() == [["Peru", "Lima"]]
    assert data.row_numbers == [3] and data.rows_in_file == data.rows_read == 1 and data.blank_rows == 1


def test_a_sheet_written_with_a_namespace_prefix_is_read(tmp_path):
    """Some libraries write <x:row>, <x:c>: the same sheet as <row>, <c>."""

    def write(stream):
        cell = lambda ref, value: f'<x:c r="{ref}" t="inlineStr"><x:is><x:t>{value}</x:t></x:is></x:c>'  # noqa: E731
        stream.write(f'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                     f'2006/main"><x:sheetData><x:row r="1">{cell("A1", "Country")}{cell("B1", "Admin1")}</x:row>'
                     f'<x:row r="2">{cell("A2", "Peru")}{cell("B2", "Lima")}</x:row></x:sheetData></x:worksheet>'
                     .encode())

    data = read_table(with_sheet(tmp_path / "prefixed.xlsx", write), "Sheet1")
    assert data.headers == ["Country", "Admin1"] and data.frame.values.tolist() == [["Peru", "Lima"]]
    assert data.rows_in_file == data.rows_read == 1


def _mixed_rows(prefix: str) -> tuple[str, set[int], set[int], set[tuple[int, str]]]:
    """A sheet's XML of 400 rows of every kind the scan tells apart, and what it must find: (XML,
    rows holding a value, hidden rows, error and formula cells)."""
    p = f"{prefix}:" if prefix else ""
    values, hidden, problems, rows = set(), set(), set(), []
    for number in range(1, 401):
        kind = number % 7
        attributes = f' r="{number}"' + (' hidden="1"' if kind == 3 else "")
        if kind == 5:   # a row without a number: the one after the previous row
            attributes = ""
        if kind == 3:
            hidden.add(number)
        if kind == 1:   # an empty row, written bare
            rows.append(f"<{p}row/>")
            continue
        if kind == 2:   # an error cell
            cells = f'<{p}c r="B{number}" t="e"><{p}v>#N/A</{p}v></{p}c>'
            problems.add((number, "B"))
        elif kind == 4:   # a formula saved without its result
            cells = f'<{p}c r="C{number}"><{p}f>SUM(A1:A2)</{p}f></{p}c>'
            problems.add((number, "C"))
        else:
            cells = f'<{p}c r="A{number}" t="inlineStr"><{p}is><{p}t>text {number} {"x" * (number % 50)}</{p}t></{p}is></{p}c>'
        if kind != 4:
            values.add(number)
        rows.append(f"<{p}row{attributes}>{cells}</{p}row>")
    root = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = (f'<?xml version="1.0"?><{p}worksheet{root}><{p}dimension ref="A1:C400"/><{p}sheetData>'
           f'{"".join(rows)}</{p}sheetData></{p}worksheet>')
    return xml, values, hidden, problems


def test_the_scan_finds_the_same_rows_whatever_the_size_of_the_parts_it_reads(tmp_path, monkeypatch):
    """The XML pass reads a sheet in parts cut at row starts: rows, hidden rows and problem cells
    found are the sheet's own, however small the parts (a row, a tag, cut anywhere)."""
    from pathlib import Path

    from rmrp_pipeline.read import sheet_xml, workbook

    for prefix in ("", "x"):
        xml, values, hidden, problems = _mixed_rows(prefix)
        path = with_sheet(tmp_path / f"mixed_{prefix or 'plain'}.xlsx", lambda stream, xml=xml: stream.write(xml.encode()))
        for chunk in (sheet_xml.SCAN_CHUNK, 4096, 333, 17):
            monkeypatch.setattr(sheet_xml, "SCAN_CHUNK", chunk)
            scan = workbook.scan_sheet_xml(Path(path), "Sheet1")
            assert scan.value_rows == values, (prefix, chunk)
            assert scan.hidden_rows == hidden, (prefix, chunk)
            assert set(scan.problem_cells) == problems, (prefix, chunk)


def _two_rows(prefix: str = "", before_root: str = "", row_tag: str = "<{p}row ") -> str:
    """A sheet's XML of a header (Country, Admin1) and two rows, its tags prefixed with ``prefix``,
    ``before_root`` between the XML declaration and the root tag, and each row tag opened as ``row_tag``."""
    p = f"{prefix}:" if prefix else ""
    cell = lambda ref, value: f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{value}</{p}t></{p}is></{p}c>'  # noqa: E731
    rows = "".join(f'{row_tag.format(p=p)}r="{n}">{cell(f"A{n}", a)}{cell(f"B{n}", b)}</{p}row>'
                   for n, (a, b) in enumerate([("Country", "Admin1"), ("Peru", "Lima"), ("Chile", "Arica")], 1))
    root = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return (f'<?xml version="1.0"?>{before_root}<{p}worksheet{root}><{p}dimension ref="A1:B3"/><{p}sheetData>'
            f'{rows}</{p}sheetData></{p}worksheet>')


def _read_whatever_the_parts(path, monkeypatch) -> list:
    """``read_table`` of Sheet1 with the XML scan reading parts of several sizes."""
    from rmrp_pipeline.read import sheet_xml, workbook

    results = []
    for chunk in (sheet_xml.SCAN_CHUNK, 4096, 333, 17):
        monkeypatch.setattr(sheet_xml, "SCAN_CHUNK", chunk)
        data = read_table(path, "Sheet1")
        results.append((chunk, data.frame.values.tolist(), data.row_numbers, data.rows_in_file))
    return results


def test_a_prefixed_sheet_whose_root_tag_follows_a_long_comment_is_read(tmp_path, monkeypatch):
    """The root tag may follow comments and processing instructions of any length, and a prefix may hold
    '-' and '.': the sheet is read whole, as calamine reads it, not as an empty sheet."""
    expected = [["Peru", "Lima"], ["Chile", "Arica"]]
    for prefix, before_root in [("x", "<!-- " + "exported " * 1000 + "-->"), ("x", '<?note ' + "n" * 5000 + "?>"),
                                ("s-ml", ""), ("a.b", "<!-- a comment -->")]:
        xml = _two_rows(prefix, before_root)
        path = with_sheet(tmp_path / f"{prefix}_{len(before_root)}.xlsx", lambda stream, xml=xml: stream.write(xml.encode()))
        for chunk, values, numbers, in_file in _read_whatever_the_parts(path, monkeypatch):
            assert (values, numbers, in_file) == (expected, [2, 3], 2), (prefix, len(before_root), chunk)


def test_row_tags_with_a_line_break_before_their_attributes_are_read(tmp_path, monkeypatch):
    """White space after a tag's name may be a line break or a tab, not only a space."""
    for row_tag in ("<{p}row\n", "<{p}row\t", "<{p}row\r\n  "):
        for prefix in ("", "x"):
            xml = _two_rows(prefix, row_tag=row_tag)
            path = with_sheet(tmp_path / f"{prefix}_{len(row_tag)}.xlsx", lambda stream, xml=xml: stream.write(xml.encode()))
            for chunk, values, numbers, in_file in _read_whatever_the_parts(path, monkeypatch):
                assert (values, numbers, in_file) == ([["Peru", "Lima"], ["Chile", "Arica"]], [2, 3], 2), (row_tag, prefix, chunk)


def test_a_long_stretch_of_xml_without_a_row_is_scanned_whole(tmp_path, monkeypatch):
    """XML after the last row (here 8 MB of merged cells) read in small parts: the rows before it are
    found and nothing after it is taken for a row. (Its cost is not asserted: speed is measured by
    bench/, never by a timed test.)"""
    from pathlib import Path

    from rmrp_pipeline.read import sheet_xml, workbook

    merges = "".join(f'<mergeCell ref="C{n}:D{n}"/>' for n in range(1, 300_001))
    xml = _two_rows().replace("</worksheet>", f'<mergeCells count="300000">{merges}</mergeCells></worksheet>')
    path = with_sheet(tmp_path / "merged.xlsx", lambda stream: stream.write(xml.encode()))
    monkeypatch.setattr(sheet_xml, "SCAN_CHUNK", 4096)
    scan = workbook.scan_sheet_xml(Path(path), "Sheet1")
    assert scan.value_rows == {1, 2, 3}


def _rows_xml(rows: list[tuple[int, list]]) -> bytes:
    """A sheet's XML with these (row number, values) row elements, in the order given."""
    def cell(column: str, number: int, value) -> str:
        if isinstance(value, str):
            return f'<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{column}{number}"><v>{value}</v></c>'

    body = "".join(f'<row r="{number}">' + "".join(cell("AB"[i], number, v) for i, v in enumerate(values)) + "</row>"
                   for number, values in rows)
    return (f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def test_a_row_written_twice_in_the_sheet_s_xml_is_not_read_as_one(tmp_path):
    """Two row elements with the same number (a generator's bug): a reader keeps the cells of one,
    and the other's values would be lost without a trace. The sheet is refused, naming the row."""
    import pytest

    from rmrp_pipeline.read.files import ReadError

    rows = [(1, ["Country", "People"]), (2, ["Peru", 1]), (3, ["Chile", 2]), (3, ["Bolivia", 3]), (4, ["Ecuador", 4])]
    path = with_sheet(tmp_path / "twice.xlsx", lambda stream: stream.write(_rows_xml(rows)))
    with pytest.raises(ReadError, match=r"row 3 .*twice"):
        read_table(path, "Sheet1")
    # Out of order but each once: read, each row where its number puts it.
    rows = [(1, ["Country", "People"]), (3, ["Chile", 2]), (2, ["Peru", 1]), (4, ["Ecuador", 4])]
    data = read_table(with_sheet(tmp_path / "unordered.xlsx", lambda stream: stream.write(_rows_xml(rows))), "Sheet1")
    assert data.frame.values.tolist() == [["Peru", 1.0], ["Chile", 2.0], ["Ecuador", 4.0]] and data.row_numbers == [2, 3, 4]
