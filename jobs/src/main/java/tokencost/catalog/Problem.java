package tokencost.catalog;

/** One thing wrong with an input: where it is (file, line, field) and why it is wrong. */
public record Problem(String file, int line, String field, String reason) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) sb.append(':').append(line);
        if (field != null && !field.isEmpty()) sb.append(": field '").append(field).append('\'');
        return sb.append(": ").append(reason).toString();
    }
}
