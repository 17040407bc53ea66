package com.mailgov.sieve;

import java.util.List;

/** The syntax tree of a Sieve script (RFC 5228 §8): commands with arguments, tests and blocks. */
public sealed interface SieveNode {

    /** One argument of a command or test. */
    sealed interface Argument extends SieveNode {
    }

    /** {@code :name} */
    record Tag(String name, int line) implements Argument {
    }

    /** A number with its quantifier applied (K, M, G). */
    record Number(long value, int line) implements Argument {
    }

    /** A string or a string list; {@code list} says it was written in brackets. */
    record Strings(List<String> values, boolean list, int line) implements Argument {

        public String first() {
            return values.isEmpty() ? "" : values.get(0);
        }
    }

    /** A test: identifier, arguments, nested tests ({@code anyof}, {@code allof}, {@code not}). */
    record Test(String name, List<Argument> arguments, List<Test> tests, int line) implements SieveNode {
    }

    /** A command: identifier, arguments, its tests (for {@code if}) and its block, if any. */
    record Command(String name, List<Argument> arguments, List<Test> tests, List<Command> block, int line)
            implements SieveNode {

        /** The argument following {@code :tag}, or null when the tag is absent. */
        public Argument tagValue(String tag) {
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i) instanceof Tag t && t.name().equals(tag)) {
                    return i + 1 < arguments.size() ? arguments.get(i + 1) : null;
                }
            }
            return null;
        }

        public boolean hasTag(String tag) {
            return arguments.stream().anyMatch(a -> a instanceof Tag t && t.name().equals(tag));
        }

        /** Positional arguments: not tags and not the value of a tag that takes one. */
        public List<Argument> positional(java.util.Set<String> tagsWithValue) {
            java.util.List<Argument> out = new java.util.ArrayList<>();
            for (int i = 0; i < arguments.size(); i++) {
                Argument a = arguments.get(i);
                if (a instanceof Tag t) {
                    if (tagsWithValue.contains(t.name())) {
                        i++;
                    }
                } else {
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** A whole script. */
    record Script(List<Command> commands) implements SieveNode {
    }
}
