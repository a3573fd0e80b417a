"""PostgreSQL plans each statement for the values it runs with, however often it has run.

psycopg prepares a statement on the server after five runs, and PostgreSQL may then keep one generic plan
for every value. The tool page's news timeline is the case that showed it: planned for an average tool, it
read and sorted every article naming a popular one. The engine turns generic plans off for its connections.
"""

from __future__ import annotations

from agentoire_app.db import POSTGRES_PLAN_CACHE_MODE, get_engine


def test_the_engine_asks_for_a_plan_per_execution(postgres_url: str) -> None:
    with get_engine(postgres_url).connect() as conn:
        assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == POSTGRES_PLAN_CACHE_MODE


def test_a_statement_prepared_and_run_many_times_is_still_planned_for_its_value(postgres_url: str) -> None:
    with get_engine(postgres_url).connect() as conn:
        conn.exec_driver_sql("PREPARE timeline(int) AS SELECT article_id FROM articletool WHERE tool_id = $1")
        for _ in range(8):  # past the point where PostgreSQL would weigh a generic plan
            conn.exec_driver_sql("EXECUTE timeline(7)").all()
        plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN EXECUTE timeline(7)").all())
        assert "$1" not in plan and "7" in plan, plan
