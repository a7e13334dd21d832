"""What a browser would submit: the fields of the edit form on a page, read from its HTML."""

import lxml.html

from peacebuild.ui.formpages import EDIT_VERSION


def edit_form(html: str) -> lxml.html.FormElement:
    """The page's form that carries an edit version (there is exactly one)."""
    page = lxml.html.fromstring(html)
    for template in page.xpath("//template"):  # inert: a browser sends nothing of it
        template.drop_tree()
    forms = [f for f in page.forms
             if f.xpath(f".//input[@name='{EDIT_VERSION}']")]
    assert len(forms) == 1, f"{len(forms)} edit forms on the page"
    return forms[0]


def submitted(html: str, **changes: str) -> dict[str, list[str]]:
    """The form's successful controls as a browser sends them (checked boxes only, selected
    options, text areas with CRLF line ends and without the newline that follows the tag),
    with `changes` typed over them."""
    data: dict[str, list[str]] = {}
    form = edit_form(html)
    textareas = {t.name for t in form.xpath(".//textarea")}
    for name, value in form.form_values():
        if name in textareas:
            value = value.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = [value]
    return data
