package com.mailgov.push.pipeline;

import com.mailgov.push.connector.ArtifactKey;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The mail domains one server is responsible for (server option {@code domains}, comma-separated;
 * unset = all). A Dovecot of one site neither receives nor is asked about the mailboxes of another.
 */
public record ServedDomains(Set<String> domains) {

    public static ServedDomains of(String option) {
        if (option == null || option.isBlank()) {
            return new ServedDomains(null);
        }
        return new ServedDomains(Arrays.stream(option.split(","))
                .map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
    }

    public boolean serves(String address) {
        if (domains == null) {
            return true;
        }
        int at = address.lastIndexOf('@');
        return at >= 0 && domains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    /** An artifact belongs to the domain of its first address (a membership: the list's). */
    public boolean serves(ArtifactKey key) {
        int bar = key.key().indexOf('|');
        return serves(bar < 0 ? key.key() : key.key().substring(0, bar));
    }

    public Set<ArtifactKey> filter(Set<ArtifactKey> keys) {
        return domains == null ? keys : keys.stream().filter(this::serves).collect(Collectors.toCollection(TreeSet::new));
    }

    public Set<String> filterAddresses(Set<String> addresses) {
        return domains == null ? addresses : addresses.stream().filter(this::serves).collect(Collectors.toCollection(TreeSet::new));
    }

    public Map<ArtifactKey, String> filter(Map<ArtifactKey, String> artifacts) {
        if (domains == null) {
            return artifacts;
        }
        Map<ArtifactKey, String> out = new TreeMap<>();
        artifacts.forEach((k, v) -> {
            if (serves(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
