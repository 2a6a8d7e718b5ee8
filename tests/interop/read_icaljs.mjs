#!/usr/bin/env node
// Read .ics files with ical.js and print every VEVENT as normalized JSON.
//
// usage: node read_icaljs.mjs FILE.ics [FILE.ics ...]
//
// Prints one JSON object per file and line, in the same shape as read_icalendar.py:
//   {"file": ..., "parser": "ical.js", "events": [EVENT, ...]}  or  {..., "error": "..."}
//
// Each VTIMEZONE of the file is registered with ICAL.TimezoneService (after a reset,
// so nothing leaks from one file into the next).  A date-time with a TZID must
// resolve to a zone built from one of this file's VTIMEZONE components; anything
// else (ical.js falls back to a floating time when a TZID is unknown) is reported
// as an error instead of a silently wrong instant.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const PARSER = "ical.js";

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

function utcText(unixSeconds) {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// Register the file's zones; returns the set of VTIMEZONE components.
function registerZones(vcalendar) {
  ICAL.TimezoneService.reset();
  const components = new Set();
  for (const vtz of vcalendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone);
    components.add(vtz);
  }
  return components;
}

function timeJson(time, tzid, fileZones) {
  if (time.isDate) {
    return { date: `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}` };
  }
  const wall = `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}T` +
    `${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}`;
  if (tzid !== null) {
    const zone = time.zone;
    if (!zone || zone === ICAL.Timezone.localTimezone || zone === ICAL.Timezone.utcTimezone ||
        !fileZones.has(zone.component)) {
      return { error: `TZID ${tzid} did not resolve to a VTIMEZONE of the file` };
    }
    return { utc: utcText(time.toUnixTime()), tzid };
  }
  if (time.zone === ICAL.Timezone.utcTimezone) {
    return { utc: utcText(time.toUnixTime()), tzid: null };
  }
  return { floating: wall };
}

function tzidOf(prop) {
  if (!prop) return null;
  const tzid = prop.getParameter("tzid");
  return tzid === undefined || tzid === null ? null : String(tzid);
}

function textOf(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

function readEvent(vevent, fileZones) {
  const event = new ICAL.Event(vevent);
  const startProp = vevent.getFirstProperty("dtstart");
  const endProp = vevent.getFirstProperty("dtend");
  const startTzid = tzidOf(startProp);
  // Event.endDate: DTEND, else DTSTART + DURATION (wall-clock addition), else
  // DTSTART + 1 day for a date, else DTSTART.
  const endTzid = endProp ? tzidOf(endProp) : startTzid;
  const categories = vevent.getAllProperties("categories")
    .flatMap((prop) => prop.getValues().map(String));
  return {
    uid: textOf(vevent, "uid"),
    summary: textOf(vevent, "summary"),
    description: textOf(vevent, "description"),
    location: textOf(vevent, "location"),
    status: textOf(vevent, "status"),
    transp: textOf(vevent, "transp"),
    categories,
    start: timeJson(event.startDate, startTzid, fileZones),
    end: timeJson(event.endDate, endTzid, fileZones),
  };
}

function readFile(path) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  if (root.name !== "vcalendar") {
    throw new Error(`top-level component is ${root.name}, not vcalendar`);
  }
  const fileZones = registerZones(root);
  const events = root.getAllSubcomponents("vevent").map((ev) => readEvent(ev, fileZones));
  return { file: path, parser: PARSER, events };
}

function main(paths) {
  if (paths.length === 0) {
    process.stderr.write("usage: node read_icaljs.mjs FILE.ics [FILE.ics ...]\n");
    return 2;
  }
  let status = 0;
  for (const path of paths) {
    let result;
    try {
      result = readFile(path);
    } catch (err) {
      result = { file: path, parser: PARSER, error: String(err && err.message ? err.message : err) };
      status = 1;
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
