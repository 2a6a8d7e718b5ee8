#!/usr/bin/env node
// ical.js half of the zone sweep, run by sweep.py as one process for all zones.
//
// usage: node sweep_icaljs.mjs ZONES.ics SAMPLES.json [KEEP]
//
// For every zone of SAMPLES.json, an ICAL.Timezone is built from the VTIMEZONE with
// that TZID in ZONES.ics, and every unique sample [unix, offset, "YYYYMMDDTHHMMSS",
// true] is checked: the wall time in that zone must give the sample's instant
// (ICAL.Time(wall, zone).toUnixTime()).
//
// Not checked: ical.js's UTC -> zone conversion (Time.convertToZone).  It looks the
// offset up with the UTC clock reading taken as a wall time, so it is wrong within
// a few hours of most transitions whatever the VTIMEZONE says.
//
// Known limitation, reported apart: ical.js drops the seconds of TZOFFSETFROM/TO
// (e.g. Africa/Monrovia's -004430 until 1972 is used as -0044).  A mismatch whose
// offset is exactly the sample's offset truncated to whole minutes is "known".
//
// Prints one JSON object:
//   {"parser": "ical.js", "zones", "samples", "checks": {"wall->utc": n},
//    "mismatch_count", "mismatches": [first KEEP (default 1000)], "by_zone": {tzid: n},
//    "known_count", "known": [first KEEP]}

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function parseWall(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`bad wall time ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  return { year, month, day, hour, minute, second, isDate: false };
}

// An offset as ical.js reads it from a UTC-OFFSET value: whole minutes, toward zero.
function minutesOnly(offset) {
  return Math.sign(offset) * Math.floor(Math.abs(offset) / 60) * 60;
}

function main([icsPath, samplesPath, keepArg]) {
  if (!icsPath || !samplesPath) {
    process.stderr.write("usage: node sweep_icaljs.mjs ZONES.ics SAMPLES.json [KEEP]\n");
    return 2;
  }
  const keep = keepArg === undefined ? 1000 : Number(keepArg);
  const root = new ICAL.Component(ICAL.parse(readFileSync(icsPath, "utf8")));
  const zones = new Map();
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtz);
    zones.set(zone.tzid, zone);
  }
  const { zones: sampleZones } = JSON.parse(readFileSync(samplesPath, "utf8"));

  const result = {
    parser: "ical.js",
    zones: 0,
    samples: 0,
    checks: { "wall->utc": 0 },
    mismatch_count: 0,
    mismatches: [],
    by_zone: {},
    known_count: 0,
    known: [],
  };

  const fail = (entry) => {
    result.mismatch_count += 1;
    result.by_zone[entry.tzid] = (result.by_zone[entry.tzid] || 0) + 1;
    if (result.mismatches.length < keep) result.mismatches.push(entry);
  };

  for (const { tzid, samples } of sampleZones) {
    const zone = zones.get(tzid);
    if (!zone) {
      fail({ tzid, check: "vtimezone", expected: "present", got: "missing" });
      continue;
    }
    result.zones += 1;
    for (const [unix, offset, wall, unique] of samples) {
      result.samples += 1;
      if (!unique) continue;
      result.checks["wall->utc"] += 1;
      let got;
      try {
        got = new ICAL.Time(parseWall(wall), zone).toUnixTime();
      } catch (err) {
        got = String(err && err.message ? err.message : err);
      }
      if (got === unix) continue;
      const entry = { tzid, check: "wall->utc", unix, wall, offset, expected: unix, got };
      if (typeof got === "number") entry.got_offset = unix + offset - got;
      const known = offset % 60 !== 0 && entry.got_offset === minutesOnly(offset);
      if (known) {
        entry.reason = "ical.js ignores the seconds of UTC offsets";
        result.known_count += 1;
        if (result.known.length < keep) result.known.push(entry);
      } else {
        fail(entry);
      }
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
