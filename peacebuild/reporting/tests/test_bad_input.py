"""Odd input to the report pages: refused with a reason, never saved over something else."""

from django.urls import reverse

SECTION = "reporting:section_edit"


def _section(report):
    return report.sections.order_by("pk").first()


def test_unknown_language_is_a_400_and_saves_nothing(report, client_for):
    section = _section(report)
    before = dict(section.texts or {})
    url = reverse(SECTION, args=[report.pk, section.pk])
    response = client_for("head").post(f"{url}?lang=xx", {"text": "Overwritten"})
    assert response.status_code == 400
    assert "xx" in response.content.decode()
    section.refresh_from_db()
    assert (section.texts or {}) == before
    # The same code in the form (no ?lang) is refused too, and so is a page that shows it.
    assert client_for("head").post(url, {"text": "Overwritten", "lang": "xx"}).status_code == 400
    detail = reverse("reporting:detail", args=[report.pk])
    assert client_for("head").get(f"{detail}?lang=xx").status_code == 400
    assert client_for("head").get(f"{detail}?lang=ru").status_code == 200


def test_a_nul_byte_in_a_section_is_refused_and_said(report, client_for):
    section = _section(report)
    before = dict(section.texts or {})
    url = reverse(SECTION, args=[report.pk, section.pk])
    response = client_for("head").post(f"{url}?lang=en", {"text": "Held\x00 meetings"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Null characters are not allowed." in html
    assert 'aria-invalid="true"' in html
    section.refresh_from_db()
    assert (section.texts or {}) == before


def test_a_report_period_ending_before_it_starts_reads_well(report, client_for):
    response = client_for("head").post(reverse("reporting:create"), {
        "kind": "letter", "period_start": "2004-05-31", "period_end": "2003-06-01",
        "language": "en", "dated_on": "2004-06-01", "signatory": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The period ends before it starts." in html
    assert "Constraint" not in html
