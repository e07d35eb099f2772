package tokencost.engine;

/** Unit conversions shared by the engines (definitions, not physical facts: those live in datasets/). */
final class Units {
    private Units() {}

    static final double SECONDS_PER_HOUR = 3600.0;
    static final double TOKENS_PER_MTOK = 1e6;
    static final double MONTHS_PER_YEAR = 12;
}
