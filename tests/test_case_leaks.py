"""No path the project knows of shows identifying case data to anyone outside the case
team, and a case's existence changes nothing they see.

One case is recorded through the services with a distinctive value in every sealed field
(names, contacts, ID numbers, free texts, an attachment's name, description and content).
Then, for every role outside its team — a viewer, a programme and an M&E officer, the head
of office without break-glass, a human-rights officer of another team, a superuser, the
head of another office, and someone not signed in — every URL of the project's URL conf
(walked from the resolver, so pages added later are covered) is fetched with its ids filled
with the case's records' ids and with ordinary records' ids, every page without ids also
with each identifying value as its search query, every API endpoint with that role's
token, the admin's changelists of every registered model (with a search), a 404 and the
500 page. No identifying value may appear in any response, in any log line, in any table
of the database (read raw, below the sealed fields) or in any file Peacebuild wrote; and
the pages without ids, the searches and the API lists read the same as before the case
existed (the head of office's anonymised summaries excepted: they are meant to count it).
"""

import datetime as dt
import logging
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login_verified, make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import services
from peacebuild.casework.models import (
    Act,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)

from .api_helpers import ApiClient, build_world, key_for
from .test_fuzz import OBJECTS, _case_of

# Distinctive values: none of them occurs in Peacebuild by chance.
VALUES = {
    "title": "Qarorgoh Zulfiyabonu detention",
    "description": "Held in the Vakhsh annex by Shodmonbek",
    "name": "Gulnorahon Ismoilzoda",
    "other_names": "Gulya Kalonzoda",
    "contact": "992935550177",
    "id_number": "A77X00123Q",
    "notes": "Lives behind the Khujand Navruz bazaar",
    "victim": "Bakhtovar Rahimqulov",
    "perpetrator": "Colonel Safarbekzoda",
    "place": "Kurgonteppa district cell nine",
    "consequences": "Broken wrist Dilbarxon",
    "involvement": "Gave the order Tursunzod",
    "content": "Saw Parvizjon taken at dawn",
    "consent": "Only if Mehrangez agrees",
    "request": "Release Zarrinamoh now",
    "response": "Minister Nurullozoda declined",
    "task": "Visit Firdavsjon again",
    "file_name": "Statement of Sitorabonu",
    "file_description": "Signed Oqilbekov",
    "file_content": "Testimony of Umedjon Khairulloev",
}
# Each page without ids is searched once with identifying values in every usual search
# parameter, and once with texts that match nothing; the two must read the same once the
# page's echo of its own query is swapped.
SEARCH = {"q": VALUES["name"], "search": VALUES["title"], "text": VALUES["id_number"],
          "name": VALUES["file_name"]}
NOWHERE = {"q": "Xqzvjw Pmtrlk", "search": "Wbnfq Jxzrtv", "text": "Z99Q88Y77", "name": "Vkpqz"}
OUTSIDERS = ["viewer", "programme", "monitoring", "head", "other_team", "root", "outsider",
             "anonymous"]
# The roles whose pages must read the same with and without the case: everyone outside
# its team but the head of office, who is meant to see anonymised summaries of every case.
# (Three of them: the others hold fewer rights than these; the sweep keeps the test fast.)
UNCHANGED = ["viewer", "other_team", "root"]
# Searches: each role that reads the most of the office, the pages' and the API's.
SEARCHERS = ["head", "other_team", "root"]
# Pages that change between two visits for reasons of their own: when each API token was
# last used (the test's API requests use them); the case trail, which shows the head of
# office every access as it happens, its own reading of it included (ids and actions,
# never values: the sweep checks it for values like every page); the health check, which
# counts the workers beating at that moment (nothing of any record).
CHANGING = {"tokens:list", "casework:trail", "deploy:health"}
EXEMPT_NAMES = {"logout", "set_language"}  # signing out would end the client's session


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001  (a record that does not format is not a leak)
            self.lines.append(str(record.msg))


def _patterns(patterns: Any = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the admin: its changelists below
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name and p.name not in EXEMPT_NAMES:
            yield f"{namespace}{p.name}", p


def _params(pattern: URLPattern) -> list[str]:
    """The URL's parameters, whether it is a path() or a regular expression (the API)."""
    return list(pattern.pattern.regex.groupindex)


# The API's format-suffix variants (".json") are the same views.
URLS = {n: p for n, p in _patterns() if "format" not in _params(p)}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The office, its ordinary records and users (made once, rolled back after the
    module), the pages before the case exists, then the case."""
    from django.conf import settings

    old_files = settings.CASE_FILES_DIR
    settings.CASE_FILES_DIR = tmp_path_factory.mktemp("case-files")
    log = Collect()
    logging.getLogger().addHandler(log)
    # Refusals (403, 404) name only the URL asked for; errors are still collected.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.ERROR
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        office = built["objects"]["office"]
        users = built["users"]
        users["root"] = make_user("root", office, Role.VIEWER)
        users["root"].is_superuser = users["root"].is_staff = True
        users["root"].save()
        # The office's human-rights officer belongs to another team, with a case of its own.
        other = CaseTeam.objects.create(office=office, name="Khatlon")
        CaseTeamMember.objects.create(team=other, user=users["human_rights"], can_write=True)
        services.event_save(actor=SYSTEM, event=Event(office=office, team=other,
                                                      title="An ordinary other case"))
        users["other_team"] = users["human_rights"]
        # The case's team and its officer exist before (they are not the case).
        officer = make_user("hr_team", office, Role.HUMAN_RIGHTS)
        CaseTeamMember.objects.create(team=CaseTeam.objects.create(office=office, name="Sughd"),
                                      user=officer, can_write=True)
        clients = {name: _client(users.get(name)) for name in OUTSIDERS}
        tokens = {name: ApiClient(built["keys"].get((key, "read")))
                  for name, key in [("viewer", "viewer"), ("programme", "programme"),
                                    ("monitoring", "monitoring"), ("head", "head"),
                                    ("other_team", "human_rights"), ("outsider", "outsider"),
                                    ("anonymous", "anonymous")]}
        tokens["root"] = ApiClient(key_for(users["root"], office, "read"))
        world = {"office": office, "objects": built["objects"], "users": users,
                 "clients": clients, "tokens": tokens, "log": log}
        world["before"] = _unchanging(world)
        world["case"] = _case(office, built["objects"]["partner"], officer)
        yield world
        transaction.set_rollback(True)
    logging.getLogger().removeHandler(log)
    request_log.level = level
    settings.CASE_FILES_DIR = old_files


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


def _case(office: Any, authority: Any, officer: Any) -> dict[str, Any]:
    """The case, through the services, by a writing member of its team."""
    team = officer.case_teams.get().team
    v = VALUES
    event = services.event_save(actor=officer, event=Event(
        office=office, team=team, title=v["title"], description=v["description"],
        started_on=dt.date(2004, 3, 12)))
    person = services.person_save(actor=officer, person=Person(
        office=office, team=team, name=v["name"], other_names=v["other_names"],
        contact=v["contact"], id_number=v["id_number"], notes=v["notes"]))
    victim = services.person_save(actor=officer, person=Person(office=office, team=team,
                                                               name=v["victim"]))
    perpetrator = services.person_save(actor=officer, person=Person(
        office=office, team=team, name=v["perpetrator"]))
    act = services.act_save(actor=officer, act=Act(
        event=event, violation="detention", victim=victim, happened_on=dt.date(2004, 3, 12),
        place=v["place"], consequences=v["consequences"]))
    involvement = services.involvement_save(actor=officer, involvement=Involvement(
        act=act, perpetrator=perpetrator, degree="ordered", notes=v["involvement"]))
    information = services.information_save(actor=officer, information=Information(
        event=event, source=person, received_on=dt.date(2004, 3, 14), content=v["content"],
        consent_to_use=True, consent_notes=v["consent"]))
    intervention = services.intervention_save(actor=officer, intervention=Intervention(
        event=event, made_on=dt.date(2004, 3, 15), authority=authority, channel="letter",
        request=v["request"], response=v["response"], follow_up_due=dt.date(2004, 3, 29)))
    follow_up = services.follow_up_save(actor=officer, follow_up=FollowUp(
        event=event, intervention=intervention, due_on=dt.date(2004, 4, 1), assignee=officer,
        task=v["task"]))
    attachment = services.attachment_add(
        actor=officer, event=event, information=information, name=v["file_name"] + ".txt",
        description=v["file_description"], content=v["file_content"].encode())
    export, _passphrase = services.export_make(actor=officer, office=office,
                                               event_ids=[event.pk],
                                               purpose="For the court hearing.",
                                               with_attachments=True)
    records = [event, person, victim, perpetrator, act, involvement, information,
               intervention, follow_up, attachment, export]
    return {"event": event, "attachment": attachment,
            "ids": sorted({r.pk for r in records})}


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace")


def _found(text: str) -> list[str]:
    folded = text.casefold()
    return [k for k, v in VALUES.items() if v.casefold() in folded]


# What varies between two requests for reasons other than data: tokens and nonces.
VOLATILE = re.compile(r'(csrfmiddlewaretoken" value=|nonce=|csrf[-_]token" content=|'
                      r'"X-CSRFToken": )"[^"]*"')


# A message left by one page shows on the next one fetched, whichever that is.
MESSAGES = re.compile(r'<ul class="messages" role="status">.*?</ul>', re.S)


def _normal(text: str) -> str:
    return MESSAGES.sub("", VOLATILE.sub(r'\1""', text))


def _plain_urls() -> list[str]:
    return sorted(n for n, p in URLS.items() if not _params(p))


def _fetch_plain(world: dict[str, Any], role: str) -> dict[str, str]:
    out = {}
    for name in _plain_urls():
        response = _get(world, role, name, reverse(name))
        if response is not None:
            out[name] = _body(response)
    return out


def _unchanging(world: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Before the case: each role's pages without ids."""
    return {role: _fetch_plain(world, role) for role in UNCHANGED}


def _kwargs_to_try(world: dict[str, Any], name: str, pattern: URLPattern
                   ) -> list[dict[str, int]]:
    """Ids for the URL: the ordinary record it is about (as the fuzzing finds it), and for
    the case pages and the API each of the case's records' ids."""
    params = _params(pattern)
    case = world["case"]
    tries: list[dict[str, int]] = []
    finder = OBJECTS.get(name)
    obj = finder(world["office"]).order_by("pk").first() if finder else None
    if obj is not None:
        kwargs = {"pk": obj.pk}
        if "section_pk" in params:
            section = obj.sections.order_by("pk").first()
            kwargs["section_pk"] = section.pk if section else 1
        if "item" in params:  # a case's record: the case, then the record
            kwargs = {"pk": _case_of(obj), "item": obj.pk}
        if "file" in params:
            kwargs = {"pk": case["event"].pk, "file": case["attachment"].pk}
        tries.append(kwargs)
    api_object = world["objects"].get(name.removeprefix("api:").removesuffix("-detail"))
    if name.startswith("api:") and api_object is not None and params == ["pk"]:
        tries.append({"pk": api_object.pk})
    if name.startswith(("casework:", "api:")) or obj is None:
        # One id: each of the case's records' ids. Two: the case, then each record's id.
        for pk in case["ids"]:
            if len(params) == 1:
                tries.append({params[0]: pk})
            else:
                tries.append({p: (case["event"].pk if p == "pk" else pk) for p in params})
    return tries


def _get(world: dict[str, Any], role: str, name: str, url: str, data: Any = None) -> Any:
    if name.startswith("api:"):
        token = world["tokens"].get(role)
        return token.get(url, data) if token is not None else None
    return world["clients"][role].get(url, data)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_page_or_endpoint_shows_identifying_case_data(role, world, db):
    leaks: list[tuple[str, int, list[str]]] = []
    for name, pattern in URLS.items():
        if not _params(pattern):
            urls = [reverse(name)]
        else:
            urls = [reverse(name, kwargs=k) for k in _kwargs_to_try(world, name, pattern)]
        for url in urls:
            response = _get(world, role, name, url)
            if response is not None and (found := _found(_body(response))):
                leaks.append((url, response.status_code, found))
    assert not leaks, leaks


def _swap(text: str, old: str, new: str) -> str:
    quote, plus = urllib.parse.quote, urllib.parse.quote_plus
    for encode in (lambda v: v, quote, plus, lambda v: quote(plus(v), safe="")):
        text = text.replace(encode(old), encode(new))
    return text


SEARCHED = ["name", "title", "id_number", "file_name"]


@pytest.mark.parametrize("role", SEARCHERS)
def test_searches_find_nothing_of_the_case(role, world, db):
    """Every page without ids and every API list, searched for identifying values, reads
    as when searched for texts that match nothing (a page may echo its query)."""
    differ: list[str] = []
    for name in _plain_urls():
        url = reverse(name)
        if name in CHANGING:
            continue
        nothing = _get(world, role, name, url, NOWHERE)
        if nothing is None:
            continue
        text = _body(_get(world, role, name, url, SEARCH))
        for key, value in SEARCH.items():
            text = _swap(text, value, NOWHERE[key])
        if _normal(text) != _normal(_body(nothing)) or _found(text):
            differ.append(url)
    assert not differ, differ


@pytest.mark.parametrize("role", UNCHANGED)
def test_pages_read_the_same_as_before_the_case(role, world, db):
    before, now = world["before"][role], _fetch_plain(world, role)
    changed = [n for n in now if _normal(now[n]) != _normal(before.get(n, ""))
               and n not in CHANGING]
    assert not changed, changed


def test_admin_error_pages_and_logs_show_nothing(world, db):
    pages = [reverse("admin:index"), "/no-such-page/", f"/cases/{10**9}/files/"]
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}"
                             "_changelist")
        pages += [changelist, f"{changelist}?q={urllib.parse.quote(VALUES['name'])}"]
    for role in OUTSIDERS:
        client = world["clients"][role]
        for page in pages if role in ("root", "head") else pages[1:3]:
            response = client.get(page)
            assert response.status_code < 500, (role, page)
            # The changelist's search box holds the query it was given.
            text = _swap(_body(response), VALUES["name"], NOWHERE["q"])
            assert not _found(text), (role, page)
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get(f"/cases/{world['case']['event'].pk}/files/")
    request.user = world["users"]["root"]
    assert not _found(_body(handler(request)))
    assert not [line for line in world["log"].lines if _found(line)]


def test_the_database_and_the_files_hold_no_plaintext(world, db):
    from django.conf import settings

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(bytes(v).decode("utf-8", "replace")
                                if isinstance(v, bytes | memoryview) else str(v) for v in row)
                if hits := _found(text):
                    found.append((table, hits))
    assert not found, found
    files = [p for p in settings.CASE_FILES_DIR.rglob("*") if p.is_file()]
    assert len(files) == 2  # the attachment and the export archive
    for path in files:
        assert not _found(path.read_bytes().decode("latin-1")), path
    # The case team does read it all back: the values were really there to be found.
    case = world["case"]
    assert Event.objects.get(pk=case["event"].pk).title == VALUES["title"]


