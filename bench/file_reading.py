"""Reading uploaded files: python -m bench.file_reading [--mb 50]

Builds large and hostile files in a temporary folder (the hostile ones with the builders
of tests/hostile_files.py, at full size) and reads each one the way the Import page does
once per upload (services.upload_reading.summarise: every limit checked, every row read),
each in a child process of its own so that its peak resident memory is its own. Beside
each file, a plain CSV of the same size is read the same way.

Target (issue #11): a file within the limits reads in at most 2x the time of a plain CSV
of its size, with peak RSS under 300 MB at 50 MB; hostile files are refused early.
Times are CPU seconds of the read (the machine may be shared); wall time is printed too.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
HEADER = ["Customer Name", "Billing Currency", "Country", "Address Line 1", "City", "State",
          "Postal Code", "Tax Rate", "Payment Terms", "Primary Contact Email", "First Name",
          "Last Name", "External IDs"]


def customer(n: int, name: str = "Imported Customer") -> list[str]:
    return [f"{name} {n}", "EUR", "DE", f"{n} Hauptstraße", "Berlin", "DE-BE", "10117",
            "8.875", "30", f"billing{n}@imported.example", "Pat", f"Payer{n}", f"imp_{n:08d}"]


def write_rows(path: Path, size: int, row: Callable[[int], list[str]], header=HEADER, *,
               encoding: str = "utf-8", delimiter: str = ",", quoting=csv.QUOTE_MINIMAL) -> Path:
    """The header, then rows for as long as the file stays within `size` bytes."""
    def encoded(rows: list[list[str]], first: bool) -> bytes:
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter, quoting=quoting).writerows(rows)
        # UTF-16 writes its byte-order mark once, at the start of the file.
        return text.getvalue().encode(encoding if first or encoding != "utf-16"
                                      else "utf-16-le")

    with path.open("wb") as out:
        written = out.write(encoded([header], True))
        n = 0
        while written + len(batch := encoded([row(n + i) for i in range(10)], False)) <= size:
            written += out.write(batch)
            n += 10
    return path


def plain(folder: Path, size: int) -> Path:
    path = folder / f"plain-{size}.csv"
    return path if path.exists() else write_rows(path, size, customer)


def rows_of(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def excel(folder: Path, rows: int) -> Path:
    """The table Excel would write: shared strings, numbers as numbers."""
    import xlsxwriter

    path = folder / "excel.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for n in range(rows):
        values = customer(n)
        sheet.write_row(n + 1, 0, values[:7])
        sheet.write_number(n + 1, 7, 8.875)
        sheet.write_number(n + 1, 8, 30)
        sheet.write_row(n + 1, 9, values[9:])
    book.close()
    return path


def within_limits(folder: Path, size: int) -> list[tuple[str, Path, str | None]]:
    wide = [f"Column {i}" for i in range(500)]
    return [
        ("plain CSV, UTF-8", plain(folder, size), None),
        ("UTF-16 with BOM, tabs", write_rows(folder / "large-utf16.csv", size, customer,
                                            encoding="utf-16", delimiter="\t"), None),
        ("Windows-1252, ; and every cell quoted", write_rows(
            folder / "large-cp1252.csv", size, lambda n: customer(n, "Café Müller €"),
            encoding="cp1252", delimiter=";", quoting=csv.QUOTE_ALL), None),
        ("500 columns of 1-character cells", write_rows(
            folder / "large-wide.csv", size, lambda n: ["x"] * 500, wide), None),
        ("cells of 10,000 characters", write_rows(
            folder / "large-long-cells.csv", size, lambda n: ["y" * 10_000] * 5, HEADER[:5]),
         None),
        ("sniffer-hard text in every row", write_rows(
            folder / "large-sniffer-hard.csv", size,
            lambda n: [f"Acme {n}", 'a,"b' * 2_000], HEADER[:2]), None),
        ("every other row blank (,,,)", write_rows(
            folder / "large-blank-rows.csv", size,
            lambda n: customer(n) if n % 2 else [""] * 13), None),
        ("1,000,000 rows of one short cell", short_rows(folder), None),
    ]


def short_rows(folder: Path) -> Path:
    path = folder / "large-short-rows.csv"
    path.write_text("Name\n" + "Acme\n" * 1_000_000)
    return path


def empty_cell_flood(folder: Path) -> Path:
    """The worst an Excel file within the limits can be: 190 MB of empty cells (4 bytes an
    element to parse), salted with random comments to pack just under 100 to 1."""
    import secrets

    from tests.hostile_files import NS, cell, write_xlsx

    def cells(out) -> None:
        out.write(f'<worksheet {NS}><sheetData><row r="1">{cell("A1", "Name")}</row>'
                  '<row r="2">'.encode())
        written = 0
        while written < 190 * MB:
            piece = b"<c/>" * 1000 + f"<!--{secrets.token_hex(32)}-->".encode()
            out.write(piece)
            written += len(piece)
        out.write(b"</row></sheetData></worksheet>")
    return write_xlsx(folder / "empty-cell-flood.xlsx", cells, level=9)


def hostile(folder: Path) -> list[tuple[str, Path, str | None]]:
    from tests import hostile_files as h

    return [
        ("dimension bomb: 1.8 KB claiming A1:XFD1048576", h.dimension_bomb(folder), None),
        ("190 MB of empty cells packed 86 to 1", empty_cell_flood(folder), None),
        ("190 MB of empty cells packed 1,000 to 1", h.empty_cells(folder), None),
        ("1,000,001 empty Excel rows", h.empty_rows(folder), None),
        ("2 million line breaks", h.line_breaks(folder), None),
        ("string bomb: 5 million shared strings", h.string_bomb(folder), None),
        ("a million shared strings for 3 rows", h.unused_strings(folder), None),
        ("zip bomb: a sheet of 1 GB", h.zip_bomb(folder, unpacked=1024 * MB), None),
        ("lying zip entry (claims 100 bytes, holds 5 MB)", h.lying_zip(folder), None),
        ("20,000 zip entries", h.many_parts(folder), None),
        ("100,000 columns in 20 MB", h.wide_csv(folder), None),
        ("a 200,000-character cell", h.long_cell_csv(folder), None),
        ("a row of 6 million empty cells", h.comma_row(folder), None),
        ("1,000,001 rows", h.too_many_rows(folder), None),
        ("63 KB of sniffer-hard text", h.sniffer_hard(folder), None),
        ("a file over 50 MB", h.too_large(folder), None),
    ]


def measure(path: Path, encoding: str | None = None) -> dict:
    """Read `path` in a child process of its own; what it printed."""
    command = [sys.executable, "-m", "bench.file_reading", "--read", str(path)]
    if encoding:
        command += ["--encoding", encoding]
    child = subprocess.run(command, stdout=subprocess.PIPE, check=True,
                           cwd=Path(__file__).parent.parent)
    return json.loads(child.stdout)


def read(path: Path, encoding: str | None) -> None:
    """The child's side: one read, printed as JSON."""
    from services.errors import ValidationError
    from services.upload_reading import summarise

    wall, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = {"rows": summarise(path, encoding).rows}
    except ValidationError as exc:
        outcome = {"refused": str(exc)}
    outcome.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall)
    # The peak of this process's own memory since exec (ru_maxrss would also count the
    # parent it was forked from).
    status = Path("/proc/self/status").read_text()
    outcome["rss_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps(outcome))


def report(name: str, path: Path, result: dict, baseline: dict | None) -> str:
    size = path.stat().st_size
    shown = f"{size / MB:,.1f} MB" if size >= MB / 10 else f"{size / 1024:,.1f} KB"
    outcome = (f"{result['rows']:,} rows read" if "rows" in result
               else "refused: " + result["refused"].split(";")[0].split(" (")[0][:60])
    ratio = f"{result['cpu'] / baseline['cpu']:.1f}×" if baseline else ""
    base = f"{baseline['cpu']:.2f} s" if baseline else ""
    return (f"| {name} | {shown} | {outcome} | {result['cpu']:.2f} s | {result['wall']:.2f} s "
            f"| {base} | {ratio} | {result['rss_mb']:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=50, help="size of the large files")
    parser.add_argument("--excel-rows", type=int, default=300_000)
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--encoding", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        read(args.read, args.encoding)
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-files-"))
    print(f"Building files in {folder} ...", file=sys.stderr)
    files = within_limits(folder, args.mb * MB)
    book = excel(folder, args.excel_rows)
    same_table = folder / "excel-as.csv"
    with same_table.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, *(customer(n) for n in range(args.excel_rows))])
    files += [(f"Excel, {args.excel_rows:,} rows (shared strings)", book, None),
              (f"the same {args.excel_rows:,} rows as CSV", same_table, None)]
    files += hostile(folder)

    print(f"{os.cpu_count()} cores, CPython {sys.version.split()[0]}; a child process "
          "per read; baseline = a plain CSV of the same size read the same way")
    print()
    print("| file | size | outcome | CPU | wall | plain CSV, same size | ratio | peak RSS |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    empty = folder / "empty.csv"
    empty.write_text("Customer Name\nAcme\n")
    print(report("Python and the reader alone (2 rows)", empty, measure(empty), None))
    baselines: dict[int, dict] = {}
    for name, path, encoding in files:
        size = path.stat().st_size
        key = max(round(size / MB), 1) * MB if size >= MB else 0
        if key and key not in baselines and key <= 50 * MB:
            baselines[key] = measure(plain(folder, key))
        print(report(name, path, measure(path, encoding), baselines.get(key)), flush=True)


if __name__ == "__main__":
    main()
