"""Review of extracted records: confirm, correct one field, or reject.

Every action is one transaction that updates the record (its ``review_state`` and, for a
correction, the field, in both its column and the stored full record) and appends a row
to ``review_events`` with who, when, the old and the new value. Rejected records drop out
of every query and export of the store (they filter on ``review_state``).

Correctable fields (:data:`CORRECTABLE`):

* incident: type, status, date (YYYY / YYYY-MM / YYYY-MM-DD), location, admin1, country
  (ISO 3166 alpha-2), killed, wounded, kidnapped, arrested (whole numbers 0 to
  :data:`MAX_COUNT`, empty = none);
* figure: indicator, subject, value (a finite number, at most :data:`MAX_VALUE` in size),
  unit, period, place, place_country, attributed_to;
* quote: speaker, speaker_role;
* actor (the canonical actor shared by every article): canonical, kind, country; a
  corrected canonical name is also added as an alias so that searches still find it;
* role (one dated role of an actor, found in one article; its id is a number): title,
  organization, as_of (YYYY / YYYY-MM / YYYY-MM-DD).

Dates must be real calendar dates with a year from :data:`MIN_YEAR` to :data:`MAX_YEAR`;
countries must be ISO 3166-1 alpha-2 codes known to pycountry (``XX`` is refused); text
values are at most :data:`MAX_TEXT` characters, notes :data:`MAX_NOTE`.

A rejected actor has no profile and leaves the actor counts; the incidents that name it
keep the name as written (it is evidence), a rejected role leaves the profile.
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date as Date, datetime, timezone
from typing import Any

import pycountry
from sqlalchemy import Engine, insert, select, update

from cronica.records import ACTOR_KINDS, INCIDENT_TYPES, STATUSES
from cronica.store import schema as s
from cronica.store.merges import MERGE_LOCK, regroup
from cronica.store.save import add_aliases, date_bounds, lock_keys

KINDS: dict[str, Any] = {"incident": s.incidents, "figure": s.figures, "quote": s.quotes,
                         "actor": s.actors, "role": s.actor_roles}
ACTIONS: tuple[str, ...] = s.REVIEW_ACTIONS
_STATE = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected"}
_COUNTS = ("killed", "wounded", "kidnapped", "arrested")
_INCIDENT_COLUMNS = {"type": "type", "status": "status", "date": "date", "location": "location_name",
                     "admin1": "location_admin1", "country": "location_country",
                     **{c: c for c in _COUNTS}}
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "incident": tuple(_INCIDENT_COLUMNS),
    "figure": ("indicator", "subject", "value", "unit", "period", "place", "place_country", "attributed_to"),
    "quote": ("speaker", "speaker_role"),
    "actor": ("canonical", "kind", "country"),
    "role": ("title", "organization", "as_of"),
}
#: Fields that cannot be left empty.
_REQUIRED = {("incident", "type"), ("incident", "status"), ("actor", "canonical"), ("actor", "kind"),
             ("role", "title")}


MAX_COUNT = 10_000_000  # more people than any one incident can involve
MAX_VALUE = 1e15  # figures: larger magnitudes are typing errors (and overflow some databases)
MIN_YEAR, MAX_YEAR = 1800, 2100
MAX_TEXT = 500
MAX_NOTE = 2000
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def check_date(text: str) -> str:
    """``text`` when it is a real YYYY, YYYY-MM or YYYY-MM-DD date with a year from
    MIN_YEAR to MAX_YEAR, else ValueError ("'<text>' is not ...")."""
    m = _DATE.match(text)
    problem = None
    if not m:
        problem = "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    else:
        y, mo, d = (int(g) if g else None for g in m.groups())
        if not MIN_YEAR <= (y or 0) <= MAX_YEAR:
            problem = f"has a year outside {MIN_YEAR}-{MAX_YEAR}"
        else:
            try:
                Date(y or 1, mo or 1, d or 1)
            except ValueError:
                problem = "is not a real calendar date"
    if problem:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"{shown!r} {problem}")
    return text


def check_country(text: str) -> str:
    """The upper-case ISO 3166-1 alpha-2 code of ``text``, else ValueError."""
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha() or pycountry.countries.get(alpha_2=code) is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"{shown!r} is not an ISO 3166 alpha-2 country code")
    return code


class ReviewError(ValueError):
    """Bad review input (one line naming the input and the problem)."""


class RecordNotFound(LookupError):
    """No record of that kind and id."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(kind: str, field: str, value: Any) -> int | float:
    want = "a number" if kind == "figure" else "a whole number"
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ReviewError(f"{kind} field {field}: {value!r} is not {want}")
    if isinstance(value, int) and not -10**40 < value < 10**40:
        raise ReviewError(f"{kind} field {field}: a number of {value.bit_length()} bits is out of range")
    text = str(value).strip()
    if len(text) > 40:
        raise ReviewError(f"{kind} field {field}: {text[:37] + '...'!r} is not {want}")
    try:
        num: int | float = float(text) if kind == "figure" else int(text)
    except ValueError:
        if kind != "figure" and isinstance(value, float) and value.is_integer():
            num = int(value)
        else:
            raise ReviewError(f"{kind} field {field}: {value!r} is not {want}") from None
    if isinstance(num, float) and not math.isfinite(num):
        raise ReviewError(f"{kind} field {field}: {value!r} is not a finite number")
    if kind == "figure" and abs(num) > MAX_VALUE:
        raise ReviewError(f"{kind} field {field}: {value!r} is larger than {MAX_VALUE:.0e}")
    if kind == "incident" and num < 0:
        raise ReviewError(f"{kind} field {field}: {value!r} is negative")
    if kind == "incident" and num > MAX_COUNT:
        raise ReviewError(f"{kind} field {field}: {value!r} is more than {MAX_COUNT:,}")
    return num


def _clean_value(kind: str, field: str, value: Any) -> Any:
    """The typed value for ``field``, or ReviewError naming the field and the problem."""
    if kind == "incident" and field in _COUNTS or kind == "figure" and field == "value":
        return None if _blank(value) else _number(kind, field, value)
    if _blank(value):
        if (kind, field) in _REQUIRED:
            raise ReviewError(f"{kind} field {field}: a value is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (
            isinstance(value, int) and not -10**40 < value < 10**40):
        raise ReviewError(f"{kind} field {field}: expected text")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{kind} field {field}: {len(text)} characters, at most {MAX_TEXT}")
    if kind == "actor" and field == "kind" and text not in ACTOR_KINDS:
        raise ReviewError(f"actor field kind: {text!r} is not one of {', '.join(ACTOR_KINDS)}")
    if (kind, field) in (("role", "as_of"), ("incident", "date")):
        try:
            check_date(text)
        except ValueError as exc:
            raise ReviewError(f"{kind} field {field}: {exc}") from None
    if kind == "incident":
        if field == "type" and text not in INCIDENT_TYPES:
            raise ReviewError(f"incident field type: {text!r} is not one of {', '.join(INCIDENT_TYPES)}")
        if field == "status" and text not in STATUSES:
            raise ReviewError(f"incident field status: {text!r} is not one of {', '.join(STATUSES)}")
    if (kind, field) in (("incident", "country"), ("figure", "place_country"), ("actor", "country")):
        try:
            text = check_country(text)
        except ValueError as exc:
            raise ReviewError(f"{kind} field {field}: {exc}") from None
    return text


def _incident_changes(row: Any, field: str, value: Any) -> tuple[dict[str, Any], Any]:
    """Column updates (including the full record in ``data``) and the old value."""
    col = _INCIDENT_COLUMNS[field]
    old = row._mapping[col]
    data = copy.deepcopy(dict(row.data or {}))
    values: dict[str, Any] = {col: value}
    if field in ("type", "status"):
        data[field] = value
    elif field == "date":
        lo, hi = date_bounds(value) if value else (None, None)
        prec = {4: "year", 7: "month", 10: "day"}.get(len(value or ""))
        values.update(date_start=lo, date_end=hi, date_precision=prec)
        data.update(date=value, date_precision=prec)
    elif field in ("location", "admin1", "country"):
        loc = dict(data.get("location") or {})
        loc[{"location": "name"}.get(field, field)] = value
        data["location"] = loc
    else:  # a count
        values[f"{field}_qualifier"] = None if value is None else "exact"
        prev = data.get(field) or {}
        data[field] = None if value is None else {"value": value, "qualifier": "exact",
                                                  "evidence": prev.get("evidence")}
    values["data"] = data
    return values, old


def apply_review(engine: Engine, kind: str, record_id: str, action: str, user_name: str, *,
                 field: str | None = None, value: Any = None, note: str | None = None) -> dict[str, Any]:
    """Confirm, correct (``field`` = ``value``) or reject one record; returns the new
    review event as a dict. Raises ReviewError for bad input and RecordNotFound when the
    record does not exist (rejected records can still be reviewed again by id)."""
    if kind not in KINDS:
        raise ReviewError(f"record kind {kind!r} is not one of {', '.join(KINDS)}")
    if action not in ACTIONS:
        raise ReviewError(f"review action {action!r} is not one of {', '.join(ACTIONS)}")
    if note is not None and len(note) > MAX_NOTE:
        raise ReviewError(f"review note: {len(note)} characters, at most {MAX_NOTE}")
    table = KINDS[kind]
    key = _key(kind, record_id)
    with engine.begin() as conn:
        if kind == "incident":  # it may regroup merged incidents: the merge lock before any row
            lock_keys(conn, [MERGE_LOCK])
        row = conn.execute(select(table).where(table.c.id == key)).first()
        if row is None:
            raise RecordNotFound(f"{kind} {record_id!r} does not exist")
        values: dict[str, Any] = {"review_state": _STATE[action]}
        old: Any = row.review_state
        new: Any = _STATE[action]
        if action == "correct":
            if not field or field not in CORRECTABLE[kind]:
                raise ReviewError(f"{kind} field {field!r} cannot be corrected: use one of "
                                  f"{', '.join(CORRECTABLE[kind])}")
            new = _clean_value(kind, field, value)
            if kind == "incident":
                changes, old = _incident_changes(row, field, new)
                values.update(changes)
            else:
                old = row._mapping[field]
                values[field] = new
        else:
            field = "review_state"
        conn.execute(update(table).where(table.c.id == key).values(**values))
        if kind == "incident":  # a corrected or rejected report may join or leave a merged incident
            regroup(conn, [key])
        if kind == "actor" and field == "canonical":
            add_aliases(conn, record_id, [new], None)  # also refreshes its search text
        event = {"record_kind": kind, "record_id": str(record_id), "action": action, "field": field,
                 "old_value": old, "new_value": new, "user_name": user_name, "created_at": _now(),
                 "note": note or None}
        res = conn.execute(insert(s.review_events).values(**event))
        return {"id": int(res.inserted_primary_key[0]), **event}


def _key(kind: str, record_id: Any) -> Any:
    """The primary-key value of a record id: roles have numeric ids."""
    if kind != "role":
        return record_id
    text = str(record_id)
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    raise RecordNotFound(f"role {record_id!r} does not exist (role ids are numbers)")


def history(engine: Engine, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Review events of one record, oldest first."""
    e = s.review_events
    with engine.connect() as conn:
        rows = conn.execute(select(e).where(e.c.record_kind == kind, e.c.record_id == str(record_id))
                            .order_by(e.c.id)).mappings().all()
    return [dict(r) for r in rows]


def review_state(engine: Engine, kind: str, record_id: str) -> str | None:
    """The record's review state (None when it does not exist)."""
    if kind not in KINDS:
        return None
    table = KINDS[kind]
    try:
        key = _key(kind, record_id)
    except RecordNotFound:
        return None
    with engine.connect() as conn:
        return conn.execute(select(table.c.review_state).where(table.c.id == key)).scalar_one_or_none()
