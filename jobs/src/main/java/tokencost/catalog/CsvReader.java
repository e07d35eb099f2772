package tokencost.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma separated, double quotes around fields holding commas, quotes or newlines,
 * a doubled quote inside quotes for a literal quote. Records remember the line they start on so
 * every error can point at it. Problems (bad encoding, a stray quote) are collected, not thrown.
 */
public final class CsvReader {

    /** One parsed record and the 1-based line it starts on. */
    public record Row(int line, List<String> fields) {}

    private CsvReader() {}

    public static List<Row> parse(String file, byte[] bytes, List<Problem> problems) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new Problem(file, lineOfBadByte(bytes), null, "not valid UTF-8 text (" + e.getMessage() + ")"));
            return List.of();
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);

        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean inQuotes = false;
        boolean fieldWasQuoted = false;
        boolean recordHasContent = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() == 0 && !fieldWasQuoted) {
                        inQuotes = true;
                        fieldWasQuoted = true;
                        recordHasContent = true;
                    } else {
                        problems.add(new Problem(file, line, null,
                                "stray double quote inside an unquoted field (quote the whole field and double inner quotes)"));
                        field.append(c);
                    }
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldWasQuoted = false;
                    recordHasContent = true;
                }
                case '\r' -> { /* CRLF: the \n ends the record */ }
                case '\n' -> {
                    if (recordHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        rows.add(new Row(recordLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    recordHasContent = false;
                    line++;
                    recordLine = line;
                }
                default -> {
                    if (fieldWasQuoted) {
                        problems.add(new Problem(file, line, null, "text after a closing quote in a quoted field"));
                        fieldWasQuoted = false;
                    }
                    field.append(c);
                    recordHasContent = true;
                }
            }
        }
        if (inQuotes) {
            problems.add(new Problem(file, recordLine, null, "unterminated quoted field (a quote opened here is never closed)"));
        } else if (recordHasContent || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(recordLine, List.copyOf(fields)));
        }
        return rows;
    }

    private static int lineOfBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return 0;
    }
}
