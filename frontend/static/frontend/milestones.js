// Milestone schedule editor (frontend/includes/milestones.html): add and remove rows of a Django
// formset and show the running sum next to the total price. Without JavaScript the form still
// works with the rows the server rendered.
(function () {
  "use strict";

  function setUp(fieldset) {
    var prefix = fieldset.dataset.prefix;
    var list = fieldset.querySelector("[data-milestones-list]");
    var template = fieldset.querySelector("[data-milestone-template]");
    var totalForms = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var maxForms = parseInt(fieldset.querySelector("#id_" + prefix + "-MAX_NUM_FORMS").value, 10);
    var sumLine = fieldset.querySelector("[data-milestone-sum]");
    var totalField = fieldset.dataset.totalField ? document.getElementById(fieldset.dataset.totalField) : null;
    var addButton = fieldset.querySelector("[data-milestone-add]");

    function liveRows() {
      return Array.prototype.filter.call(list.querySelectorAll("[data-milestone-row]"), function (row) {
        return !row.hidden;
      });
    }

    function refresh() {
      var sum = 0;
      var rows = liveRows();
      rows.forEach(function (row) {
        var value = parseFloat(row.querySelector("input[name$='-amount']").value);
        if (!isNaN(value)) { sum += value; }
      });
      var text = "Milestones add up to " + sum.toFixed(2) + " " + fieldset.dataset.currency;
      if (totalField && totalField.value !== "") {
        var total = parseFloat(totalField.value);
        text += Math.abs(total - sum) < 0.0001 ? " — matches the total." : " — the total is " + total.toFixed(2) + ".";
      }
      sumLine.textContent = text;
      // a lone row has no "Remove": removing it would leave no schedule
      rows.forEach(function (row) {
        row.querySelector("[data-milestone-remove]").hidden = rows.length <= 1;
      });
      addButton.disabled = parseInt(totalForms.value, 10) >= maxForms;
    }

    function wireRow(row) {
      var remove = row.querySelector("[data-milestone-remove]");
      var checkbox = row.querySelector("input[name$='-DELETE']");
      checkbox.hidden = true;
      remove.addEventListener("click", function () {
        if (liveRows().length <= 1) { return; }
        checkbox.checked = true;
        row.hidden = true;
        refresh();
        addButton.focus();  // the button that had the focus is gone
      });
    }

    list.querySelectorAll("[data-milestone-row]").forEach(function (row) {
      var checkbox = row.querySelector("input[name$='-DELETE']");
      if (checkbox && checkbox.checked) { row.hidden = true; }
      wireRow(row);
    });
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      if (index >= maxForms) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      list.insertAdjacentHTML("beforeend", html);
      var row = list.lastElementChild;
      wireRow(row);
      totalForms.value = String(index + 1);
      row.querySelector("input[name$='-title']").focus();
      refresh();
    });
    fieldset.addEventListener("input", refresh);
    if (totalField) { totalField.addEventListener("input", refresh); }
    refresh();
  }

  document.querySelectorAll("[data-milestones]").forEach(setUp);
})();
