"""`peacebuild report` writes the letter from the records, with progress on stderr."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx

from peacebuild.reporting.models import Report

pytestmark = pytest.mark.django_db


def test_draft_from_the_standard_text_in_every_language(office, programme, make_activity,
                                                        tmp_path, capsys):
    make_activity(starts_on=dt.date(2003, 10, 9), participants_total=345)
    call_command("report", "--office", "TST", "--period", "2003-06-01..2004-05-31",
                 "--lang", "all", "--format", "docx", "--out", str(tmp_path / "letter.docx"))
    err = capsys.readouterr().err
    assert "[7/7] tg" in err and "drafting from the standard text" in err
    assert not Report.objects.exists()  # nothing written to the database
    zh = "\n".join(p.text for p in Docx(tmp_path / "letter-zh.docx").paragraphs)
    assert "举行了 1 次政治讨论俱乐部会议" in zh


def test_html_and_bad_input(office, tmp_path, capsys):
    out = tmp_path / "letter.html"
    call_command("report", "--office", "tst", "--period", "2003-06-01..2004-05-31",
                 "--lang", "ar", "--format", "html", "--out", str(out))
    html = out.read_text()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    with pytest.raises(CommandError):
        call_command("report", "--office", "NOPE", "--period", "2003-06-01..2004-05-31",
                     "--out", str(out))
    with pytest.raises(CommandError):
        call_command("report", "--office", "TST", "--period", "2004-06-01..2003-05-31",
                     "--out", str(out))
    with pytest.raises(CommandError):
        call_command("report", "--office", "TST", "--period", "2003-06-01..2004-05-31",
                     "--lang", "de", "--out", str(out))
