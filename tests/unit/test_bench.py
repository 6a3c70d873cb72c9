"""The benchmarks run (one round, small workloads) and compare like with like; no time asserted."""

from __future__ import annotations

from bench import plain


def test_plain_bench_runs_and_both_sides_end_with_the_same_weights() -> None:
    results = plain.measure(rounds=1)  # raises if nn and the plain code drifted apart
    assert set(results) == {"neuron", "network"}
    assert results["neuron"]["nn_over_notebook"] > 0
    assert results["network"]["nn_over_plain"] > 0
