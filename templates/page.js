(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var lang = root.lang || "en";
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  root.className += " js";

  function formatter(zone, options) {
    var o = {};
    for (var k in options) o[k] = options[k];
    if (zone) o.timeZone = zone;
    return new Intl.DateTimeFormat(lang, o);
  }
  var DAY = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
  var TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

  // Start and end of a timed event as read on the wall clock of `zone`.
  function range(start, end, zone) {
    var d = formatter(zone, DAY), t = formatter(zone, TIME);
    var startDay = d.format(start), endDay = d.format(end);
    return [startDay + ", " + t.format(start), startDay === endDay ? t.format(end) : endDay + ", " + t.format(end)];
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDay(date) { return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()); }

  var items = [];
  var events = document.querySelectorAll("li[data-uid]");
  for (var i = 0; i < events.length; i++) {
    var li = events[i];
    var times = li.querySelectorAll(".when time");
    var allDay = li.hasAttribute("data-all-day");
    var first = times[0].getAttribute("datetime");
    var last = times.length > 1 ? times[times.length - 1].getAttribute("datetime") : first;
    var item = { li: li };
    if (allDay) {
      // Dates stay as they are in every zone.
      var p = first.split("-");
      item.sort = new Date(+p[0], +p[1] - 1, +p[2]).getTime();
      item.month = first.slice(0, 7);
      item.past = last < localDay(new Date());
    } else {
      var start = new Date(first), end = new Date(last);
      item.sort = start.getTime();
      item.month = localDay(start).slice(0, 7);
      item.past = end.getTime() <= Date.now();
      try {
        var mine = range(start, end, null);
        var theirs = range(start, end, li.getAttribute("data-tz"));
        if (mine[0] !== theirs[0] || mine[1] !== theirs[1]) {
          times[0].textContent = mine[0];
          times[1].textContent = mine[1];
          var zone = li.querySelector(".when .zone");
          zone.textContent = viewerZone;
          var own = document.createElement("span");
          own.className = "own";
          own.textContent = body.getAttribute("data-local-time") + ": " + theirs[0] + " – " + theirs[1] + " " + li.getAttribute("data-tz");
          li.querySelector(".when").appendChild(own);
        }
      } catch (e) {
        // A zone this browser does not know: keep the event's own time.
      }
    }
    items.push(item);
  }

  if (viewerZone) {
    document.getElementById("times-note").textContent = body.getAttribute("data-times-yours") + " " + viewerZone;
  }

  var monthName = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", timeZone: "UTC" });
  function fill(section, list) {
    var box = section.querySelector(".months");
    while (box.firstChild) box.removeChild(box.firstChild);
    var current = null, ol = null;
    list.forEach(function (item) {
      if (item.month !== current) {
        current = item.month;
        var month = document.createElement("section");
        month.className = "month";
        month.setAttribute("data-month", current);
        var h = document.createElement("h4");
        h.className = "month-label";
        var ym = current.split("-");
        h.textContent = monthName.format(new Date(Date.UTC(+ym[0], +ym[1] - 1, 1)));
        ol = document.createElement("ol");
        ol.className = "events";
        month.appendChild(h);
        month.appendChild(ol);
        box.appendChild(month);
      }
      ol.appendChild(item.li);
    });
    var empty = section.querySelector(".empty");
    if (empty) empty.hidden = list.length > 0;
    else section.hidden = list.length === 0;
  }
  fill(document.getElementById("upcoming"), items.filter(function (x) { return !x.past; }).sort(function (a, b) { return a.sort - b.sort; }));
  fill(document.getElementById("past"), items.filter(function (x) { return x.past; }).sort(function (a, b) { return b.sort - a.sort; }));

  var status = document.querySelector("#subscribe .status");
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var j = 0; j < buttons.length; j++) {
    if (!navigator.clipboard) break;
    buttons[j].hidden = false;
    buttons[j].setAttribute("data-label", buttons[j].textContent);
    buttons[j].addEventListener("click", function (event) {
      var button = event.currentTarget;
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = body.getAttribute("data-copied");
        status.textContent = body.getAttribute("data-copied") + ": " + button.getAttribute("data-copy");
        setTimeout(function () { button.textContent = button.getAttribute("data-label"); }, 2000);
      });
    });
  }
})();
