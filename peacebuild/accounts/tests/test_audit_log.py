import pytest
from django.urls import reverse

from peacebuild.accounts.audit import before_change, record_update, snapshot
from peacebuild.accounts.models import AuditEntry
from peacebuild.mandates.models import Document
from peacebuild.mandates.services import document_save

AUDIT = reverse("accounts:audit")


@pytest.fixture
def history(office, other_office, users):
    doc = document_save(actor=users["programme"], document=Document(office=office, title="Draft"))
    doc.title = "Final <script>x</script>"
    document_save(actor=users["head"], document=doc)
    document_save(actor=users["outsider"], document=Document(office=other_office,
                                                              title="Elsewhere"))


def test_head_sees_who_changed_what(client_for, history):
    html = client_for("head").get(AUDIT).content.decode()
    assert "programme" in html and "head" in html
    assert "Draft → Final &lt;script&gt;" in html
    assert "Elsewhere" not in html


def test_filters_narrow_the_log(client_for, history):
    html = client_for("head").get(AUDIT, {"action": "create"}).content.decode()
    assert "Draft" in html and "→" not in html
    html = client_for("head").get(AUDIT, {"actor": "nobody"}).content.decode()
    assert "No entry matches these filters" in html


def test_the_menu_offers_the_log_to_heads_only(client_for, history):
    assert AUDIT in client_for("head").get(reverse("ui:home")).content.decode()
    assert AUDIT not in client_for("viewer").get(reverse("ui:home")).content.decode()


def test_a_save_that_changes_nothing_is_not_logged(office, users):
    doc = document_save(actor=users["head"], document=Document(office=office, title="Draft"))
    logged = AuditEntry.objects.count()
    document_save(actor=users["head"], document=Document.objects.get(pk=doc.pk))
    assert record_update(actor=users["head"], instance=doc, before=snapshot(doc)) is None
    assert AuditEntry.objects.count() == logged
    doc.title = "Final"
    document_save(actor=users["head"], document=doc)
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.before["title"], entry.after["title"]) == (
        "update", "Draft", "Final")
    assert before_change(Document(office=office)) is None  # a new row has no "before"
