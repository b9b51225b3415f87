"""On PostgreSQL (production) the audit log is append-only in the database too: a row-level trigger refuses
every DELETE and every UPDATE except the one Django makes when a user is deleted (``user_id`` set to NULL,
the name kept in ``username``). Raw SQL from the application or an operator's script is refused like the ORM.
TRUNCATE (the test runner's flush) is not a row event and is not refused. SQLite (the demo) keeps the ORM's
refusal only: its flush deletes rows one table at a time, which a trigger cannot tell from an attack."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION itog_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
       AND (NEW.id, NEW.kind, NEW.at, NEW.username, NEW.ip, NEW.user_agent, NEW.region_path, NEW.description,
            NEW.details::text)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.kind, OLD.at, OLD.username, OLD.ip, OLD.user_agent, OLD.region_path, OLD.description,
            OLD.details::text)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'События журнала аудита не изменяются и не удаляются' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION itog_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS itog_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_event_kind_pd_removed"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
