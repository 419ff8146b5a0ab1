// Fills the Smart Search results grid from the JSON results request, the way the
// Odyssey portal's Kendo grid does: the page itself is an empty shell.
(function () {
  "use strict";
  var host = document.getElementById("SmartSearchResults");
  if (!host) { return; }
  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text == null ? "" : String(text);
    return el;
  }
  function render(payload) {
    host.innerHTML = "";
    if (payload.MaxResultsHit) {
      var warn = cell("div", "Your search returned more results than can be displayed. Please refine your search.");
      warn.className = "max-results-hit";
      host.appendChild(warn);
    }
    if (!payload.Data || payload.Data.length === 0) {
      var none = cell("div", "No cases match your search.");
      none.className = "no-results";
      host.appendChild(none);
      return;
    }
    var table = document.createElement("table");
    table.className = "k-grid k-widget";
    table.id = "CasesGrid";
    var head = document.createElement("thead");
    var headRow = document.createElement("tr");
    payload.Columns.forEach(function (col) { headRow.appendChild(cell("th", col.title)); });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = document.createElement("tbody");
    payload.Data.forEach(function (row) {
      var tr = document.createElement("tr");
      tr.className = "k-master-row";
      payload.Columns.forEach(function (col) {
        var td = document.createElement("td");
        td.setAttribute("data-field", col.field);
        if (col.field === "CaseNumber") {
          var a = cell("a", row.CaseNumber);
          a.className = "caseLink";
          a.href = row.CaseLink;
          td.appendChild(a);
        } else {
          td.textContent = row[col.field] == null ? "" : String(row[col.field]);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    host.appendChild(table);
    var done = cell("div", payload.Data.length + " results");
    done.id = "results-loaded";
    host.appendChild(done);
  }
  function fail(message) {
    host.innerHTML = "";
    var err = cell("div", message);
    err.className = "results-error";
    host.appendChild(err);
  }
  fetch(host.getAttribute("data-results-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (!response.ok || type.indexOf("application/json") === -1) {
        throw new Error("The search results could not be loaded (" + response.status + ").");
      }
      return response.json();
    })
    .then(render)
    .catch(function (error) { fail(error.message); });
}());
