from tests.reporting.stocktake_world import stocktake_world  # noqa: F401  (the stocktake tests' fixture)
