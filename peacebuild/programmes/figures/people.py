"""Distinct people: the participant registry counted once per person.

A measure of the figures engine kept in its own module: it is answered from the raw rows
(the registry is small) and has no breakdown. `participants` sums reported totals and
counts a person once per activity; this counts each registered person once.
"""

from django.db.models import Q

from peacebuild.activities.models import Participant
from peacebuild.activities.queries import ActivityFilter, filter_activities
from peacebuild.mandates.models import Office

from .engine import Figure, FigureQuery, validate


def distinct_participants(office: Office, flt: ActivityFilter | None = None) -> Figure:
    flt = flt or ActivityFilter()
    validate(office, FigureQuery("participants", flt))
    activities = filter_activities(office, flt).values("pk")
    value = (Participant.objects.filter(Q(office=office), Q(activities__in=activities))
             .distinct().count())
    # "participants" so that the figure's label and records link behave like the others.
    return Figure("participants", value, office, flt)
