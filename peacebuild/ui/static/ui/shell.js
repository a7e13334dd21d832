// The shell's behaviour, kept out of the pages so that the content security policy can
// forbid inline scripts: the office and language switchers submit when changed.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-autosubmit]")) {
    select.form.submit();
  }
});
