"""Reading a scenario's custom metric declarations from its source, without running it."""

from __future__ import annotations

import pytest

from loadforge.metrics.declared import declared_in_source
from loadforge.metrics.scenario_figures import CustomKind

HEAD = "from loadforge import metrics\nfrom loadforge.metrics import trend\nimport json, os.path\n"


def test_module_level_declarations_give_their_names_and_kinds() -> None:
    code = HEAD + (
        'orders = metrics.counter("orders")\n'
        'depth = metrics.gauge(" depth ")\n'
        'paid = metrics.rate("paid")\n'
        'cart = trend("cart_ms")\n'
    )
    assert declared_in_source(code) == {
        "orders": CustomKind.COUNTER,
        "depth": CustomKind.GAUGE,
        "paid": CustomKind.RATE,
        "cart_ms": CustomKind.TREND,
    }


def test_code_without_declarations_declares_none() -> None:
    assert declared_in_source("from loadforge import scenario\nx = 1\n") == {}


@pytest.mark.parametrize(
    "code",
    [
        HEAD + 'orders = metrics.counter("or" + "ders")\n',  # a name that is not a literal
        HEAD + "make = metrics.counter\norders = make('orders')\n",  # the declarer passed around
        HEAD + "import shop_metrics\n",  # a module of the user's, which may declare some
        HEAD + "from . import helpers\n",
        "def broken(:\n",  # not Python: the run will say so itself
    ],
)
def test_code_that_may_declare_metrics_out_of_sight_cannot_be_told(code: str) -> None:
    assert declared_in_source(code) is None
