"""Write services/data/confusables.txt from Unicode's UTS #39 confusables.txt.

    python -m tooling.confusables_table PATH/TO/confusables.txt

The table keeps what the skeleton needs (each source code point and its prototype) and
the data file's own header (version, copyright, terms of use).
"""

import argparse
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "services" / "data" / "confusables.txt"


def convert(source: Path) -> str:
    header, pairs = [], []
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("#") and not pairs and not line.startswith("#\t"):
            header.append(line)
        data = line.split("#", 1)[0].strip()
        if data:
            code, prototype, _kind = (part.strip() for part in data.split(";"))
            pairs.append(f"{code} {prototype}")
    intro = ["# Source code point; its prototype (code points), for the UTS #39 skeleton.",
             "# Made by tooling/confusables_table.py from:"]
    return "\n".join([*intro, *header, *pairs]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    TARGET.write_text(convert(parser.parse_args().source), encoding="utf-8")


if __name__ == "__main__":
    main()
