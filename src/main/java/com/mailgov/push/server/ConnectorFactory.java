package com.mailgov.push.server;

import com.mailgov.config.MailgovConfig;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.DovecotSieveConnector;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.push.connector.FileConnector;
import com.mailgov.push.connector.MailServerConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.PostfixPgsqlConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;

/** Opens the connector for a server kind. */
@ApplicationScoped
public class ConnectorFactory {

    @Inject
    MailgovConfig config;

    public MailServerConnector open(MailServerTarget target) throws ConnectorException {
        switch (target.kind()) {
            case FILE:
                return new FileConnector(fileRoot(target.endpoint()));
            case POSTFIX_PGSQL:
                return new PostfixPgsqlConnector(target);
            case DOVECOT_MANAGESIEVE:
                return new DovecotSieveConnector(target);
            case MAILMAN:
                return new MailmanConnector(target);
            default:
                throw new ConnectorException("no connector for " + target.kind(), false);
        }
    }

    /** A relative FILE endpoint lives in the data folder. */
    public Path fileRoot(String endpoint) {
        Path p = Path.of(endpoint);
        return p.isAbsolute() ? p : Path.of(config.dataDir()).resolve(p).toAbsolutePath();
    }
}
