package com.mailgov.guard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The loop guard's listener and its bounds (prefix {@code mailgov.guard}). Thresholds and actions
 * are not here: they are policy data (rule {@code loop-guard} in /api/v1/policies).
 */
@ConfigMapping(prefix = "mailgov.guard")
public interface GuardConfig {

    /** Off by default: Postfix must be configured to call it first (docs/loop-guard.md). */
    @WithDefault("false")
    boolean enabled();

    @WithName("host")
    @WithDefault("127.0.0.1")
    String host();

    /** One port for both protocols: a milter frame starts with a length byte 0, a policy request with a letter. */
    @WithDefault("10040")
    int port();

    @WithName("max-connections")
    @WithDefault("256")
    int maxConnections();

    /** Longest policy-delegation line ({@code name=value}), bytes. */
    @WithName("max-line")
    @WithDefault("2048")
    int maxLine();

    /** Most attributes in one policy request (Postfix sends about 30). */
    @WithName("max-attributes")
    @WithDefault("64")
    int maxAttributes();

    /** Largest milter frame, bytes (header values, macros). */
    @WithName("max-frame")
    @WithDefault("65536")
    int maxFrame();

    /** Most recipients one message is tracked with; the rest are passed unseen. */
    @WithName("max-recipients")
    @WithDefault("1000")
    int maxRecipients();

    /** A connection silent this long is closed (Postfix reconnects). */
    @WithName("read-timeout")
    @WithDefault("PT60S")
    Duration readTimeout();

    /** How often local counts go to PostgreSQL and the shared window is searched for cycles. */
    @WithName("flush-interval")
    @WithDefault("PT1S")
    Duration flushInterval();

    /** Distinct edges counted locally between two flushes; more are counted in one overflow bucket. */
    @WithName("max-tracked-edges")
    @WithDefault("200000")
    int maxTrackedEdges();

    /** Hot edges (over all replicas) the cycle search looks at, hottest first. */
    @WithName("max-hot-edges")
    @WithDefault("20000")
    int maxHotEdges();

    /**
     * Command that releases held messages, queue ids appended after {@code -H}, e.g.
     * {@code postsuper -c /etc/postfix}. Absent: held messages are listed for release by hand.
     */
    @WithName("postsuper-command")
    Optional<List<String>> postsuperCommand();

    /**
     * How long an emergency stop waits for the push of the change that switches off a mailgov
     * autoreply; held messages are released only after it (or they would feed the responder again).
     */
    @WithName("stop-push-timeout")
    @WithDefault("PT30S")
    Duration stopPushTimeout();

    /** Name of this replica in shared counts (defaults to host name + pid). */
    @WithName("node-name")
    Optional<String> nodeName();
}
