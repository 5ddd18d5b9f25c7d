"""Timing helpers shared by the benchmarks: medians, spread, and a printed table with ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    samples: list[float]
    baseline_name: str
    baseline: float
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """Interquartile range, in seconds."""
        if len(self.samples) < 4:
            return max(self.samples) - min(self.samples)
        q = statistics.quantiles(self.samples, n=4)
        return q[2] - q[0]

    @property
    def ratio(self) -> float:
        return self.median / self.baseline if self.baseline else float("nan")


def measure(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def print_figures(title: str, figures: list[Figure]) -> None:
    print(f"\n{title}")
    print(f"{'figure':44} {'median':>11} {'IQR':>11}  {'ratio':>7}  baseline / target")
    for f in figures:
        print(
            f"{f.name:44} {ms(f.median)} {ms(f.spread)}  {f.ratio:7.2f}  "
            f"x {f.baseline_name} ({ms(f.baseline).strip()}){'  target ' + f.target if f.target else ''}"
        )
