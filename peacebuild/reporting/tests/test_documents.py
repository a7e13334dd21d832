"""The demo's letters in seven languages: the PDF's text holds the figures and dates as
the language writes them, every glyph has an embedded Noto font, the DOCX parses back with
symbol, date and figures; next year's draft states next year's figures; and a changed
record changes the next draft, not the issued letter."""

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document as Docx

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.lib.unformat import LANGUAGES

from .conftest import squash

NB = "\u00a0"
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# What the seed letter (S/2004/331) states, as each language writes it.
EXPECT = {
    "en": ["S/2004/331", "29 April 2004", "Original: English",
           "Letter dated 23 April 2004 from the Secretary-General", "established on 1 June 2000",
           "until 1 June 2004", "held 11 meetings", "More than 1,300", "referendum of June 2003",
           "two sets of specific recommendations to parliament", "In October 2003",
           "90 people were trained", "about 200 school teachers", "four conflict-prevention",
           "one resource centre", "in April 2004 of a needs-assessment mission",
           "free and non-violent general elections in 2005", "until 1 June 2005",
           "(Signed) Kofi A. Annan"],
    "zh": ["S/2004/331", "29 April 2004", "Chinese", "Original: English",
           "2004 年 4 月 23 日秘书长给安全理事会主席的信", "于 2000 年 6 月 1 日在安理会支持下成立",
           "到 2004 年 6 月 1 日为止", "举行了 11 次政治讨论俱乐部会议", "1 300 多名官员",
           "在 2003 年 6 月立宪公民投票期间", "向议会提出了两套具体建议",
           "2003 年 10 月，联塔办事处",
           "培训了 90 名人员", "大约 200 名学校教师", "四个预防冲突和人权教育中心", "一个资源中心",
           "于 2004 年 4 月促使派出", "直至 2005 年 6 月 1 日", "科菲·安南（签名）"],
    "fr": ["S/2004/331", "29 avril 2004", "Original : anglais", "Lettre datée du 23 avril 2004",
           "créé le 1er juin 2000", "jusqu'au 1er juin 2004", "a tenu 11 réunions",
           "Plus de 1 300", "référendum constitutionnel de juin 2003", "deux séries",
           "En octobre 2003", "former 90 personnes", "environ 200 enseignants",
           "quatre centres", "un centre de ressources", "en avril 2004",
           "jusqu'au 1er juin 2005", "(Signé) Kofi A. Annan"],
    "es": ["S/2004/331", "29 de abril de 2004", "Original: inglés",
           "Carta de fecha 23 de abril de 2004", "el 1 de junio de 2000",
           "hasta el 1 de junio de 2004", "celebró 11 reuniones", "Más de 1.300",
           "referendo constitucional de junio de 2003", "dos conjuntos", "En octubre de 2003",
           "a 90 personas", "unos 200 maestros", "cuatro centros", "un centro de recursos",
           "en abril de 2004", "hasta el 1 de junio de 2005", "(Firmado) Kofi A. Annan"],
    "ru": ["S/2004/331", "29 April 2004", "Russian", "Original: English",
           "от 23 апреля 2004 года", "1 июня 2000 года было учреждено", "до 1 июня 2004 года",
           "провело 11 заседаний", "более 1 300 должностных лиц", "в июне 2003 года",
           "два пакета", "В октябре 2003 года", "прошли 90 человек",
           "около 200 школьных учителей", "четыре центра", "один ресурсный центр",
           "в апреле 2004 года", "до 1 июня 2005 года", "(Подпись) Кофи А. Аннан"],
    "ar": ["S/2004/331", "29 April 2004", "Arabic", "Original: English",
           "رسالة مؤرخة 23 نيسان/أبريل 2004", "في 1 حزيران/يونيه 2000",
           "حتى 1 حزيران/يونيه 2004", "عقد المكتب 11 اجتماعا", "أكثر من 1,300",
           "في حزيران/يونيه 2003", "بلغ عددها 2", "وفي تشرين الأول/أكتوبر 2003",
           "فيها 90 شخصا", "قرابة 200", "عددها 4", "في نيسان/أبريل 2004",
           "حتى 1 حزيران/يونيه 2005", "كوفي عنان"],
    "tg": ["S/2004/331", "29 апрели соли 2004", "Матни аслӣ: англисӣ",
           "аз 23 апрели соли 2004", "1 июни соли 2000", "то 1 июни соли 2004",
           "11 ҷаласаи клуби", "зиёда аз 1 300 нафар", "моҳи июни соли 2003", "ду маҷмӯи",
           "Дар моҳи октябри соли 2003", "90 нафар омӯзиш", "тақрибан 200 нафар", "чор маркази",
           "як маркази захиравӣ", "дар моҳи апрели соли 2004", "то 1 июни соли 2005",
           "(Имзо) Кофи А. Аннан"],
}

# pdftotext gives Arabic in visual order: punctuation moves across numbers and it drops
# alef with hamza (أ) that Naskh draws as one glyph; the PDF check uses phrases without
# them, and the DOCX check (logical order) uses the full list.
EXPECT_PDF = EXPECT | {"ar": [
    "S/2004/331", "29 April 2004", "Original: English", "رسالة مؤرخة 23 نيسان/أبريل 2004",
    "في 1 حزيران/يونيه 2000", "عقد المكتب 11 اجتماعا", "1,300 من مسؤولي", "في حزيران/يونيه",
    "فيها 90 شخصا", "قرابة 200", "عددها 4", "وفي تشرين الأول", "حتى 1 حزيران/يونيه",
    "كوفي عنان"]}

# The same template, drafted for June 2004 – May 2005, states that year's records.
EXPECT_NEXT = {
    "en": ["held 8 meetings", "More than 1,000", "more than 250 media representatives",
           "13,000 poll workers", "300 district election commissioners in all 41"],
    "zh": ["1 000 多名", "250 多名媒体代表", "13 000 名投票站工作人员", "41 个选区的 300 名"],
    "ru": ["более 1 000", "более 250", "13 000 работников", "300 членов окружных"],
}


def plain(content: dict) -> str:
    return "".join(s["text"] for sec in content["sections"] for p in sec["paragraphs"]
                   for s in p)


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
    # A sentence may run across a page break: drop the page number and the form feed.
    text = re.sub(r"\n+\d+\n+\x0c", "\n", text)
    return BIDI_MARKS.sub("", text)


def pdf_fonts(data: bytes) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
    return [line.split() for line in lines]


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils missing: run scripts/system-deps.sh")


@needs_poppler
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_states_the_figures_in_the_language(demo_letters, lang):
    text = squash(pdf_text(demo_letters["seed"][lang]["pdf"]))
    missing = [needle for needle in EXPECT_PDF[lang] if squash(needle) not in text]
    assert not missing, (lang, missing)


@needs_poppler
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_has_a_font_for_every_glyph(demo_letters, lang):
    data = demo_letters["seed"][lang]["pdf"]
    fonts = pdf_fonts(data)
    assert fonts
    for row in fonts:
        name, emb = row[0], row[-5]
        assert "Noto" in name, (lang, row)  # no DejaVu fallback: Noto covers every script
        assert emb == "yes", (lang, row)
    text = pdf_text(data)
    script = {"zh": r"[\u4e00-\u9fff]", "ar": r"[\u0600-\u06ff]", "ru": r"[А-я]",
              "tg": r"[А-яӣӯҳқҷғ]"}.get(lang, r"[A-Za-z]")
    assert len(re.findall(script, text)) > 500  # the script comes back: no empty boxes
    assert "\ufffd" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_parses_back(demo_letters, lang):
    doc = Docx(io.BytesIO(demo_letters["seed"][lang]["docx"]))
    cells = "\n".join(c.text for row in doc.tables[0].rows for c in row.cells)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "S/2004/331" in cells
    content = demo_letters["seed"][lang]["content"]
    assert content["block"][1] in cells  # the date of issue
    assert content["title"] in body
    whole = squash(cells + body)
    missing = [n for n in EXPECT[lang] if squash(n) not in whole]
    assert not missing, (lang, missing)
    if lang == "ar":  # right to left: w:bidi on the paragraphs, rtl on the runs
        xml = doc.element.xml
        assert "<w:bidi/>" in xml and "<w:rtl/>" in xml


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_version_is_marked_with_its_original(demo_letters, lang):
    content = demo_letters["seed"][lang]["content"]
    assert content["original_language"] == "en"
    assert content["symbol"] == "S/2004/331" and not content["draft"]
    assert not content["errors"]
    assert {f["name"] for f in content["figures"]} >= {
        "club_meetings", "club_participants", "trained_conflict_prevention",
        "teachers_trained", "education_centres", "resource_centres", "proposed_end"}


def test_exact_spaces_in_numbers(demo_letters):
    def body(lang):
        return "".join(s["text"] for sec in demo_letters["seed"][lang]["content"]["sections"]
                       for p in sec["paragraphs"] for s in p)
    assert f"1{NB}300 多名" in body("zh")
    assert f"более 1{NB}300" in body("ru")
    assert "Más de 1.300" in body("es")


@pytest.mark.parametrize("lang", list(EXPECT_NEXT))
def test_next_year_states_next_years_figures(demo_letters, lang):
    content = demo_letters["next"][lang]
    text = squash("".join(s["text"] for sec in content["content"]["sections"]
                          for p in sec["paragraphs"] for s in p))
    missing = [n for n in EXPECT_NEXT[lang] if squash(n) not in text]
    assert not missing, (lang, missing)
    assert content["content"]["draft"]


@pytest.mark.django_db
def test_changed_record_changes_the_draft_not_the_issued_letter():
    from peacebuild.activities.models import Activity
    from peacebuild.demo.loader import load_demo
    from peacebuild.reporting import services
    from peacebuild.reporting.models import Report
    from peacebuild.reporting.render import content_for

    office = load_demo().office
    issued = Report.objects.get(office=office, status="issued")
    before = content_for(issued, "en")
    meeting = Activity.objects.filter(office=office, type__code="discussion-club",
                                      starts_on=dt.date(2003, 6, 18)).get()
    from peacebuild.activities.services import activity_delete
    activity_delete(actor=SYSTEM, activity=meeting)

    draft = services.report_create(actor=SYSTEM, office=office, kind="letter",
                                   period_start=dt.date(2003, 6, 1),
                                   period_end=dt.date(2004, 5, 31),
                                   dated_on=dt.date(2004, 4, 23))
    text = squash(plain(content_for(draft, "en")))
    assert squash("held 10 meetings") in text and squash("More than 1,200") in text
    issued.refresh_from_db()
    assert content_for(issued, "en") == before
    assert squash("held 11 meetings") in squash(plain(before))


@pytest.mark.parametrize("lang", ["en", "zh", "ar"])
def test_pdf_carries_the_dashboard_pictures_with_the_map_credit(demo_letters, lang):
    content = demo_letters["seed"][lang]["content"]
    assert [p["key"] for p in content["pictures"]] == ["quarters", "regions"]
    assert "<svg" in content["pictures"][0]["svg"]
    text = pdf_text(demo_letters["seed"][lang]["pdf"])
    assert "2003-Q4" in text  # a bar label of the quarters chart
    assert "geoBoundaries" in text  # the boundaries' attribution under the map


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_docx_carries_the_pictures_as_images(demo_letters, lang):
    import io

    from docx import Document

    doc = Document(io.BytesIO(demo_letters["seed"][lang]["docx"]))
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(images) == 2
    assert any("geoBoundaries" in p.text for p in doc.paragraphs)


def test_pictures_write_numbers_as_the_document_does(demo_letters):
    # 2005-Q1 of the next year holds the 13,000 poll workers.
    quarters = {lang: demo_letters["next"][lang]["content"]["pictures"][0]["svg"]
                for lang in ("en", "zh", "es")}
    assert ">13,384<" in quarters["en"]
    assert ">13\u00a0384<" in quarters["zh"]
    assert ">13.384<" in quarters["es"]
