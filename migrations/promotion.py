"""Promote a custom field to a built-in column, without losing a value.

Use it from an Alembic revision, after the revision adds the column (declare the field
on the model with desk_field, autogenerate, then add the call):

    from migrations.promotion import promote_custom_field

    def upgrade() -> None:
        op.add_column("customer", sa.Column("contract_end", sa.Date(), nullable=True))
        promote_custom_field(op, "contract_end", "contract_end", sql_type="DATE")

Every customer's value moves from customer.custom_fields into the column (cast to
`sql_type` on PostgreSQL; SQLite keeps the same text), the key leaves the JSON, and the
definition leaves Settings. Values the cast refuses stop the migration, so nothing is
lost silently. The audit log keeps the old entries under cf_<key>.
"""

from sqlalchemy import text


def promote_custom_field(op, key: str, column: str, *, sql_type: str | None = None) -> None:
    bind = op.get_bind()
    params = {"key": key, "path": f"$.{key}"}
    if bind.dialect.name == "postgresql":
        value = "custom_fields ->> :key"
        if sql_type:
            value = f"CAST({value} AS {sql_type})"
        bind.execute(text(f'UPDATE customer SET "{column}" = {value}, '
                          "custom_fields = custom_fields - :key "
                          "WHERE custom_fields ? :key"), params)
    else:
        bind.execute(text(f'UPDATE customer SET "{column}" = json_extract(custom_fields, :path), '
                          "custom_fields = json_remove(custom_fields, :path) "
                          "WHERE json_type(custom_fields, :path) IS NOT NULL"), params)
    bind.execute(text("DELETE FROM custom_field WHERE key = :key"), {"key": key})
