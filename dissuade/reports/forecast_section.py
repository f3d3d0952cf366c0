"""The handover report's staffing forecast is added to the report's data by its callers
(`Store.staffing_forecast`'s dict under `forecast`): the dashboard's data stays without it, since
the forecast reads weeks of history. Its table is `model.forecast_table`, its PDF page part
`pdf.forecast_section`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def with_forecast(source: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The report's data with the forecast of the shift that starts where the report ends
    (asked of `source`, a lead's); without it when the source cannot give one (a hub of an
    older version), so the report is still written."""
    from dissuade.domain import timeutil
    from dissuade.domain.errors import DissuadeError

    out = dict(data)
    try:
        out["forecast"] = source.staffing_forecast(start=timeutil.parse(data["to"]))
    except DissuadeError:
        out.pop("forecast", None)
    return out
