"""Reading and writing registry records as CSV and XLSX files, safely, and their templates."""

from fourchain.adapters.ingest.files import (
    SUFFIXES,
    SourceTable,
    read_table,
    write_table,
    write_template,
)

__all__ = ["SUFFIXES", "SourceTable", "read_table", "write_table", "write_template"]
