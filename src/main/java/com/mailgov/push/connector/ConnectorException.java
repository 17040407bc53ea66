package com.mailgov.push.connector;

/**
 * A server refused or could not be reached. {@code retryable} false means trying again will not
 * help (bad credentials, a script the server rejects); the message is shown to admins, so it
 * never carries a secret.
 */
public class ConnectorException extends Exception {

    private final boolean retryable;

    public ConnectorException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ConnectorException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
