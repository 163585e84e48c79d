"""Exports of the incident table.

* ``csv``: ACLED-style columns (see :mod:`cronica.store.acled`), UTF-8, header first.
* ``geojson``: a FeatureCollection of the incidents that have coordinates (Point,
  ``[lon, lat]``), properties = the flattened incident row without the full record.
* ``json``: a JSON list of merged incidents, each once: the full record of its leading
  report (Cronica JSON ``Incident``; its ``killed`` / ``wounded`` / ``kidnapped`` /
  ``arrested`` also carry ``low`` / ``best`` / ``high`` / ``best_source`` across the
  reports), a ``document`` object (id, url, title, outlet, published), ``review_state``,
  ``merged_id`` and ``reports``: ``[{incident_id, document: {id, url, outlet, published,
  language}, evidence: [{start, end, text}], killed, wounded, kidnapped, arrested}]``.
* ``csv`` and ``json`` list every merged incident once; its reports are in ``sources`` /
  ``reports`` (see docs/merging.md).
* ``parquet``: the flattened incident rows via pyarrow (optional dependency).

``out`` may be a path or an open file (text or binary for csv/geojson/json, binary for
parquet). Every function returns the number of incidents written.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cronica.store.acled import ACLED_COLUMNS, acled_row
from cronica.store.errors import StoreError

if TYPE_CHECKING:  # pragma: no cover
    from cronica.store.api import Cronica

FORMATS: tuple[str, ...] = ("csv", "geojson", "json", "parquet")


def _flat(row: Any) -> dict[str, Any]:
    d = row.to_dict()
    for k in ("data", "reports", "tolls", "merge_links"):
        d.pop(k, None)
    return d


def _json_record(r: Any, view: dict[str, Any] | None) -> dict[str, Any]:
    """A merged incident: its leading report's full record, the counts carrying ``low`` /
    ``best`` / ``high`` (and ``best_source``) across every report, and ``reports``."""
    rec = {**r.data, "review_state": r.review_state,
           "document": {"id": r.document_id, "url": r.url, "title": r.title, "outlet": r.outlet,
                        "published": r.published}}
    view = view or {}
    for name, t in (view.get("tolls") or {}).items():
        own = rec.get(name) if isinstance(rec.get(name), dict) else {"value": t["best"], "qualifier": t["best_qualifier"]}
        rec[name] = {**own, "low": t["low"], "best": t["best"], "high": t["high"], "best_source": t["best_source"]}
    rec["merged_id"] = view.get("merged_id", r.id)
    rec["reports"] = [{k: v for k, v in rep.items() if k in REPORT_FIELDS} for rep in view.get("reports") or []]
    return rec


#: Fields of each entry of an exported incident's ``reports``.
REPORT_FIELDS = ("incident_id", "document", "evidence", "killed", "wounded", "kidnapped", "arrested")


def _write_text(out: Any, text: str) -> None:
    if isinstance(out, (str, Path)):
        Path(out).write_text(text, encoding="utf-8")
    elif isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
        out.write(text)
    else:
        out.write(text.encode("utf-8"))


def export_incidents(db: "Cronica", format: str, out: IO[Any] | str | Path) -> int:  # noqa: A002
    """Write every non-rejected incident of ``db`` to ``out`` in ``format``."""
    if format not in FORMATS:
        raise StoreError(f"export format {format!r} is not one of {', '.join(FORMATS)}")
    rows, kinds = db._all_incidents_with_kinds()  # one row per merged incident
    views = db._merged_views() if format in ("csv", "json") else {}
    if format == "csv":
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(acled_row(r, kinds[r.id], views.get(r.merged_id or r.id)))
        _write_text(out, buf.getvalue())
        return len(rows)
    if format == "geojson":
        feats = [{"type": "Feature", "id": r.id,
                  "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                  "properties": _flat(r)}
                 for r in rows if r.lat is not None and r.lon is not None]
        _write_text(out, json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False))
        return len(feats)
    if format == "json":
        records = [_json_record(r, views.get(r.merged_id or r.id)) for r in rows]
        _write_text(out, json.dumps(records, ensure_ascii=False, indent=1))
        return len(records)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise StoreError("parquet export needs pyarrow, which is not installed: pip install 'cronica[analysis]'") from None
    flat = [_flat(r) for r in rows]
    schema = pa.schema([
        ("id", pa.string()), ("document_id", pa.string()), ("type", pa.string()), ("status", pa.string()),
        ("date", pa.string()), ("date_precision", pa.string()), ("location", pa.string()),
        ("admin1", pa.string()), ("country", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
        ("geo_precision", pa.string()),
        *[(f"{n}{suffix}", t) for n in ("killed", "wounded", "kidnapped", "arrested")
          for suffix, t in (("", pa.int64()), ("_qualifier", pa.string()))],
        ("perpetrators", pa.list_(pa.string())), ("targets", pa.list_(pa.string())),
        ("weapons", pa.list_(pa.string())), ("evidence", pa.string()), ("review_state", pa.string()),
        ("url", pa.string()), ("title", pa.string()), ("outlet", pa.string()), ("published", pa.string()),
    ])
    table = pa.Table.from_pylist(flat, schema=schema)
    if isinstance(out, (str, Path)):
        pq.write_table(table, str(out))
    else:
        if isinstance(out, io.TextIOBase):
            raise StoreError("parquet export needs a binary file or a path, not a text stream")
        pq.write_table(table, out)
    return len(flat)
