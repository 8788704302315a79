from tests.reporting.stocktake_world import stocktake_world_fixture  # noqa: F401
