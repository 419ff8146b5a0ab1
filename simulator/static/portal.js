// The portal's client side, in miniature: just enough of jQuery, Kendo UI and the
// Odyssey Portal scripts for the simulator's pages to run as the real ones do.
// Combo boxes and date pickers are dressed the way their widgets dress them, and the
// Smart Search results grid is filled from its JSON data source. Nothing else.
(function () {
  "use strict";

  function noop() {}

  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text != null) { node.textContent = String(text); }
    return node;
  }

  // -- Kendo ComboBox: a visible text input over the hidden original -----------------------

  function comboBox(input, options) {
    var items = options.dataSource || [];
    var wrapper = el("span", { "class": "k-widget k-combobox k-header", style: "" });
    var wrap = el("span", { tabindex: "-1", unselectable: "on", "class": "k-dropdown-wrap k-state-default" });
    var shown = el("input", {
      name: input.name + "_input", "class": "k-input", type: "text", autocomplete: "off",
      role: "combobox", style: "width: 100%;"
    });
    var select = el("span", { tabindex: "-1", unselectable: "on", "class": "k-select" });
    select.appendChild(el("span", { unselectable: "on", "class": "k-icon k-i-arrow-s", role: "button", tabindex: "-1" }, "select"));
    wrap.appendChild(shown);
    wrap.appendChild(select);
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(wrap);
    wrapper.appendChild(input);
    input.style.display = "none";
    var current = items.filter(function (item) { return item.Value === input.value; })[0];
    shown.value = current ? current.Text : input.value;
    function pick() {
      var typed = shown.value.trim().toLowerCase();
      var match = items.filter(function (item) {
        return item.Text.toLowerCase() === typed || String(item.Value).toLowerCase() === typed;
      })[0];
      input.value = match ? match.Value : shown.value;
    }
    shown.addEventListener("input", pick);
    shown.addEventListener("change", pick);
  }

  // -- Kendo Grid: the Smart Search results, from the JSON data source ----------------------

  function jsonDate(value) {
    var match = /\/Date\((-?\d+)\)\//.exec(value || "");
    if (!match) { return ""; }
    var day = new Date(Number(match[1]));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(day.getUTCMonth() + 1) + "/" + two(day.getUTCDate()) + "/" + day.getUTCFullYear();
  }

  var CELLS = {
    "CaseNumber": function (row, base) {
      var td = el("td", { "class": "card-heading party-case-caseid owa-break-all", role: "gridcell" });
      td.appendChild(el("a", {
        href: "#", "class": "caseLink", "data-caseid": String(row.CaseId),
        "data-url": window.location.origin + base + "Case/CaseDetail?eid=" +
          encodeURIComponent(row.EncryptedCaseId) + "&tabIndex=3",
        title: row.CaseNumber
      }, row.CaseNumber));
      return td;
    },
    "Style": function (row) {
      var td = el("td", { "class": "card-subheading party-case-style", role: "gridcell" });
      td.appendChild(el("div", { "class": "big-search-type" }, row.Style));
      return td;
    },
    "FileDate": function (row, base, title) {
      var td = el("td", { "class": "card-data party-case-filedate", "data-label": title, role: "gridcell" });
      var text = jsonDate(row.FileDate);
      td.appendChild(el("span", { title: text }, text));
      return td;
    },
    "CaseStatusId.Description": function (row, base, title) {
      return el("td", { "class": "card-data party-case-status", "data-label": title, role: "gridcell" },
        row.CaseStatusId ? row.CaseStatusId.Description : "");
    },
    "DefendantName": function (row, base, title) {
      return el("td", { "class": "card-data party-case-partyname", "data-label": title, role: "gridcell" },
        row.DefendantName);
    },
    "CaseTypeId.Description": function (row, base, title) {
      return el("td", { "class": "card-data party-case-type", "data-label": title, role: "gridcell" },
        row.CaseTypeId ? row.CaseTypeId.Description : "");
    },
    "NodeDescription": function (row, base, title) {
      return el("td", { "class": "card-data party-case-location", "data-label": title, role: "gridcell" },
        row.NodeDescription);
    },
    "DateOfBirth": function (row, base, title) {
      return el("td", { "class": "card-data party-case-dob", "data-label": title, role: "gridcell" },
        jsonDate(row.DateOfBirth));
    }
  };

  function casesSection(columns, rows, url) {
    var base = window.virtualDirectory + "/";
    var fragment = document.createDocumentFragment();
    fragment.appendChild(el("a", { "class": "anchor", id: "CaseResults" }));
    var section = el("div", { "class": "section", id: "CasesSection" });
    section.appendChild(el("span", { id: "BusyIndicator" }));
    var panel = el("div", { "class": "panel panel-default" });
    var body = el("div", { "class": "panel-body" });
    body.appendChild(el("h1", {}, "Cases"));
    var header = el("header", { "class": "tyler-toggle-controller open" });
    header.appendChild(el("a", { "class": "pseudoToggle" }, "\u00a0"));
    body.appendChild(header);
    var container = el("div", { id: "CasesContainer", "class": "tyler-toggle-container tyler-padding-15", style: "display: block" });
    var cases = el("div", { "class": "cases-container" });
    var menu = el("div", { "class": "kgrid-thead-menu-button" });
    var button = el("button", { "class": "icon-button", title: "Sort / Filter Options", type: "button", value: "Sort/Filter" });
    button.appendChild(el("i", { "class": "fa fa-bars" }));
    menu.appendChild(button);
    cases.appendChild(menu);
    var grid = el("div", { "class": "k-widget k-grid can-morph-to-card is-morph-ready", id: "CasesGrid", "data-role": "grid", style: "overflow-x: auto; min-height: 0px;" });
    var table = el("table", { cellspacing: "0", role: "table", "class": "kgrid-card-table" });
    var colgroup = el("colgroup");
    colgroup.appendChild(el("col", { "class": "k-hierarchy-col" }));
    columns.forEach(function () { colgroup.appendChild(el("col")); });
    table.appendChild(colgroup);
    var thead = el("thead", { "class": "k-grid-header kgrid-card-thead" });
    var headRow = el("tr");
    headRow.appendChild(el("th", { "class": "k-hierarchy-cell k-header" }, "\u00a0"));
    columns.forEach(function (column) {
      var th = el("th", {
        "class": "k-header", "data-configurable-grid": "True", "data-field": column.field,
        "data-title": column.title, scope: "col", "data-role": "sortable"
      });
      var columnMenu = el("a", { "class": "k-header-column-menu", href: "#" });
      columnMenu.appendChild(el("span", { "class": "fa fa-chevron-down", title: "Sort / Filter Options" }));
      th.appendChild(columnMenu);
      th.appendChild(el("a", { "class": "k-link", href: url + "?CasesGrid-sort=" + column.field + "-asc" }, column.title));
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var master = el("tr", { "class": "k-master-row", role: "row" });
      var toggle = el("td", { "class": "k-hierarchy-cell" });
      toggle.appendChild(el("a", { "class": "k-icon k-minus", href: "#", tabindex: "-1" }));
      master.appendChild(toggle);
      columns.forEach(function (column) {
        master.appendChild(CELLS[column.field](row, base, column.title));
      });
      tbody.appendChild(master);
      var detail = el("tr", { "class": "k-detail-row" });
      detail.appendChild(el("td", { "class": "k-hierarchy-cell" }));
      var cell = el("td", { "class": "k-detail-cell", colspan: String(columns.length) });
      cell.appendChild(el("div", { id: "disposition-" + row.CaseId, "class": "kendo-charge-and-disposition-template" }));
      detail.appendChild(cell);
      tbody.appendChild(detail);
    });
    table.appendChild(tbody);
    grid.appendChild(table);
    cases.appendChild(grid);
    container.appendChild(cases);
    body.appendChild(container);
    panel.appendChild(body);
    section.appendChild(panel);
    fragment.appendChild(section);
    return fragment;
  }

  function resultsGrid(host, options) {
    var url = options.dataSource.transport.read.url;
    function fail(message) {
      host.innerHTML = "";
      host.appendChild(el("div", { "class": "alert alert-danger", role: "alert" }, message));
    }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (response.redirected && type.indexOf("application/json") === -1) {
          window.location.href = response.url;  // the session is gone: back to the dashboard
          return null;
        }
        if (!response.ok || type.indexOf("application/json") === -1) {
          throw new Error("There was an error while processing your request. Please try again later. (" + response.status + ")");
        }
        return response.json();
      })
      .then(function (payload) {
        if (payload === null) { return; }
        if (payload.Errors) {
          fail(String(payload.Errors));
          return;
        }
        host.innerHTML = "";
        host.appendChild(casesSection(options.columns, payload.Data || [], url));
      })
      .catch(function (error) { fail(error.message); });
  }

  // -- a jQuery of a few methods ---------------------------------------------------------------

  function Wrapped(nodes) { this.nodes = nodes; }
  Wrapped.prototype.each = function (fn) {
    this.nodes.forEach(function (node, i) { fn.call(node, i, node); });
    return this;
  };
  Wrapped.prototype.kendoComboBox = function (options) {
    return this.each(function (i, node) { comboBox(node, options || {}); });
  };
  Wrapped.prototype.kendoGrid = function (options) {
    return this.each(function (i, node) { resultsGrid(node, options || {}); });
  };
  Wrapped.prototype.click = function (fn) {
    return this.each(function (i, node) {
      if (fn) { node.addEventListener("click", fn); } else if (node.click) { node.click(); }
    });
  };
  Wrapped.prototype.ready = function (fn) { onReady(fn); return this; };
  Wrapped.prototype.scrollTop = function (y) { window.scrollTo(0, y || 0); return this; };

  function jQuery(arg) {
    if (typeof arg === "function") { onReady(arg); return new Wrapped([]); }
    if (typeof arg === "string") { return new Wrapped(Array.prototype.slice.call(document.querySelectorAll(arg))); }
    return new Wrapped(arg ? [arg] : []);
  }

  window.jQuery = window.$ = jQuery;
  window.odyPortal = window.odyPortal || {};
  window.odyPortal.sessionInfo = window.odyPortal.sessionInfo || { pageLoadTime: Date.now() };
  window.odyPortal.smartSearchPortlet = {
    init: noop, ComboBoxInit: noop, LocationChange: noop, SearchByChange: noop
  };
  window.TabControl = { TabRenderComplete: noop, DisplayWhenReady: noop };
  // The Financial section stays a placeholder until its URL is requested: pages are the
  // same however fast a client reads them.
  window.RoaPage = { init: noop };
  window.pluginWorkspaceMode = { init: noop };
  window.HearingSearchPortlet = { init: noop };

  onReady(function () {
    document.querySelectorAll("input.tyler-datepicker").forEach(function (input) {
      input.classList.add("hasDatepicker");
    });
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target : event.target.parentElement;
      var link = target.closest("a.caseLink");
      if (link) {  // the portal opens the case in a details tab; here, as the page
        event.preventDefault();
        window.location.href = link.getAttribute("data-url");
      }
      if (target.closest("#AdvOptions")) {
        event.preventDefault();
        ["AdvOptionsMask", "SideNav"].forEach(function (id) {
          var node = document.getElementById(id);
          if (node) { node.classList.toggle("tyler-hide"); }
        });
      }
    });
  });
}());
