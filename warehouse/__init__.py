"""DuckDB warehouse: migrations, bulk loading, story assignment, analyst views, exports."""
