// The figure picker: a button inserts its placeholder at the cursor.
document.querySelectorAll("[data-insert]").forEach(function (button) {
  button.addEventListener("click", function () {
    var area = document.getElementById("id_text");
    area.setRangeText(button.dataset.insert, area.selectionStart, area.selectionEnd, "end");
    area.focus();
    area.dispatchEvent(new Event("input", {bubbles: true}));
  });
});
