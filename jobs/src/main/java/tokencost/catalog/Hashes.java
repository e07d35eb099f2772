package tokencost.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Short content hashes for run ids and the audit log. */
public final class Hashes {
    private Hashes() {}

    public static String sha256Hex16(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String of(String s) {
        return sha256Hex16(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Hash of every catalog file (CSV, scenarios, reference measurements and schemas) as read from a source. */
    public static String catalog(CatalogSource source) {
        List<String> files = List.of(Catalog.MODELS, Catalog.HARDWARE, Catalog.WORKLOADS, Catalog.OPTIMIZATIONS,
                Catalog.RUNTIMES, Scenario.FILE, ReferenceMeasurement.FILE, "schemas/models.avsc", "schemas/hardware.avsc",
                "schemas/workloads.avsc", "schemas/optimizations.avsc", "schemas/runtimes.avsc", "schemas/scenarios.avsc");
        byte[][] parts = new byte[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            byte[] b = source.read(files.get(i));
            parts[i] = b == null ? new byte[0] : b;
        }
        return sha256Hex16(parts);
    }
}
