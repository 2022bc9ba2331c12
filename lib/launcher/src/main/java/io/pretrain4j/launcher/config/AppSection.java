package io.pretrain4j.launcher.config;

import java.util.Set;

/**
 * One app's own section of the configuration ({@code pretrain4j.<name>}), read through the launcher:
 * the launcher layers it like every other section (defaults, the operator's file,
 * {@code PRETRAIN4J_<NAME>_<LEAF>} variables), refuses keys the app does not know and lists the
 * app's problems with the shared sections' ones, all at once. The app owns the record it reads into.
 *
 * @param <T> the app's settings record
 */
public interface AppSection<T> {
    /** The section's name below {@code pretrain4j}, e.g. {@code validator}. */
    String name();

    /** The settings record's type, bound in the launcher's injector. */
    Class<T> type();

    /** The keys that hold one value, each overridable by its environment variable. */
    Set<String> leaves();

    /** The keys that hold a free-form object of plain values (e.g. {@code task-datasets}). */
    default Set<String> freeForm() {
        return Set.of();
    }

    /** Reads the section; problems go to the reader, which the launcher reports with the rest. */
    T read(SectionReader reader);
}
