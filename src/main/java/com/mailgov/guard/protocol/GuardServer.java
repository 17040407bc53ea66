package com.mailgov.guard.protocol;

import com.mailgov.guard.GuardConfig;
import com.mailgov.guard.detect.Decider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop guard's listener on its own port (off unless {@code mailgov.guard.enabled}). Serves
 * Postfix's policy delegation and milter protocols on the same port, told apart by the first
 * byte. Runs on the Vert.x event loop: every answer comes from memory; a broken frame or a limit
 * drops only that connection, and Postfix then applies its default action (mail flows).
 */
@ApplicationScoped
public class GuardServer {

    private static final Logger LOG = Logger.getLogger(GuardServer.class);

    @Inject
    Vertx vertx;

    @Inject
    GuardConfig config;

    @Inject
    Decider decider;

    @Inject
    MeterRegistry metrics;

    private volatile NetServer server;
    /** The port bound last: a restart binds it again, even when the configured port is 0 (any). */
    private int lastPort;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private Counter dropped;

    void onStart(@Observes StartupEvent event) {
        dropped = metrics.counter("mailgov.guard.connections.dropped");
        metrics.gauge("mailgov.guard.connections", connections);
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Binds the port; returns the bound port (a configured 0 picks a free one). */
    public synchronized int start() {
        if (server != null) {
            return server.actualPort();
        }
        NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(lastPort > 0 ? lastPort : config.port())
                .setIdleTimeout((int) config.readTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setTcpNoDelay(true);
        NetServer s = vertx.createNetServer(options).connectHandler(this::accept);
        s.listen().toCompletionStage().toCompletableFuture().join();
        server = s;
        lastPort = s.actualPort();
        LOG.infof("loop guard listening on %s:%d (policy delegation and milter)", config.host(), s.actualPort());
        return s.actualPort();
    }

    /** Closes the port and every connection (as if the service were gone: Postfix fails open). */
    public synchronized void stop() {
        NetServer s = server;
        server = null;
        if (s != null) {
            s.close().toCompletionStage().toCompletableFuture().join();
            sockets.forEach(NetSocket::close);
        }
    }

    public boolean running() {
        return server != null;
    }

    public int port() {
        NetServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    private void accept(NetSocket socket) {
        if (connections.incrementAndGet() > config.maxConnections()) {
            connections.decrementAndGet();
            dropped.increment();
            socket.close();
            return;
        }
        sockets.add(socket);
        Limits limits = Limits.of(config);
        Session[] session = new Session[1];
        socket.closeHandler(v -> {
            connections.decrementAndGet();
            sockets.remove(socket);
            if (session[0] != null) {
                session[0].closed();
            }
        });
        socket.exceptionHandler(e -> socket.close());
        socket.handler(data -> {
            try {
                if (session[0] == null) {
                    if (data.length() == 0) {
                        return;
                    }
                    // a milter frame's length never reaches 16 MB: its first byte is 0
                    session[0] = data.getByte(0) == 0 ? new MilterSession(decider, limits) : new PolicySession(decider, limits);
                }
                session[0].feed(data, (Buffer answer) -> socket.write(answer));
                if (!session[0].open()) {
                    socket.close();
                } else if (socket.writeQueueFull()) {
                    // a peer that sends without reading our answers must not grow our memory
                    socket.pause();
                    socket.drainHandler(v -> socket.resume());
                }
            } catch (ProtocolViolation e) {
                dropped.increment();
                LOG.debugf("loop guard dropped a connection from %s: %s", socket.remoteAddress(), e.getMessage());
                socket.close();
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.warnf(e, "loop guard dropped a connection from %s", socket.remoteAddress());
                socket.close();
            }
        });
    }
}
