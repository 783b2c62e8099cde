"""The benchmarks' table: each figure's median beside its floor, ratio and target."""

from bench.cases import Figure


def _format(figure: Figure) -> str:
    value = (f"{figure.median_ms:,.0f} {figure.unit}" if figure.unit != "ms"
             else f"{figure.median_ms:,.1f} ms")
    floor = ""
    if figure.floor_ms is not None:
        floor = (f"{figure.floor_ms:,.0f} {figure.unit}" if figure.unit != "ms"
                 else f"{figure.floor_ms:,.1f} ms")
    ratio = f"{figure.ratio:.2f}×" if figure.ratio else ""
    return f"| {figure.name} | {value} | {floor} | {ratio} | {figure.target} |"


def print_table(figures: list[Figure]) -> None:
    print("| measure | median | floor | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for figure in figures:
        print(_format(figure))
