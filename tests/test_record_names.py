"""The office's own records in the reader's language: the interface shows the names of the
office, its programmes, results framework, activity types, centres and groups in the
interface language, falling back to the English name; the forms edit them and keep what
they do not change; a report names them in its own language, whatever the interface's."""

import datetime as dt
import re

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Centre
from peacebuild.activities.services import activity_create
from peacebuild.lib.names import merged_names, names_problems, pick_name
from peacebuild.mandates.models import HeadOfOffice
from peacebuild.partners.models import Group
from peacebuild.programmes.models import Indicator, Outcome, Output, Programme
from peacebuild.reporting import services as reporting
from peacebuild.reporting.catalogue import Cache
from peacebuild.reporting.content import build_content, period_of
from peacebuild.reporting.models import Report
from tests.formdata import submitted

OFFICE_ZH = "联合国塔吉克斯坦建设和平办事处"
OFFICE_RU = "Отделение Организации Объединённых Наций по миростроительству в Таджикистане"
OFFICE_FR = "Bureau des Nations Unies pour la consolidation de la paix au Tadjikistan"


@pytest.fixture
def named(office, programme, other_programme, activity_type, places):
    """Translations of some records in some languages; other_programme has none."""
    office.names = {"zh": OFFICE_ZH, "ru": OFFICE_RU, "fr": OFFICE_FR,
                    "ar": "مكتب الأمم المتحدة لبناء السلام في طاجيكستان"}
    office.short_name, office.short_names = "TST", {"zh": "联塔办事处", "ru": "ЮНТОП"}
    office.save()
    programme.names = {"zh": "对话与民族和解", "ru": "Диалог и национальное примирение",
                       "ar": "الحوار والمصالحة الوطنية",
                       "fr": "Dialogue et réconciliation nationale"}
    programme.save()
    activity_type.names = {"ru": "Заседание политического дискуссионного клуба",
                           "zh": "政治讨论俱乐部会议"}
    activity_type.save()
    outcome = Outcome.objects.create(programme=programme, code="1", title="Dialogue sustained",
                                     titles={"zh": "政治对话得以持续"})
    output = Output.objects.create(outcome=outcome, code="1.1", title="Clubs held",
                                   titles={"zh": "举行俱乐部会议"})
    indicator = Indicator.objects.create(
        output=output, code="1.1.1", title="Club meetings held", unit="meetings",
        titles={"zh": "举行的政治讨论俱乐部会议", "ar": "اجتماعات نوادي النقاش السياسي المعقودة"},
        units={"zh": "次会议"})
    activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                    title="Club meeting in Khujand", starts_on=dt.date(2004, 3, 1),
                    ends_on=dt.date(2004, 3, 1), place=places["TJ-SU"],
                    participants_total=120, language="en")
    return {"outcome": outcome, "output": output, "indicator": indicator}


def _get(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    # Names in <option>s are isolated with FSI…PDI (lib/bidi.isolate); compare the text.
    return re.sub("[\u2066-\u2069]", "", response.content.decode())


def _options(html: str, select_name: str) -> dict[str, str]:
    page = lxml.html.fromstring(html)
    return {o.get("value"): o.text_content().strip()
            for o in page.xpath(f"//select[@name='{select_name}']/option")}


# ---------------------------------------------------------------------------------------
# The rule


def test_the_name_in_the_language_asked_for_else_the_english_name():
    names = {"zh": "对话", "ru": "Диалог"}
    assert pick_name("Dialogue", names, "zh-hans") == "对话"
    assert pick_name("Dialogue", names, "ru") == "Диалог"
    assert pick_name("Dialogue", names, "fr") == "Dialogue"
    assert pick_name("Dialogue", {}, "zh-hans") == "Dialogue"
    assert pick_name("Dialogue", {"zh": ""}, "zh-hans") == "Dialogue"


def test_typed_languages_replace_the_stored_emptied_ones_go_and_the_rest_stays():
    stored = {"ru": "Диалог", "zh": "对话", "fr": "Dialogue"}
    assert merged_names(stored, {"ru": " Диалог ", "zh": "", "es": "Diálogo"}) == {
        "ru": "Диалог", "fr": "Dialogue", "es": "Diálogo"}


def test_a_translations_value_is_checked():
    assert names_problems({"ru": "Диалог", "zh": "对话"}, 200) == []
    assert names_problems(["Диалог"]) != []
    assert names_problems({"de": "Dialog"}) != []
    assert names_problems({"ru": "x\x00y"}) != []
    assert names_problems({"ru": " padded "}) != []
    assert names_problems({"ru": "я" * 201}, 200) != []
    assert names_problems({"ru": 3}) != []


# ---------------------------------------------------------------------------------------
# The pages in the interface language


def test_the_overview_in_chinese_names_the_office_in_chinese(named, client_for, office):
    HeadOfOffice.objects.create(office=office, name="Vladimir Sotirov",
                                title="Representative of the Secretary-General",
                                titles={"zh": "秘书长代表"})
    html = _get(client_for("viewer"), reverse("ui:home"), "zh-hans")
    assert "<bdi>秘书长代表</bdi>" in html
    assert f"<h1>{OFFICE_ZH}</h1>" in html
    assert "联塔办事处 — " + OFFICE_ZH in html  # the office switcher
    assert "Test Office of Peace-building" not in html


def test_the_overview_falls_back_to_the_english_name(named, client_for):
    html = _get(client_for("viewer"), reverse("ui:home"), "es")  # no Spanish name
    assert "<h1>Test Office of Peace-building</h1>" in html
    assert "TST — Test Office of Peace-building" in html


def test_the_activity_filters_offer_names_in_russian(named, client_for, programme,
                                                      other_programme, activity_type):
    html = _get(client_for("viewer"), reverse("activities:list"), "ru")
    assert _options(html, "programme")[str(programme.pk)] == "Диалог и национальное примирение"
    assert _options(html, "programme")[str(other_programme.pk)] == "Rule of law"  # fallback
    assert _options(html, "type")[str(activity_type.pk)] == \
        "Заседание политического дискуссионного клуба"
    assert "Диалог и национальное примирение</td>" in html  # the row of the list


def test_the_dashboard_in_arabic_names_programmes_and_indicators(named, client_for,
                                                                 programme):
    html = _get(client_for("viewer"), reverse("programmes:dashboard"), "ar")
    assert _options(html, "programme")[str(programme.pk)] == "الحوار والمصالحة الوطنية"
    assert "اجتماعات نوادي النقاش السياسي المعقودة" in html
    assert "Club meetings held" not in html


def test_the_programme_page_in_chinese(named, client_for, programme):
    html = _get(client_for("viewer"), reverse("programmes:programme", args=[programme.pk]),
                "zh-hans")
    page = lxml.html.fromstring(html)
    assert "对话与民族和解" in page.xpath("string(//h1)")
    assert "举行的政治讨论俱乐部会议" in html and "次会议" in html


def test_the_framework_in_chinese_with_the_english_fallback(named, client_for):
    named["output"].titles = {}
    named["output"].save()
    html = _get(client_for("viewer"), reverse("programmes:framework"), "zh-hans")
    assert "政治对话得以持续" in html  # the outcome's Chinese title
    assert "Clubs held" in html  # the output has none: its English title


def test_a_dashboard_table_downloads_with_the_names_in_the_interface_language(named,
                                                                              client_for):
    client = client_for("viewer")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("programmes:download"),
                          {"table": "indicators", "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "对话与民族和解" in text and "举行的政治讨论俱乐部会议" in text and "次会议" in text


def test_groups_and_centres_in_the_interface_language(named, client_for, office, places):
    Group.objects.create(office=office, name="Human-rights thematic group",
                         names={"ru": "Тематическая группа по правам человека"},
                         purpose="Coordinates.", purposes={"ru": "Координирует."})
    Centre.objects.create(office=office, name="Youth resource centre", kind="resource",
                          names={"ru": "Молодёжный ресурсный центр"}, place=places["TJ-DU"],
                          opened_on=dt.date(2003, 1, 1))
    client = client_for("viewer")
    groups = _get(client, reverse("partners:groups"), "ru")
    assert "Тематическая группа по правам человека" in groups and "Координирует." in groups
    centres = _get(client, reverse("activities:centres"), "ru")
    assert "Молодёжный ресурсный центр" in centres


# ---------------------------------------------------------------------------------------
# The forms


def test_an_edit_form_changes_one_language_and_keeps_the_others(named, client_for):
    outcome = named["outcome"]
    outcome.titles = {"zh": "政治对话得以持续", "ru": "Диалог продолжается"}
    outcome.save()
    client = client_for("monitoring")
    url = reverse("programmes:outcome_edit", args=[outcome.pk])
    html = client.get(url).content.decode()
    page = lxml.html.fromstring(html)
    assert page.xpath("//input[@name='titles_zh']/@value") == ["政治对话得以持续"]
    assert page.xpath("//input[@name='titles_ar']/@lang") == ["ar"]
    response = client.post(url, submitted(html, titles_fr="  Dialogue maintenu  ",
                                          titles_ru=""))
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.titles == {"zh": "政治对话得以持续", "fr": "Dialogue maintenu"}
    assert outcome.title == "Dialogue sustained"


@pytest.mark.parametrize("typed", ["x" * 301, "bad\x00name"])
def test_an_edit_form_refuses_a_bad_translation_and_saves_nothing(named, client_for, typed):
    indicator = named["indicator"]
    client = client_for("monitoring")
    url = reverse("programmes:indicator_edit", args=[indicator.pk])
    html = client.get(url).content.decode()
    response = client.post(url, submitted(html, titles_ru=typed, title="Changed"))
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.title == "Club meetings held" and "ru" not in indicator.titles


def test_a_service_refuses_translations_in_an_unknown_language(named):
    from django.core.exceptions import ValidationError

    from peacebuild.programmes import services
    outcome = named["outcome"]
    outcome.titles = {"de": "Dialog"}
    with pytest.raises(ValidationError) as error:
        services.outcome_save(actor=SYSTEM, outcome=outcome)
    assert "titles" in error.value.message_dict
    outcome.refresh_from_db()
    assert outcome.titles == {"zh": "政治对话得以持续"}


# ---------------------------------------------------------------------------------------
# Free text keeps its language


def test_a_new_activity_records_the_interface_language_and_the_page_says_so(
        named, client_for, programme, activity_type):
    client = client_for("programme")
    client.cookies["django_language"] = "zh-hans"
    response = client.post(reverse("activities:create"), {
        "programme": programme.pk, "type": activity_type.pk, "title": "苦盏的俱乐部会议",
        "starts_on": "2004-03-02", "ends_on": "2004-03-02"})
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="苦盏的俱乐部会议")
    assert activity.language == "zh-hans"
    html = _get(client, reverse("activities:detail", args=[activity.pk]), "en")
    assert '<h1 lang="zh-hans"><bdi>苦盏的俱乐部会议</bdi></h1>' in html
    assert "Chinese" in html


# ---------------------------------------------------------------------------------------
# Reports in the document's language


def test_a_report_in_french_names_the_programme_in_french_while_the_interface_is_english(
        named, office, programme, other_programme):
    report = reporting.report_create(actor=SYSTEM, office=office, kind=Report.Kind.PROGRESS,
                                     period_start=dt.date(2003, 6, 1),
                                     period_end=dt.date(2004, 5, 31))
    with translation.override("en"):
        content = build_content(report, list(report.sections.order_by("position")), "fr",
                                Cache(period_of(report)))
    headings = [s["heading"] for s in content["sections"] if s["heading"]]
    assert "Dialogue et réconciliation nationale" in headings
    assert "État de droit" in headings  # no French name: the standard French heading
    assert OFFICE_FR in content["title"]


def test_a_report_in_english_keeps_the_records_english_names(named, office, programme):
    Programme.objects.create(office=office, code="mediation", name="Mediation",
                             names={"fr": "Médiation"})
    report = reporting.report_create(actor=SYSTEM, office=office, kind=Report.Kind.PROGRESS,
                                     period_start=dt.date(2003, 6, 1),
                                     period_end=dt.date(2004, 5, 31))
    with translation.override("fr"):  # the interface's language does not leak in
        content = build_content(report, list(report.sections.order_by("position")), "en",
                                Cache(period_of(report)))
    headings = [s["heading"] for s in content["sections"] if s["heading"]]
    assert "Mediation" in headings and "Médiation" not in headings
    assert "Test Office of Peace-building" in content["title"]
