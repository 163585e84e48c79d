"""Full-text search over articles and records, on SQLite (FTS5) and PostgreSQL (tsvector).

The query is split into words (letters/digits); every word must match (AND). Repeated
words count once and the query is bounded (length and number of distinct words, see
:mod:`cronica.store.bounds`), so a hostile query cannot make the database work for
minutes; the statement deadline of :mod:`cronica.store.engine` covers the rest. On SQLite
words are accent-insensitive (``unicode61 remove_diacritics 2``); PostgreSQL uses the
``'simple'`` configuration (no stemming, same for English and Spanish). Records whose
``review_state`` is ``rejected`` never match.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, String, TextClause, column, text
from sqlalchemy.sql.selectable import TextualSelect

from cronica.store.bounds import MAX_SEARCH_LIMIT, bounded_int, query_terms

_NOT_REJECTED = """NOT (
    (r.record_kind = 'incident' AND r.record_id IN (SELECT id FROM incidents WHERE review_state = 'rejected'))
 OR (r.record_kind = 'figure' AND r.record_id IN (SELECT id FROM figures WHERE review_state = 'rejected'))
 OR (r.record_kind = 'quote' AND r.record_id IN (SELECT id FROM quotes WHERE review_state = 'rejected'))
 OR (r.record_kind = 'actor' AND r.record_id IN (SELECT id FROM actors WHERE review_state = 'rejected')))"""


def query_words(query: str) -> list[str]:
    """The distinct words of a search query (see :func:`cronica.store.bounds.query_terms`);
    a :class:`StoreError` when there are none or the query is over the caps."""
    return query_terms(query)


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression requiring every word (each quoted, so no syntax leaks in)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def pg_query(words: list[str]) -> str:
    """A ``to_tsquery('simple', ...)`` expression requiring every word."""
    return " & ".join(w.replace("'", "") for w in words)


def search_documents(conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
    """Matching articles: document_id, title, url, published, text_head (first 400 characters),
    snippet, score (higher = better)."""
    words = query_words(query)
    limit = bounded_int("search limit", limit, high=MAX_SEARCH_LIMIT)
    if conn.dialect.name == "sqlite":
        sql = text("""
            SELECT f.document_id AS document_id, d.title, d.url, d.published, substr(d.text, 1, 400) AS text_head,
                   snippet(documents_fts, 2, '[', ']', '…', 16) AS snippet, -bm25(documents_fts) AS score
            FROM documents_fts f JOIN documents d ON d.id = f.document_id
            WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts) LIMIT :limit""")
        return [dict(r) for r in conn.execute(sql, {"q": fts5_query(words), "limit": limit}).mappings()]
    sql = text("""
        SELECT d.id AS document_id, d.title, d.url, d.published, substr(d.text, 1, 400) AS text_head,
               ts_headline('simple', d.text, to_tsquery('simple', :q),
                           'StartSel=[, StopSel=], MaxWords=20, MinWords=8') AS snippet,
               ts_rank(to_tsvector('simple', coalesce(d.title, '') || ' ' || d.text),
                       to_tsquery('simple', :q)) AS score
        FROM documents d
        WHERE to_tsvector('simple', coalesce(d.title, '') || ' ' || d.text) @@ to_tsquery('simple', :q)
        ORDER BY score DESC LIMIT :limit""")
    return [dict(r) for r in conn.execute(sql, {"q": pg_query(words), "limit": limit}).mappings()]


def matching_records(conn: Connection, query: str, limit: int, kind: str | None = None) -> list[dict[str, Any]]:
    """Matching records: record_kind, record_id, document_id, snippet, score (higher = better)."""
    words = query_words(query)
    limit = bounded_int("search limit", limit, high=MAX_SEARCH_LIMIT)
    kind_sql = "AND r.record_kind = :kind" if kind else ""
    params: dict[str, Any] = {"limit": limit, "kind": kind}
    if conn.dialect.name == "sqlite":
        params["q"] = fts5_query(words)
        sql = text(f"""
            SELECT r.record_kind, r.record_id, r.document_id,
                   snippet(records_fts, 3, '[', ']', '…', 16) AS snippet, -bm25(records_fts) AS score
            FROM records_fts r WHERE records_fts MATCH :q {kind_sql} AND {_NOT_REJECTED}
            ORDER BY bm25(records_fts) LIMIT :limit""")
    else:
        params["q"] = pg_query(words)
        sql = text(f"""
            SELECT r.record_kind, r.record_id, r.document_id,
                   ts_headline('simple', r.text, to_tsquery('simple', :q),
                               'StartSel=[, StopSel=], MaxWords=20, MinWords=8') AS snippet,
                   ts_rank(to_tsvector('simple', r.text), to_tsquery('simple', :q)) AS score
            FROM records_fts r
            WHERE to_tsvector('simple', r.text) @@ to_tsquery('simple', :q) {kind_sql} AND {_NOT_REJECTED}
            ORDER BY score DESC LIMIT :limit""")
    return [dict(r) for r in conn.execute(sql, params).mappings()]


def matching_ids_select(dialect: str, query: str, kind: str) -> TextualSelect:
    """A sub-select of the ids of ``kind`` records whose text matches every word of
    ``query`` (for ``id IN (...)`` filters; rejected records are left to the caller)."""
    words = query_words(query)
    if dialect == "sqlite":
        sql: TextClause = text("SELECT record_id FROM records_fts WHERE records_fts MATCH :fts_q "
                               "AND record_kind = :fts_kind").bindparams(fts_q=fts5_query(words), fts_kind=kind)
    else:
        sql = text("SELECT record_id FROM records_fts WHERE to_tsvector('simple', text) @@ "
                   "to_tsquery('simple', :fts_q) AND record_kind = :fts_kind").bindparams(
                       fts_q=pg_query(words), fts_kind=kind)
    return sql.columns(column("record_id", String))
