"""Expands recurrence rules with python-dateutil, for comparison with calfeed's own expansion.

Usage: rrule_dateutil.py REQUEST.json RESULT.json

Reads a request {"limit": N, "last_year": Y, "rules": [{"rule": "FREQ=...", "start":
"2026-01-06T09:00:00"}, ...]} and writes a list with one object per rule with the first N
occurrences up to the end of year Y ("occurrences", ISO wall times) and "timeout": true when
dateutil took more than 0.3 seconds (a rule that never happens can keep it searching until the
year 9999), or "error" when dateutil refuses the rule.

dateutil reads an UNTIL written as a date as midnight at the start of that day; calfeed (like
RFC 5545 for all-day events) includes the whole day, so such an UNTIL is passed on as 23:59:59.
"""

import itertools
import json
import re
import signal
import sys
from datetime import datetime

from dateutil.rrule import rrulestr


class Timeout(Exception):
    pass


def on_alarm(_signum, _frame):
    raise Timeout()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    limit = request["limit"]
    last_year = request["last_year"]
    signal.signal(signal.SIGALRM, on_alarm)
    results = []
    for item in request["rules"]:
        text = re.sub(r"UNTIL=(\d{8})(;|$)", r"UNTIL=\1T235959\2", item["rule"])
        start = datetime.fromisoformat(item["start"])
        found = []
        timeout = False
        error = None
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        try:
            rule = rrulestr(text, dtstart=start)
            for t in itertools.islice(rule, limit):
                if t.year > last_year:
                    break
                found.append(t.isoformat())
        except Timeout:
            timeout = True
        except ValueError as e:
            # dateutil refuses some rules that can never happen ("generates an empty set").
            error = str(e)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results.append({"occurrences": found, "timeout": timeout, "error": error})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)
    print(f"dateutil expanded {len(results)} rules")


if __name__ == "__main__":
    main()
