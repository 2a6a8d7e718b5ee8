// The benchmark's Node peer: the job of `calfeed build` done with `ical-generator`.
//
// usage: node bench/peers/ical_generator_build.mjs events.toml OUTDIR
//
// Reads the file with smol-toml, writes OUTDIR/all.ics and one file per [[feed]] with the same
// selection, languages, markers and properties as calfeed. Wall times are luxon DateTimes in the
// event's zone; the VTIMEZONEs come from @touch4it/ical-timezones. It trusts its input: the
// benchmark feeds it valid files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ical from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime, Duration } from 'luxon';
import { parse } from 'smol-toml';

const LABELS = { ko: ['참석자', '출처'], ja: ['参加者', '出典'] };
const MARKERS = {
  tentative: { en: '[Tentative]', ko: '[미정]', ja: '[未定]' },
  cancelled: { en: '[Cancelled]', ko: '[취소]', ja: '[中止]' },
};

function pick(text, language, fallback) {
  if (text === undefined) return [undefined, undefined];
  if (typeof text === 'string') return [text, undefined];
  for (const lang of [language, fallback]) if (lang in text) return [text[lang], lang];
  const lang = Object.keys(text).sort()[0];
  return [text[lang], lang];
}

const [source, out] = process.argv.slice(2);
const data = parse(readFileSync(source, 'utf8'));
const cal = data.calendar;
const fallback = cal.language ?? 'en';
const defaultZone = cal.timezone ?? 'UTC';
const stamp = DateTime.fromSeconds(Number(process.env.SOURCE_DATE_EPOCH ?? 0), { zone: 'utc' });

const events = (data.event ?? []).map((e) => {
  const zone = e.timezone ?? defaultZone;
  const s = e.start;
  let start;
  let end;
  let allDay = false;
  if (s.isDate()) {
    // A TOML local date.
    allDay = true;
    start = DateTime.fromISO(s.toISOString().slice(0, 10), { zone: 'utc' });
    const last = e.end ? DateTime.fromISO(e.end.toISOString().slice(0, 10), { zone: 'utc' }) : start;
    end = last.plus({ days: 1 });
  } else {
    start = DateTime.fromISO(s.toISOString().slice(0, 19), { zone });
    if (e.end) {
      end = DateTime.fromISO(e.end.toISOString().slice(0, 19), { zone });
    } else {
      const d = Duration.fromISO(e.duration ?? 'PT1H');
      // Days on the wall clock, hours as elapsed time (RFC 5545).
      end = start.plus({ weeks: d.weeks, days: d.days }).plus({ hours: d.hours, minutes: d.minutes, seconds: d.seconds });
    }
  }
  return { e, zone, start, end, allDay, key: start.toMillis() };
});
events.sort((a, b) => a.key - b.key || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0));

const views = [{ name: 'all', title: cal.name, description: cal.description, language: fallback, keep: () => true }];
for (const f of data.feed ?? []) {
  views.push({
    name: f.name,
    title: f.title,
    description: f.description ?? cal.description,
    language: f.language ?? fallback,
    keep: (e) =>
      (f.countries ?? []).every((c) => (e.countries ?? []).includes(c)) &&
      (!f.tags?.length || f.tags.some((t) => (e.tags ?? []).includes(t))) &&
      (!f.status?.length || f.status.includes(e.status ?? 'confirmed')),
  });
}

mkdirSync(out, { recursive: true });
for (const view of views) {
  const calendar = ical({
    prodId: '//calfeed benchmark//ical-generator//EN',
    name: pick(view.title, view.language, fallback)[0],
    description: view.description === undefined ? undefined : pick(view.description, view.language, fallback)[0],
    timezone: { name: defaultZone, generator: getVtimezoneComponent },
  });
  const [plabel, slabel] = LABELS[view.language.split('-')[0]] ?? ['Participants', 'Sources'];
  for (const { e, zone, start, end, allDay } of events) {
    if (!view.keep(e)) continue;
    const status = e.status ?? 'confirmed';
    let [summary] = pick(e.title, view.language, fallback);
    if (MARKERS[status]) summary = `${MARKERS[status][view.language] ?? MARKERS[status].en} ${summary}`;
    const parts = [];
    const [text] = pick(e.description, view.language, fallback);
    if (text !== undefined) parts.push(text);
    const facts = [];
    if (e.participants?.length) facts.push(`${plabel}: ${e.participants.map((p) => pick(p, view.language, fallback)[0]).join(', ')}`);
    if (e.sources?.length) facts.push(`${slabel}: ${e.sources.join('; ')}`);
    if (facts.length) parts.push(facts.join('\n'));
    const [location] = pick(e.location, view.language, fallback);
    calendar.createEvent({
      id: `${e.id}@${cal.domain}`,
      stamp: e.updated ? DateTime.fromJSDate(new Date(e.updated.toISOString())) : stamp,
      start,
      end,
      allDay,
      timezone: allDay ? undefined : zone,
      summary,
      description: parts.length ? parts.join('\n\n') : undefined,
      location: location === undefined ? undefined : e.geo ? { title: location, geo: e.geo } : location,
      url: e.url,
      categories: (e.tags ?? []).map((name) => ({ name })),
      status: status.toUpperCase(),
      transparency: allDay || status !== 'confirmed' ? 'TRANSPARENT' : 'OPAQUE',
      sequence: e.sequence ?? 0,
      lastModified: e.updated ? DateTime.fromJSDate(new Date(e.updated.toISOString())) : undefined,
    });
  }
  writeFileSync(join(out, `${view.name}.ics`), calendar.toString());
}
