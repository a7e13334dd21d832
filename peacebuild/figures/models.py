"""The summary tables ("cubes") behind the figures engine.

They hold derived data only, are kept exact on every write by `figures.cubes`, and can be
rebuilt from the raw rows at any time. Keys are plain integers (0 = none) rather than
foreign keys: a NULL in a unique key would defeat the upsert, and derived rows must never
block a delete. The one exception is the office, which is never empty: its rows go with it
(`on_delete=CASCADE`), so deleting an office by any door leaves no rows behind and no code
below the figures has to remember to clean them up.
"""

from django.db import models


class CubeKey(models.Model):
    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="+", db_column="office",
        db_index=False,  # the unique key starts with the office
    )
    programme = models.IntegerField()
    type = models.IntegerField()
    region = models.IntegerField()
    month = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id}/{self.programme}/{self.type}/{self.region}/{self.month:%Y-%m}"


class ActivityCube(CubeKey):
    """Activities and reported participants per office × programme × type × region × month."""

    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month"],
                name="activitycube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="activitycube_month_idx")]


class CategoryCube(CubeKey):
    """Attendance per office × programme × type × region × month × category × sex."""

    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month", "category", "sex"],
                name="categorycube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="categorycube_month_idx")]


class AgeCube(CubeKey):
    """Attendance per office × programme × type × region × month × age group × sex."""

    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month", "age_group", "sex"],
                name="agecube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="agecube_month_idx")]


class ProgrammeMonthKey(models.Model):
    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="+", db_column="office",
        db_index=False,
    )
    programme = models.IntegerField()
    month = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id}/{self.programme}/{self.month:%Y-%m}"


class CategoryLiteCube(ProgrammeMonthKey):
    """Attendance per office × programme × month × category × sex: the small cube that
    answers dashboards, which filter by period and programme only."""

    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "month", "category", "sex"],
                name="categorylitecube_key",
            ),
        ]


class AgeLiteCube(ProgrammeMonthKey):
    """Attendance per office × programme × month × age group × sex."""

    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "month", "age_group", "sex"],
                name="agelitecube_key",
            ),
        ]


class CellLiteCube(ProgrammeMonthKey):
    """Attendance per office × programme × month × category × age group × sex: the one
    table that holds a participant category and an age group together ("attendance by
    age group of teachers"). Larger per month than the two lite cubes above (up to 180
    cells), so the engine takes it only when a figure needs both."""

    category = models.CharField(max_length=30)
    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "month", "category", "age_group", "sex"],
                name="celllitecube_key",
            ),
        ]


class AttendeeCube(CubeKey):
    """Activities, and the participants reported for them, per office × who took part ×
    programme × type × region × month: "activities attended by women" (`who` = "f"), "by
    teachers" ("teacher"), "by women teachers" ("teacher/f"). An activity counts once
    under every sex, category and category/sex among its attendance."""

    who = models.CharField(max_length=40)
    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "who", "programme", "type", "region", "month"],
                name="attendeecube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "who", "month"],
                                name="attendeecube_month_idx")]


class PartnerCube(CubeKey):
    """Activities and reported participants per office × partner organisation × programme
    × type × region × month (an activity counts once under each of its partners)."""

    partner = models.IntegerField()
    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "partner", "programme", "type", "region", "month"],
                name="partnercube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "partner", "month"],
                                name="partnercube_month_idx")]


class PartnerAgeCube(CubeKey):
    """Attendance per office × partner organisation × programme × type × region × month ×
    age group × sex (the attendance of each of an activity's partners): the people a
    partner's activities reached by type, region or age group. A partner's attendance by
    category with a type or region, and the cut edges of its windows, come from the raw
    rows."""

    partner = models.IntegerField()
    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # the month right after the partner: the key also serves a partner's months
            # (one index to keep on writes, where the other tables have a second)
            models.UniqueConstraint(
                fields=["office", "partner", "month", "programme", "type", "region",
                        "age_group", "sex"],
                name="partneragecube_key",
            ),
        ]


class PartnerCellCube(ProgrammeMonthKey):
    """Attendance per office × partner organisation × programme × month × category × sex
    (the attendance of each of an activity's partners): "women in a partner's
    activities", the people a partner's activities reached by category. At most 36 rows a
    partner, programme and month, however many activities; by type, region or age group:
    `PartnerAgeCube`; the cut edges of a partner's window come from the raw rows."""

    partner = models.IntegerField()
    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "partner", "programme", "month", "category", "sex"],
                name="partnercellcube_key",
            ),
        ]


class DayKey(models.Model):
    """The keys every full day-level table starts with (the day counterpart of
    `CubeKey`): office × day × programme × type × region."""

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="+", db_column="office",
        db_index=False,  # the unique key starts with the office
    )
    day = models.DateField()
    programme = models.IntegerField()
    type = models.IntegerField()
    region = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id}/{self.day}/{self.programme}/{self.type}/{self.region}"


class DayActivityCube(DayKey):
    """Activities and reported participants per office × day × programme × type × region ×
    who took part: the day-level table that answers the cut months at the edges of a
    window ("15 June – 23 April"). `who_bits` is the set of (participant category, sex)
    pairs among the activity's attendance, one bit each (`cubes.WHO_PAIRS`): "attended by
    women" is `who_bits & <the pairs of women> != 0`, so one row per activity-like key
    answers every who-took-part filter and the plain counts (the sum over all rows)."""

    who_bits = models.BigIntegerField()
    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "programme", "type", "region", "who_bits"],
                name="dayactivitycube_key",
            ),
        ]


class DayCellCube(DayKey):
    """Attendance per office × day × programme × type × region × category × age group ×
    sex: the edges of a window for the attendance measure, whatever its breakdown."""

    category = models.CharField(max_length=30)
    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "programme", "type", "region", "category",
                        "age_group", "sex"],
                name="daycellcube_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.day}/{self.programme}/{self.category}/{self.sex}"


class DayLiteKey(models.Model):
    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="+", db_column="office",
        db_index=False,
    )
    day = models.DateField()
    programme = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id}/{self.day}/{self.programme}"


class DayCategoryLiteCube(DayLiteKey):
    """Attendance per office × day × programme × category × sex: the edges of a window
    for dashboards, which filter by period and programme only (at most 36 rows a
    programme and day, however many activities)."""

    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "programme", "category", "sex"],
                                    name="daycategorylitecube_key"),
        ]


class DayAgeLiteCube(DayLiteKey):
    """Attendance per office × day × programme × age group × sex (at most 15 rows a
    programme and day)."""

    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "programme", "age_group", "sex"],
                                    name="dayagelitecube_key"),
        ]


class DayPartnerCube(DayKey):
    """Activities and reported participants per office × partner organisation × day ×
    programme × type × region × who took part (an activity counts once under each of its
    partners): the cut months at the edges of a partner's window, which `PartnerCube` (by
    month) cannot answer; a partner's activities with who took part ("a partner's
    activities attended by women"), over any window, from `who_bits` as in
    `DayActivityCube`; and the rows `PartnerCube` is summed from on a rebuild. About one
    row per link of an activity to a partner; its key starts with the partner, so one
    partner's days are one range of it."""

    partner = models.IntegerField()
    who_bits = models.BigIntegerField(default=0)
    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "partner", "day", "programme", "type", "region",
                        "who_bits"],
                name="daypartnercube_who_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.partner}/{self.day}/{self.programme}"
