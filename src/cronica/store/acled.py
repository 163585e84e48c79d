"""Cronica incident types -> ACLED event types, and ACLED-style CSV rows.

Mapping (``event_type`` / ``sub_event_type``), following the ACLED codebook categories:

===============  ===========================  =================================
Cronica type     ACLED event_type             ACLED sub_event_type
===============  ===========================  =================================
attack           Violence against civilians   Attack
murder           Violence against civilians   Attack
massacre         Violence against civilians   Attack
kidnapping       Violence against civilians   Abduction/forced disappearance
ambush           Battles                      Armed clash
armed_clash      Battles                      Armed clash
bombing          Explosions/Remote violence   Remote explosive/landmine/IED
arrest_capture   Strategic developments       Arrests
lab_raid         Strategic developments       Looting/property destruction
arson            Strategic developments       Looting/property destruction
robbery          Strategic developments       Looting/property destruction
drug_seizure     Strategic developments       Other
eradication      Strategic developments       Other
extortion        Strategic developments       Other
armed_strike     Strategic developments       Other
prison_riot      Riots                        Mob violence
other            Strategic developments       Other
===============  ===========================  =================================

Actor kinds map to ACLED ``inter`` codes: state_force / government_body -> 1 (State
forces), armed_group -> 2 (Rebel groups), criminal_group -> 3 (Political militias, where
ACLED files organised criminal groups), person -> 7 (Civilians), organization -> 8
(External/Other forces). ``interaction`` is the two codes, smaller first (e.g. 13).
``time_precision``: 1 day, 2 month, 3 year. ``geo_precision``: 1 point/locality,
2 region, 3 admin1/country. ``iso`` is the numeric ISO 3166 code, as in ACLED.
"""

from __future__ import annotations

from typing import Any

import pycountry

ACLED_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "attack": ("Violence against civilians", "Attack"),
    "murder": ("Violence against civilians", "Attack"),
    "massacre": ("Violence against civilians", "Attack"),
    "kidnapping": ("Violence against civilians", "Abduction/forced disappearance"),
    "ambush": ("Battles", "Armed clash"),
    "armed_clash": ("Battles", "Armed clash"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "arrest_capture": ("Strategic developments", "Arrests"),
    "lab_raid": ("Strategic developments", "Looting/property destruction"),
    "arson": ("Strategic developments", "Looting/property destruction"),
    "robbery": ("Strategic developments", "Looting/property destruction"),
    "drug_seizure": ("Strategic developments", "Other"),
    "eradication": ("Strategic developments", "Other"),
    "extortion": ("Strategic developments", "Other"),
    "armed_strike": ("Strategic developments", "Other"),
    "prison_riot": ("Riots", "Mob violence"),
    "other": ("Strategic developments", "Other"),
}

INTER_CODES: dict[str, int] = {
    "state_force": 1, "government_body": 1, "armed_group": 2, "criminal_group": 3,
    "person": 7, "organization": 8,
}

TIME_PRECISION: dict[str, int] = {"day": 1, "month": 2, "year": 3}
GEO_PRECISION: dict[str, int] = {"point": 1, "locality": 1, "region": 2, "admin1": 3, "country": 3}

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities",
    "cronica_type", "cronica_status", "cronica_wounded", "cronica_kidnapped", "cronica_arrested",
    "cronica_evidence", "cronica_url", "cronica_document_id",
    "sources", "fatalities_low", "fatalities_best", "fatalities_high",
)


def event_type(cronica_type: str) -> tuple[str, str]:
    """ACLED (event_type, sub_event_type) for a Cronica incident type."""
    return ACLED_EVENT_TYPES.get(cronica_type, ACLED_EVENT_TYPES["other"])


def _country(alpha2: str | None) -> tuple[str, str]:
    if not alpha2:
        return "", ""
    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return (c.name, str(int(c.numeric))) if c else (alpha2, "")


def _inter(kinds: list[str | None]) -> int | None:
    for k in kinds:
        if k in INTER_CODES:
            return INTER_CODES[k]
    return None


def _event_date(date: str | None) -> tuple[str, str]:
    if not date:
        return "", ""
    parts = date.split("-")
    full = "-".join(parts + ["01"] * (3 - len(parts)))
    return full, parts[0]


def acled_row(row: Any, actor_kinds: dict[str, list[str | None]],
              merged: dict[str, Any] | None = None) -> dict[str, Any]:
    """One ACLED-style CSV row for an :class:`~cronica.store.rows.IncidentRow`.

    ``actor_kinds`` maps "perpetrator"/"target" to the kinds of those actors. ``merged``
    is the row's merged incident (:func:`cronica.store.merges.merged_view`): ``sources``
    lists every report's article (URL, else outlet, else document id; "; " between them),
    ``fatalities_low`` / ``_best`` / ``_high`` are the killed tolls across the reports
    (empty when no report gives one) and ``fatalities`` is the best one, as ACLED's
    fatalities column is its best estimate.
    """
    reports = (merged or {}).get("reports") or []
    toll = ((merged or {}).get("tolls") or {}).get("killed")
    sources = list(dict.fromkeys(r["document"].get("url") or r["document"].get("outlet") or r["document"]["id"]
                                 for r in reports)) or [row.url or row.outlet or row.document_id]
    etype, sub = event_type(row.type)
    country, iso = _country(row.country)
    event_date, year = _event_date(row.date)
    inter1 = _inter(actor_kinds.get("perpetrator", []))
    inter2 = _inter(actor_kinds.get("target", []))
    interaction = "".join(str(c) for c in sorted(c for c in (inter1, inter2) if c is not None))
    perps, targets = row.perpetrators, row.targets
    return {
        "event_id_cnty": row.id,
        "event_date": event_date,
        "year": year,
        "time_precision": TIME_PRECISION.get(row.date_precision or "", ""),
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": perps[0] if perps else "",
        "assoc_actor_1": "; ".join(perps[1:]),
        "inter1": inter1 if inter1 is not None else "",
        "actor2": targets[0] if targets else "",
        "assoc_actor_2": "; ".join(targets[1:]),
        "inter2": inter2 if inter2 is not None else "",
        "interaction": interaction,
        "country": country,
        "iso": iso,
        "admin1": row.admin1 or "",
        "location": row.location or "",
        "latitude": "" if row.lat is None else row.lat,
        "longitude": "" if row.lon is None else row.lon,
        "geo_precision": GEO_PRECISION.get(row.geo_precision or "", ""),
        "source": row.outlet or "",
        "source_scale": "",
        "notes": row.evidence,
        "fatalities": toll["best"] if toll else (row.killed or 0),
        "cronica_type": row.type,
        "cronica_status": row.status,
        "cronica_wounded": "" if row.wounded is None else row.wounded,
        "cronica_kidnapped": "" if row.kidnapped is None else row.kidnapped,
        "cronica_arrested": "" if row.arrested is None else row.arrested,
        "cronica_evidence": row.evidence,
        "cronica_url": row.url or "",
        "cronica_document_id": row.document_id,
        "sources": "; ".join(sources),
        "fatalities_low": toll["low"] if toll else "",
        "fatalities_best": toll["best"] if toll else "",
        "fatalities_high": toll["high"] if toll else "",
    }
