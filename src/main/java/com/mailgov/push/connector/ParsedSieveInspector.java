package com.mailgov.push.connector;

import com.mailgov.sieve.Responder;
import com.mailgov.sieve.SieveAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** {@link SieveInspector} on the project's Sieve parser ({@link SieveAnalysis}): the same reading the import and the policies use. */
final class ParsedSieveInspector implements SieveInspector {

    @Override
    public Inspection inspect(String script) {
        SieveAnalysis a = SieveAnalysis.of(script);
        if (!a.parses()) {
            return Inspection.unreadable(a.error());
        }
        TreeSet<String> responders = new TreeSet<>();
        for (Responder r : a.responders()) {
            responders.add(r.kind().name().toLowerCase(Locale.ROOT));
        }
        List<String> personal = new ArrayList<>();
        List<String> global = new ArrayList<>();
        for (String include : a.includes()) {
            if (include.startsWith(":global ")) {
                global.add(include.substring(":global ".length()));
            } else if (include.startsWith(":personal ")) {
                personal.add(include.substring(":personal ".length()));
            }
        }
        return new Inspection(List.copyOf(responders), personal, global, null);
    }
}
