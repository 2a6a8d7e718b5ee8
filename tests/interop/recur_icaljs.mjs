#!/usr/bin/env node
// Expand every repeating VEVENT of an .ics file with ical.js and print its occurrences as JSON.
//
// usage: node recur_icaljs.mjs FILE.ics LIMIT
//
// Prints {"parser": "ical.js", "events": {UID: [[START, END], ...]}} with at most LIMIT
// occurrences per event (from Event.iterator(), which applies RRULE and EXDATE, and
// getOccurrenceDetails, which applies the overrides related with relateException), each START and
// END a UTC time "YYYY-MM-DDTHH:MM:SSZ", or a date "YYYY-MM-DD" for all-day events. The file's
// VTIMEZONEs are registered with ICAL.TimezoneService; an occurrence whose zone is not one of
// them is an error.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

function shown(time, fileZones) {
  if (time.isDate) {
    return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
  }
  const zone = time.zone;
  if (zone !== ICAL.Timezone.utcTimezone && !(zone && fileZones.has(zone.component))) {
    throw new Error(`a time in zone ${zone && zone.tzid} is not in a VTIMEZONE of the file`);
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function main([path, limitText]) {
  const limit = Number(limitText);
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  ICAL.TimezoneService.reset();
  const fileZones = new Set();
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
    fileZones.add(vtz);
  }
  const vevents = root.getAllSubcomponents("vevent");
  const events = {};
  for (const vevent of vevents) {
    if (!vevent.hasProperty("rrule")) continue;
    const event = new ICAL.Event(vevent);
    // Overrides: the VEVENTs with this UID and a RECURRENCE-ID.
    for (const other of vevents) {
      if (other.hasProperty("recurrence-id") &&
          other.getFirstPropertyValue("uid") === event.uid) {
        event.relateException(new ICAL.Event(other));
      }
    }
    const out = [];
    const iterator = event.iterator();
    for (let next = iterator.next(); next && out.length < limit; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      out.push([shown(details.startDate, fileZones), shown(details.endDate, fileZones)]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    events[event.uid] = out;
  }
  process.stdout.write(JSON.stringify({ parser: "ical.js", events }) + "\n");
}

main(process.argv.slice(2));
