/* vanban web app: the upload box (drag and drop, size check before sending) and the rule-family
   filter of the report page. The report's own behaviour (jump to a finding, flash its highlight,
   severity chips) comes from /assets/report.js, the HTML report's script. */
(function () {
  "use strict";

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  // ------------------------------------------------------------------ upload
  var form = document.getElementById("upload-form");
  if (form) {
    var drop = document.getElementById("drop");
    var input = document.getElementById("file");
    var shown = document.getElementById("drop-file");
    var problem = document.getElementById("file-error");
    var submit = document.getElementById("submit");
    var busy = document.getElementById("busy");
    var limit = parseInt(input.getAttribute("data-limit") || "0", 10);

    var tooBig = function (file) { return limit > 0 && file.size > limit; };

    var describe = function () {
      var file = input.files && input.files[0];
      problem.hidden = true;
      if (!file) { shown.hidden = true; drop.classList.remove("has-file"); return; }
      shown.textContent = file.name + " · " + (file.size / 1048576).toFixed(file.size < 1048576 ? 2 : 1) + " MB";
      shown.hidden = false;
      drop.classList.add("has-file");
      if (tooBig(file)) {
        problem.textContent = "Tệp lớn hơn giới hạn " + input.getAttribute("data-limit-text") + ".";
        problem.hidden = false;
      }
    };

    input.addEventListener("change", describe);
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      ev.preventDefault();
      drop.classList.remove("over");
      if (ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files.length) {
        input.files = ev.dataTransfer.files;
        describe();
      }
    });
    form.addEventListener("submit", function (ev) {
      var file = input.files && input.files[0];
      if (!file || tooBig(file)) {
        ev.preventDefault();
        if (!file) { problem.textContent = "Hãy chọn một tệp."; problem.hidden = false; }
        return;
      }
      submit.disabled = true;
      busy.hidden = false;
    });
    // Back from the report: the browser may restore the page with the button still disabled.
    window.addEventListener("pageshow", function () { submit.disabled = false; busy.hidden = true; });
  }

  // ------------------------------------------------------------------ report: rule families
  var family = document.getElementById("rule-family");
  if (family) {
    var apply = function () {
      var want = family.value;
      var visible = 0;
      document.body.classList.toggle("fam-off", want !== "");
      each(".finding[data-family]", function (li) {
        var off = want !== "" && li.getAttribute("data-family") !== want;
        li.classList.toggle("off-family", off);
        if (!off) { visible += 1; }
      });
      each("#doc-text mark[data-rule]", function (mark) {
        var code = mark.getAttribute("data-rule").split("-")[0];
        mark.classList.toggle("off-family", want !== "" && code !== want);
      });
      each(".filtered-out", function (p) { p.hidden = visible !== 0; });
    };
    family.addEventListener("change", apply);
    apply();
  }
})();
