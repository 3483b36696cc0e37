"""Facts of the South Lanarkshire 2014 release that several tests check the graph against."""

# "Across nine quality indicators, one was found to be 'very good,' four were found to be 'good' and four
# were found to be 'adequate.'": none at the three other grades.
GRADE_COUNTS = {
    "excellent": 0,
    "very good": 1,
    "good": 4,
    "adequate": 4,
    "weak": 0,
    "unsatisfactory": 0,
}
