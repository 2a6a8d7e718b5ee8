/*
 * libical half of the zone sweep (sweep.py): UTC offsets and wall -> UTC through the
 * VTIMEZONEs of one .ics file.
 *
 * build: cc -O2 -o BUILD/libical_offsets libical_offsets.c $(pkg-config --cflags --libs libical)
 * usage: libical_offsets ZONES.ics SAMPLES.txt
 *
 * SAMPLES.txt is written by sweep.py from the samples JSON, one record per line:
 *   Z TZID                          starts the samples of a zone
 *   UNIX OFFSET YYYYMMDDTHHMMSS U   one sample: the instant, the UTC offset in seconds
 *                                   at it, the local wall time, U = 1 if that wall time
 *                                   occurs only once in the zone (else 0)
 *
 * Every zone is an icaltimezone that libical built from the VTIMEZONE with that TZID in
 * ZONES.ics (icalcomponent_get_timezone on the VCALENDAR); nothing falls back to
 * libical's builtin zones.  Per sample:
 *   offset     icaltimezone_get_utc_offset_of_utc_time at the instant == OFFSET
 *   wall->utc  (U = 1 only) icaltime_as_timet_with_zone(wall time, zone) == UNIX
 *
 * Before anything else, an embedded VCALENDAR whose "Europe/Berlin" VTIMEZONE is a
 * fixed +0537 goes through the same code; unless libical answers +0537 for it (and
 * not the real Berlin offsets of its builtin zone), the program stops with status 3.
 *
 * Output, one line per record, tab-separated:
 *   M CHECK ZONE SAMPLE GOT   a mismatch; ZONE and SAMPLE count from 0 in SAMPLES.txt
 *                             order, GOT is an offset (offset) or an instant (wall->utc)
 *   V ZONE TEXT               a problem with the zone's VTIMEZONE: "missing" (none with
 *                             that TZID in the file) or libical not building the zone from
 *                             it, and the zone's samples are skipped; or parse errors in
 *                             it, and the samples are still checked
 *   T ZONES SAMPLES OFFSET_CHECKS WALL_CHECKS ZONES_READ SAMPLES_READ
 *                             totals, always the last line: ZONES and SAMPLES count what
 *                             was checked, *_READ all that SAMPLES.txt holds
 * Exit status: 0 when the sweep ran (whatever it found), 2 on a usage error or
 * unreadable input, 3 if the self-check above fails.
 */

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read_all.h"

static const char CANARY[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//calfeed//libical_offsets self-check//EN\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:19700101T000000\r\n"
    "TZOFFSETFROM:+0537\r\n"
    "TZOFFSETTO:+0537\r\n"
    "TZNAME:WRONG\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "END:VCALENDAR\r\n";

/* The zone that libical built from the VTIMEZONE with this TZID in the VCALENDAR `cal`,
   or NULL (and *why set) if there is none. */
static icaltimezone *file_zone(icalcomponent *cal, const char *tzid, const char **why)
{
    icalcomponent *vtz = NULL;
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
         c != NULL; c = icalcomponent_get_next_component(cal, ICAL_VTIMEZONE_COMPONENT)) {
        icalproperty *p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
        if (p != NULL && strcmp(icalproperty_get_tzid(p), tzid) == 0) {
            vtz = c;
            break;
        }
    }
    if (vtz == NULL) {
        *why = "missing";
        return NULL;
    }
    icaltimezone *zone = icalcomponent_get_timezone(cal, tzid);
    if (zone == NULL || icaltimezone_get_component(zone) != vtz) {
        *why = "libical's zone for this TZID is not built from the file's VTIMEZONE";
        return NULL;
    }
    *why = NULL;
    return zone;
}

static int offset_at(icaltimezone *zone, time_t instant)
{
    struct icaltimetype utc = icaltime_from_timet_with_zone(instant, 0,
                                                            icaltimezone_get_utc_timezone());
    return icaltimezone_get_utc_offset_of_utc_time(zone, &utc, NULL);
}

static time_t wall_to_utc(icaltimezone *zone, const char *wall)
{
    struct icaltimetype tt = icaltime_null_time();
    if (sscanf(wall, "%4d%2d%2dT%2d%2d%2d", &tt.year, &tt.month, &tt.day,
               &tt.hour, &tt.minute, &tt.second) != 6)
        return (time_t)-1;
    return icaltime_as_timet_with_zone(tt, zone);
}

/* 0 if libical reads the embedded fixed +0537 "Europe/Berlin" as +0537. */
static int self_check(void)
{
    icalcomponent *cal = icalparser_parse_string(CANARY);
    const char *why = "cannot parse the embedded VCALENDAR";
    icaltimezone *zone = cal == NULL ? NULL : file_zone(cal, "Europe/Berlin", &why);
    int status = 0;
    if (zone == NULL) {
        fprintf(stderr, "libical_offsets: self-check: no zone for the embedded VTIMEZONE: %s\n",
                why);
        status = 1;
    } else {
        /* 2024-07-01T00:00:00Z: +0200 in the real Berlin. */
        time_t instant = 1719792000;
        int offset = offset_at(zone, instant);
        time_t back = wall_to_utc(zone, "20240701T053700");
        if (offset != 5 * 3600 + 37 * 60 || back != instant) {
            fprintf(stderr, "libical_offsets: self-check: a VTIMEZONE \"Europe/Berlin\" at a "
                    "fixed +0537 gave offset %d s and wall->utc %lld (want %d and %lld): "
                    "libical did not use the file's VTIMEZONE\n", offset, (long long)back,
                    5 * 3600 + 37 * 60, (long long)instant);
            status = 1;
        }
    }
    if (cal != NULL)
        icalcomponent_free(cal);
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: libical_offsets ZONES.ics SAMPLES.txt\n", stderr);
        return 2;
    }
    if (self_check() != 0)
        return 3;

    char *text = read_all(argv[1]);
    icalcomponent *cal = text == NULL ? NULL : icalparser_parse_string(text);
    free(text);
    if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fprintf(stderr, "libical_offsets: %s: %s\n", argv[1],
                cal == NULL ? "cannot read or parse the file" : "not a VCALENDAR");
        return 2;
    }
    FILE *samples = fopen(argv[2], "r");
    if (samples == NULL) {
        perror(argv[2]);
        return 2;
    }

    static char out_buf[1 << 16];
    setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);

    char line[512], wall[32];
    long zone_no = -1, sample_no = 0, zones = 0, sample_count = 0, samples_read = 0;
    long offset_checks = 0, wall_checks = 0;
    icaltimezone *zone = NULL;
    int in_zone = 0;
    while (fgets(line, sizeof line, samples) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == 'Z' && line[1] == ' ') {
            zone_no++;
            sample_no = 0;
            in_zone = 1;
            const char *why;
            zone = file_zone(cal, line + 2, &why);
            if (zone == NULL) {
                printf("V\t%ld\t%s\n", zone_no, why);
                continue;
            }
            zones++;
            int errors = icalcomponent_count_errors(icaltimezone_get_component(zone));
            if (errors > 0)
                printf("V\t%ld\tlibical found %d parse error(s) in the VTIMEZONE\n",
                       zone_no, errors);
            continue;
        }
        long long unix_time;
        int offset, unique;
        if (!in_zone || sscanf(line, "%lld %d %31s %d", &unix_time, &offset, wall,
                               &unique) != 4) {
            fprintf(stderr, "libical_offsets: %s: bad line: %s\n", argv[2], line);
            return 2;
        }
        long this_sample = sample_no++;
        samples_read++;
        if (zone == NULL)
            continue;
        sample_count++;
        offset_checks++;
        int got = offset_at(zone, (time_t)unix_time);
        if (got != offset)
            printf("M\toffset\t%ld\t%ld\t%d\n", zone_no, this_sample, got);
        if (unique) {
            wall_checks++;
            time_t back = wall_to_utc(zone, wall);
            if ((long long)back != unix_time)
                printf("M\twall->utc\t%ld\t%ld\t%lld\n", zone_no, this_sample, (long long)back);
        }
    }
    if (ferror(samples)) {
        perror(argv[2]);
        return 2;
    }
    fclose(samples);
    printf("T\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\n", zones, sample_count, offset_checks,
           wall_checks, zone_no + 1, samples_read);
    icalcomponent_free(cal);
    return fflush(stdout) == 0 ? 0 : 2;
}
