"""Thresholds for CI: parse `p95<300ms`-style limits, check them, report them as JUnit."""

from loadforge.thresholds.evaluate import evaluate_threshold, evaluate_thresholds
from loadforge.thresholds.junit import junit_xml, write_junit
from loadforge.thresholds.model import Metric, MetricKind, Operator, Threshold, ThresholdOutcome
from loadforge.thresholds.parser import parse_metric, parse_threshold
from loadforge.thresholds.scenario import recorded_kinds
from loadforge.thresholds.stored import read_outcomes, result_document, write_result_json
from loadforge.thresholds.table import thresholds_from_table
from loadforge.thresholds.text import outcomes_text

__all__ = [
    "Metric",
    "MetricKind",
    "Operator",
    "Threshold",
    "ThresholdOutcome",
    "evaluate_threshold",
    "evaluate_thresholds",
    "junit_xml",
    "outcomes_text",
    "parse_metric",
    "parse_threshold",
    "read_outcomes",
    "recorded_kinds",
    "result_document",
    "thresholds_from_table",
    "write_junit",
    "write_result_json",
]
