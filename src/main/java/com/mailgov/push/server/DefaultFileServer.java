package com.mailgov.push.server;

import com.mailgov.config.MailgovConfig;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.security.Actor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The embedded default: with no server registered, approved configuration goes to files in the
 * data folder ({@code mail-config/postfix/virtual}, {@code mail-config/sieve/*.sieve}). It is
 * retired (disabled) when the first real server switches to ENFORCE ({@link ServerModes}).
 */
@ApplicationScoped
public class DefaultFileServer {

    private static final Logger LOG = Logger.getLogger(DefaultFileServer.class);
    static final String NAME = "file";

    @Inject
    MailgovConfig config;

    @Inject
    MailServerService servers;

    @Inject
    ConnectorFactory connectors;

    @Inject
    EntityManager em;

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (!config.push().defaultFileServer()) {
            return;
        }
        // replicas starting together: one registers, the others see it
        em.createNativeQuery("SELECT pg_advisory_xact_lock(7305001)").getSingleResult();
        if (MailServer.count() > 0) {
            return;
        }
        servers.register(Actor.system(), new MailServerService.MailServerRequest(NAME, ServerKind.FILE, "mail-config",
                null, null, Map.of(), true), ServerMode.ENFORCE); // a folder of mailgov's own: nothing there to adopt
        LOG.infof("No mail server registered: approved configuration is written to %s", connectors.fileRoot("mail-config"));
    }
}
