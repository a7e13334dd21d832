"""Writing a report's content (see content.py) as HTML, PDF (WeasyPrint) or DOCX
(python-docx), in the layout of a UN document: symbol and distribution block at the top
right, title, body, signature, and optionally an annex listing every figure.

Narrative is plain text everywhere: HTML escapes it (Django templates), DOCX and PDF
write it as text runs. Arabic is set right to left in all three.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .catalogue import Cache
from .content import build_content, period_of
from .models import Report

CSS_PATH = Path(__file__).parent / "static" / "reporting" / "document.css"
Progress = Callable[[int, str], None]

# Fonts embedded in DOCX styles (Word falls back where they are missing); the PDF's
# fonts are in document.css.
DOCX_FONTS = {"ascii": "Times New Roman", "eastAsia": "Noto Serif CJK SC",
              "cs": "Noto Naskh Arabic"}


def content_for(report: Report, language: str, cache: Cache | None = None) -> dict[str, Any]:
    """The issued content when the report is issued (frozen), else the live draft."""
    if report.status == Report.Status.ISSUED:
        return report.issued.content[language]
    sections = list(report.sections.select_related("programme"))
    return build_content(report, sections, language, cache or Cache(period_of(report)))


def render_html(content: dict[str, Any], *, annex: bool = True, links: bool = True,
                base_url: str = "") -> str:
    return render_to_string("reporting/document.html", {
        "c": content, "annex": annex, "links": links, "base_url": base_url,
        "css": CSS_PATH.read_text(encoding="utf-8"),
    })


def render_pdf(content: dict[str, Any], *, annex: bool = True) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    html = render_html(content, annex=annex, links=False)
    return HTML(string=html, base_url=str(CSS_PATH.parent)).write_pdf()


def render(content: dict[str, Any], fmt: str, *, annex: bool = True) -> bytes:
    if fmt == "pdf":
        return render_pdf(content, annex=annex)
    if fmt == "docx":
        return render_docx(content, annex=annex)
    if fmt == "html":
        return render_html(content, annex=annex).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------------------------------
# DOCX


def render_docx(content: dict[str, Any], *, annex: bool = True) -> bytes:
    rtl = content["rtl"]
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    _fonts(normal.element.get_or_add_rPr())

    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(head.cell(0, 0), content["un"], size=12, rtl=rtl)
    _cell(head.cell(0, 1), content["symbol"], size=16, bold=True,
          align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(head.cell(1, 0), content["organ"], size=14, bold=True, rtl=rtl)
    block = head.cell(1, 1)
    block.paragraphs[0].text = ""
    for i, line in enumerate(x for x in content["block"] if x):
        p = block.paragraphs[0] if i == 0 else block.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.add_run(line).font.size = Pt(10)

    doc.add_paragraph()
    title = _para(doc, rtl, align=WD_ALIGN_PARAGRAPH.CENTER)
    run = _run(title, content["title"], rtl)
    run.bold, run.font.size = True, Pt(13)
    doc.add_paragraph()
    for sec in content["sections"]:
        if not sec["paragraphs"]:
            continue
        if sec["heading"]:
            _run(_para(doc, rtl), sec["heading"], rtl).bold = True
        for para in sec["paragraphs"]:
            p = _para(doc, rtl, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.paragraph_format.first_line_indent = Cm(1.0)
            p.paragraph_format.space_after = Pt(6)
            for seg in para:
                run = _run(p, seg.get("text", ""), rtl)
                if seg.get("error"):
                    run.font.highlight_color = 7  # yellow: an error is never printed silently
    if content["signature"]:
        doc.add_paragraph()
        _run(_para(doc, rtl, align=WD_ALIGN_PARAGRAPH.LEFT if rtl else
                   WD_ALIGN_PARAGRAPH.RIGHT), content["signature"], rtl).italic = True
    if annex and content["figures"]:
        doc.add_page_break()
        _run(_para(doc, rtl), content["annex_title"], rtl).bold = True
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, content["annex_columns"], strict=False):
            _cell(cell, label, bold=True, size=9, rtl=rtl)
        for fig in content["figures"]:
            cells = table.add_row().cells
            _cell(cells[0], fig["name"], size=9)
            _cell(cells[1], fig["definition"], size=9)
            _cell(cells[2], fig["text"], size=9, rtl=rtl)
    if annex and content.get("pictures"):
        doc.add_page_break()
        _run(_para(doc, rtl), content["pictures_title"], rtl).bold = True
        for picture in content["pictures"]:
            doc.add_picture(io.BytesIO(svg_to_png(picture["svg"])), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(_para(doc, rtl, align=WD_ALIGN_PARAGRAPH.CENTER), picture["title"], rtl)
            if picture.get("credit"):
                _run(_para(doc, False, align=WD_ALIGN_PARAGRAPH.CENTER), picture["credit"],
                     False).font.size = Pt(8)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def svg_to_png(svg: str, width: int = 1600) -> bytes:
    """A picture for Word, which takes raster images only (CairoSVG, fonts from
    fontconfig: the Noto fonts of the set-up)."""
    import cairosvg  # imported late: it loads Cairo

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)


def _fonts(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), DOCX_FONTS["ascii"])
    fonts.set(qn("w:hAnsi"), DOCX_FONTS["ascii"])
    fonts.set(qn("w:eastAsia"), DOCX_FONTS["eastAsia"])
    fonts.set(qn("w:cs"), DOCX_FONTS["cs"])


# The elements that follow w:bidi in a paragraph's properties (ECMA-376 order).
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
               "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
               "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _para(doc: Any, rtl: bool, align: Any = None) -> Any:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if rtl:
        _bidi(p)
    return p


def _bidi(p: Any) -> None:
    """python-docx has no API for right-to-left paragraphs: w:bidi goes after w:pStyle and
    before w:jc."""
    ppr = p._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _run(p: Any, text: str, rtl: bool) -> Any:
    run = p.add_run(text)
    if rtl:
        rpr = run._r.get_or_add_rPr()
        rpr.append(OxmlElement("w:rtl"))
        lang = OxmlElement("w:lang")
        lang.set(qn("w:bidi"), "ar-SA")
        rpr.append(lang)
    return run


def _cell(cell: Any, text: str, *, size: int = 10, bold: bool = False, align: Any = None,
          rtl: bool = False) -> None:
    p = cell.paragraphs[0]
    if align is not None:
        p.alignment = align
    if rtl:
        _bidi(p)
    run = _run(p, text, rtl)
    run.bold = bold
    run.font.size = Pt(size)
