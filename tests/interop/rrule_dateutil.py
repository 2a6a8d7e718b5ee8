"""Expands recurrence rules with python-dateutil, for comparison with calfeed's own expansion.

Usage: rrule_dateutil.py LIMIT LAST_YEAR REQUEST RESULT

REQUEST has one rule a line: the rule text, a space, the start as an ISO wall time
(`FREQ=WEEKLY;BYDAY=TU 2026-01-06T09:00:00`). RESULT gets one line per rule: `ok`, `timeout`
(dateutil took more than 0.3 seconds: a rule that never happens can keep it searching until the
year 9999) or `error` (dateutil refuses the rule), followed by the first LIMIT occurrences up to
the end of year LAST_YEAR, as ISO wall times separated by spaces.

dateutil reads an UNTIL written as a date as midnight at the start of that day; calfeed (like
RFC 5545 for all-day events) includes the whole day, so such an UNTIL is passed on as 23:59:59.
"""

import itertools
import re
import signal
import sys
from datetime import datetime

from dateutil.rrule import rrulestr


class Timeout(Exception):
    pass


def on_alarm(_signum, _frame):
    raise Timeout()


def expand(text, start, limit, last_year):
    text = re.sub(r"UNTIL=(\d{8})(;|$)", r"UNTIL=\1T235959\2", text)
    found = []
    outcome = "ok"
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        rule = rrulestr(text, dtstart=start)
        for t in itertools.islice(rule, limit):
            if t.year > last_year:
                break
            found.append(t.isoformat())
    except Timeout:
        outcome = "timeout"
    except ValueError:
        # dateutil refuses some rules that can never happen ("generates an empty set").
        outcome = "error"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return " ".join([outcome] + found)


def main():
    limit, last_year, request, result = sys.argv[1:]
    signal.signal(signal.SIGALRM, on_alarm)
    with open(request, encoding="utf-8") as f:
        lines = [line.split() for line in f if line.strip()]
    with open(result, "w", encoding="utf-8") as f:
        for text, start in lines:
            f.write(expand(text, datetime.fromisoformat(start), int(limit), int(last_year)) + "\n")
    print(f"dateutil expanded {len(lines)} rules")


if __name__ == "__main__":
    main()
