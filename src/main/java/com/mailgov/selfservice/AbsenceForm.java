package com.mailgov.selfservice;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.selfservice.SelfAutoreplyDtos.SelfAutoreplyView;
import org.jboss.resteasy.reactive.RestForm;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The one-page absence form, kept as typed so a refused save is shown again with its problems. */
public class AbsenceForm {

    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    @RestForm public String mailbox;
    @RestForm public String subject;
    @RestForm public String body;
    @RestForm public String startsAt;
    @RestForm public String endsAt;
    @RestForm public String audience;
    @RestForm public String intervalDays;

    /** The form filled with the current autoreply (times in the viewer's zone), or empty with sensible defaults. */
    static AbsenceForm of(SelfAutoreplyView view, ZoneId zone) {
        AbsenceForm form = new AbsenceForm();
        form.mailbox = view.mailbox();
        form.audience = AutoreplySpec.Audience.INTERNAL.name();
        form.intervalDays = String.valueOf(SelfAutoreplyService.DEFAULT_INTERVAL_DAYS);
        if (view.autoreply() != null) {
            form.subject = view.autoreply().subject();
            form.body = view.autoreply().body();
            form.startsAt = local(view.autoreply().startsAt(), zone);
            form.endsAt = local(view.autoreply().endsAt(), zone);
            form.audience = view.autoreply().audience() == null ? null : view.autoreply().audience().name();
            form.intervalDays = view.autoreply().intervalDays() == null ? null : String.valueOf(view.autoreply().intervalDays());
        }
        return form;
    }

    private static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LOCAL.format(instant.atZone(zone));
    }

    public boolean is(String field, String value) {
        return "audience".equals(field) && value.equals(audience);
    }
}
