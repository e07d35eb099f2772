package tokencost.engine;

/** Why a configuration is or is not usable: a low-cardinality code for tables, with a short label. */
public enum Verdict {
    OK("ok"),
    NO_SLO("no SLO"),
    SLO_TTFT("TTFT above SLO"),
    SLO_TPOT("TPOT above SLO"),
    SLO_BOTH("TTFT and TPOT above SLO"),
    NO_FIT_CONTEXT("prompt and output exceed the context window"),
    NO_FIT_WEIGHTS("weights exceed memory"),
    NO_FIT_KV("KV cache of one request exceeds memory"),
    NO_FIT_BATCH("batch above max batch"),
    INVALID_DEVICES("device count not valid for this hardware");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean fits() {
        return ordinal() <= SLO_BOTH.ordinal();
    }
}
