/*
 * Expand every repeating VEVENT of an .ics file with libical and print its occurrences as JSON.
 *
 * build: cc -O2 -o BUILD/libical_recur libical_recur.c $(pkg-config --cflags --libs libical)
 * usage: libical_recur FILE.ics LIMIT
 *
 * Prints {"parser": "libical", "events": {UID: [[START, END], ...]}} with at most LIMIT
 * occurrences per event, found by icalcomponent_foreach_recurrence (RRULE and EXDATE) between
 * 1970 and 2101, in order of start. An occurrence whose start is the RECURRENCE-ID of a VEVENT
 * with the same UID takes that VEVENT's DTSTART and DTEND (foreach_recurrence itself does not
 * look at other components). START and END are UTC times "YYYY-MM-DDTHH:MM:SSZ", or dates "YYYY-MM-DD" for
 * all-day events. A DTSTART whose TZID libical resolves to anything but the file's VTIMEZONE of
 * that name (libical falls back to its builtin zones) is reported as an error.
 */

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read_all.h"

struct occurrences {
    /* The overrides of this event: RECURRENCE-ID, DTSTART and DTEND as instants. */
    int overrides;
    time_t (*moved)[3];
    int all_day;
    int limit;
    int count;
    int cap;
    time_t (*spans)[2];
};

static void collect(icalcomponent *comp, struct icaltime_span *span, void *data)
{
    (void)comp;
    struct occurrences *o = data;
    if (o->count == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->spans = realloc(o->spans, sizeof *o->spans * (size_t)o->cap);
        if (o->spans == NULL) {
            fputs("out of memory\n", stderr);
            exit(1);
        }
    }
    o->spans[o->count][0] = span->start;
    o->spans[o->count][1] = span->end;
    for (int i = 0; i < o->overrides; i++) {
        if (o->moved[i][0] == span->start) {
            o->spans[o->count][0] = o->moved[i][1];
            o->spans[o->count][1] = o->moved[i][2];
        }
    }
    o->count++;
}

/* The instant of a DTSTART, DTEND or RECURRENCE-ID, through the file's VTIMEZONE of its TZID. */
static time_t instant(icalcomponent *cal, icalcomponent *comp, icalproperty_kind kind)
{
    icalproperty *prop = icalcomponent_get_first_property(comp, kind);
    struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(prop));
    icalparameter *tzid = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    icaltimezone *zone = tzid == NULL ? icaltimezone_get_utc_timezone()
                                      : icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzid));
    if (zone == NULL) {
        fputs("a TZID has no VTIMEZONE in the file\n", stderr);
        exit(1);
    }
    return icaltime_as_timet_with_zone(t, t.is_date ? NULL : zone);
}

static int by_start(const void *a, const void *b)
{
    const time_t *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

static void print_time(time_t t, int all_day)
{
    struct tm tm;
    char buf[32];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, all_day ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("\"%s\"", buf);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: libical_recur FILE.ics LIMIT\n", stderr);
        return 2;
    }
    char *text = read_all(argv[1]);
    icalcomponent *cal = text == NULL ? NULL : icalparser_parse_string(text);
    if (cal == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    int limit = atoi(argv[2]);
    struct icaltimetype from = icaltime_from_string("19700101T000000Z");
    struct icaltimetype until = icaltime_from_string("21010101T000000Z");
    printf("{\"parser\":\"libical\",\"events\":{");
    int first = 1;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev != NULL; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) == NULL)
            continue;
        icalproperty *start = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        icalparameter *tzid = icalproperty_get_first_parameter(start, ICAL_TZID_PARAMETER);
        struct icaltimetype dtstart = icalcomponent_get_dtstart(ev);
        if (tzid != NULL) {
            icaltimezone *own = icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzid));
            if (own == NULL || dtstart.zone != own) {
                fprintf(stderr, "%s: TZID not resolved to the file's VTIMEZONE\n",
                        icalcomponent_get_uid(ev));
                return 1;
            }
        }
        /* Overrides (same UID, with a RECURRENCE-ID), placed in the file's zones. */
        time_t moved[64][3];
        int overrides = 0;
        icalcomponent *saved = ev;
        for (icalcomponent *x = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
             x != NULL; x = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
            if (icalcomponent_get_first_property(x, ICAL_RECURRENCEID_PROPERTY) == NULL ||
                strcmp(icalcomponent_get_uid(x), icalcomponent_get_uid(ev)) != 0 || overrides == 64)
                continue;
            moved[overrides][0] = instant(cal, x, ICAL_RECURRENCEID_PROPERTY);
            moved[overrides][1] = instant(cal, x, ICAL_DTSTART_PROPERTY);
            moved[overrides][2] = instant(cal, x, ICAL_DTEND_PROPERTY);
            overrides++;
        }
        /* The loop above moved the component iterator: find `ev` again. */
        for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev != saved;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
            ;
        struct occurrences o = {overrides, moved, dtstart.is_date, limit, 0, 0, NULL};
        icalcomponent_foreach_recurrence(ev, from, until, collect, &o);
        qsort(o.spans, (size_t)o.count, sizeof *o.spans, by_start);
        printf("%s\"%s\":[", first ? "" : ",", icalcomponent_get_uid(ev));
        first = 0;
        for (int i = 0; i < o.count && i < o.limit; i++) {
            printf("%s[", i ? "," : "");
            print_time(o.spans[i][0], o.all_day);
            putchar(',');
            print_time(o.spans[i][1], o.all_day);
            putchar(']');
        }
        putchar(']');
        free(o.spans);
    }
    printf("}}\n");
    icalcomponent_free(cal);
    free(text);
    return 0;
}
