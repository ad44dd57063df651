"""Drop the plain-text API keys of DRF's authtoken (issue 12, finding 6).

Tokens are django-rest-knox's now, stored as digests; the old table's keys no longer sign anyone in
but would still be secrets in a database dump. The app is gone from INSTALLED_APPS, so its table is
dropped here; a database that never had it is unchanged.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cx_audit", "0008_change_history")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
