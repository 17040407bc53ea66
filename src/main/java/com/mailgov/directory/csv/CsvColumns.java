package com.mailgov.directory.csv;

import com.mailgov.directory.ObjectKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one column layout of directory CSV, used by the export and the import alike, so an exported
 * file can be edited and sent back. Each kind uses some columns and maps them to its JSON spec fields.
 */
public final class CsvColumns {

    public static final String ACTION = "action";
    public static final String KIND = "kind";
    public static final String DEPARTMENT = "department";
    public static final String ADDRESS = "address";
    public static final String TARGETS = "targets";

    /** Every column, in file order. */
    public static final List<String> ALL = List.of(ACTION, KIND, DEPARTMENT, ADDRESS, TARGETS, "displayName", "keepCopy",
            "replyToList", "addsListHeaders", "subject", "body", "startsAt", "endsAt", "intervalDays", "audience");

    /** How a cell becomes a JSON value. */
    public enum Type { TEXT, ADDRESS_LIST, BOOLEAN, NUMBER }

    /** One column of one kind: the spec field it fills and how. */
    public record Use(String column, String field, Type type, boolean key) {
    }

    private static final Map<ObjectKind, List<Use>> USES = new LinkedHashMap<>();

    static {
        USES.put(ObjectKind.MAILBOX, List.of(
                new Use(ADDRESS, "address", Type.TEXT, true),
                new Use("displayName", "displayName", Type.TEXT, false)));
        USES.put(ObjectKind.FORWARD, List.of(
                new Use(ADDRESS, "source", Type.TEXT, true),
                new Use(TARGETS, "targets", Type.ADDRESS_LIST, false),
                new Use("keepCopy", "keepCopy", Type.BOOLEAN, false)));
        USES.put(ObjectKind.MAILING_LIST, List.of(
                new Use(ADDRESS, "address", Type.TEXT, true),
                new Use("displayName", "name", Type.TEXT, false),
                new Use("replyToList", "replyToList", Type.BOOLEAN, false),
                new Use("addsListHeaders", "addsListHeaders", Type.BOOLEAN, false)));
        USES.put(ObjectKind.LIST_MEMBER, List.of(
                new Use(ADDRESS, "list", Type.TEXT, true),
                new Use(TARGETS, "member", Type.TEXT, true)));
        USES.put(ObjectKind.EXTERNAL_SUBSCRIPTION, List.of(
                new Use(ADDRESS, "mailbox", Type.TEXT, true),
                new Use(TARGETS, "listAddress", Type.TEXT, true),
                new Use("replyToList", "replyToList", Type.BOOLEAN, false),
                new Use("addsListHeaders", "addsListHeaders", Type.BOOLEAN, false)));
        USES.put(ObjectKind.AUTOREPLY, List.of(
                new Use(ADDRESS, "mailbox", Type.TEXT, true),
                new Use(TARGETS, "addresses", Type.ADDRESS_LIST, false),
                new Use("subject", "subject", Type.TEXT, false),
                new Use("body", "body", Type.TEXT, false),
                new Use("startsAt", "startsAt", Type.TEXT, false),
                new Use("endsAt", "endsAt", Type.TEXT, false),
                new Use("intervalDays", "intervalDays", Type.NUMBER, false),
                new Use("audience", "audience", Type.TEXT, false)));
    }

    private CsvColumns() {
    }

    public static List<Use> uses(ObjectKind kind) {
        return USES.get(kind);
    }

    /** The column a spec field of this kind comes from. */
    public static Optional<String> columnOf(ObjectKind kind, String field) {
        return USES.get(kind).stream().filter(u -> u.field().equals(field)).map(Use::column).findFirst();
    }

    /** A spreadsheet runs a cell starting with = + - @ as a formula: the export puts a ' before it. */
    public static boolean formulaLike(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
    }
}
