(function () {
  "use strict";
  var pane = document.getElementById("doc-text");
  if (!pane) { return; }

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth;  // restart the animation on a second click
    el.classList.add("flash");
  }

  function segments(id) {
    var first = document.getElementById(id);
    var out = first ? [first] : [];
    each('mark[data-f="' + id + '"]', function (m) { out.push(m); });
    return out;
  }

  function activate(id, scrollList) {
    each(".finding.active", function (el) { el.classList.remove("active"); });
    var item = document.querySelector('.finding[data-target="' + id + '"]');
    if (item) {
      item.classList.add("active");
      if (scrollList) { item.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    }
    segments(id).forEach(flash);
  }

  function showFinding(id) {
    var mark = document.getElementById(id);
    if (!mark) { return; }
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    activate(id, true);
    if (history.replaceState) { history.replaceState(null, "", "#" + id); }
  }

  // Python offsets count code points; DOM strings count UTF-16 units.
  function locate(offset) {
    var walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    var seen = 0, node, last = null;
    while ((node = walker.nextNode())) {
      var data = node.data, i = 0;
      last = node;
      while (i < data.length) {
        if (seen === offset) { return [node, i]; }
        var c = data.charCodeAt(i);
        i += (c >= 0xd800 && c <= 0xdbff) ? 2 : 1;
        seen += 1;
      }
    }
    return last ? [last, last.data.length] : [pane, 0];
  }

  function selectSpan(start, end) {
    var a = locate(start), b = locate(end);
    var range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var probe = document.createElement("span");
    var at = range.cloneRange();
    at.collapse(true);
    at.insertNode(probe);
    probe.scrollIntoView({ block: "center", behavior: "smooth" });
    window.setTimeout(function () {
      var parent = probe.parentNode;
      if (parent) { parent.removeChild(probe); parent.normalize(); }
      sel.removeAllRanges();
      var again = document.createRange();
      var a2 = locate(start), b2 = locate(end);
      again.setStart(a2[0], a2[1]);
      again.setEnd(b2[0], b2[1]);
      sel.addRange(again);
    }, 600);
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!(target instanceof Element)) { return; }
    var link = target.closest("a.go[data-target]");
    if (link) {
      ev.preventDefault();
      showFinding(link.getAttribute("data-target"));
      return;
    }
    var mark = target.closest("#doc-text mark");
    if (mark && window.getSelection().isCollapsed) {
      activate(mark.id || mark.getAttribute("data-f"), true);
      return;
    }
    var chip = target.closest("button.chip[data-sev]");
    if (chip) {
      var sev = chip.getAttribute("data-sev");
      var shown = chip.getAttribute("aria-pressed") !== "false";
      chip.setAttribute("aria-pressed", shown ? "false" : "true");
      document.body.classList.toggle("hide-" + sev, shown);
      return;
    }
    var loc = target.closest("[data-spans]");
    if (loc) {
      // A unit named five times cycles through its mentions on each click.
      var spans = loc.getAttribute("data-spans").split(" ");
      var i = parseInt(loc.getAttribute("data-next") || "0", 10) % spans.length;
      loc.setAttribute("data-next", String(i + 1));
      var se = spans[i].split("-");
      selectSpan(parseInt(se[0], 10), parseInt(se[1], 10));
    }
  });

  if (location.hash && /^#f\d+$/.test(location.hash)) {
    window.setTimeout(function () { showFinding(location.hash.slice(1)); }, 50);
  }
})();
