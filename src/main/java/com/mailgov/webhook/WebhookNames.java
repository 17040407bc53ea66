package com.mailgov.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How webhook deliveries resolve host names: the JDK's resolver (a bean, so a test can give it a fixed table). */
@ApplicationScoped
public class WebhookNames implements WebhookTargetGuard.Resolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
