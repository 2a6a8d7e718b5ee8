#!/usr/bin/env node
// ical.js half of the zone sweep (driven by sweep.py, one process for all zones).
//
// usage: node sweep_icaljs.mjs ZONES.ics SAMPLES.json
//
// For every zone of SAMPLES.json, builds an ICAL.Timezone from the VTIMEZONE with
// that TZID in ZONES.ics and checks each sample [unix, offset, "YYYYMMDDTHHMMSS", unique]:
//   wall->utc  (unique samples only): the wall time in the zone gives the instant
//   utc->wall  (all samples): the instant converted into the zone gives the wall time
// Prints one JSON object: {"parser", "zones", "samples", "checks": {name: count},
// "mismatch_count", "mismatches": [...]} where mismatches holds every mismatch.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function wallText(t) {
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `${p(t.year, 4)}${p(t.month)}${p(t.day)}T${p(t.hour)}${p(t.minute)}${p(t.second)}`;
}

function parseWall(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`bad wall time ${text}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  return { year, month, day, hour, minute, second, isDate: false };
}

function main([icsPath, samplesPath]) {
  if (!icsPath || !samplesPath) {
    process.stderr.write("usage: node sweep_icaljs.mjs ZONES.ics SAMPLES.json\n");
    return 2;
  }
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
    checks: { "wall->utc": 0, "utc->wall": 0 },
    mismatch_count: 0,
    mismatches: [],
  };
  const fail = (entry) => {
    result.mismatch_count += 1;
    result.mismatches.push(entry);
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
      if (unique) {
        result.checks["wall->utc"] += 1;
        const local = new ICAL.Time(parseWall(wall), zone);
        const got = local.toUnixTime();
        if (got !== unix) {
          fail({ tzid, check: "wall->utc", unix, wall, offset,
                 expected: unix, got, got_offset: unix + offset - got });
        }
      }
      result.checks["utc->wall"] += 1;
      const utc = new ICAL.Time();
      utc.fromUnixTime(unix);
      const gotWall = wallText(utc.convertToZone(zone));
      if (gotWall !== wall) {
        fail({ tzid, check: "utc->wall", unix, wall, offset, expected: wall, got: gotWall });
      }
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
