package tokencost.conf;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tokencost.catalog.Problem;

/**
 * HOCON includes with errors in the user's words. Typesafe Config's own includer reports a missing
 * {@code include required("/abs/x.conf")} as "resource not found on classpath: abs/x.conf" (the leading / lost), names
 * neither the including file nor its line, and finds a cycle only after 50 nested includes. This one resolves
 * includes the same way (a name relative to the including file, then a resource of the application jar; file(),
 * classpath() and url() as Typesafe does), and when an include cannot be followed it throws {@link IncludeException}
 * naming the including file, the line of the include and the name as written there.
 */
final class ConfIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderClasspath, ConfigIncluderURL {

    /** An include that cannot be followed: the including file, the line of the include, and why. */
    static final class IncludeException extends ConfigException {
        private final String file;
        private final int line;
        private final String reason;

        IncludeException(String file, int line, String reason) {
            super(origin(file, line), reason);
            this.file = file;
            this.line = line;
            this.reason = reason;
        }

        private static ConfigOrigin origin(String file, int line) {
            ConfigOrigin o = ConfigOriginFactory.newFile(file);
            return line > 0 ? o.withLineNumber(line) : o;
        }

        String file() {
            return file;
        }

        int line() {
            return line;
        }

        String reason() {
            return reason;
        }
    }

    private static final Pattern INCLUDE = Pattern.compile(
            "\\binclude\\s+(?:required\\s*\\(\\s*)?(?:(file|classpath|url)\\s*\\(\\s*)?\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> EXTENSIONS = List.of(".conf", ".json", ".properties");

    private final File from;
    private final List<File> open;      // the files being parsed, outermost first (canonical): a cycle returns to one
    private final List<String> steps;   // "file:line includes "name"" for each include that led to this file
    private final ConfigIncluder fallback;
    private final List<Problem> warnings; // shared by the includers of one load: skipped includes, duplicate keys

    private ConfIncluder(File from, List<File> open, List<String> steps, ConfigIncluder fallback, List<Problem> warnings) {
        this.from = from;
        this.open = open;
        this.steps = steps;
        this.fallback = fallback;
        this.warnings = warnings;
    }

    /** The includer for the top conf file; the warnings of every file it includes go to {@code warnings}. */
    static ConfIncluder forFile(File top, List<Problem> warnings) {
        return new ConfIncluder(top, List.of(canonical(top)), List.of(), null, warnings);
    }

    static ConfIncluder forFile(File top) {
        return forFile(top, new ArrayList<>());
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return fallback == this.fallback || fallback == this ? this : new ConfIncluder(from, open, steps, fallback, warnings);
    }

    /** {@code include "name"} and {@code include required("name")}. */
    @Override
    public ConfigObject include(ConfigIncludeContext context, String name) {
        if (isUrl(name)) return includeURL(context, url(name));
        File f = new File(name);
        if (!f.isAbsolute()) f = new File(from.getAbsoluteFile().getParentFile(), name).toPath().normalize().toFile();
        if (f.isDirectory()) throw problem(name, "included '" + name + "' is a folder, not a conf file" + lookedFor(name, f));
        for (File candidate : candidates(f, name)) {
            if (candidate.isFile()) return parse(context, name, candidate);
        }
        // Like Typesafe: a name not found beside the including file may be a resource of the application jar.
        String resource = name.startsWith("/") ? name.substring(1) : name;
        if (resourceExists(context, resource) && fallback != null) return fallback.include(context, name);
        return missing(context, name, "included file '" + name + "' does not exist" + lookedFor(name, f));
    }

    /** {@code include file("path")}: relative to the working directory, as Typesafe does. */
    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File file) {
        String name = file.getPath();
        if (file.isDirectory()) throw problem(name, "included '" + name + "' is a folder, not a conf file");
        for (File candidate : candidates(file, name)) {
            if (candidate.isFile()) return parse(context, name, candidate);
        }
        return missing(context, name, "included file '" + name + "' does not exist" + lookedFor(name, file.getAbsoluteFile()));
    }

    /** {@code include classpath("resource")}. */
    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String resource) {
        if (!resourceExists(context, resource)) {
            return missing(context, resource, "included classpath resource '" + resource + "' is not in the application");
        }
        if (fallback instanceof ConfigIncluderClasspath c) return c.includeResources(context, resource);
        return ConfigFactory.parseResourcesAnySyntax(resource, context.parseOptions()).root();
    }

    /** {@code include url("...")}: Typesafe's, with the place of the include when it cannot be read. */
    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL url) {
        try {
            if (fallback instanceof ConfigIncluderURL u) return u.includeURL(context, url);
            return ConfigFactory.parseURL(url, context.parseOptions()).root();
        } catch (IncludeException e) {
            throw e;
        } catch (ConfigException e) {
            throw problem(url.toString(), "cannot read included URL '" + url + "': " + message(e));
        }
    }

    private ConfigObject parse(ConfigIncludeContext context, String name, File file) {
        File canonical = canonical(file);
        String step = from.getPath() + ":" + lineOf(name) + " includes \"" + name + "\"";
        List<String> nextSteps = new ArrayList<>(steps);
        nextSteps.add(step);
        if (open.contains(canonical)) {
            throw problem(name, "include cycle: " + String.join(" -> ", nextSteps) + " -> back to " + file.getPath());
        }
        List<File> nextOpen = new ArrayList<>(open);
        nextOpen.add(canonical);
        ConfIncluder child = new ConfIncluder(file, List.copyOf(nextOpen), List.copyOf(nextSteps), null, warnings);
        ConfigObject root = ConfigFactory.parseFile(file, context.parseOptions().setIncluder(child)).root();
        warn(duplicates(file));
        return root;
    }

    /**
     * A missing include: a warning (it is skipped) when it may be missing (a plain include), else the problem. Strict
     * loading makes the warning an error.
     */
    private ConfigObject missing(ConfigIncludeContext context, String name, String reason) {
        if (context.parseOptions().getAllowMissing()) {
            warn(List.of(new Problem(from.getPath(), lineOf(name), null, reason
                    + ": skipped (a plain include may be missing; include required(\"...\") makes it an error)")));
            return ConfigFactory.empty("missing include " + name).root();
        }
        throw problem(name, reason);
    }

    private void warn(List<Problem> found) {
        for (Problem p : found) if (!warnings.contains(p)) warnings.add(p);
    }

    /** Keys {@code file} sets twice with different values (see {@link ConfDuplicates}). */
    static List<Problem> duplicates(File file) {
        try {
            return ConfDuplicates.find(file.getPath(), Files.readString(file.toPath(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException unreadable) { // the parser reports what cannot be read
            return List.of();
        }
    }

    private IncludeException problem(String name, String reason) {
        return new IncludeException(from.getPath(), lineOf(name), reason);
    }

    private static String lookedFor(String name, File f) {
        return f.getPath().equals(name) ? "" : " (looked for " + f.getPath() + (hasExtension(name) ? "" : "{.conf,.json,.properties}") + ")";
    }

    private static List<File> candidates(File f, String name) {
        if (hasExtension(name)) return List.of(f);
        List<File> out = new ArrayList<>();
        for (String ext : EXTENSIONS) out.add(new File(f.getPath() + ext));
        return out;
    }

    private static boolean hasExtension(String name) {
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static boolean resourceExists(ConfigIncludeContext context, String resource) {
        ClassLoader cl = context.parseOptions().getClassLoader();
        if (cl == null) cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) cl = ConfIncluder.class.getClassLoader();
        if (hasExtension(resource)) return cl.getResource(resource) != null;
        for (String ext : EXTENSIONS) if (cl.getResource(resource + ext) != null) return true;
        return false;
    }

    /** The line of the including file where {@code name} is included; 0 when it cannot be found. */
    private int lineOf(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(from.toPath(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("#") || l.startsWith("//")) continue;
            Matcher m = INCLUDE.matcher(l);
            while (m.find()) {
                String written = m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
                if (written.equals(name)) return i + 1;
            }
        }
        return 0;
    }

    private static boolean isUrl(String name) {
        try {
            new URL(name);
            return true;
        } catch (MalformedURLException e) {
            return false;
        }
    }

    private static URL url(String name) {
        try {
            return new URL(name);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static File canonical(File f) {
        try {
            return f.getCanonicalFile();
        } catch (IOException e) {
            return f.getAbsoluteFile();
        }
    }

    /** A ConfigException's message without the origin Typesafe puts in front of it. */
    static String message(ConfigException e) {
        String m = String.valueOf(e.getMessage());
        if (e.origin() != null) {
            String prefix = e.origin().description() + ": ";
            if (m.startsWith(prefix)) m = m.substring(prefix.length());
        }
        return m;
    }
}
