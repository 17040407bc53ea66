package com.mailgov.change.csv;

import com.mailgov.directory.csv.CsvColumns;
import com.mailgov.directory.csv.CsvRecords;
import com.mailgov.directory.csv.CsvText;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.ObjectKind;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CSV upload (the layout of {@link CsvColumns}) into the same {@link SubmitChangeRequest}
 * the JSON API takes, remembering each item's line so the service's field errors
 * ({@code items[3].spec.targets[1]}) can be told as "line 12, column targets". Rows with an empty
 * {@code action} are skipped: an exported file can be sent back with only the changed rows marked.
 */
@ApplicationScoped
public class CsvChangeRequestReader {

    /** At most this many problems are listed for one file. */
    static final int MAX_ERRORS = 100;

    private static final Pattern ITEM_FIELD = Pattern.compile("items\\[(\\d+)](?:\\.(action|kind)|\\.spec\\.([A-Za-z]+)(?:\\[(\\d+)])?)?(.*)");
    private static final Pattern LIST_SEPARATORS = Pattern.compile("[\\s;,]+");

    @Inject
    ObjectMapper json;

    @Inject
    MailgovConfig config;

    /** The request read from the file, and for each item its line and kind. */
    public record CsvSubmission(SubmitChangeRequest request, List<Integer> lines, List<ObjectKind> kinds, String charset) {

        /** The service's problem with item paths replaced by line and column. */
        public ApiException locate(ApiException e) {
            List<Problem.FieldError> errors = e.errors().stream()
                    .map(f -> new Problem.FieldError(where(f.field()), f.message())).toList();
            String detail = e.getMessage();
            if (e.type() == ProblemType.VALIDATION_FAILED && !errors.isEmpty()) {
                Problem.FieldError first = errors.get(0);
                detail = errors.size() == 1 ? first.field() + ": " + first.message()
                        : errors.size() + " problems in the CSV; first: " + first.field() + ": " + first.message();
            } else if (detail != null) {
                Matcher m = Pattern.compile("items\\[\\d+][.\\w\\[\\]]*").matcher(detail);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(out, Matcher.quoteReplacement(where(m.group())));
                }
                m.appendTail(out);
                detail = out.toString();
            }
            return new ApiException(e.type(), detail, errors, e.extensions());
        }

        private String where(String field) {
            if (field == null) {
                return null;
            }
            Matcher m = ITEM_FIELD.matcher(field);
            if (!m.matches()) {
                return field;
            }
            int index = Integer.parseInt(m.group(1));
            if (index >= lines.size()) {
                return field;
            }
            String at = "line " + lines.get(index);
            if (m.group(2) != null) {
                return at + ", column " + m.group(2);
            }
            if (m.group(3) != null) {
                ObjectKind kind = kinds.get(index);
                String column = kind == null ? m.group(3) : CsvColumns.columnOf(kind, m.group(3)).orElse(m.group(3));
                String entry = m.group(4) == null ? "" : " (entry " + (Integer.parseInt(m.group(4)) + 1) + ")";
                return at + ", column " + column + entry;
            }
            return at;
        }
    }

    /**
     * @param department the request's department; null: taken from the file's department column
     */
    public CsvSubmission read(byte[] body, String charset, String department, String title, String reason) {
        if (body == null || body.length == 0) {
            throw ApiException.invalid("body", "is empty; send a CSV file with a header line");
        }
        CsvText.Decoded decoded = CsvText.decode(body, charset);
        List<CsvRecords.Row> rows;
        try {
            rows = CsvRecords.parse(decoded.text());
        } catch (CsvRecords.Malformed e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "line " + e.line + ": " + e.getMessage(),
                    List.of(new Problem.FieldError("line " + e.line, e.getMessage())), Map.of());
        }
        FieldErrors errors = new FieldErrors();
        int headerAt = 0;
        while (headerAt < rows.size() && rows.get(headerAt).blank()) {
            headerAt++;
        }
        if (headerAt == rows.size()) {
            throw ApiException.invalid("line 1", "no header line; the first line names the columns: " + String.join(",", CsvColumns.ALL));
        }
        CsvRecords.Row header = rows.get(headerAt);
        Map<String, Integer> columns = header(header, errors);
        errors.throwIfAny();

        List<ItemRequest> items = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<ObjectKind> kinds = new ArrayList<>();
        String requestDepartment = department == null || department.isBlank() ? null : department.trim();
        String departmentLine = null;
        for (CsvRecords.Row row : rows.subList(headerAt + 1, rows.size())) {
            if (row.blank() || cell(row, columns, CsvColumns.ACTION).isEmpty()) {
                continue;
            }
            if (errors.size() >= MAX_ERRORS) {
                break;
            }
            String at = "line " + row.line();
            if (row.fields().size() > header.fields().size()) {
                errors.add(at, "has " + row.fields().size() + " fields but the header has " + header.fields().size()
                        + "; quote cells that contain commas");
                continue;
            }
            ChangeAction action = enumOf(ChangeAction.class, cell(row, columns, CsvColumns.ACTION), at + ", column action", errors);
            ObjectKind kind = enumOf(ObjectKind.class, cell(row, columns, CsvColumns.KIND), at + ", column kind", errors);
            String rowDepartment = cell(row, columns, CsvColumns.DEPARTMENT);
            if (!rowDepartment.isEmpty()) {
                if (requestDepartment == null) {
                    requestDepartment = rowDepartment;
                    departmentLine = at;
                } else if (!rowDepartment.equals(requestDepartment)) {
                    errors.add(at + ", column department", "is " + rowDepartment + " but the request is for " + requestDepartment
                            + (departmentLine == null ? " (the department parameter)" : " (" + departmentLine + ")")
                            + "; one request covers one department");
                }
            }
            if (action == null || kind == null) {
                continue;
            }
            items.add(new ItemRequest(action, kind, spec(row, columns, action, kind, at, errors)));
            lines.add(row.line());
            kinds.add(kind);
        }
        if (items.isEmpty() && errors.size() == 0) {
            errors.add("rows", "no row has an action; put CREATE, UPDATE or DELETE in the action column of the rows to change");
        }
        int max = config.limits().maxItems();
        if (items.size() > max) {
            errors.add("rows", "the file has " + items.size() + " rows with an action; at most " + max
                    + " fit in one change request (split the file)");
        }
        if (requestDepartment == null && errors.size() == 0) {
            errors.add("department", "is required: give ?department=CODE or fill the department column");
        }
        errors.throwIfAny();
        String t = title == null || title.isBlank() ? "CSV import: " + items.size() + " change(s)" : title;
        return new CsvSubmission(new SubmitChangeRequest(requestDepartment, t, reason, null, items),
                List.copyOf(lines), List.copyOf(kinds), decoded.charset().name());
    }

    private static Map<String, Integer> header(CsvRecords.Row header, FieldErrors errors) {
        Map<String, Integer> columns = new HashMap<>();
        Map<String, String> known = new HashMap<>();
        CsvColumns.ALL.forEach(c -> known.put(c.toLowerCase(Locale.ROOT), c));
        for (int i = 0; i < header.fields().size(); i++) {
            String raw = header.fields().get(i).replace("\uFEFF", "").trim();
            String name = known.get(raw.toLowerCase(Locale.ROOT));
            String at = "line " + header.line() + ", column " + (i + 1);
            if (raw.isEmpty()) {
                errors.add(at, "has no name");
            } else if (name == null) {
                errors.add(at, "unknown column " + raw + "; the columns are " + String.join(",", CsvColumns.ALL));
            } else if (columns.putIfAbsent(name, i) != null) {
                errors.add(at, "column " + name + " appears twice");
            }
        }
        for (String required : List.of(CsvColumns.ACTION, CsvColumns.KIND, CsvColumns.ADDRESS)) {
            if (!columns.containsKey(required) && errors.size() < MAX_ERRORS) {
                errors.add("line " + header.line(), "the header has no column " + required
                        + "; the columns are " + String.join(",", CsvColumns.ALL));
            }
        }
        return columns;
    }

    private ObjectNode spec(CsvRecords.Row row, Map<String, Integer> columns, ChangeAction action, ObjectKind kind,
                            String at, FieldErrors errors) {
        ObjectNode spec = json.createObjectNode();
        List<CsvColumns.Use> uses = CsvColumns.uses(kind);
        for (String column : CsvColumns.ALL) {
            if (column.equals(CsvColumns.ACTION) || column.equals(CsvColumns.KIND) || column.equals(CsvColumns.DEPARTMENT)) {
                continue;
            }
            String value = cell(row, columns, column);
            CsvColumns.Use use = uses.stream().filter(u -> u.column().equals(column)).findFirst().orElse(null);
            if (use == null) {
                // A DELETE row may come straight from an export: only its key columns count.
                if (!value.isEmpty() && action != ChangeAction.DELETE) {
                    errors.add(at + ", column " + column, "is not used for " + kind + " rows; leave it empty");
                }
                continue;
            }
            if (value.isEmpty() || action == ChangeAction.DELETE && !use.key()) {
                continue;
            }
            String where = at + ", column " + column;
            switch (use.type()) {
                case TEXT -> spec.put(use.field(), value);
                case ADDRESS_LIST -> {
                    ArrayNode list = spec.putArray(use.field());
                    Arrays.stream(LIST_SEPARATORS.split(value.trim())).filter(s -> !s.isEmpty()).forEach(list::add);
                }
                case BOOLEAN -> {
                    Boolean b = booleanOf(value);
                    if (b == null) {
                        errors.add(where, "must be true or false (also TRUE/FALSE, yes/no, 1/0), not " + value);
                    } else {
                        spec.put(use.field(), b);
                    }
                }
                case NUMBER -> {
                    try {
                        spec.put(use.field(), Integer.parseInt(value.trim()));
                    } catch (NumberFormatException e) {
                        errors.add(where, "must be a whole number, not " + value);
                    }
                }
            }
        }
        return spec;
    }

    /** A cell's text; a ' the export put before a formula-like value is taken off again. */
    private static String cell(CsvRecords.Row row, Map<String, Integer> columns, String column) {
        Integer i = columns.get(column);
        if (i == null || i >= row.fields().size()) {
            return "";
        }
        String v = row.fields().get(i);
        if (v.length() > 1 && v.charAt(0) == '\'' && CsvColumns.formulaLike(v.substring(1))) {
            v = v.substring(1);
        }
        return column.equals("body") || column.equals("subject") || column.equals("displayName") ? v : v.trim();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String where, FieldErrors errors) {
        if (value.isEmpty()) {
            errors.add(where, "is required: one of " + Arrays.toString(type.getEnumConstants()));
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(where, "must be one of " + Arrays.toString(type.getEnumConstants()) + ", not " + value);
            return null;
        }
    }

    private static Boolean booleanOf(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
