"""The import from the command line; its help is the package's docstring. Without
--preset, the preset is detected from the file's headers and the command says which and why.

    python -m services.imports FILE [--preset stripe] [--mode valid_only] [--dry-run]
                                    [--encoding cp1252]
"""

import argparse
from pathlib import Path

from services import access, db, imports
from services.errors import DeskError
from services.import_mapping import PRESETS, detect
from services.imports import ALL_OR_NOTHING, MODES, default_mapping, dry_run, run_import
from services.upload_reading import charsets, read_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.imports",
                                     description=imports.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--preset", choices=list(PRESETS),
                        help="how the file's columns map (detected from them when not given)")
    parser.add_argument("--mode", choices=list(MODES), default=ALL_OR_NOTHING)
    parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    parser.add_argument("--invalid-out", type=Path, help="CSV of the invalid rows")
    parser.add_argument("--encoding", choices=[c for c in charsets.CHOICES if c],
                        help="a CSV file's text encoding (detected when not given)")
    args = parser.parse_args(argv)
    db.migrate()
    try:
        if args.preset is None:
            found = detect(read_table(args.file, args.encoding)[0])
            args.preset = found.preset
            print(f"Preset: {found.reason}")
        mapping = default_mapping(args.file, args.preset, args.encoding)
        if args.dry_run:
            report = dry_run(args.file, mapping, encoding=args.encoding)
        else:
            report = run_import(args.file, mapping, mode=args.mode, actor=access.COMMAND_LINE,
                                preset=args.preset, invalid_out=args.invalid_out,
                                encoding=args.encoding)
    except DeskError as exc:
        print(f"Refused: {exc}")
        return 1
    print(", ".join(f"{n:,} {action}" for action, n in report.counts.items()))
    if report.noted:
        print(f"{report.noted:,} rows took their Billing Currency from their Country")
    for row in report.preview:
        if row.action == "invalid":
            print(f"  row {row.line}: " + row.message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
