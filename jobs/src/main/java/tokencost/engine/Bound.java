package tokencost.engine;

/** What limits a replica over a full request cycle; {@link #label()} is the value the tables and JSON carry. */
public enum Bound {
    COMPUTE("compute"),
    MEMORY("memory"),
    INTERCONNECT("interconnect"),
    /** Nothing runs: the configuration does not fit (or is not a valid replica). */
    CAPACITY("capacity");

    private final String label;

    Bound(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
