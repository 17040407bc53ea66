package com.mailgov.boot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether the HTTP port can be bound, asked before anything else starts. */
final class PortCheck {

    private PortCheck() {
    }

    static boolean free(String host, int port) {
        if (port <= 0) {
            return true; // a random port is always free
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // like Vert.x: a port in TIME_WAIT from our last run is usable
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
