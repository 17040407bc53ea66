package com.mailgov.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The company's time zone ({@code mailgov.time-zone}, default the JVM's): what a plain date or a
 * time without offset in a request means ("from December 1" = from 00:00 there).
 */
@ApplicationScoped
public class CompanyTime {

    @Inject
    MailgovConfig config;

    private volatile ZoneId zone;

    public ZoneId zone() {
        ZoneId z = zone;
        if (z == null) {
            String configured = config.timeZone().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
            try {
                z = configured == null ? ZoneId.systemDefault() : ZoneId.of(configured);
            } catch (DateTimeException e) {
                throw new IllegalStateException("mailgov.time-zone " + configured + " is not a time zone (e.g. Asia/Tokyo)", e);
            }
            zone = z;
        }
        return z;
    }
}
