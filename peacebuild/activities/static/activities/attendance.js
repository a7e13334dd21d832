// The attendance grid adds up as people type, and says when the breakdown disagrees with
// the participants total. The server checks the same on save; this only helps earlier.
(function () {
  "use strict";

  function count(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function setup(table) {
    var form = table.closest("form") || document;
    var fmt = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var totalInput = document.getElementById(table.dataset.totalInput);
    var status = form.querySelector("[data-attendance-status]");
    var message = function (name) {
      var el = form.querySelector('[data-message="' + name + '"]');
      return el ? el.textContent.trim() : "";
    };
    var inputs = Array.prototype.slice.call(table.querySelectorAll("input[data-category]"));

    function update() {
      var rows = {}, columns = {}, grand = 0;
      inputs.forEach(function (input) {
        var n = count(input);
        // A row is a category (age not recorded) or one of its age groups.
        var row = input.dataset.row || input.dataset.category;
        rows[row] = (rows[row] || 0) + n;
        columns[input.dataset.sex] = (columns[input.dataset.sex] || 0) + n;
        grand += n;
      });
      table.querySelectorAll("[data-row-total]").forEach(function (out) {
        var n = rows[out.dataset.rowTotal] || 0;
        out.textContent = n ? fmt.format(n) : "";
      });
      table.querySelectorAll("[data-column-total]").forEach(function (out) {
        out.textContent = fmt.format(columns[out.dataset.columnTotal] || 0);
      });
      var grandOut = table.querySelector("[data-grand-total]");
      if (grandOut) { grandOut.textContent = fmt.format(grand); }

      if (!status) { return; }
      var raw = totalInput ? totalInput.value.trim() : "";
      var text = "", bad = false;
      if (grand > 0) {
        if (raw === "") {
          text = message("no-total").replace("{breakdown}", fmt.format(grand));
        } else if (parseInt(raw, 10) !== grand) {
          text = message("mismatch").replace("{breakdown}", fmt.format(grand))
            .replace("{total}", fmt.format(parseInt(raw, 10) || 0));
          bad = true;
        } else {
          text = message("match");
        }
      }
      status.textContent = text;
      status.classList.toggle("mismatch", bad);
      if (grandOut) { grandOut.classList.toggle("mismatch", bad); }
    }

    // "By age group" shows the age rows; rows that hold a count stay shown either way,
    // so that no number that counts is out of sight. When the page came without them,
    // they are made from the template under each category.
    var toggle = form.querySelector("[data-age-toggle]");
    var template = form.querySelector("template[data-age-rows]");
    function escape(text) {
      var el = document.createElement("span");
      el.textContent = text;
      return el.innerHTML;
    }
    function addAgeRows() {
      table.querySelectorAll("tr[data-category-row]").forEach(function (tr) {
        var html = template.innerHTML
          .split("__category__").join(tr.dataset.categoryRow)
          .split("__label__").join(escape(tr.dataset.categoryLabel));
        tr.insertAdjacentHTML("afterend", html);
      });
      template.remove();
      template = null;
      table.querySelectorAll("tr[data-age-row] input").forEach(function (input) {
        input.addEventListener("input", update);
        inputs.push(input);
      });
    }
    function showAges() {
      var on = toggle ? toggle.checked : false;
      if (on && template) { addAgeRows(); }
      table.querySelectorAll("[data-age-row]").forEach(function (tr) {
        var filled = Array.prototype.some.call(tr.querySelectorAll("input"), function (input) {
          return count(input) > 0;
        });
        tr.hidden = !(on || filled);
      });
      table.querySelectorAll("[data-age-part]").forEach(function (el) { el.hidden = !on; });
    }
    if (toggle) { toggle.addEventListener("change", showAges); }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
    if (totalInput) { totalInput.addEventListener("input", update); }
    update();
  }

  document.querySelectorAll("table[data-attendance]").forEach(setup);
})();
