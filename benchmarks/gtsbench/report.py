"""The results table, as text for the terminal and as Markdown for docs/performance.md."""

from __future__ import annotations

from gtsbench.core import Row

__all__ = ["render", "render_markdown"]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "":
        return f"{value:.0f}"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def _cells(r: Row, verdicts: dict[bool | None, str]) -> list[str]:
    ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
    baseline = _fmt(r.baseline, r.unit) if r.baseline is not None else ""
    return [
        r.name,
        _fmt(r.ours, r.unit),
        r.baseline_name,
        baseline,
        ratio,
        r.target,
        verdicts[r.met],
    ]


def render(rows: list[Row]) -> str:
    header = ["benchmark", "ours", "baseline", "baseline time", "ratio", "target", "met"]
    table = [header, *(_cells(r, {True: "yes", False: "NO", None: ""}) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  - {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join([*lines, "", "notes:", *notes])


def render_markdown(rows: list[Row], info: dict[str, str]) -> str:
    """The table for docs/performance.md (included from benchmarks/results.md)."""
    lines = [
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['python']}, {info['platform']}, "
        f"load average {info.get('load', '?')} at the start.",
        "",
        "| Benchmark | Ours | Baseline | Baseline time | Ratio | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(_cells(r, {True: "yes", False: "**no**", None: ""})) + " |")
    return "\n".join(lines) + "\n"
