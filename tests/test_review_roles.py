"""Review of actor roles (dated titles found in one article) in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cronica.records import Actor, Document, Evidence, ExtractionResult, Role
from cronica.serve import review
from cronica.store import Cronica


def _result() -> ExtractionResult:
    text = "Defense Minister Daniel Mora said the army would stay in the valley."
    doc = Document(id="doc_roles", text=text, language="en", published="2011-08-20")
    ev = Evidence(start=0, end=29, text=text[:29])
    mora = Actor(id="act_mora", name="Daniel Mora", canonical="Daniel Mora", kind="person",
                 roles=[Role(title="Defense Minister", organization=None, evidence=ev)], evidence=[ev])
    return ExtractionResult(document=doc, actors=[mora], extractor="test")


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Cronica(f"sqlite:///{tmp_path / 'c.db'}") as c:
        assert c.save(_result()) == "added"
        yield c


def test_a_role_is_corrected_then_rejected(db) -> None:  # type: ignore[no-untyped-def]
    [role] = db.actor("Daniel Mora").roles
    assert role.title == "Defense Minister" and role.review_state == "unreviewed" and isinstance(role.id, int)
    ev = review.apply_review(db.engine, "role", str(role.id), "correct", "eddie", field="as_of", value="2011-07")
    assert ev["old_value"] == "2011-08-20" and ev["new_value"] == "2011-07"
    [role] = db.actor("Daniel Mora").roles
    assert role.as_of == "2011-07" and role.review_state == "corrected"
    with pytest.raises(review.ReviewError, match="role field as_of: 'July' is not a date: use YYYY"):
        review.apply_review(db.engine, "role", str(role.id), "correct", "eddie", field="as_of", value="July")
    with pytest.raises(review.RecordNotFound, match="role ids are numbers"):
        review.apply_review(db.engine, "role", "abc", "reject", "eddie")
    review.apply_review(db.engine, "role", str(role.id), "reject", "eddie")
    assert db.actor("Daniel Mora").roles == []
    assert review.review_state(db.engine, "role", str(role.id)) == "rejected"
    assert [e["action"] for e in review.history(db.engine, "role", str(role.id))] == ["correct", "reject"]


def test_a_rejected_actor_stays_rejected_when_seen_again(db) -> None:  # type: ignore[no-untyped-def]
    review.apply_review(db.engine, "actor", "act_mora", "reject", "eddie")
    assert db.actor("Daniel Mora") is None and db.counts()["actors"] == 0
    again = _result()
    again.document = Document(id="doc_roles_2", text=again.document.text + " He spoke in Lima.", language="en")
    assert db.save(again) == "added"
    assert db.actor("Daniel Mora") is None  # re-seen, still rejected
    assert review.review_state(db.engine, "actor", "act_mora") == "rejected"
