from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_lease_and_chunks"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="outcome",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
