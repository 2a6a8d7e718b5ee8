/*
 * Read .ics files with libical and print every VEVENT as normalized JSON.
 *
 * build: cc -O2 -o BUILD/libical_instants libical_instants.c $(pkg-config --cflags --libs libical)
 * usage: libical_instants FILE.ics [FILE.ics ...]
 *
 * Prints one JSON object per file and line, in the same shape as read_icalendar.py:
 *   {"file": ..., "parser": "libical", "events": [EVENT, ...]}  or  {..., "error": "..."}
 *
 * A date-time with a TZID is converted with the VTIMEZONE of the same name in the
 * file (icalcomponent_get_timezone on the VCALENDAR).  libical's own resolution in
 * icalcomponent_get_dtstart/get_dtend falls back to its builtin zones (the system
 * tz database) when the file lacks the VTIMEZONE; this program instead reports such
 * a TZID as an error, and also reports it if libical's own resolution ever picks a
 * zone other than the file's.
 */

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read_all.h"

static void json_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void utc_text(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * Print TIME for the value `tt` of a DTSTART/DTEND whose TZID parameter is `tzid`
 * (NULL if none).  `resolved` is the zone libical's own accessor attached.
 */
static void time_json(FILE *out, icalcomponent *cal, struct icaltimetype tt,
                      const char *tzid, const icaltimezone *resolved)
{
    char buf[32];
    if (icaltime_is_null_time(tt)) {
        fputs("{\"error\":\"no value\"}", out);
        return;
    }
    if (tt.is_date) {
        fprintf(out, "{\"date\":\"%04d-%02d-%02d\"}", tt.year, tt.month, tt.day);
        return;
    }
    if (tzid != NULL) {
        icaltimezone *zone = icalcomponent_get_timezone(cal, tzid);
        if (zone == NULL) {
            fputs("{\"error\":", out);
            json_string(out, "TZID has no VTIMEZONE in the file");
            fputc('}', out);
            return;
        }
        if (resolved != zone) {
            fputs("{\"error\":", out);
            json_string(out, "libical resolved the TZID to a zone other than the file's VTIMEZONE");
            fputc('}', out);
            return;
        }
        utc_text(icaltime_as_timet_with_zone(tt, zone), buf);
        fprintf(out, "{\"utc\":\"%s\",\"tzid\":", buf);
        json_string(out, tzid);
        fputc('}', out);
        return;
    }
    if (icaltime_is_utc(tt)) {
        utc_text(icaltime_as_timet_with_zone(tt, icaltimezone_get_utc_timezone()), buf);
        fprintf(out, "{\"utc\":\"%s\",\"tzid\":null}", buf);
        return;
    }
    fprintf(out, "{\"floating\":\"%04d-%02d-%02dT%02d:%02d:%02d\"}",
            tt.year, tt.month, tt.day, tt.hour, tt.minute, tt.second);
}

static const char *tzid_of(icalproperty *prop)
{
    if (prop == NULL)
        return NULL;
    icalparameter *param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    return param == NULL ? NULL : icalparameter_get_tzid(param);
}

static const char *text_of(icalcomponent *comp, icalproperty_kind kind)
{
    icalproperty *prop = icalcomponent_get_first_property(comp, kind);
    if (prop == NULL)
        return NULL;
    /* TEXT values come back unescaped. */
    return icalvalue_get_text(icalproperty_get_value(prop));
}

static const char *enum_of(icalcomponent *comp, icalproperty_kind kind)
{
    icalproperty *prop = icalcomponent_get_first_property(comp, kind);
    return prop == NULL ? NULL : icalproperty_get_value_as_string(prop);
}

static void event_json(FILE *out, icalcomponent *cal, icalcomponent *ev)
{
    icalproperty *start_prop = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    icalproperty *end_prop = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
    const char *start_tzid = tzid_of(start_prop);
    /* Without DTEND, libical derives the end from DURATION (or the start) in the
       start's zone. */
    const char *end_tzid = end_prop != NULL ? tzid_of(end_prop) : start_tzid;
    /* libical's accessors resolve TZID themselves and attach the zone. */
    struct icaltimetype start = icalcomponent_get_dtstart(ev);
    struct icaltimetype end = icalcomponent_get_dtend(ev);

    fputs("{\"uid\":", out);
    json_string(out, text_of(ev, ICAL_UID_PROPERTY));
    fputs(",\"summary\":", out);
    json_string(out, text_of(ev, ICAL_SUMMARY_PROPERTY));
    fputs(",\"description\":", out);
    json_string(out, text_of(ev, ICAL_DESCRIPTION_PROPERTY));
    fputs(",\"location\":", out);
    json_string(out, text_of(ev, ICAL_LOCATION_PROPERTY));
    fputs(",\"status\":", out);
    json_string(out, enum_of(ev, ICAL_STATUS_PROPERTY));
    fputs(",\"transp\":", out);
    json_string(out, enum_of(ev, ICAL_TRANSP_PROPERTY));
    fputs(",\"categories\":[", out);
    /* The parser splits a multi-valued CATEGORIES into one property per value. */
    int first = 1;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
         p != NULL; p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
        if (!first)
            fputc(',', out);
        first = 0;
        json_string(out, icalproperty_get_categories(p));
    }
    fputs("],\"start\":", out);
    if (start_prop == NULL)
        fputs("{\"error\":\"no DTSTART\"}", out);
    else
        time_json(out, cal, start, start_tzid, start.zone);
    fputs(",\"end\":", out);
    time_json(out, cal, end, end_tzid, end.zone);
    fputc('}', out);
}

static int file_json(FILE *out, const char *path)
{
    char *text = read_all(path);
    icalcomponent *cal = text == NULL ? NULL : icalparser_parse_string(text);
    free(text);
    fputs("{\"file\":", out);
    json_string(out, path);
    fputs(",\"parser\":\"libical\",", out);
    if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fputs("\"error\":", out);
        json_string(out, cal == NULL ? "cannot read or parse the file" : "not a VCALENDAR");
        fputs("}\n", out);
        if (cal != NULL)
            icalcomponent_free(cal);
        return 1;
    }
    /* libical reports parse problems as X-LIC-ERROR properties inside the tree. */
    int errors = icalcomponent_count_errors(cal);
    if (errors > 0) {
        fprintf(out, "\"error\":\"libical found %d parse error(s)\"}\n", errors);
        icalcomponent_free(cal);
        return 1;
    }
    fputs("\"events\":[", out);
    int first = 1;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev != NULL; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (!first)
            fputc(',', out);
        first = 0;
        event_json(out, cal, ev);
    }
    fputs("]}\n", out);
    icalcomponent_free(cal);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: libical_instants FILE.ics [FILE.ics ...]\n", stderr);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= file_json(stdout, argv[i]);
    return status;
}
