package tokencost.engine;

/** Unit conversions shared by the engines (definitions, not physical facts: those live in datasets/). */
final class Units {
    private Units() {}

    static final double SECONDS_PER_HOUR = 3600.0;
    static final double TOKENS_PER_MTOK = 1e6;
    static final double MONTHS_PER_YEAR = 12;
    static final double HOURS_PER_DAY = 24;
    /** The mean (Julian) year: one year length for writing off hardware and for the lifecycle's months. */
    static final double DAYS_PER_YEAR = 365.25;
    static final double HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY;
    static final double DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR;
    static final double HOURS_PER_MONTH = DAYS_PER_MONTH * HOURS_PER_DAY;
}
