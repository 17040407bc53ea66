package com.mailgov.directory.csv;

import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Map;

/**
 * Turns an uploaded CSV's bytes into text. Excel in Japan saves "CSV UTF-8" (with a BOM) and plain
 * "CSV" (Shift_JIS, really Windows-31J), so: a {@code charset} parameter on the Content-Type wins;
 * else a UTF-8 BOM means UTF-8; else bytes that are valid UTF-8 are UTF-8; else Windows-31J. Bytes
 * that are valid in none of them are refused with the line of the first bad byte.
 */
public final class CsvText {

    public static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private CsvText() {
    }

    /** The decoded text (without BOM) and the charset it was read with. */
    public record Decoded(String text, Charset charset) {
    }

    public static Decoded decode(byte[] bytes, String charsetParameter) {
        if (charsetParameter != null && !charsetParameter.isBlank()) {
            Charset declared = charsetOf(charsetParameter.trim());
            int skip = declared == StandardCharsets.UTF_8 && startsWithBom(bytes) ? BOM.length : 0;
            return new Decoded(strict(bytes, skip, declared, "the declared charset " + declared.name()), declared);
        }
        if (startsWithBom(bytes)) {
            return new Decoded(strict(bytes, BOM.length, StandardCharsets.UTF_8, "UTF-8 (it starts with a UTF-8 BOM)"),
                    StandardCharsets.UTF_8);
        }
        try {
            return new Decoded(decoder(StandardCharsets.UTF_8).decode(ByteBuffer.wrap(bytes)).toString(), StandardCharsets.UTF_8);
        } catch (CharacterCodingException notUtf8) {
            return new Decoded(strict(bytes, 0, WINDOWS_31J, "UTF-8 or Shift_JIS (Windows-31J)"), WINDOWS_31J);
        }
    }

    private static Charset charsetOf(String name) {
        String n = name.startsWith("\"") && name.endsWith("\"") && name.length() > 1 ? name.substring(1, name.length() - 1) : name;
        try {
            Charset c = Charset.forName(n);
            // Shift_JIS as Excel writes it has Microsoft's extensions (①, ㈱, NEC specials): read it as Windows-31J.
            return c.name().equalsIgnoreCase("Shift_JIS") ? WINDOWS_31J : c;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Unknown charset " + n + "; send UTF-8 or Shift_JIS",
                    List.of(new Problem.FieldError("Content-Type", "unknown charset " + n)), Map.of());
        }
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }

    private static String strict(byte[] bytes, int offset, Charset charset, String expected) {
        try {
            return decoder(charset).decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException e) {
            int line = 1 + lineOfFirstBadByte(bytes, offset, charset);
            String where = "line " + line;
            throw new ApiException(ProblemType.MALFORMED_REQUEST,
                    "The CSV is not valid " + expected + " text (first bad bytes on " + where
                            + "); save it from Excel as \"CSV UTF-8\" or \"CSV\", or name the charset in the Content-Type",
                    List.of(new Problem.FieldError(where, "bytes that are not " + expected)), Map.of("charset", charset.name()));
        }
    }

    /** Counts the line feeds before the first byte the charset cannot decode. */
    private static int lineOfFirstBadByte(byte[] bytes, int offset, Charset charset) {
        CharsetDecoder d = decoder(charset);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, true);
        int lines = 0;
        for (int i = 0; i < out.position(); i++) {
            if (out.get(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static CharsetDecoder decoder(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
