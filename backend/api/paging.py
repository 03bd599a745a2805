"""Page-numbered lists: `?page=&page_size=` in, `{items, page, page_size, total}` out."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from marshmallow import Schema, fields, validate

from backend.api.bounds import page_number


class PageQuerySchema(Schema):
    page = page_number()
    page_size = fields.Integer(validate=validate.Range(min=1, max=1_000_000))


def page_of(schema: type[Schema]) -> type[Schema]:
    """The page envelope for items of `schema` (one class per item type, for OpenAPI)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(schema)),
        "page": fields.Integer(), "page_size": fields.Integer(), "total": fields.Integer(),
    }, name=f"{schema.__name__.removesuffix('Schema')}PageSchema")


def paginate(conn: sa.Connection, stmt: sa.Select, query: dict) -> dict:
    cfg = current_app.config
    size = min(query.get("page_size") or cfg["PAGE_SIZE_DEFAULT"], cfg["PAGE_SIZE_MAX"])
    total = conn.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    rows = conn.execute(stmt.limit(size).offset((query["page"] - 1) * size))
    return {"items": [dict(r._mapping) for r in rows], "page": query["page"],
            "page_size": size, "total": total}
