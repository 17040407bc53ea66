package com.mailgov.directory.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.directory.DirectoryService.DirectoryObjectView;
import com.mailgov.directory.ObjectKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Directory objects as CSV in the layout of {@link CsvColumns}, UTF-8 with a BOM (without it,
 * Excel on Japanese Windows reads the file as Shift_JIS and shows 営業部 as mojibake). The action
 * column is left empty: fill it in the rows to change and upload the file as a change request.
 */
@ApplicationScoped
public class DirectoryCsvWriter {

    @Inject
    ObjectMapper json;

    /** The header line, after a BOM; rows follow with {@link #row}. */
    public void start(Writer out) throws IOException {
        out.write(new String(CsvText.BOM, StandardCharsets.UTF_8));
        out.write(String.join(",", CsvColumns.ALL));
        out.write("\r\n");
    }

    /** One object as one CSV line. */
    public void row(Writer out, DirectoryObjectView o) throws IOException {
        JsonNode spec = json.valueToTree(o.spec());
        List<String> cells = new ArrayList<>();
        for (String column : CsvColumns.ALL) {
            cells.add(quoted(switch (column) {
                case CsvColumns.ACTION -> "";
                case CsvColumns.KIND -> o.kind().name();
                case CsvColumns.DEPARTMENT -> o.department();
                default -> value(o.kind(), column, spec);
            }));
        }
        out.write(String.join(",", cells));
        out.write("\r\n");
    }

    private static String value(ObjectKind kind, String column, JsonNode spec) {
        CsvColumns.Use use = CsvColumns.uses(kind).stream().filter(u -> u.column().equals(column)).findFirst().orElse(null);
        if (use == null) {
            return "";
        }
        JsonNode v = spec.get(use.field());
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return String.join(" ", parts);
        }
        return v.asText();
    }

    /** RFC 4180 quoting when needed; a formula-like cell gets a leading ' (the import takes it off). */
    static String quoted(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = CsvColumns.formulaLike(value) ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
