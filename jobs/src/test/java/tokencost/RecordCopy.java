package tokencost;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/** Copies a record with one component changed (test-only; keeps catalogs immutable in main code). */
public final class RecordCopy {
    private RecordCopy() {}

    @SuppressWarnings("unchecked")
    public static <T extends Record> T with(T record, String component, Object value) {
        try {
            RecordComponent[] comps = record.getClass().getRecordComponents();
            Object[] args = new Object[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            boolean found = false;
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                if (comps[i].getName().equals(component)) {
                    args[i] = value;
                    found = true;
                } else {
                    args[i] = comps[i].getAccessor().invoke(record);
                }
            }
            if (!found) throw new IllegalArgumentException("no component " + component + " in " + record.getClass());
            Constructor<T> c = (Constructor<T>) record.getClass().getDeclaredConstructor(types);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
