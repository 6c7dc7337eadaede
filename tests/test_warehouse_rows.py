"""Article rows are typed records whose fields are exactly their Arrow schemas' columns."""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import ClassVar

import pyarrow as pa
import pytest

from warehouse import staging
from warehouse.connection import open_writer
from warehouse.rows import (
    ARTICLE_RECORDS,
    FEED_RECORDS,
    FeedUpdateRow,
    NewFeedRow,
    OutletRow,
    PendingRow,
    PollRow,
    ResultRow,
    RowShapeError,
    TitleRow,
    check_shape,
    from_mapping,
    to_table,
)

NOW = datetime(2026, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("record_type", ARTICLE_RECORDS + FEED_RECORDS,
                         ids=lambda t: t.__name__)
def test_every_record_has_exactly_its_schema_columns(record_type):
    check_shape(record_type)  # raises on a difference
    assert {f.name for f in fields(record_type)} == set(record_type.SCHEMA.names)


@pytest.mark.parametrize(("table", "record_types"), [
    ("articles", (PendingRow, TitleRow, ResultRow)), ("outlets", (OutletRow,)),
    ("feeds", (NewFeedRow, FeedUpdateRow)), ("feed_polls", (PollRow,))])
def test_the_written_records_name_only_columns_of_their_table(tmp_path, table, record_types):
    with open_writer(tmp_path / "w.duckdb") as con:
        columns = {name for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ?", [table]).fetchall()}
    for record_type in record_types:
        assert set(record_type.SCHEMA.names) <= columns, record_type.__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class _Drifted:
    """A record whose field was renamed without its column (or the other way round)."""

    SCHEMA: ClassVar[pa.Schema] = pa.schema([("article_id", pa.string()),
                                             ("title", pa.string())])
    article_id: str
    titel: str | None = None


def test_a_record_that_drifted_from_its_schema_cannot_be_staged():
    with pytest.raises(RowShapeError, match=r"fields without a column \['titel'\].*"
                                            r"columns without a field \['title'\]"):
        to_table([_Drifted(article_id="a1", titel="x")], _Drifted)


def test_a_misspelt_or_missing_name_is_an_error_not_a_null():
    good = {"article_id": "a1", "status": "extracted", "retryable": False, "title": "T"}
    assert from_mapping(ResultRow, good).title == "T"
    with pytest.raises(RowShapeError, match=r"unknown fields \['titel'\]"):
        from_mapping(ResultRow, {**good, "titel": "T"})
    with pytest.raises(RowShapeError, match=r"missing fields \['retryable'\]"):
        from_mapping(ResultRow, {"article_id": "a1", "status": "extracted"})


def test_rows_of_another_type_are_refused():
    row = PendingRow(article_id="a1", outlet_id="o", url="u", canonical_url="u",
                     status="pending", discovered_at=NOW)
    with pytest.raises(RowShapeError, match="expected ResultRow rows, got PendingRow"):
        to_table([row], ResultRow)


def test_the_table_is_built_column_by_column_with_every_value():
    rows = [ResultRow(article_id=f"a{i}", status="failed", retryable=bool(i % 2),
                      http_status=500 + i, fetched_at=NOW) for i in range(3)]
    table = to_table(rows, ResultRow)
    assert table.schema == ResultRow.SCHEMA
    assert table.column("article_id").to_pylist() == ["a0", "a1", "a2"]
    assert table.column("retryable").to_pylist() == [False, True, False]
    assert table.column("http_status").to_pylist() == [500, 501, 502]
    assert table.column("text").null_count == 3


def test_a_mapping_with_a_misspelt_column_is_refused_by_the_mapping_path():
    schema = pa.schema([("article_id", pa.string()), ("title", pa.string())])
    assert staging.to_arrow([{"article_id": "a1"}], schema).column("title").to_pylist() == [None]
    with pytest.raises(RowShapeError, match=r"unknown fields \['titel'\]"):
        staging.to_arrow([{"article_id": "a1", "titel": "T"}], schema)
