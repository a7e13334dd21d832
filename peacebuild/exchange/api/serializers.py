"""What each record looks like in the API. Writes are validated here for their shape, then
by the services for their rules; the office of a new record is the token's."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from peacebuild.activities.models import (
    MAX_PARTICIPANTS,
    Activity,
    AgeGroup,
    Centre,
    ParticipantCategory,
    Sex,
)
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, Organisation
from peacebuild.places.models import Place
from peacebuild.programmes.models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)

from .fields import OfficeRelated

SOURCED = ["source_kind", "source_document", "source_note"]


class Base(serializers.ModelSerializer):
    serializer_related_field = OfficeRelated


class OfficeSerializer(Base):
    class Meta:
        model = Office
        fields = ["id", "code", "name", "country", "seat", "established_on", "closed_on",
                  "predecessor", "successor_note", "time_zone"]
        read_only_fields = fields


class PlaceSerializer(Base):
    names = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Place
        fields = ["id", "code", "name", "names", "level", "parent"]
        read_only_fields = fields


class DocumentSerializer(Base):
    languages = serializers.ListField(child=serializers.CharField(max_length=10),
                                      required=False, max_length=20)
    file = serializers.FileField(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "symbol", "title", "kind", "dated_on", "issued_on", "original_language",
                  "languages", "file", "url", *SOURCED]


class PeriodSerializer(Base):
    class Meta:
        model = MandatePeriod
        fields = ["id", "starts_on", "ends_on", "decision", "proposed_on", "decided_on",
                  "document", "decided_by", *SOURCED]


class OrganisationSerializer(Base):
    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "kind", "country", "website", "notes", *SOURCED]


class GroupSerializer(Base):
    members: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "code", "purpose", "members", "chaired_by_office", "convener",
                  "terms_of_reference", *SOURCED]


class MeetingSerializer(Base):
    minutes = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                    required=False)

    class Meta:
        model = GroupMeeting
        fields = ["id", "group", "held_on", "venue", "summary", "attended", "agenda",
                  "minutes_language", "minutes", "decisions", *SOURCED]


class MeetingUpdateSerializer(MeetingSerializer):
    """A meeting stays in its group."""

    class Meta(MeetingSerializer.Meta):
        read_only_fields = ["group"]


class ActionPointSerializer(Base):
    class Meta:
        model = ActionPoint
        fields = ["id", "meeting", "text", "owner", "owner_user", "due_on", "status",
                  "closed_on", "evidence", "evidence_document", "drop_reason", *SOURCED]
        # Closing and reopening are their own steps on the pages, with their own rules.
        read_only_fields = ["status", "closed_on", "evidence", "evidence_document",
                            "drop_reason"]


class ActionPointUpdateSerializer(ActionPointSerializer):
    class Meta(ActionPointSerializer.Meta):
        read_only_fields = ["meeting", *ActionPointSerializer.Meta.read_only_fields]


class ProgrammeSerializer(Base):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "description", "starts_on", "ends_on", *SOURCED]
        read_only_fields = fields


class OutcomeSerializer(Base):
    class Meta:
        model = Outcome
        fields = ["id", "programme", "code", "title", "order", *SOURCED]


class OutputSerializer(Base):
    class Meta:
        model = Output
        fields = ["id", "outcome", "code", "title", "order", *SOURCED]


class IndicatorSerializer(Base):
    rule = serializers.DictField(required=False)

    class Meta:
        model = Indicator
        fields = ["id", "output", "code", "title", "unit", "kind", "direction",
                  "baseline_value", "baseline_on", "baseline_source", "rule", "order",
                  *SOURCED]


def _reparent(serializer: type[Base], parent: str) -> type[Base]:
    """The same record with its parent fixed once made (moving it is not an edit)."""
    meta = type("Meta", (serializer.Meta,), {"read_only_fields": [parent]})
    return type(f"{serializer.__name__}Update", (serializer,), {"Meta": meta})


OutcomeUpdateSerializer = _reparent(OutcomeSerializer, "programme")
OutputUpdateSerializer = _reparent(OutputSerializer, "outcome")
IndicatorUpdateSerializer = _reparent(IndicatorSerializer, "output")


class TargetSerializer(Base):
    class Meta:
        model = Target
        fields = ["id", "indicator", "period_kind", "period_key", "value", "text", *SOURCED]


class ActualSerializer(Base):
    class Meta:
        model = Actual
        fields = ["id", "indicator", "period_kind", "period_key", "value", "text",
                  "evidence_document", "evidence_note", *SOURCED]


class BenchmarkSerializer(Base):
    class Meta:
        model = Benchmark
        fields = ["id", "programme", "title", "description", "due_on", *SOURCED]


class AssessmentSerializer(Base):
    class Meta:
        model = Assessment
        fields = ["id", "benchmark", "assessed_on", "status", "evidence_note",
                  "evidence_document", "assessed_by", "assessed_by_name", *SOURCED]
        read_only_fields = ["assessed_by"]


class CentreSerializer(Base):
    class Meta:
        model = Centre
        fields = ["id", "name", "kind", "place", "partner", "programme", "opened_on",
                  "closed_on", "description", *SOURCED]


class AttendanceCellSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    count = serializers.IntegerField(min_value=1, max_value=MAX_PARTICIPANTS)


class ActivitySerializer(Base):
    attendance = AttendanceCellSerializer(
        many=True, required=False,
        help_text=_("The breakdown by category, sex and age group; when given it replaces "
                    "the whole breakdown, when left out it is kept."))
    region: Any = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = ["id", "programme", "type", "title", "description", "starts_on", "ends_on",
                  "place", "region", "centre", "partners", "meeting", "participants_total",
                  "outputs", "follow_up", "attendance", "created_at", "updated_at",
                  *SOURCED]
        read_only_fields = ["created_at", "updated_at"]

    def validate_attendance(self, cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = [(c["category"], c["sex"], c["age_group"]) for c in cells]
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError(
                _("Each cell (category, sex, age group) may be given once."))
        return cells

    def to_representation(self, instance: Activity) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["attendance"] = sorted(
            ({"category": a.category, "sex": a.sex, "age_group": a.age_group,
              "count": a.count} for a in instance.attendance.all()),
            key=lambda c: (c["category"], c["sex"], c["age_group"]))
        return data
