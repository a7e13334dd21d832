"""Group members get a row of their own (the person who attends); action points say when
they were closed rather than only when they were done."""

from django.db import migrations, models


def copy_members(apps, schema_editor):
    Group = apps.get_model("partners", "Group")
    GroupMember = apps.get_model("partners", "GroupMember")
    for group in Group.objects.all():
        for organisation in group.old_members.all():
            GroupMember.objects.get_or_create(group=group, organisation=organisation)


def due_when_held(apps, schema_editor):
    # Action points become due on a day; one recorded without is due on its meeting's day.
    ActionPoint = apps.get_model("partners", "ActionPoint")
    for action in ActionPoint.objects.filter(due_on__isnull=True).select_related("meeting"):
        action.due_on = action.meeting.held_on
        action.save(update_fields=["due_on"])


def copy_members_back(apps, schema_editor):
    GroupMember = apps.get_model("partners", "GroupMember")
    for member in GroupMember.objects.all():
        member.group.old_members.add(member.organisation)


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("actionpoint", "done_on", "closed_on"),
        migrations.RenameField("group", "members", "old_members"),
        migrations.CreateModel(
            name="GroupMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("attendee", models.CharField(blank=True, help_text="Name and function, where known.",
                                              max_length=200, verbose_name="person who attends")),
                ("group", models.ForeignKey(on_delete=models.deletion.CASCADE,
                                            related_name="memberships", to="partners.group")),
                ("organisation", models.ForeignKey(on_delete=models.deletion.CASCADE,
                                                   related_name="group_memberships",
                                                   to="partners.organisation",
                                                   verbose_name="organisation")),
            ],
            options={"verbose_name": "group member", "verbose_name_plural": "group members",
                     "ordering": ["organisation__name"]},
        ),
        migrations.RunPython(copy_members, copy_members_back),
        migrations.RunPython(due_when_held, migrations.RunPython.noop),
        migrations.RemoveField("group", "old_members"),
        migrations.AddField(
            model_name="group",
            name="members",
            field=models.ManyToManyField(blank=True, related_name="groups",
                                         through="partners.GroupMember",
                                         to="partners.organisation", verbose_name="members"),
        ),
    ]
