package com.mailgov.push.server;

import com.mailgov.push.pipeline.PushJob;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Admin actions on a registered server that go through the push queue. */
@ApplicationScoped
@Transactional
public class MailServerAdmin {

    @Inject
    PushOutbox outbox;

    public PushOutbox.PushView reconcile(Actor actor, long serverId) {
        MailServer s = MailServerService.find(serverId);
        PushJob job = outbox.enqueueReconcile(s, actor);
        return outbox.forServer(serverId, 1).stream().filter(v -> v.job() == job.id).findFirst().orElseThrow();
    }
}
