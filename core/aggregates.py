"""Database aggregates the ORM does not ship for every backend this project runs on."""

from django.db.models import Aggregate, Func, JSONField


class JSONObjectAgg(Aggregate):
    """{key: value, …} of the grouped rows as one JSON object (keys become strings): a report
    over a million answers reads ten thousand objects instead of a million rows, each with its
    own JSON to decode (reports.readiness). PostgreSQL: jsonb_object_agg; SQLite:
    json_group_object, the stored value read as JSON rather than as text."""

    function = "JSONB_OBJECT_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra):
        clone = self.copy()
        key, value = clone.source_expressions  # the grouped columns (not the filter)
        clone.source_expressions = [key, Func(value, function="JSON", output_field=JSONField())]
        return super(JSONObjectAgg, clone).as_sql(
            compiler, connection, function="JSON_GROUP_OBJECT", **extra
        )
