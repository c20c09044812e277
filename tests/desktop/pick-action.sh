#!/usr/bin/env bash
# A stand-in for dmenu in the tests' dunstrc: `dunstctl context` pipes the
# menu to it and reads back the chosen line. It chooses the first line that
# contains $THERAPY_TIMER_TEST_PICK (e.g. "Skip").
grep -m1 -F -- "${THERAPY_TIMER_TEST_PICK:-Start now}"
